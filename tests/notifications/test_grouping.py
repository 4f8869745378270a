"""Notifications are grouped per recipient and target while unread, never duplicated."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from notifications.models import Kind, Notification
from notifications.services import notification_mark_read, notification_send
from tests.factories import UserFactory
from tests.notifications.factories import answer, ask

pytestmark = pytest.mark.django_db


def test_two_answers_make_one_unread_notification_saying_two(
    community, user, other_user
):
    question = ask(community=community, author=user)
    answer(question=question, author=other_user)
    answer(question=question, author=UserFactory(username="dana"))

    rows = Notification.objects.filter(recipient=user, kind=Kind.ANSWER_TO_MY_QUESTION)
    assert rows.count() == 1
    row = rows.get()
    assert row.count == 2
    assert row.text.startswith("2 new answers to your question")
    assert row.actor.username == "dana"


def test_after_reading_a_new_event_starts_a_new_group(community, user, other_user):
    question = ask(community=community, author=user)
    answer(question=question, author=other_user)
    first = Notification.objects.get(recipient=user)
    notification_mark_read(user=user, notification_id=first.pk)

    answer(question=question, author=UserFactory(username="dana"))

    rows = Notification.objects.filter(recipient=user).order_by("pk")
    # (count, unread): the read first group, then a fresh unread one.
    assert [(r.count, r.read_at is None) for r in rows] == [(1, False), (1, True)]


def test_the_database_refuses_a_second_unread_row_of_a_group(user):
    Notification.objects.create(
        recipient=user,
        kind=Kind.MENTION,
        target_kind="question",
        target_id=1,
        url="/q/1",
        text="x",
        group_key="mention:question:1",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=user,
            kind=Kind.MENTION,
            target_kind="question",
            target_id=1,
            url="/q/1",
            text="y",
            group_key="mention:question:1",
        )


def test_a_group_is_e_mailed_once_while_unread(community, user, other_user):
    question = ask(community=community, author=user)
    mail.outbox.clear()
    answer(question=question, author=other_user)
    answer(question=question, author=UserFactory(username="dana"))

    to_alice = [m for m in mail.outbox if m.to == [user.email]]
    assert len(to_alice) == 1


def test_the_actor_and_inactive_people_are_never_notified(user, other_user):
    sleeping = UserFactory(username="sleeper", is_active=False)
    sent = notification_send(
        recipient_ids=[user.pk, other_user.pk, sleeping.pk],
        kind=Kind.MENTION,
        actor=other_user,
        target_kind="question",
        target_id=7,
        url="/questions/7/x/",
        title="Something",
    )
    assert [row.recipient_id for row in sent] == [user.pk]
