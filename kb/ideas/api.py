"""JSON API for idea campaigns (mounted by hallway.api at /api/v1/)."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from hallway.errors import ValidationFailed

from . import selectors, services
from .models import Campaign, Idea, IdeaComment

router = Router(tags=["ideas"])

MAX_RESULTS = 200


class IdeaAuthorOut(Schema):
    username: str
    display_name: str


class IdeaCreditOut(Schema):
    username: str
    display_name: str
    first_posted_at: datetime


class CampaignOut(Schema):
    id: int
    title: str
    description: str
    description_html: str
    community: str | None
    sponsor: IdeaAuthorOut | None
    closes_at: datetime | None
    votes_per_person: int | None
    response_days: int
    is_idea_box: bool
    is_closed: bool
    url: str
    created_at: datetime


class CampaignListOut(Schema):
    results: list[CampaignOut]


class IdeaOut(Schema):
    id: int
    campaign_id: int
    title: str
    body: str
    body_html: str
    tags: list[str]
    author: IdeaAuthorOut
    credits: list[IdeaCreditOut]
    votes: int
    my_vote: int
    status: str
    status_note: str
    comment_count: int
    merged_into: int | None
    builds_on: int | None
    is_hidden: bool
    hidden_reason: str
    url: str
    language: str
    created_at: datetime


class IdeaListOut(Schema):
    results: list[IdeaOut]


class IdeaVoteOut(Schema):
    votes: int
    my_vote: int


class IdeaCommentOut(Schema):
    id: int
    idea_id: int
    body: str
    body_html: str
    author: IdeaAuthorOut
    language: str
    created_at: datetime


class IdeaModerationOut(Schema):
    idea_id: int
    idea_title: str
    action: str
    reason: str
    by: IdeaAuthorOut
    created_at: datetime


class IdeaModerationListOut(Schema):
    results: list[IdeaModerationOut]


class SimilarIdeaOut(Schema):
    id: int
    title: str
    url: str
    votes: int
    status: str


class SimilarIdeaListOut(Schema):
    results: list[SimilarIdeaOut]


class CampaignIn(Schema):
    title: str = Field(max_length=1000)
    description: str = Field(default="", max_length=40000)
    community: str | None = Field(default=None, max_length=255)
    sponsor: str | None = Field(default=None, max_length=150)
    closes_at: datetime | None = None
    votes_per_person: int | None = None
    response_days: int | None = None


class IdeaIn(Schema):
    title: str = Field(max_length=1000)
    body: str = Field(max_length=40000)
    tags: list[str] = Field(default_factory=list, max_length=50)
    builds_on: int | None = None
    language: str | None = Field(
        None, description="en or nl; detected from the text when left out"
    )


class IdeaVoteIn(Schema):
    value: int


class IdeaStatusIn(Schema):
    status: str = Field(max_length=40)
    note: str = Field(default="", max_length=10000)


class IdeaCommentIn(Schema):
    body: str = Field(max_length=10000)
    language: str | None = Field(
        None, description="en or nl; detected from the text when left out"
    )


class IdeaMergeIn(Schema):
    into: int


class IdeaReasonIn(Schema):
    reason: str = Field(default="", max_length=10000)


def _author(user) -> dict:
    return {"username": user.username, "display_name": user.get_display_name()}


def campaign_to_dict(campaign: Campaign) -> dict:
    """The API shape of a campaign."""
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "description": campaign.description,
        "description_html": campaign.description_html,
        "community": campaign.community.slug if campaign.community_id else None,
        "sponsor": _author(campaign.sponsor) if campaign.sponsor_id else None,
        "closes_at": campaign.closes_at,
        "votes_per_person": campaign.votes_per_person,
        "response_days": campaign.response_days,
        "is_idea_box": campaign.is_idea_box,
        "is_closed": campaign.is_closed,
        "url": campaign.get_absolute_url(),
        "created_at": campaign.created_at,
    }


def idea_to_dict(idea: Idea) -> dict:
    """The API shape of an idea (from ``selectors.idea_list``/``idea_get``)."""
    return {
        "id": idea.pk,
        "campaign_id": idea.campaign_id,
        "title": idea.title,
        "body": idea.body,
        "body_html": idea.body_html,
        "tags": sorted(t.name for t in idea.tags.all()),
        "author": _author(idea.author),
        "credits": [
            {**_author(c.user), "first_posted_at": c.first_posted_at}
            for c in idea.credits.all()
        ],
        "votes": idea.vote_count,
        "my_vote": getattr(idea, "my_vote", 0),
        "status": idea.status,
        "status_note": idea.status_note,
        "comment_count": idea.comment_count,
        "merged_into": idea.merged_into_id,
        "builds_on": idea.builds_on_id,
        "is_hidden": idea.is_hidden,
        "hidden_reason": idea.hidden_reason,
        "url": idea.get_absolute_url(),
        "language": idea.language,
        "created_at": idea.created_at,
    }


def comment_to_dict(comment: IdeaComment) -> dict:
    return {
        "id": comment.pk,
        "idea_id": comment.idea_id,
        "body": comment.body,
        "body_html": comment.body_html,
        "author": _author(comment.author),
        "language": comment.language,
        "created_at": comment.created_at,
    }


def _idea(request: HttpRequest, pk: int) -> Idea:
    return selectors.idea_get(pk=pk, viewer=request.user)


def _sponsor(username: str | None):
    if not username:
        return None
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise ValidationFailed({"sponsor": ["No such person."]})
    return person


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request: HttpRequest, payload: CampaignIn):
    """Open a campaign (community slug, or null for the whole organisation)."""
    campaign = services.campaign_create(
        by=request.user,
        title=payload.title,
        description=payload.description,
        community=payload.community,
        sponsor=_sponsor(payload.sponsor),
        closes_at=payload.closes_at,
        votes_per_person=payload.votes_per_person,
        response_days=payload.response_days,
    )
    return Status(201, campaign_to_dict(campaign))


@router.get("/campaigns", response=CampaignListOut)
def list_campaigns(request: HttpRequest):
    """Campaigns (and idea boxes) in your scope."""
    return {
        "results": [
            campaign_to_dict(c)
            for c in selectors.campaign_list(viewer=request.user)[:MAX_RESULTS]
        ]
    }


@router.get("/campaigns/{int:campaign_id}", response=CampaignOut)
def get_campaign(request: HttpRequest, campaign_id: int):
    """One campaign in your scope."""
    return campaign_to_dict(selectors.campaign_get(pk=campaign_id, viewer=request.user))


@router.post("/campaigns/{int:campaign_id}/ideas", response={201: IdeaOut})
def create_idea(request: HttpRequest, campaign_id: int, payload: IdeaIn):
    """Post an idea: visible to everyone in the campaign's scope at once."""
    campaign = selectors.campaign_get(pk=campaign_id, viewer=request.user)
    builds_on = _idea(request, payload.builds_on) if payload.builds_on else None
    idea = services.idea_create(
        campaign=campaign,
        author=request.user,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        builds_on=builds_on,
        language=payload.language,
    )
    return Status(201, idea_to_dict(_idea(request, idea.pk)))


