"""Curation: turn an answer or a journal entry into a draft knowledge page."""

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from hallway.errors import ValidationFailed
from journals.models import Entry
from kb.communities.models import CommunityPage, KnowledgePage, KnowledgeSource
from kb.communities.services import knowledge_page_curate
from kb.qa.models import Answer


def knowledge_page_curate_from(
    *, kind: str, object_id: int, curator, community: CommunityPage | None = None
) -> KnowledgePage:
    """Curate an answer or a journal entry (looked up lazily) into a draft page."""
    if kind == KnowledgeSource.Kind.ANSWER:
        spec = _answer_spec(object_id, curator=curator)
    elif kind == KnowledgeSource.Kind.ENTRY:
        spec = _entry_spec(object_id, curator=curator, community=community)
    else:
        raise ValidationFailed({"kind": [_("Choose an answer or a journal entry.")]})
    home = spec.pop("community", None)
    community = community or home
    if community is None:
        raise ValidationFailed({"community": [_("Choose a community.")]})
    return knowledge_page_curate(community=community, curator=curator, **spec)


def _url_of(obj) -> str:
    """The object's URL, or "" while its app has no URL for it yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _answer_spec(object_id: int, *, curator) -> dict:
    answer = (
        Answer.objects.select_related("question", "author", "question__community")
        .filter(pk=object_id, is_deleted=False, question__is_deleted=False)
        .first()
    )
    if answer is None:
        raise ValidationFailed({"id": [_("No such answer.")]})
    question = answer.question
    return {
        "community": question.community,
        "title": question.title,
        "summary": question.title,
        "markdown": answer.body,
        "sources": [
            {
                "kind": KnowledgeSource.Kind.ANSWER,
                "object_id": answer.pk,
                "url": _url_of(answer),
                "title": question.title,
                "authors": answer.author.get_display_name(),
                "source_updated_at": answer.updated_at,
            }
        ],
    }


def _entry_spec(object_id: int, *, curator, community: CommunityPage | None) -> dict:
    """A journal entry's content; private entries are never curated, community
    entries only into their own community (the same rule as the journal's button)."""
    entry = (
        Entry.objects.visible_to(curator)
        .select_related("author", "community")
        .filter(pk=object_id)
        .first()
    )
    if entry is None or entry.visibility == Entry.Visibility.PRIVATE:
        raise ValidationFailed({"id": [_("No such journal entry.")]})
    if entry.visibility == Entry.Visibility.COMMUNITY:
        if community is not None and community.pk != entry.community_id:
            raise PermissionDenied(
                _("A community entry can only be curated into its own community.")
            )
        community = entry.community
    title = entry.title or entry.display_title
    return {
        "community": community or entry.community,
        "title": title,
        "summary": title,
        "markdown": entry.body,
        "sources": [
            {
                "kind": KnowledgeSource.Kind.ENTRY,
                "object_id": entry.pk,
                "url": _url_of(entry),
                "title": title,
                "authors": entry.author.get_display_name(),
                "source_updated_at": entry.updated_at,
            }
        ],
    }
