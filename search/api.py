"""JSON API endpoints of this app (mounted by hallway.api)."""

from ninja import Router

router = Router(tags=["search"])
