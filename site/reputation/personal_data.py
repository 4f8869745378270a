"""A person's reputation ledger and badges, in their data export."""

from typing import Any

from people.signals import ExportSection, personal_data_requested

from .models import Badge, ReputationEvent


def export(sender: Any, *, user, **kwargs: Any) -> list[ExportSection]:
    """Every ledger event (reversals included) and badge of this person."""
    events = ReputationEvent.objects.filter(user=user).order_by("pk")
    return [
        {
            "name": "reputation",
            "items": [
                {
                    "id": e.pk,
                    "kind": e.kind,
                    "points": e.points,
                    "source": f"{e.source_kind}:{e.source_id}",
                    "created_at": e.created_at,
                }
                for e in events
            ],
        },
        {
            "name": "badges",
            "items": [
                {"id": b.pk, "kind": b.kind, "awarded_at": b.awarded_at}
                for b in Badge.objects.filter(user=user).order_by("pk")
            ],
        },
    ]


def connect() -> None:
    """Wire the handler (from ``ReputationConfig.ready``)."""
    personal_data_requested.connect(export, dispatch_uid="reputation.personal_data")
