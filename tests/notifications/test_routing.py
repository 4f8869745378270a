"""A new question asks the people who know its tags "can you help?", capped per day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hallway import providers
from notifications.models import Kind, Notification
from notifications.routing import route_question
from tests.factories import UserFactory
from tests.notifications.factories import accepted_history, ask

pytestmark = pytest.mark.django_db


def helps(user):
    return Notification.objects.filter(recipient=user, kind=Kind.CAN_YOU_HELP)


def test_people_with_accepted_answers_in_the_tag_are_asked(
    community, user, other_user, expert
):
    accepted_history(community=community, expert=expert, asker=other_user)
    question = ask(community=community, author=user, tags=["helm"])

    row = helps(expert).get()
    assert row.target_id == question.pk
    assert row.url == question.get_absolute_url()
    assert "Can you help?" in row.text


def test_the_asker_inactive_people_and_other_tags_are_left_out(
    community, user, other_user, expert
):
    sleeper = UserFactory(username="sleeper")
    accepted_history(community=community, expert=expert, asker=other_user, tag="sql")
    accepted_history(community=community, expert=sleeper, asker=other_user)
    accepted_history(community=community, expert=user, asker=other_user)
    sleeper.is_active = False
    sleeper.save()

    ask(community=community, author=user, tags=["helm"])

    assert not helps(expert).exists()
    assert not helps(sleeper).exists()
    assert not helps(user).exists()


def test_routing_is_capped_per_person_per_day(
    settings, community, user, other_user, expert
):
    settings.HALLWAY_ROUTING_DAILY_CAP = 2
    accepted_history(community=community, expert=expert, asker=other_user)
    now = timezone.now()
    questions = [
        ask(
            community=community,
            author=user,
            title=f"Helm question number {n}",
            fan_out=False,
        )
        for n in range(4)
    ]
    for n, question in enumerate(questions[:3]):
        route_question(question=question, now=now + timedelta(minutes=n))
    assert helps(expert).count() == 2

    route_question(question=questions[3], now=now + timedelta(hours=25))
    assert helps(expert).count() == 3


def test_the_default_cap_is_three(community, user, other_user, expert):
    accepted_history(community=community, expert=expert, asker=other_user)
    for n in range(5):
        ask(community=community, author=user, title=f"Another helm question {n}")
    assert helps(expert).count() == 3


def test_search_expert_finding_is_used_when_it_answers(
    monkeypatch, community, user, other_user, expert
):
    dana = UserFactory(username="dana")
    accepted_history(community=community, expert=expert, asker=other_user)
    seen = {}

    def experts(*, q, viewer, limit, reachable_only, tags):
        seen.update(q=q, viewer=viewer, reachable_only=reachable_only, tags=tags)
        return [
            {"username": "dana", "display_name": "Dana", "score": 2.0, "evidence": {}},
            {
                "username": "alice",
                "display_name": "Alice",
                "score": 1.0,
                "evidence": {},
            },
        ]

    monkeypatch.setitem(providers._providers, "experts", experts)
    question = ask(community=community, author=user, tags=["helm"])

    assert helps(dana).count() == 1
    assert not helps(expert).exists()
    assert not helps(user).exists()
    assert seen["viewer"] == user
    assert question.title in seen["q"] and "helm" in seen["q"]
    assert seen["reachable_only"] is True and seen["tags"] == ["helm"]


def test_no_search_node_falls_back_to_the_database(community, user, other_user, expert):
    accepted_history(community=community, expert=expert, asker=other_user)
    ask(community=community, author=user, tags=["helm"])
    assert helps(expert).count() == 1