@router.get("/campaigns/{int:campaign_id}/ideas", response=IdeaListOut)
def list_ideas(request: HttpRequest, campaign_id: int, sort: str = "top"):
    """Ideas of a campaign: ``sort`` top | new | trending | gems."""
    if sort not in selectors.SORTS:
        raise ValidationFailed(
            {"sort": [f"Sort by one of: {', '.join(selectors.SORTS)}."]}
        )
    campaign = selectors.campaign_get(pk=campaign_id, viewer=request.user)
    ideas = selectors.idea_list(campaign=campaign, viewer=request.user, sort=sort)
    return {"results": [idea_to_dict(i) for i in ideas[:MAX_RESULTS]]}


@router.get("/campaigns/{int:campaign_id}/moderation", response=IdeaModerationListOut)
def campaign_moderation(request: HttpRequest, campaign_id: int):
    """The campaign's public moderation log: what was hidden, by whom and why."""
    campaign = selectors.campaign_get(pk=campaign_id, viewer=request.user)
    return {
        "results": [
            {
                "idea_id": e.idea_id,
                "idea_title": e.idea.title,
                "action": e.action,
                "reason": e.reason,
                "by": _author(e.by),
                "created_at": e.created_at,
            }
            for e in selectors.moderation_log(campaign=campaign, viewer=request.user)
        ]
    }


