"""Reads about people: accounts, their profiles and their data export."""

import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, Q, Value, When

from .models import Profile, User
from .signals import ExportSection, personal_data_requested


def person_get(*, username: str) -> User | None:
    """Anyone by username (inactive imported accounts too), with the profile."""
    return User.objects.select_related("profile").filter(username=username).first()


def people_suggest(*, prefix: str, limit: int = 8) -> list[User]:
    """Active people whose username or name starts with ``prefix`` (what an
    ``@mention`` may name: the directory's people, never erased or imported
    accounts), usernames that match first, then by name."""
    prefix = prefix.strip().lstrip("@")[:150]
    if not prefix:
        return []
    matches = (
        Q(username__istartswith=prefix)
        | Q(display_name__istartswith=prefix)
        | Q(display_name__icontains=f" {prefix}")
        | Q(first_name__istartswith=prefix)
        | Q(last_name__istartswith=prefix)
    )
    people = (
        User.objects.filter(matches, is_active=True)
        .annotate(
            by_username=Case(
                When(username__istartswith=prefix, then=Value(0)), default=Value(1)
            )
        )
        .order_by("by_username", "display_name", "username")
    )
    return list(people[: max(1, min(limit, 20))])


def profile_of(user: User) -> Profile:
    """The person's profile, or an unsaved empty one."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def _markdown_file(item: dict[str, Any]) -> str:
    """An item as a Markdown file: a small header of facts, then its body."""
    lines = [f"# {item['title']}", ""] if item.get("title") else []
    for key in ("created_at", "url", "community", "visibility", "tags"):
        value = item.get(key)
        if value not in (None, "", []):
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            lines.append(f"- {key.replace('_', ' ')}: {value}")
    return "\n".join([*lines, "", str(item["body"]), ""])


# The archive stays in memory up to this size, then goes to a temporary file.
EXPORT_IN_MEMORY = 8 * 1024 * 1024


def personal_data_export(*, user: User) -> IO[bytes]:
    """Everything a person wrote, as a zip: one JSON file per kind of thing
    plus one Markdown file per text (questions, answers, entries, ideas, ...)
    and the files they uploaded. Returned as a file at its start, in memory
    while small and on disk beyond ``EXPORT_IN_MEMORY``; files are copied in
    one at a time, so a large export never sits in a web worker's memory."""
    profile = profile_of(user)
    about = {
        "username": user.username,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "office": profile.office,
        "department": profile.department,
        "languages": profile.languages,
        "bio": profile.bio,
    }
    sections: list[ExportSection] = []
    for _receiver, response in personal_data_requested.send(sender=User, user=user):
        sections.extend(cast("list[ExportSection]", response or []))
    target = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY)  # noqa: SIM115
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", _json(about))
        for section in sorted(sections, key=lambda s: s["name"]):
            archive.writestr(f"{section['name']}.json", _json(section["items"]))
            for item in section["items"]:
                if item.get("body"):
                    name = f"{section['name']}/{item['id']}.md"
                    archive.writestr(name, _markdown_file(item))
            for name, opener in section.get("files", []):
                _copy_into(archive, f"{section['name']}/{name}", opener)
    target.seek(0)
    return cast("IO[bytes]", target)


def _copy_into(
    archive: zipfile.ZipFile, name: str, opener: Callable[[], IO[bytes]]
) -> None:
    """Copy one file into ``archive`` in chunks; one gone from disk is left out
    (the section's list still names it)."""
    try:
        source = opener()
    except OSError:
        return
    with source, archive.open(name, "w") as entry:
        shutil.copyfileobj(source, entry, length=1024 * 1024)


def _json(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
