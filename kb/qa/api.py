"""JSON API endpoints of this app (mounted by hallway.api at /api/v1/)."""

from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from hallway.errors import ValidationFailed
from hallway.ratelimit import rate_limit_check
from kb.communities.selectors import community_get

from . import selectors, services
from .models import Answer, Comment, Question

router = Router(tags=["questions"])

PAGE_SIZE = 20


class AuthorOut(Schema):
    username: str
    display_name: str


class QuestionOut(Schema):
    id: int
    title: str
    body: str
    body_html: str
    tags: list[str]
    community: str
    author: AuthorOut
    score: int
    answer_count: int
    accepted_answer_id: int | None
    status: str
    duplicate_of: int | None
    url: str
    created_at: datetime
    last_activity_at: datetime


class AnswerOut(Schema):
    id: int
    question_id: int
    body: str
    body_html: str
    author: AuthorOut
    score: int
    is_accepted: bool
    created_at: datetime


class QuestionDetailOut(QuestionOut):
    answers: list[AnswerOut]


class QuestionPageOut(Schema):
    count: int
    results: list[QuestionOut]


class CommentOut(Schema):
    id: int
    question_id: int | None
    answer_id: int | None
    body: str
    body_html: str
    author: AuthorOut
    language: str
    created_at: datetime


class SimilarOut(Schema):
    id: int
    title: str
    url: str
    score: int
    is_answered: bool


class SimilarPageOut(Schema):
    results: list[SimilarOut]


class VoteOut(Schema):
    score: int
    my_vote: int


class FollowOut(Schema):
    following: bool


class QuestionIn(Schema):
    title: str
    body: str
    tags: list[str] = Field(default_factory=list)
    community: str | None = None


class QuestionPatch(Schema):
    title: str | None = None
    body: str | None = None
    tags: list[str] | None = None


class BodyIn(Schema):
    body: str


class CommentIn(Schema):
    body: str
    language: str | None = Field(
        None, description="en or nl; detected from the text when left out"
    )


class VoteIn(Schema):
    value: int


class CloseIn(Schema):
    reason: str
    duplicate_of: int | None = None


class FollowIn(Schema):
    follow: bool = True


def _author(user) -> dict:
    return {"username": user.username, "display_name": user.get_display_name()}


def question_to_dict(question: Question) -> dict:
    """The API shape of a question (tags must be prefetched)."""
    return {
        "id": question.pk,
        "title": question.title,
        "body": question.body,
        "body_html": question.body_html,
        "tags": sorted(t.name for t in question.tags.all()),
        "community": question.community.slug,
        "author": _author(question.author),
        "score": question.score,
        "answer_count": question.answer_count,
        "accepted_answer_id": question.accepted_answer_id,
        "status": question.status,
        "duplicate_of": question.duplicate_of_id,
        "url": question.get_absolute_url(),
        "created_at": question.created_at,
        "last_activity_at": question.last_activity_at,
    }


def answer_to_dict(answer: Answer, *, accepted_id: int | None) -> dict:
    return {
        "id": answer.pk,
        "question_id": answer.question_id,
        "body": answer.body,
        "body_html": answer.body_html,
        "author": _author(answer.author),
        "score": answer.score,
        "is_accepted": answer.pk == accepted_id,
        "created_at": answer.created_at,
    }


def comment_to_dict(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "question_id": comment.question_id,
        "answer_id": comment.answer_id,
        "body": comment.body,
        "body_html": comment.body_html,
        "author": _author(comment.author),
        "language": comment.language,
        "created_at": comment.created_at,
    }


def _question(request: HttpRequest, pk: int) -> Question:
    return selectors.question_get(pk=pk, viewer=request.user)


@router.post("/questions", response={201: QuestionOut})
def create_question(request: HttpRequest, payload: QuestionIn):
    """Ask a question (community optional: the default community)."""
    question = services.question_create(
        author=request.user,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        community=payload.community,
    )
    return Status(201, question_to_dict(_question(request, question.pk)))


class TagSuggestionOut(Schema):
    name: str
    uses: int


class TagSuggestionsOut(Schema):
    results: list[TagSuggestionOut]


