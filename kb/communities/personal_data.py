"""A person's community memberships: export and erasure."""

from typing import Any

from hallway.signals import content_changed
from people.signals import ExportSection, person_erasing, personal_data_requested

from .models import KnowledgePage, Membership


def export(sender: Any, *, user, **kwargs: Any) -> list[ExportSection]:
    """The communities this person belongs to, with their role."""
    memberships = Membership.objects.filter(user=user).select_related("community")
    return [
        {
            "name": "memberships",
            "items": [
                {
                    "id": m.pk,
                    "community": m.community.title,
                    "role": m.role,
                    "joined_at": m.joined_at,
                }
                for m in memberships.order_by("pk")
            ],
        }
    ]


def erase(sender: Any, *, user, **kwargs: Any) -> None:
    """An erased person belongs to no community (people clears their groups);
    the pages they own are re-indexed under "former colleague"."""
    Membership.objects.filter(user=user).delete()
    for pk in KnowledgePage.objects.filter(owner=user).values_list("pk", flat=True):
        content_changed.send(sender=KnowledgePage, model=KnowledgePage, pk=pk)


def connect() -> None:
    """Wire the handlers (from ``CommunitiesConfig.ready``)."""
    personal_data_requested.connect(export, dispatch_uid="communities.personal_data")
    person_erasing.connect(erase, dispatch_uid="communities.erase")
