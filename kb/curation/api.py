"""JSON API endpoint of curation (mounted by hallway.api at /api/v1/)."""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from kb.communities.selectors import community_get

from . import services

router = Router(tags=["communities"])


class CurationIn(Schema):
    kind: str
    id: int
    community: str | None = None


class CurationOut(Schema):
    id: int
    title: str
    live: bool
    edit_url: str


def _community(slug: str):
    community = community_get(slug=slug)
    if community is None:
        raise Http404
    return community


@router.post("/curations", response={201: CurationOut})
def curation_create(request: HttpRequest, data: CurationIn):
    """Curate an answer or journal entry into a draft knowledge page."""
    community = _community(data.community) if data.community else None
    page = services.knowledge_page_curate_from(
        kind=data.kind, object_id=data.id, curator=request.user, community=community
    )
    return 201, {
        "id": page.pk,
        "title": page.title,
        "live": page.live,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
    }
