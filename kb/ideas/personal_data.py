"""A person's ideas and idea comments: export and erasure."""

from typing import Any

from django.utils.translation import gettext as _

from hallway.signals import content_changed
from people.signals import ExportSection, person_erasing, personal_data_requested

from .models import Idea, IdeaComment
from .services import idea_hide


def export(sender: Any, *, user, **kwargs: Any) -> list[ExportSection]:
    """Every idea (hidden and merged ones too) and idea comment of this person."""
    ideas = (
        Idea.objects.filter(author=user)
        .select_related("campaign")
        .prefetch_related("tags")
        .order_by("pk")
    )
    comments = IdeaComment.objects.filter(author=user).order_by("pk")
    return [
        {
            "name": "ideas",
            "items": [
                {
                    "id": i.pk,
                    "title": i.title,
                    "body": i.body,
                    "campaign": i.campaign.title,
                    "tags": sorted(t.name for t in i.tags.all()),
                    "status": i.status,
                    "votes": i.vote_count,
                    "hidden": i.is_hidden,
                    "created_at": i.created_at,
                    "url": i.get_absolute_url(),
                }
                for i in ideas
            ],
        },
        {
            "name": "idea-comments",
            "items": [
                {
                    "id": c.pk,
                    "idea_id": c.idea_id,
                    "body": c.body,
                    "created_at": c.created_at,
                }
                for c in comments
            ],
        },
    ]


def erase(sender: Any, *, user, by, remove_content: bool, **kwargs: Any) -> None:
    """With ``remove_content``: hide the person's ideas with a logged reason
    (votes others cast stay counted on merged ideas) and blank their comments."""
    if not remove_content:
        for pk in Idea.objects.filter(author=user).values_list("pk", flat=True):
            content_changed.send(sender=Idea, model=Idea, pk=pk)
        return
    reason = _("The author's account was erased.")
    for idea in Idea.objects.filter(author=user, is_hidden=False):
        idea_hide(idea=idea, by=by, reason=reason)
    IdeaComment.objects.filter(author=user).update(body="", body_html="")


def connect() -> None:
    """Wire the handlers (from ``IdeasConfig.ready``)."""
    personal_data_requested.connect(export, dispatch_uid="ideas.personal_data")
    person_erasing.connect(erase, dispatch_uid="ideas.erase")
