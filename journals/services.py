"""Writes about journals: validated, rate limited, nothing saved on bad input."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from hallway.audit import audit
from hallway.errors import ValidationFailed
from hallway.languages import content_language
from hallway.markdown import render_markdown, render_plain_with_links
from hallway.ratelimit import rate_limit_check
from hallway.signals import content_changed
from hallway.tags import tags_parse
from kb.communities.models import CommunityPage
from kb.communities.selectors import is_member

from .models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Entry,
    EntryComment,
    JournalSettings,
    PersonFollow,
    Reaction,
    TagFollow,
    new_feed_token,
)
from .signals import entry_changed, entry_comment_changed

MAX_TAGS = 10
TAG_MAX_LENGTH = 50
COMMENT_MAX_LENGTH = 2000
_UNSET = object()


def _resolve_community(community):
    """A community page, its id or its slug → the live community (or ``None``)."""

    if community in (None, ""):
        return None
    if isinstance(community, CommunityPage):
        return community
    pages = CommunityPage.objects.live()
    if isinstance(community, int) or str(community).isdigit():
        return pages.filter(pk=int(community)).first()
    return pages.filter(slug=str(community)).first()


def _clean(*, author, body, title, tags, visibility, community, prompt) -> dict:
    """Validate every field at once; raise ``ValidationFailed`` with all errors."""

    errors: dict[str, list[str]] = {}
    body = (body or "").strip()
    title = (title or "").strip()
    if not body:
        errors["body"] = [_("Write something first.")]
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = [
            _("Keep entries under %(max)d characters (this one has %(n)d).")
            % {"max": BODY_MAX_LENGTH, "n": len(body)}
        ]
    if len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
        ]
    names = tags_parse(tags)
    if len(names) > MAX_TAGS:
        errors["tags"] = [_("Use at most %(max)d tags.") % {"max": MAX_TAGS}]
    elif any(len(name) > TAG_MAX_LENGTH for name in names):
        errors["tags"] = [
            _("Keep each tag under %(max)d characters.") % {"max": TAG_MAX_LENGTH}
        ]
    if visibility not in Entry.Visibility.values:
        errors["visibility"] = [
            _("Choose one of: %(choices)s.")
            % {"choices": ", ".join(Entry.Visibility.values)}
        ]
    if prompt and prompt not in Entry.Prompt.values:
        errors["prompt"] = [
            _("Choose one of: %(choices)s.")
            % {"choices": ", ".join(Entry.Prompt.values)}
        ]
    page = None
    if visibility == Entry.Visibility.COMMUNITY:
        page = _resolve_community(community)
        if page is None:
            errors["community"] = [_("Choose one of your communities.")]
        elif not is_member(author, page):
            errors["community"] = [
                _("You can only share with communities you belong to.")
            ]
    if errors:
        raise ValidationFailed(errors)
    return {
        "body": body,
        "title": title,
        "tags": names,
        "visibility": visibility,
        "community": page,
        "prompt": prompt or "",
    }


def entry_announce(
    pk: int, action: str, *, visibility: str, previous_visibility: str | None = None
) -> None:
    """Send ``entry_changed`` once the transaction commits (see ``signals``).

    The services below call it; so do writes that store entries another way
    (demo loaders) and journals' own ``post_delete`` receiver.
    """
    transaction.on_commit(
        lambda: entry_changed.send(
            sender=Entry,
            pk=pk,
            action=action,
            visibility=visibility,
            previous_visibility=previous_visibility,
        )
    )


@transaction.atomic
def entry_create(
    *,
    author,
    body: str,
    title: str = "",
    tags=None,
    visibility: str | None = None,
    community=None,
    prompt: str = "",
    language: str | None = None,
) -> Entry:
    """Write an entry (visibility defaults to the author's preference; the
    language is the author's choice, else detected)."""
    if visibility in (None, ""):
        visibility = (
            JournalSettings.objects.filter(user=author)
            .values_list("default_visibility", flat=True)
            .first()
            or Entry.Visibility.PRIVATE
        )
    data = _clean(
        author=author,
        body=body,
        title=title,
        tags=tags,
        visibility=visibility,
        community=community,
        prompt=prompt,
    )
    data["language"] = content_language(
        chosen=language, text=f"{data['title']}\n{data['body']}", author=author
    )
    rate_limit_check(user=author, action="post")
    names = data.pop("tags")
    entry = Entry.objects.create(
        author=author, body_html=render_markdown(data["body"]), **data
    )
    entry.tags.set(names)
    entry_announce(entry.pk, "created", visibility=entry.visibility)
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    by,
    body=_UNSET,
    title=_UNSET,
    tags=_UNSET,
    visibility=_UNSET,
    community=_UNSET,
    prompt=_UNSET,
    language: str | None = None,
) -> Entry:
    """Edit an entry (author only); unchanged fields may be left out."""
    if by.pk != entry.author_id:
        raise PermissionDenied(_("Only the author can change this entry."))
    previous_visibility = entry.visibility
    previous_community_id = entry.community_id
    new_visibility = entry.visibility if visibility is _UNSET else visibility
    if community is _UNSET:
        community = entry.community
    data = _clean(
        author=by,
        body=entry.body if body is _UNSET else body,
        title=entry.title if title is _UNSET else title,
        tags=list(entry.tags.names()) if tags is _UNSET else tags,
        visibility=new_visibility,
        community=community,
        prompt=entry.prompt if prompt is _UNSET else prompt,
    )
    if (
        language
        or not entry.language
        or (data["title"], data["body"])
        != (
            entry.title,
            entry.body,
        )
    ):
        data["language"] = content_language(
            chosen=language, text=f"{data['title']}\n{data['body']}", author=by
        )
    names = data.pop("tags")
    for field, value in data.items():
        setattr(entry, field, value)
    entry.body_html = render_markdown(entry.body)
    entry.save()
    entry.tags.set(names)
    scope = (previous_visibility, previous_community_id)
    if scope != (entry.visibility, entry.community_id):
        # The title may be private: the log names the entry by its id only.
        audit(
            entry,
            "hallway.entry.visibility",
            by=by,
            title=f"Journal entry {entry.pk}",
            before=previous_visibility,
            after=entry.visibility,
            community=entry.community_id or "-",
        )
    entry_announce(
        entry.pk,
        "edited",
        visibility=entry.visibility,
        previous_visibility=previous_visibility,
    )
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, by) -> None:
    """Delete an entry for good (author only)."""
    if by.pk != entry.author_id:
        raise PermissionDenied(_("Only the author can delete this entry."))
    entry.delete()  # journals' post_delete receiver announces "deleted"


