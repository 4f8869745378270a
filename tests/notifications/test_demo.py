"""The demo loader writes a few notifications once."""

import pytest

from hallway.demo import load_demo
from kb.qa.models import Answer
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


@pytest.mark.django_db(transaction=True)  # the worker closes the connection
def test_demo_counts_match_what_is_stored(settings):
    """After the whole demo and its fan-out, every count matches the stored answers
    and nobody is asked to help on a question they answered."""
    from django.core.management import call_command

    settings.ELASTICSEARCH_URL = ""
    load_demo(log=lambda _line: None)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    rows = Notification.objects.filter(target_kind="question")
    assert rows.filter(kind=Kind.ANSWER_TO_MY_QUESTION).exists()
    for row in rows.filter(kind=Kind.ANSWER_TO_MY_QUESTION):
        stored = (
            Answer.objects.visible()
            .filter(question_id=row.target_id)
            .exclude(author_id=row.recipient_id)
            .count()
        )
        assert row.count <= stored, (row.text, stored)
    for row in rows.filter(kind=Kind.CAN_YOU_HELP, read_at__isnull=True):
        answered = Answer.objects.filter(
            question_id=row.target_id, author_id=row.recipient_id
        )
        assert not answered.exists(), row.text
