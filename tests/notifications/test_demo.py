"""The demo loader writes a few notifications once."""

import pytest

from notifications import demo
from notifications.models import Kind, Notification
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.notifications.factories import answer, ask

pytestmark = pytest.mark.django_db


def test_demo_notifications_are_written_once():
    alice = UserFactory(username="alice")
    bram = UserFactory(username="bram")
    lead = UserFactory(username="lead")
    community = make_community(lead=lead)
    question = ask(community=community, author=alice, fan_out=False)
    answer(question=question, author=bram, fan_out=False)
    ask(
        community=community,
        author=bram,
        title="Nobody answered this yet",
        fan_out=False,
    )

    assert demo.load() > 0
    kinds = set(Notification.objects.values_list("recipient__username", "kind"))
    assert ("alice", Kind.ANSWER_TO_MY_QUESTION) in kinds
    assert ("alice", Kind.CAN_YOU_HELP) in kinds
    assert ("lead", Kind.ESCALATION) in kinds
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")

    assert demo.load() == 0
