"""Questions unanswered for 12 hours go to the community's leads and more experts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kb.communities.models import Membership
from kb.communities.services import membership_join
from kb.qa.models import Question
from notifications.models import Kind, Notification, QuestionEscalation
from notifications.routing import escalate_unanswered
from tests.factories import UserFactory
from tests.notifications.factories import accepted_history, answer, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked_at():
    return timezone.now() - timedelta(days=1)


def _ask_at(when, **kwargs):
    question = ask(fan_out=False, **kwargs)
    Question.objects.filter(pk=question.pk).update(created_at=when)
    return question


def escalated_to(question) -> set[str]:
    return set(
        Notification.objects.filter(
            kind=Kind.ESCALATION, target_id=question.pk
        ).values_list("recipient__username", flat=True)
    )


def test_escalation_waits_twelve_hours(community, user, asked_at):
    question = _ask_at(asked_at, community=community, author=user)

    assert escalate_unanswered(now=asked_at + timedelta(hours=11, minutes=59)) == 0
    assert escalated_to(question) == set()

    assert escalate_unanswered(now=asked_at + timedelta(hours=12, minutes=1)) == 1
    assert escalated_to(question) == {"lena"}
    mark = QuestionEscalation.objects.get(question_id=question.pk)
    assert mark.escalated_at == asked_at + timedelta(hours=12, minutes=1)


def test_leads_team_and_experts_are_told_but_not_the_asker(
    community, user, other_user, lead, expert, asked_at
):
    helper = UserFactory(username="tim")
    membership_join(community=community, user=helper, role=Membership.Role.TEAM)
    accepted_history(community=community, expert=expert, asker=other_user)
    question = _ask_at(asked_at, community=community, author=user)

    escalate_unanswered(now=asked_at + timedelta(hours=13))

    assert escalated_to(question) == {"lena", "tim", "chen"}


def test_a_question_is_escalated_only_once(community, user, asked_at):
    question = _ask_at(asked_at, community=community, author=user)
    escalate_unanswered(now=asked_at + timedelta(hours=13))
    Notification.objects.update(read_at=timezone.now())

    assert escalate_unanswered(now=asked_at + timedelta(hours=20)) == 0
    assert Notification.objects.filter(kind=Kind.ESCALATION).count() == 1
    assert QuestionEscalation.objects.filter(question_id=question.pk).count() == 1


def test_answered_and_old_questions_are_not_escalated(
    community, user, other_user, asked_at
):
    answered = _ask_at(
        asked_at, community=community, author=user, title="Answered q here"
    )
    answer(question=answered, author=other_user, fan_out=False)
    ancient = _ask_at(
        asked_at - timedelta(days=30),
        community=community,
        author=user,
        title="An imported old question",
    )
    assert escalate_unanswered(now=asked_at + timedelta(hours=13)) == 0
    assert escalated_to(answered) == escalated_to(ancient) == set()


def test_the_command_escalates(community, user, capsys):
    _ask_at(timezone.now() - timedelta(hours=13), community=community, author=user)
    call_command("escalate_unanswered")
    assert "1 question(s) escalated." in capsys.readouterr().out
