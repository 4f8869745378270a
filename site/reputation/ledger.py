"""The reputation ledger and badges: reconcile facts into append-only events.

Each ``*_sync`` function computes which reputation facts *should* exist for one
source (a question and its answers, a journal entry, a knowledge page) from the
stored data, compares them with the ledger's active (unreversed) events and
appends only the difference: new events for new facts, reversing events for
facts that no longer hold. Running a sync twice appends nothing, so handlers
may fire as often as they like and the demo can rebuild safely.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from journals.models import Entry, Reaction
from kb.communities.models import KnowledgePage, KnowledgeSource
from kb.qa.models import Answer, Question, Vote

from .models import Badge, ReputationEvent

Kind = ReputationEvent.Kind

POINTS = {
    Kind.ANSWER_UPVOTED: 10,
    Kind.ANSWER_DOWNVOTED: -2,
    Kind.QUESTION_UPVOTED: 5,
    Kind.ANSWER_ACCEPTED: 15,
    Kind.ACCEPTED_AN_ANSWER: 2,
    Kind.PAGE_VERIFIED: 10,
    Kind.ENTRY_HELPFUL: 2,
    Kind.PAGE_CURATED: 10,
}

# (user_id, kind, actor_id)
Fact = tuple[int, str, int | None]
Source = tuple[str, int]


def _sync(desired: dict[Source, list[Fact]]) -> set[int]:
    """Append what differs between ``desired`` and the ledger; return users touched."""
    if not desired:
        return set()
    where = Q()
    for source_kind, source_id in desired:
        where |= Q(source_kind=source_kind, source_id=source_id)
    active: dict[Source, list[ReputationEvent]] = {}
    for event in ReputationEvent.objects.filter(
        where, reverses__isnull=True, reversed_by__isnull=True
    ).order_by("pk"):
        active.setdefault((event.source_kind, event.source_id), []).append(event)
    now = timezone.now()
    new: list[ReputationEvent] = []
    for source, facts in desired.items():
        wanted = Counter(facts)
        for event in active.get(source, []):
            key = (event.user_id, event.kind, event.actor_id)
            if wanted[key] > 0:
                wanted[key] -= 1
                continue
            new.append(
                ReputationEvent(
                    user_id=event.user_id,
                    kind=event.kind,
                    points=-event.points,
                    source_kind=event.source_kind,
                    source_id=event.source_id,
                    actor_id=event.actor_id,
                    reverses=event,
                    created_at=now,
                )
            )
        for (user_id, kind, actor_id), count in wanted.items():
            for _ in range(count):
                new.append(
                    ReputationEvent(
                        user_id=user_id,
                        kind=kind,
                        points=POINTS[kind],
                        source_kind=source[0],
                        source_id=source[1],
                        actor_id=actor_id,
                        created_at=now,
                    )
                )
    if new:
        ReputationEvent.objects.bulk_create(new)
    return {event.user_id for event in new}


# -- Q&A ----------------------------------------------------------------------


@transaction.atomic  # row locks need a transaction, whoever calls
def question_sync(*, question_id: int) -> set[int]:
    """Votes and acceptance on one question and its answers."""
    # Locking the question serialises concurrent syncs of the same source.
    question = (
        Question.objects.select_for_update()
        .filter(pk=question_id)
        .values("author_id", "is_deleted", "accepted_answer_id")
        .first()
    )
    answers = list(
        Answer.objects.filter(question_id=question_id).values(
            "pk", "author_id", "is_deleted"
        )
    )
    votes = list(
        Vote.objects.filter(
            Q(question_id=question_id) | Q(answer__question_id=question_id)
        ).values("user_id", "question_id", "answer_id", "value")
    )
    desired: dict[Source, list[Fact]] = {("question", question_id): []}
    for answer in answers:
        desired[("answer", answer["pk"])] = []
    if question is None or question["is_deleted"]:
        return _sync(desired)
    for vote in votes:
        if vote["question_id"] and vote["value"] > 0:
            desired[("question", question_id)].append(
                (question["author_id"], Kind.QUESTION_UPVOTED, vote["user_id"])
            )
    live_answers = {a["pk"]: a for a in answers if not a["is_deleted"]}
    for vote in votes:
        answer = live_answers.get(vote["answer_id"])
        if answer is None:
            continue
        kind = Kind.ANSWER_UPVOTED if vote["value"] > 0 else Kind.ANSWER_DOWNVOTED
        desired[("answer", answer["pk"])].append(
            (answer["author_id"], kind, vote["user_id"])
        )
    accepted = live_answers.get(question["accepted_answer_id"])
    if accepted is not None and accepted["author_id"] != question["author_id"]:
        asker, answerer = question["author_id"], accepted["author_id"]
        desired[("answer", accepted["pk"])] += [
            (answerer, Kind.ANSWER_ACCEPTED, asker),
            (asker, Kind.ACCEPTED_AN_ANSWER, answerer),
        ]
    touched = _sync(desired)
    badges_check(
        user_ids={a["author_id"] for a in live_answers.values()},
        kinds=[Badge.Kind.FIRST_ANSWER, Badge.Kind.FIRST_ACCEPTED],
    )
    return touched


# -- journals -----------------------------------------------------------------


@transaction.atomic  # row locks need a transaction, whoever calls
def entry_sync(*, entry_id: int) -> set[int]:
    """ "Helpful" reactions on one journal entry (by others than the author)."""
    author_id = (
        Entry.objects.select_for_update()
        .filter(pk=entry_id)
        .values_list("author_id", flat=True)
        .first()
    )
    desired: list[Fact] = []
    if author_id is not None:
        reactors = Reaction.objects.filter(
            entry_id=entry_id, kind=Reaction.Kind.HELPFUL
        ).values_list("user_id", flat=True)
        desired = [
            (author_id, Kind.ENTRY_HELPFUL, reactor)
            for reactor in reactors
            if reactor != author_id
        ]
    touched = _sync({("entry", entry_id): desired})
    if author_id is not None:
        badges_check(user_ids={author_id}, kinds=[Badge.Kind.HELPFUL_10])
    return touched


# -- knowledge pages ----------------------------------------------------------


@transaction.atomic  # row locks need a transaction, whoever calls
def page_sync(*, page_id: int) -> set[int]:
    """A live page's verification (its owners) and curation (its curators)."""
    page = (
        KnowledgePage.objects.select_for_update()
        .filter(pk=page_id)
        .values("live", "verified_at")
        .first()
    )
    desired: list[Fact] = []
    curators: set[int] = set()
    if page is not None and page["live"]:
        if page["verified_at"] is not None:
            owners = KnowledgePage.owners.through.objects.filter(
                knowledgepage_id=page_id
            ).values_list("user_id", flat=True)
            desired += [(owner, Kind.PAGE_VERIFIED, None) for owner in set(owners)]
        curators = set(
            KnowledgeSource.objects.filter(
                page_id=page_id, curated_by__isnull=False
            ).values_list("curated_by_id", flat=True)
        )
        desired += [(curator, Kind.PAGE_CURATED, None) for curator in curators]
    touched = _sync({("page", page_id): desired})
    if curators:
        badges_check(user_ids=curators, kinds=[Badge.Kind.CURATED_PAGE])
    return touched