def entry_link_question(*, entry: Entry, question_id: int, by=None) -> Entry:
    """Remember the question asked from ``entry`` (called by the Q&A ask view).

    Pass ``by`` (the asker) to refuse linking someone else's entry.
    """
    if by is not None and by.pk != entry.author_id:
        raise PermissionDenied(_("Only the author can link this entry."))
    entry.question_id = question_id
    Entry.objects.filter(pk=entry.pk).update(question_id=question_id)
    content_changed.send(sender=Entry, model=Entry, pk=entry.pk)
    return entry


def _ensure_visible(*, entry: Entry, user) -> None:
    if not Entry.objects.visible_to(user).filter(pk=entry.pk).exists():
        raise Http404("No such entry.")


def reaction_set(*, entry: Entry, user, kind: str, on: bool = True) -> bool:
    """Add (``on``) or remove one reaction; returns whether it is now present."""
    _ensure_visible(entry=entry, user=user)
    if kind not in Reaction.Kind.values:
        raise ValidationFailed(
            {"kind": [_("Choose one of: %s.") % ", ".join(Reaction.Kind.values)]}
        )
    if not on:
        Reaction.objects.filter(entry=entry, user=user, kind=kind).delete()
        return False
    rate_limit_check(user=user, action="vote")
    try:
        with transaction.atomic():
            Reaction.objects.get_or_create(entry=entry, user=user, kind=kind)
    except IntegrityError:  # a concurrent double click
        pass
    return True


