"""Counts say what happened: checked against the stored answers and events."""

import pytest

from kb.qa.models import Answer
from notifications import fanout
from notifications.models import Kind, Notification
from notifications.services import notification_send
from tests.factories import UserFactory
from tests.notifications.factories import accepted_history, answer, ask

pytestmark = pytest.mark.django_db


def _answers_note(user):
    return Notification.objects.get(recipient=user, kind=Kind.ANSWER_TO_MY_QUESTION)


def test_a_fan_out_run_twice_counts_each_answer_once(community, user, other_user):
    question = ask(community=community, author=user)
    first = answer(question=question, author=other_user)
    fanout.answer_created_fanout(answer_id=first.pk)  # the task retried
    assert _answers_note(user).count == 1
    assert "answered your question" in _answers_note(user).text

    second = answer(question=question, author=UserFactory(username="dana"))
    fanout.answer_created_fanout(answer_id=second.pk)

    row = _answers_note(user)
    stored = Answer.objects.filter(question=question).exclude(author=user)
    assert row.count == stored.count() == 2
    assert row.text.startswith("2 new answers to your question")
    assert sorted(row.events) == sorted(f"answer:{a.pk}" for a in stored)


def test_the_same_event_sent_again_is_not_counted_again(user):
    for _ in range(3):
        notification_send(
            recipient_ids=[user.pk],
            kind=Kind.MENTION,
            target_kind="question",
            target_id=7,
            url="/questions/7/",
            title="Pods restart",
            event="comment:41",
        )
    row = Notification.objects.get(recipient=user)
    assert (row.count, row.events) == (1, ["comment:41"])


def test_nobody_is_asked_to_help_on_a_question_they_answered(
    community, user, other_user, expert
):
    accepted_history(community=community, expert=expert, asker=other_user)
    question = ask(community=community, author=user, tags=["helm"], fan_out=False)
    answer(question=question, author=expert, fan_out=False)

    fanout.question_created_fanout(question_id=question.pk)

    assert not Notification.objects.filter(recipient=expert, kind=Kind.CAN_YOU_HELP)


def test_answering_settles_the_can_you_help_request(
    community, user, other_user, expert
):
    accepted_history(community=community, expert=expert, asker=other_user)
    question = ask(community=community, author=user, tags=["helm"])
    request = Notification.objects.get(recipient=expert, kind=Kind.CAN_YOU_HELP)
    assert request.read_at is None

    answer(question=question, author=expert)

    request.refresh_from_db()
    assert request.read_at is not None
