"""Writes for people: accounts, roles, API tokens and profiles."""

import io

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import APIToken
from wagtail.users.models import UserProfile

from hallway.audit import audit
from hallway.errors import ValidationFailed

from .models import Profile, User
from .signals import person_erasing

MEMBERS_GROUP = "Members"
ADMINISTRATORS_GROUP = "Administrators"


def api_token_create(*, user: User, name: str = "api") -> str:
    """Create a personal API token; return its plaintext (shown once, never stored)."""
    _, plaintext = APIToken.create_token(user=user, name=name[:255] or "api")
    return plaintext


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    display_name: str = "",
    is_admin: bool = False,
    is_active: bool = True,
) -> User:
    """Create a member (optionally an administrator with Wagtail admin access)."""
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        is_active=is_active,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()  # on_user_created adds every account to the Members group
    if is_admin:
        admins, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
        user.groups.add(admins)
    return user


# -- profiles -----------------------------------------------------------------

BIO_MAX = 500
FIELD_MAX = 100
MAX_LANGUAGES = 8
LANGUAGE_MAX = 30
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_SIZE = 256
# Decoded size limits: a small file can hold a huge image (a decompression bomb).
PHOTO_MAX_SIDE = 8000
PHOTO_MAX_PIXELS = 25_000_000


def _clean_languages(raw, errors: dict) -> list[str]:
    if isinstance(raw, str):
        raw = raw.split(",")
    names: list[str] = []
    for item in raw or []:
        name = " ".join(str(item).split())
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    if len(names) > MAX_LANGUAGES:
        errors["languages"] = [
            _("List at most %(n)d languages.") % {"n": MAX_LANGUAGES}
        ]
    elif any(len(name) > LANGUAGE_MAX for name in names):
        errors["languages"] = [
            _("Each language must be at most %(n)d characters.") % {"n": LANGUAGE_MAX}
        ]
    return names


class PhotoTooLarge(ValueError):
    """The image's dimensions exceed what we decode (a decompression bomb)."""


def _photo_process(upload) -> ContentFile:
    """A square JPEG thumbnail of an uploaded image; ``ValueError`` if unreadable,
    ``PhotoTooLarge`` if its dimensions are (checked before any pixel is decoded)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            width, height = image.size
            if max(width, height) > PHOTO_MAX_SIDE or width * height > PHOTO_MAX_PIXELS:
                raise PhotoTooLarge(f"{width}x{height}")
            image = ImageOps.exif_transpose(image).convert("RGB")  # type: ignore[assignment]
            image = ImageOps.fit(image, (PHOTO_SIZE, PHOTO_SIZE))  # type: ignore[assignment]
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValueError(str(exc)) from exc
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    office: str = "",
    department: str = "",
    languages: list[str] | str = (),  # type: ignore[assignment]
    bio: str = "",
    photo=None,
    remove_photo: bool = False,
) -> Profile:
    """Save what ``user`` tells about themselves; nothing is saved on bad input."""
    errors: dict[str, list[str]] = {}
    values = {
        "office": " ".join((office or "").split()),
        "department": " ".join((department or "").split()),
    }
    for field, value in values.items():
        if len(value) > FIELD_MAX:
            errors[field] = [_("Must be at most %(n)d characters.") % {"n": FIELD_MAX}]
    bio = (bio or "").strip()
    if len(bio) > BIO_MAX:
        errors["bio"] = [
            _("Keep your bio to %(n)d characters (it has %(len)d).")
            % {"n": BIO_MAX, "len": len(bio)}
        ]
    names = _clean_languages(languages, errors)
    if display_name is not None:
        display_name = " ".join(display_name.split())
        if not display_name:
            errors["display_name"] = [_("Tell others what to call you.")]
        elif len(display_name) > 150:
            errors["display_name"] = [_("Must be at most 150 characters.")]
    thumbnail = None
    if photo is not None:
        if photo.size > PHOTO_MAX_BYTES:
            errors["photo"] = [_("The photo must be smaller than 5 MB.")]
        else:
            try:
                thumbnail = _photo_process(photo)
            except PhotoTooLarge:
                errors["photo"] = [
                    _(
                        "The photo is too large: at most %(side)d pixels a side and "
                        "%(mp)d megapixels."
                    )
                    % {"side": PHOTO_MAX_SIDE, "mp": PHOTO_MAX_PIXELS // 1_000_000}
                ]
            except ValueError:
                errors["photo"] = [_("Upload a JPEG, PNG, GIF or WebP image.")]
    if errors:
        raise ValidationFailed(errors)
    profile, _created = Profile.objects.get_or_create(user=user)
    for field, value in values.items():
        setattr(profile, field, value)
    profile.languages = names
    profile.bio = bio
    if remove_photo and profile.photo:
        profile.photo.delete(save=False)
    if thumbnail is not None:
        if profile.photo:
            profile.photo.delete(save=False)
        profile.photo.save("photo.jpg", thumbnail, save=False)
    profile.save()
    if display_name is not None and display_name != user.display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    return profile


# -- erasure ------------------------------------------------------------------

ERASE_ACTION = "hallway.person.erase"


def person_erase(*, user: User, by: User, remove_content: bool = False) -> User:
    """Erase a person (administrators): every content app first removes what
    must go (private notes, follows, notifications; with ``remove_content``
    their posts too, through its own services so counts, reputation and the
    index stay exact), then the account becomes a nameless, inactive
    "former colleague" with no e-mail, photo, profile, password or tokens.
    Logged in the audit log without the erased name."""
    if not by.is_superuser:
        raise PermissionDenied(_("Only administrators can erase a person."))
    if user.pk == by.pk:
        raise ValidationFailed({"user": [_("You cannot erase yourself.")]})
    if user.erased_at is not None:
        raise ValidationFailed({"user": [_("This person was already erased.")]})
    with transaction.atomic():
        person_erasing.send(
            sender=User, user=user, by=by, remove_content=remove_content
        )
        profile = Profile.objects.filter(user=user).first()
        if profile is not None:
            photo = profile.photo.name if profile.photo else ""
            storage = profile.photo.storage
            profile.delete()
            if photo:
                transaction.on_commit(lambda: storage.delete(photo))
        APIToken.objects.filter(user=user).delete()
        user.username = f"former-{user.pk}"
        user.display_name = ""
        user.first_name = user.last_name = user.email = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.erased_at = timezone.now()
        user.set_unusable_password()  # also ends every session (hash changes)
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        audit(user, ERASE_ACTION, by=by, person=user.pk, posts_removed=remove_content)
    return user


# -- interface language -------------------------------------------------------


def user_language_set(*, user: User, language: str) -> User:
    """Set ``user``'s interface language (``""`` follows the browser); the Wagtail
    admin's preferred language follows it, so both always agree."""
    language = (language or "").strip()
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            {"language": [_("Choose one of: %(codes)s.") % {"codes": _codes()}]}
        )
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    profile, _created = UserProfile.objects.get_or_create(user=user)
    if profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
    return user


def _codes() -> str:
    return ", ".join(code for code, _name in settings.LANGUAGES)