@router.get("/tags/suggest", response=TagSuggestionsOut)
def tags_suggest(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    limit: int = Query(8, ge=1, le=20),
):
    """Tags in use starting with ``q`` (a leading ``#`` is ignored), most used
    first: the editor's ``#tag`` suggestions (signed in, rate-limited)."""
    rate_limit_check(user=request.user, action="suggest")
    tags = selectors.tag_suggestions(prefix=q.strip(), limit=limit)
    return {"results": [{"name": t.name, "uses": t.uses} for t in tags]}


@router.get("/questions", response=QuestionPageOut)
def list_questions(
    request: HttpRequest,
    sort: str = "newest",
    tag: str | None = None,
    community: str | None = None,
    page: int = 1,
):
    """Questions: sort newest|active|unanswered|votes, filter by tag and community."""
    if sort not in selectors.SORTS:
        raise ValidationFailed(
            {"sort": [f"Sort by one of: {', '.join(selectors.SORTS)}."]}
        )
    if community and community_get(slug=community) is None:
        raise ValidationFailed({"community": ["Unknown community."]})
    qs = selectors.question_list(
        viewer=request.user, sort=sort, tag=tag, community=community
    )
    paginator = Paginator(qs, PAGE_SIZE)
    results = (
        paginator.page(page).object_list if 1 <= page <= paginator.num_pages else []
    )
    return {
        "count": paginator.count,
        "results": [question_to_dict(q) for q in results],
    }


class SimilarIn(Schema):
    title: str = Field("", max_length=300)
    body: str = Field("", max_length=30000)
    limit: int = Field(5, ge=1, le=20)
    exclude: int | None = Field(None, ge=1, le=2**63 - 1)
    community: str = Field("", max_length=80)


def _similar_page(request: HttpRequest, query: SimilarIn) -> dict:
    found = selectors.question_similar(
        title=query.title,
        body=query.body,
        limit=query.limit,
        exclude_pk=query.exclude,
        viewer=request.user,
        community=query.community,
    )
    return {
        "results": [
            {
                "id": q.pk,
                "title": q.title,
                "url": q.get_absolute_url(),
                "score": q.score,
                "is_answered": q.is_answered,
            }
            for q in found
        ]
    }


@router.get("/questions/similar", response=SimilarPageOut)
def similar_questions(request: HttpRequest, query: Query[SimilarIn]):
    """Existing questions like a short draft (``exclude`` the one being viewed);
    nothing when none is close enough. Long bodies: use the POST."""
    return _similar_page(request, query)


@router.post("/questions/similar", response=SimilarPageOut)
def similar_questions_post(request: HttpRequest, payload: SimilarIn):
    """The same, with title and body in a JSON body (what the Ask form sends)."""
    return _similar_page(request, payload)


@router.get("/questions/{int:question_id}", response=QuestionDetailOut)
def get_question(request: HttpRequest, question_id: int):
    """One question with its answers (accepted first, then score, then oldest)."""
    question = _question(request, question_id)
    answers = selectors.answer_list(question=question, viewer=request.user)
    data = question_to_dict(question)
    data["answers"] = [
        answer_to_dict(a, accepted_id=question.accepted_answer_id) for a in answers
    ]
    return data


@router.patch("/questions/{int:question_id}", response=QuestionOut)
def edit_question(request: HttpRequest, question_id: int, payload: QuestionPatch):
    """Edit a question (author or community lead); recorded as a revision."""
    question = _question(request, question_id)
    services.question_edit(
        question=question,
        by=request.user,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
    )
    return question_to_dict(_question(request, question_id))


@router.delete("/questions/{int:question_id}", response={204: None})
def delete_question(request: HttpRequest, question_id: int):
    """Soft delete (author while unanswered, or a community lead)."""
    services.question_delete(question=_question(request, question_id), by=request.user)
    return Status(204, None)


@router.post("/questions/{int:question_id}/answers", response={201: AnswerOut})
def create_answer(request: HttpRequest, question_id: int, payload: BodyIn):
    """Answer a question."""
    question = _question(request, question_id)
    answer = services.answer_create(
        question=question, author=request.user, body=payload.body
    )
    return Status(201, answer_to_dict(answer, accepted_id=question.accepted_answer_id))


