"""Reads for questions and answers (the public surface other apps use)."""

import difflib
import re

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from hallway.providers import provider
from kb.communities.models import CommunityPage

from .models import (
    Answer,
    Comment,
    Question,
    QuestionFollow,
    QuestionTag,
    Revision,
    Vote,
)

SORTS = {
    "newest": ("-created_at", "-pk"),
    "active": ("-last_activity_at", "-pk"),
    "unanswered": ("-created_at", "-pk"),
    "votes": ("-score", "-created_at", "-pk"),
}
SIMILAR_STOPWORDS = {
    "a",
    "an",
    "and",
    "are",
    "can",
    "do",
    "does",
    "for",
    "from",
    "how",
    "i",
    "in",
    "is",
    "it",
    "my",
    "of",
    "on",
    "or",
    "the",
    "to",
    "what",
    "when",
    "why",
    "with",
}


def _my_vote(viewer, field: str):
    """The viewer's vote on each row as ``my_vote`` (0 if none), in the same query."""
    if not getattr(viewer, "is_authenticated", False):
        return Value(0, output_field=IntegerField())
    return Coalesce(
        Subquery(
            Vote.objects.filter(user=viewer, **{field: OuterRef("pk")}).values("value")[
                :1
            ]
        ),
        Value(0),
        output_field=IntegerField(),
    )


def question_principals(question: Question) -> dict:
    """Who may read ``question`` (``Question.objects.visible_to`` for one row, for
    permission-aware indexes): anyone, signed in or not, while it is not deleted
    and its community is live; nobody otherwise."""
    readable = not question.is_deleted and question.community.live
    return {
        "public": readable,
        "everyone": readable,
        "user_ids": [],
        "community_ids": [],
    }


def question_list(
    *,
    viewer=None,
    sort: str = "newest",
    tag: str | None = None,
    community: CommunityPage | str | None = None,
    author=None,
) -> QuerySet[Question]:
    """Visible questions, sorted and filtered, with everything a list row shows."""
    qs = (
        Question.objects.visible_to(viewer)
        .select_related("author", "community")
        .prefetch_related("tags")
        .annotate(my_vote=_my_vote(viewer, "question"))
    )
    if sort == "unanswered":
        qs = qs.unanswered()
    if tag:
        qs = qs.filter(tags__name=tag.lower())
    if community:
        if isinstance(community, CommunityPage):
            qs = qs.filter(community=community)
        else:
            qs = qs.filter(community__slug=community)
    if author is not None:
        qs = qs.filter(author=author)
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))  # type: ignore[return-value]