def reaction_toggle(*, entry: Entry, user, kind: str) -> bool:
    """Flip one reaction; returns whether it is now present."""
    present = Reaction.objects.filter(entry=entry, user=user, kind=kind).exists()
    return reaction_set(entry=entry, user=user, kind=kind, on=not present)


@transaction.atomic
def comment_create(
    *, entry: Entry, author, body: str, language: str | None = None
) -> EntryComment:
    """Comment on an entry ``author`` may see; its language is ``language`` or
    detected from the text."""
    _ensure_visible(entry=entry, user=author)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": [_("Write a comment first.")]})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            {
                "body": [
                    _("Keep comments under %(max)d characters.")
                    % {"max": COMMENT_MAX_LENGTH}
                ]
            }
        )
    written_in = content_language(chosen=language, text=body, author=author)
    rate_limit_check(user=author, action="comment")
    comment = EntryComment.objects.create(
        entry=entry,
        author=author,
        body=body,
        body_html=render_plain_with_links(body),
        language=written_in,
    )
    entry_comment_announce(comment.pk, comment.entry_id, "created")
    return comment


@transaction.atomic
def comment_delete(*, comment: EntryComment, by) -> None:
    """Delete a comment (its author or the entry's author)."""
    if by.pk not in (comment.author_id, comment.entry.author_id):
        raise PermissionDenied(_("You cannot delete this comment."))
    pk, entry_id = comment.pk, comment.entry_id
    comment.delete()
    entry_comment_announce(pk, entry_id, "deleted")


def entry_comment_announce(pk: int, entry_id: int, action: str) -> None:
    """Send ``entry_comment_changed`` once the transaction commits."""
    transaction.on_commit(
        lambda: entry_comment_changed.send(
            sender=EntryComment, pk=pk, entry_id=entry_id, action=action
        )
    )


def person_follow(*, follower, followed) -> PersonFollow:
    """Follow someone's journal (idempotent)."""
    if follower.pk == followed.pk:
        raise ValidationFailed({"user": [_("You cannot follow yourself.")]})
    follow, _created = PersonFollow.objects.get_or_create(
        follower=follower, followed=followed
    )
    return follow


def person_unfollow(*, follower, followed) -> None:
    """Stop following someone's journal."""
    PersonFollow.objects.filter(follower=follower, followed=followed).delete()


def tag_follow(*, follower, tag: str) -> TagFollow:
    """Follow a tag (idempotent)."""
    names = tags_parse([tag])
    if not names or len(names[0]) > TAG_MAX_LENGTH:
        raise ValidationFailed({"tag": [_("Name a tag to follow.")]})
    follow, _created = TagFollow.objects.get_or_create(
        follower=follower, tag_name=names[0]
    )
    return follow


def tag_unfollow(*, follower, tag: str) -> None:
    """Stop following a tag."""
    TagFollow.objects.filter(follower=follower, tag_name__in=tags_parse([tag])).delete()


def journal_settings_update(*, user, default_visibility: str) -> JournalSettings:
    """Change the default visibility for new entries."""
    if default_visibility not in Entry.Visibility.values:
        raise ValidationFailed(
            {"default_visibility": [_("Choose private, community or organisation.")]}
        )
    found, _created = JournalSettings.objects.get_or_create(user=user)
    found.default_visibility = default_visibility
    found.save(update_fields=["default_visibility"])
    return found


def feed_token_rotate(*, user) -> JournalSettings:
    """Issue a new Atom feed token; the old one stops working at once."""
    found, _created = JournalSettings.objects.get_or_create(user=user)
    found.feed_token = new_feed_token()
    found.save(update_fields=["feed_token"])
    return found