@router.patch("/answers/{int:answer_id}", response=AnswerOut)
def edit_answer(request: HttpRequest, answer_id: int, payload: BodyIn):
    """Edit an answer (author or community lead); recorded as a revision."""
    answer = selectors.answer_get(pk=answer_id, viewer=request.user)
    services.answer_edit(answer=answer, by=request.user, body=payload.body)
    return answer_to_dict(answer, accepted_id=answer.question.accepted_answer_id)


@router.delete("/answers/{int:answer_id}", response={204: None})
def delete_answer(request: HttpRequest, answer_id: int):
    """Soft delete an answer (author or community lead)."""
    answer = selectors.answer_get(pk=answer_id, viewer=request.user)
    services.answer_delete(answer=answer, by=request.user)
    return Status(204, None)


@router.post("/answers/{int:answer_id}/accept", response=QuestionOut)
def accept_answer(request: HttpRequest, answer_id: int):
    """Accept an answer (the asker or a community lead)."""
    answer = selectors.answer_get(pk=answer_id, viewer=request.user)
    question = services.answer_accept(answer=answer, by=request.user)
    return question_to_dict(_question(request, question.pk))


@router.post("/questions/{int:question_id}/vote", response=VoteOut)
def vote_question(request: HttpRequest, question_id: int, payload: VoteIn):
    """Vote 1 or -1 on a question, or 0 to remove your vote."""
    score, my_vote = services.vote_cast(
        user=request.user, target=_question(request, question_id), value=payload.value
    )
    return {"score": score, "my_vote": my_vote}


@router.post("/answers/{int:answer_id}/vote", response=VoteOut)
def vote_answer(request: HttpRequest, answer_id: int, payload: VoteIn):
    """Vote 1 or -1 on an answer, or 0 to remove your vote."""
    answer = selectors.answer_get(pk=answer_id, viewer=request.user)
    score, my_vote = services.vote_cast(
        user=request.user, target=answer, value=payload.value
    )
    return {"score": score, "my_vote": my_vote}


@router.post("/questions/{int:question_id}/comments", response={201: CommentOut})
def comment_question(request: HttpRequest, question_id: int, payload: CommentIn):
    """Comment on a question (plain text, links allowed, up to 600 characters)."""
    comment = services.comment_create(
        author=request.user,
        target=_question(request, question_id),
        body=payload.body,
        language=payload.language,
    )
    return Status(201, comment_to_dict(comment))


@router.post("/answers/{int:answer_id}/comments", response={201: CommentOut})
def comment_answer(request: HttpRequest, answer_id: int, payload: CommentIn):
    """Comment on an answer (plain text, links allowed, up to 600 characters)."""
    answer = selectors.answer_get(pk=answer_id, viewer=request.user)
    comment = services.comment_create(
        author=request.user,
        target=answer,
        body=payload.body,
        language=payload.language,
    )
    return Status(201, comment_to_dict(comment))


@router.post("/questions/{int:question_id}/close", response=QuestionOut)
def close_question(request: HttpRequest, question_id: int, payload: CloseIn):
    """Close as duplicate (with ``duplicate_of``) or off_topic: community leads."""
    services.question_close(
        question=_question(request, question_id),
        by=request.user,
        reason=payload.reason,
        duplicate_of=payload.duplicate_of,
    )
    return question_to_dict(_question(request, question_id))


@router.post("/questions/{int:question_id}/reopen", response=QuestionOut)
def reopen_question(request: HttpRequest, question_id: int):
    """Reopen a closed question: community leads."""
    services.question_reopen(question=_question(request, question_id), by=request.user)
    return question_to_dict(_question(request, question_id))


@router.post("/questions/{int:question_id}/follow", response=FollowOut)
def follow_question(request: HttpRequest, question_id: int, payload: FollowIn):
    """Follow (``{"follow": true}``) or unfollow a question."""
    following = services.question_follow_set(
        question=_question(request, question_id),
        user=request.user,
        follow=payload.follow,
    )
    return {"following": following}