def question_get(*, pk: int, viewer=None) -> Question:
    """One visible question with author, community and tags, or ``Http404``."""
    question = (
        question_list(viewer=viewer)
        .select_related("duplicate_of", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


def answer_list(*, question: Question, viewer=None) -> list[Answer]:
    """Answers with comments: accepted first, then by score, then oldest."""
    answers = list(
        Answer.objects.visible()
        .filter(question=question)
        .select_related("author")
        .annotate(
            my_vote=_my_vote(viewer, "answer"),
            accepted_first=Case(
                When(pk=question.accepted_answer_id or 0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("accepted_first", "-score", "created_at", "pk")
    )
    for answer in answers:
        answer.question = question
        answer.is_accepted = answer.pk == question.accepted_answer_id
    return answers


def comments_attach(*, question: Question, answers: list[Answer]) -> None:
    """Load comments of the question and its answers in one query."""
    by_answer: dict[int, list[Comment]] = {a.pk: [] for a in answers}
    question.comment_list = []  # type: ignore[attr-defined]
    comments = (
        Comment.objects.filter(is_deleted=False)
        .filter(Q(question=question) | Q(answer__in=list(by_answer)))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    for comment in comments:
        if comment.question_id:
            question.comment_list.append(comment)  # type: ignore[attr-defined]
        else:
            by_answer[comment.answer_id].append(comment)  # type: ignore[index]
    for answer in answers:
        answer.comment_list = by_answer[answer.pk]  # type: ignore[attr-defined]


def answer_get(*, pk: int, viewer=None) -> Answer:
    """A visible answer with its (visible) question, or ``Http404``."""
    answer = (
        Answer.objects.visible()
        .filter(pk=pk, question__in=Question.objects.visible())
        .select_related("author", "question", "question__community")
        .annotate(my_vote=_my_vote(viewer, "answer"))
        .first()
    )
    if answer is None:
        raise Http404
    answer.is_accepted = answer.pk == answer.question.accepted_answer_id
    return answer


def is_following(*, user, question: Question) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return QuestionFollow.objects.filter(user=user, question=question).exists()


def question_similar(
    *,
    title: str,
    limit: int = 5,
    exclude_pk: int | None = None,
    body: str = "",
    viewer=None,
    community: str = "",
) -> list[Question]:
    """Questions like a draft: from search when it runs (above its relevance floor,
    ``community`` first), else shared title words. A question closed as a
    duplicate gives way to the question it duplicates, where the answers are."""
    from django.contrib.auth.models import AnonymousUser

    search_similar = provider("similar_questions")
    if search_similar is not None:
        found = search_similar(
            title=title or "",
            body=body or "",
            viewer=viewer or AnonymousUser(),
            limit=limit,
            exclude_id=exclude_pk,
            community=community or "",
        )
        if found is not None:
            return _prefer_originals([row["id"] for row in found], exclude_pk)
    return _question_similar_by_title(title=title, limit=limit, exclude_pk=exclude_pk)


def _prefer_originals(ids: list[int], exclude_pk: int | None) -> list[Question]:
    """``ids`` as questions (one query), each duplicate replaced by its original."""
    # One query whether or not anything was found ([0] matches nothing), so a
    # page's query count does not depend on the list.
    wanted = ids or [0]
    duplicate_of = Question.objects.filter(pk__in=wanted).values("duplicate_of_id")
    by_id = (
        Question.objects.visible()
        .filter(Q(pk__in=wanted) | Q(pk__in=duplicate_of))
        .in_bulk()
    )
    shown: list[Question] = []
    for pk in ids:
        question = by_id.get(pk)
        if question is None:
            continue
        original = by_id.get(question.duplicate_of_id or 0)
        if original is not None and original.pk != exclude_pk:
            question = original
        if question not in shown:
            shown.append(question)
    return shown


def _question_similar_by_title(
    *, title: str, limit: int, exclude_pk: int | None
) -> list[Question]:
    """Questions whose titles share words with ``title`` (best matches first)."""
    words = [
        w
        for w in re.findall(r"[\w#+.-]+", (title or "").lower())
        if len(w) > 2 and w not in SIMILAR_STOPWORDS
    ][:8]
    if not words:
        return []
    matches = Q()
    hits = Value(0)
    for word in words:
        matches |= Q(title__icontains=word)
        hits = hits + Case(  # type: ignore[assignment]
            When(title__icontains=word, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    qs = (
        Question.objects.visible()
        .filter(matches)
        .annotate(hits=hits)
        .order_by("-hits", "-score", "-created_at")
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[: max(1, min(limit, 20))])


def _tags_in_use() -> QuerySet[QuestionTag]:
    """Tags with ``uses``: how many visible questions carry each (a tag only
    on deleted questions or in an unpublished community is not in use)."""
    visible = Q(
        tagged_questions__content_object__is_deleted=False,
        tagged_questions__content_object__community__live=True,
    )
    return QuestionTag.objects.annotate(
        uses=Count("tagged_questions", filter=visible, distinct=True)
    ).filter(uses__gt=0)


def tag_index(*, limit: int = 500) -> list[QuestionTag]:
    """Tags on visible questions with ``uses`` (how many), most used first."""
    return list(_tags_in_use().order_by("-uses", "name")[:limit])


def tag_suggestions(*, prefix: str = "", limit: int = 10) -> list[QuestionTag]:
    """Tags in use starting with ``prefix``, most used first."""
    qs = _tags_in_use()
    if prefix:
        qs = qs.filter(name__startswith=prefix.lower().lstrip("#"))
    return list(qs.order_by("-uses", "name")[: max(1, min(limit, 20))])


def related_tags(*, question: Question, limit: int = 10) -> list[tuple[str, int]]:
    """Tags that appear together with this question's tags, with counts."""
    names = [t.name for t in question.tags.all()]
    if not names:
        return []
    rows = (
        QuestionTag.objects.filter(
            tagged_questions__content_object__tags__name__in=names,
            tagged_questions__content_object__is_deleted=False,
        )
        .exclude(name__in=names)
        .annotate(uses=Count("tagged_questions__content_object", distinct=True))
        .order_by("-uses", "name")[:limit]
    )
    return [(row.name, row.uses) for row in rows]


def revision_list(*, post: Question | Answer) -> list[dict]:
    """Revisions newest first, each with a readable diff against the one before."""
    field = "question" if isinstance(post, Question) else "answer"
    revisions = list(Revision.objects.filter(**{field: post}).select_related("author"))
    out = []
    previous = None
    for number, revision in enumerate(revisions, start=1):
        out.append(
            {
                "number": number,
                "revision": revision,
                "diff": _diff(previous, revision),
            }
        )
        previous = revision
    out.reverse()
    return out


def _diff(old: Revision | None, new: Revision) -> list[tuple[str, str]]:
    """Lines tagged "add", "del", "ctx" or "hdr" (escaped by the template)."""

    def text(rev: Revision | None) -> list[str]:
        if rev is None:
            return []
        head = []
        if rev.title:
            head = [f"# {rev.title}", ""]
        if rev.tags:
            head += [f"tags: {rev.tags}", ""]
        return head + rev.body.splitlines()

    lines = []
    for line in difflib.unified_diff(
        text(old), text(new), "before", "after", lineterm="", n=2
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("hdr", line))
        elif line.startswith("+"):
            lines.append(("add", line[1:]))
        elif line.startswith("-"):
            lines.append(("del", line[1:]))
        else:
            lines.append(("ctx", line[1:]))
    return lines
