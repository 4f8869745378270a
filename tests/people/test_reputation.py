"""The reputation ledger: append-only, reversible, and always summing to the total."""

import pytest
from django.db.models import Sum

from hallway.errors import ValidationFailed
from journals.services import reaction_set
from kb.communities.services import knowledge_page_curate, knowledge_page_verify
from kb.qa import services as qa
from kb.qa.models import Vote
from reputation.ledger import ledger_rebuild, question_sync
from reputation.models import Badge, ReputationEvent
from reputation.selectors import reputation_bulk, reputation_of
from tests.communities.factories import make_page
from tests.factories import UserFactory
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


def ledger_sum(user) -> int:
    return (
        ReputationEvent.objects.filter(user=user).aggregate(t=Sum("points"))["t"] or 0
    )


def assert_consistent(*users):
    for person in users:
        assert reputation_of(user=person) == ledger_sum(person)


def test_votes_and_acceptance_sequence(community, user, other_user, third_user):
    question = make_question(community=community, author=user, tags=["deploy"])
    answer = make_answer(question=question, author=other_user)
    rows_seen = []

    def step(expect_asker, expect_answerer):
        assert reputation_of(user=user) == expect_asker
        assert reputation_of(user=other_user) == expect_answerer
        assert_consistent(user, other_user, third_user)
        rows = list(ReputationEvent.objects.order_by("pk").values_list("pk", "points"))
        assert rows[: len(rows_seen)] == rows_seen  # nothing updated or deleted
        rows_seen[:] = rows

    step(0, 0)
    qa.vote_cast(user=third_user, target=answer, value=1)
    step(0, 10)
    qa.vote_cast(user=third_user, target=answer, value=-1)  # change of mind
    step(0, -2)
    qa.vote_cast(user=third_user, target=answer, value=0)  # withdrawn
    step(0, 0)
    qa.vote_cast(user=user, target=answer, value=1)
    qa.vote_cast(user=third_user, target=question, value=1)
    step(5, 10)
    qa.answer_accept(answer=answer, by=user)
    step(5 + 2, 10 + 15)
    other = make_answer(question=question, author=third_user)
    qa.answer_accept(answer=other, by=user)  # acceptance moves to another answer
    step(5 + 2, 10)
    assert reputation_of(user=third_user) == 15
    qa.answer_delete(answer=other, by=third_user)  # unaccepted by deletion
    step(5, 10)
    assert reputation_of(user=third_user) == 0

    reversals = ReputationEvent.objects.filter(reverses__isnull=False)
    assert reversals.count() >= 4
    for event in reversals:
        assert event.points == -event.reverses.points
    assert reputation_bulk(user_ids=[user.pk, other_user.pk, third_user.pk]) == {
        user.pk: 5,
        other_user.pk: 10,
        third_user.pk: 0,
    }
    assert reputation_of(user=user) == 5


def test_resync_appends_nothing(community, user, other_user, third_user):
    question = make_question(community=community, author=user)
    answer = make_answer(question=question, author=other_user)
    qa.vote_cast(user=third_user, target=answer, value=1)
    qa.answer_accept(answer=answer, by=user)
    count = ReputationEvent.objects.count()
    question_sync(question_id=question.pk)
    assert ledger_rebuild() == 0
    assert ReputationEvent.objects.count() == count == 3


def test_deleted_question_reverses_its_reputation(community, user, other_user, lead):
    question = make_question(community=community, author=user)
    qa.vote_cast(user=other_user, target=question, value=1)
    assert reputation_of(user=user) == 5
    qa.question_delete(question=question, by=lead)
    assert reputation_of(user=user) == 0
    assert ledger_sum(user) == 0


def test_self_accept_earns_nothing(community, user):
    question = make_question(community=community, author=user)
    answer = make_answer(question=question, author=user)
    qa.answer_accept(answer=answer, by=user)
    assert ReputationEvent.objects.count() == 0


def test_helpful_reactions(community, user, other_user, third_user):
    entry = make_entry(user)
    reaction_set(entry=entry, user=other_user, kind="helpful")
    reaction_set(entry=entry, user=third_user, kind="helpful")
    reaction_set(entry=entry, user=third_user, kind="thanks")
    assert reputation_of(user=user) == 4
    reaction_set(entry=entry, user=other_user, kind="helpful", on=False)
    assert reputation_of(user=user) == 2
    entry.delete()
    assert reputation_of(user=user) == 0
    assert ReputationEvent.objects.count() == 4  # 2 awarded, 2 reversed


def test_page_verified_and_curated(community, user, lead):
    page = make_page(community, author=user, publish=False)
    page.save_revision().publish()
    page.refresh_from_db()
    knowledge_page_verify(page=page, by=lead)
    assert reputation_of(user=user) == 10
    knowledge_page_verify(page=page, by=lead)  # verifying again: no more points
    assert reputation_of(user=user) == 10

    curated = knowledge_page_curate(
        community=community,
        curator=lead,
        title="How we deploy",
        summary="Deploys.",
        markdown="Blue-green.",
        sources=[{"kind": "url", "url": "https://example.org", "title": "Ex"}],
    )
    assert reputation_of(user=lead) == 0  # still a draft
    curated.save_revision(user=lead).publish(user=lead)
    assert reputation_of(user=lead) == 10
    assert Badge.objects.filter(user=lead, kind=Badge.Kind.CURATED_PAGE).exists()
    curated.refresh_from_db()
    curated.unpublish()
    assert reputation_of(user=lead) == 0
    # the badge stays: awarded once, never taken back
    assert Badge.objects.filter(user=lead, kind=Badge.Kind.CURATED_PAGE).count() == 1


def test_inactive_users_keep_their_ledger(community, user):
    ghost = UserFactory(username="se-cardano-1", is_active=False)
    question = make_question(community=community, author=user)
    answer = make_answer(question=question, author=ghost)
    qa.answer_accept(answer=answer, by=user)
    assert reputation_of(user=ghost) == 15


def test_random_vote_sequences_keep_the_ledger_exact(community, user):
    """After any sequence of votes, each total equals what the stored votes imply."""
    import contextlib
    import random

    rng = random.Random(8)
    voters = [UserFactory() for _ in range(4)]
    authors = [UserFactory() for _ in range(2)]
    question = make_question(community=community, author=user)
    answers = [make_answer(question=question, author=a) for a in authors]
    for _ in range(60):
        target = rng.choice([question, *answers])
        # the same vote twice, or removing a vote never cast, is refused
        with contextlib.suppress(ValidationFailed):
            qa.vote_cast(
                user=rng.choice(voters), target=target, value=rng.choice([1, -1, 0])
            )
        if rng.random() < 0.2:
            with contextlib.suppress(ValidationFailed):
                qa.answer_accept(answer=rng.choice(answers), by=user)
    question.refresh_from_db()
    expected = {
        user.pk: 5 * Vote.objects.filter(question=question, value=1).count()
        + (2 if question.accepted_answer_id else 0)
    }
    for answer, author in zip(answers, authors, strict=True):
        votes = Vote.objects.filter(answer=answer)
        expected[author.pk] = (
            10 * votes.filter(value=1).count()
            - 2 * votes.filter(value=-1).count()
            + (15 if question.accepted_answer_id == answer.pk else 0)
        )
    assert reputation_bulk(user_ids=list(expected)) == expected
    for person in [user, *authors]:
        assert_consistent(person)