@router.get("/ideas/similar", response=SimilarIdeaListOut)
def similar_ideas(
    request: HttpRequest, title: str = "", campaign: int | None = None, limit: int = 5
):
    """Existing ideas like a draft title (to add a vote rather than split them)."""
    scope = (
        selectors.campaign_get(pk=campaign, viewer=request.user) if campaign else None
    )
    return {
        "results": [
            {
                "id": i.pk,
                "title": i.title,
                "url": i.get_absolute_url(),
                "votes": i.vote_count,
                "status": i.status,
            }
            for i in selectors.idea_similar(
                title=title[:300], viewer=request.user, campaign=scope, limit=limit
            )
        ]
    }


@router.get("/ideas/overdue", response=IdeaListOut)
def overdue(request: HttpRequest):
    """Ideas without a response after the campaign's response days (yours to answer)."""
    ideas = selectors.overdue_ideas(user=request.user)
    by_id = {
        i.pk: i
        for i in selectors.idea_list_by_ids(
            ids=[i.pk for i in ideas], viewer=request.user
        )
    }
    return {"results": [idea_to_dict(by_id[i.pk]) for i in ideas if i.pk in by_id]}


@router.get("/ideas/{int:idea_id}", response=IdeaOut)
def get_idea(request: HttpRequest, idea_id: int):
    """One idea (hidden ideas only for their author and moderators)."""
    return idea_to_dict(_idea(request, idea_id))


@router.post("/ideas/{int:idea_id}/vote", response=IdeaVoteOut)
def vote(request: HttpRequest, idea_id: int, payload: IdeaVoteIn):
    """Vote (1) or take your vote back (0): own idea 403, over budget 422."""
    votes, my_vote = services.vote_cast(
        user=request.user, idea=_idea(request, idea_id), value=payload.value
    )
    return {"votes": votes, "my_vote": my_vote}


@router.post("/ideas/{int:idea_id}/status", response=IdeaOut)
def set_status(request: HttpRequest, idea_id: int, payload: IdeaStatusIn):
    """Set the status (sponsor or lead); declined / not_now need a ``note``."""
    services.idea_status_set(
        idea=_idea(request, idea_id),
        by=request.user,
        status=payload.status,
        note=payload.note,
    )
    return idea_to_dict(_idea(request, idea_id))


@router.post("/ideas/{int:idea_id}/comments", response={201: IdeaCommentOut})
def comment(request: HttpRequest, idea_id: int, payload: IdeaCommentIn):
    """Comment on an idea (plain text, links allowed)."""
    created = services.comment_create(
        idea=_idea(request, idea_id),
        author=request.user,
        body=payload.body,
        language=payload.language,
    )
    return Status(201, comment_to_dict(created))


@router.post("/ideas/{int:idea_id}/merge", response=IdeaOut)
def merge(request: HttpRequest, idea_id: int, payload: IdeaMergeIn):
    """Merge this idea into ``into`` (sponsor or lead): both authors credited."""
    into = services.idea_merge(
        idea=_idea(request, idea_id),
        into=_idea(request, payload.into),
        by=request.user,
    )
    return idea_to_dict(_idea(request, into.pk))


@router.post("/ideas/{int:idea_id}/hide", response=IdeaOut)
def hide(request: HttpRequest, idea_id: int, payload: IdeaReasonIn):
    """Hide an idea with a reason (leads); logged publicly, reversible."""
    services.idea_hide(
        idea=_idea(request, idea_id), by=request.user, reason=payload.reason
    )
    return idea_to_dict(_idea(request, idea_id))


@router.post("/ideas/{int:idea_id}/unhide", response=IdeaOut)
def unhide(request: HttpRequest, idea_id: int, payload: IdeaReasonIn):
    """Show a hidden idea again (leads); logged publicly."""
    services.idea_unhide(
        idea=_idea(request, idea_id), by=request.user, reason=payload.reason
    )
    return idea_to_dict(_idea(request, idea_id))
