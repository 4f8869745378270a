"""JSON API endpoints of this app (mounted by hallway.api at /api/v1/)."""

from django.db.models import Count
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema

from . import selectors, services
from .models import KnowledgePage, Membership

router = Router(tags=["communities"])


class CommunityOut(Schema):
    slug: str
    title: str
    goal: str
    url: str
    member_count: int
    my_role: str | None


class MembershipOut(Schema):
    community: str
    # None while a request to join waits for a lead.
    role: str | None
    status: str  # "member" or "requested"


class LeftOut(Schema):
    left: bool


class FeedbackIn(Schema):
    helpful: bool
    comment: str = ""


class FeedbackOut(Schema):
    helpful: int
    not_helpful: int
    mine: bool


class VerificationOut(Schema):
    verified: bool
    verified_at: str | None
    verified_by: str | None


def _community(slug: str):
    community = selectors.community_get(slug=slug)
    if community is None:
        raise Http404
    return community


@router.get("/communities", response=list[CommunityOut])
def community_list(request: HttpRequest):
    """Every live community with its goal, size and your role."""
    roles = dict(
        Membership.objects.filter(user=request.user).values_list("community_id", "role")
    )
    communities = selectors.community_list().annotate(member_count=Count("memberships"))
    return [
        {
            "slug": c.slug,
            "title": c.title,
            "goal": c.goal,
            "url": c.url or "",
            "member_count": c.member_count,
            "my_role": roles.get(c.pk),
        }
        for c in communities
    ]


@router.post("/communities/{slug}/join", response=MembershipOut)
def community_join(request: HttpRequest, slug: str):
    """Join a community (open), or ask its leads to (request to join); 403 when it
    is invite only. Idempotent."""
    membership = services.membership_request(
        community=_community(slug), user=request.user
    )
    if membership is None:
        return {"community": slug, "role": None, "status": "requested"}
    return {"community": slug, "role": membership.role, "status": "member"}


@router.post("/communities/{slug}/leave", response=LeftOut)
def community_leave(request: HttpRequest, slug: str):
    """Leave a community."""
    left = services.membership_leave(community=_community(slug), user=request.user)
    return {"left": left}


# A page id as the database stores it: larger ones are a 422, not an overflow.
PageId = Path(..., ge=1, le=2**63 - 1)


def _live_page(page_id: int) -> KnowledgePage:
    return get_object_or_404(selectors.knowledge_pages_visible(), pk=page_id)


@router.post("/knowledge-pages/{page_id}/feedback", response=FeedbackOut)
def knowledge_page_feedback(
    request: HttpRequest, data: FeedbackIn, page_id: int = PageId
):
    """Say whether a knowledge page helped (one answer per person, changeable)."""
    page = _live_page(page_id)
    services.feedback_give(
        page=page, user=request.user, helpful=data.helpful, comment=data.comment
    )
    return {**selectors.feedback_counts(page=page), "mine": data.helpful}


@router.post("/knowledge-pages/{page_id}/verify", response=VerificationOut)
def knowledge_page_verify(request: HttpRequest, page_id: int = PageId):
    """Mark a knowledge page verified (its community's leads and team)."""
    page = services.knowledge_page_verify(page=_live_page(page_id), by=request.user)
    return page.verification