# -- badges -------------------------------------------------------------------

HELPFUL_ENTRIES_FOR_BADGE = 10


def _earned(kind: str, user_id: int) -> bool:
    if kind == Badge.Kind.FIRST_ANSWER:
        return Answer.objects.filter(author_id=user_id, is_deleted=False).exists()
    if kind == Badge.Kind.FIRST_ACCEPTED:
        return (
            Question.objects.filter(
                is_deleted=False,
                accepted_answer__author_id=user_id,
                accepted_answer__is_deleted=False,
            )
            .exclude(author_id=user_id)
            .exists()
        )
    if kind == Badge.Kind.HELPFUL_10:
        helpful = (
            Reaction.objects.filter(
                kind=Reaction.Kind.HELPFUL, entry__author_id=user_id
            )
            .exclude(user_id=user_id)
            .values("entry_id")
            .distinct()
        )
        return helpful.count() >= HELPFUL_ENTRIES_FOR_BADGE
    if kind == Badge.Kind.CURATED_PAGE:
        return KnowledgeSource.objects.filter(
            curated_by_id=user_id, page__live=True
        ).exists()
    return False


def badges_check(*, user_ids: Iterable[int], kinds: Iterable[str]) -> list[Badge]:
    """Award each badge once to whoever has now earned it (never taken back)."""
    user_ids, kinds = set(user_ids), list(kinds)
    if not user_ids:
        return []
    held = set(
        Badge.objects.filter(user_id__in=user_ids, kind__in=kinds).values_list(
            "user_id", "kind"
        )
    )
    awarded = [
        Badge(user_id=user_id, kind=kind)
        for user_id in sorted(user_ids)
        for kind in kinds
        if (user_id, kind) not in held and _earned(kind, user_id)
    ]
    if awarded:
        Badge.objects.bulk_create(awarded, ignore_conflicts=True)
    return awarded


# -- rebuild ------------------------------------------------------------------


def ledger_rebuild() -> int:
    """Bring the whole ledger (and badges) in line with the stored data."""
    before = ReputationEvent.objects.count()
    question_ids = set(
        Question.objects.filter(accepted_answer__isnull=False).values_list(
            "pk", flat=True
        )
    )
    question_ids |= set(
        Vote.objects.filter(question__isnull=False).values_list(
            "question_id", flat=True
        )
    )
    question_ids |= set(
        Vote.objects.filter(answer__isnull=False).values_list(
            "answer__question_id", flat=True
        )
    )
    question_ids |= set(
        Answer.objects.filter(
            pk__in=ReputationEvent.objects.filter(source_kind="answer").values(
                "source_id"
            )
        ).values_list("question_id", flat=True)
    )
    question_ids |= set(
        ReputationEvent.objects.filter(source_kind="question").values_list(
            "source_id", flat=True
        )
    )
    for question_id in sorted(question_ids):
        question_sync(question_id=question_id)
    entry_ids = set(
        Reaction.objects.filter(kind=Reaction.Kind.HELPFUL).values_list(
            "entry_id", flat=True
        )
    ) | set(
        ReputationEvent.objects.filter(source_kind="entry").values_list(
            "source_id", flat=True
        )
    )
    for entry_id in sorted(entry_ids):
        entry_sync(entry_id=entry_id)
    for page_id in KnowledgePage.objects.values_list("pk", flat=True):
        page_sync(page_id=page_id)
    answerers = Answer.objects.filter(
        is_deleted=False, author__is_active=True
    ).values_list("author_id", flat=True)
    badges_check(
        user_ids=set(answerers),
        kinds=[Badge.Kind.FIRST_ANSWER, Badge.Kind.FIRST_ACCEPTED],
    )
    return ReputationEvent.objects.count() - before
