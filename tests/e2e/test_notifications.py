"""A question in tag X asks the person with accepted answers in X, who answers it."""

import pytest

from kb.qa import services as qa
from kb.qa.models import Answer, Question
from notifications.models import Kind, Notification
from notifications.services import notification_send
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _run_worker() -> None:
    """Run what the task worker would (the fan-out is a background task)."""
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_routed_question_is_answered_from_the_notification(
    page, live_server, login, site_root, settings
):
    settings.HALLWAY_RATE_LIMITS = {}
    settings.ELASTICSEARCH_URL = ""
    UserFactory(username="alice", display_name="Alice Andersen")
    bram = UserFactory(username="bram", display_name="Bram de Vries")
    chen = UserFactory(username="chen", display_name="Chen Li")
    community = make_community(slug="platform", title="Platform engineering")
    # Chen's answer was accepted on an earlier question tagged "helm".
    earlier = qa.question_create(
        author=bram,
        title="Pinning a Helm chart version",
        body="How do I pin the chart version our CI deploys?",
        tags=["helm"],
        community=community,
    )
    accepted = qa.answer_create(
        question=earlier, author=chen, body="Use --version in helm upgrade."
    )
    qa.answer_accept(answer=accepted, by=bram)
    _run_worker()
    Notification.objects.all().delete()

    # Alice asks in the browser, in the same tag.
    login(page, "alice")
    page.goto(f"{live_server.url}/questions/ask/")
    page.get_by_label("Title").fill("How do I roll back a Helm release?")
    page.get_by_label("Body").fill("A bad release went out. What is the safest undo?")
    page.get_by_label("Tags").fill("helm")
    page.get_by_label("Community").select_option("platform")
    page.get_by_role("button", name="Post your question").click()
    page.get_by_role("heading", level=1).filter(has_text="roll back").wait_for()
    question = Question.objects.get(title="How do I roll back a Helm release?")
    _run_worker()
    routed = Notification.objects.get(recipient=chen, kind=Kind.CAN_YOU_HELP)
    assert routed.target_id == question.pk

    # Chen sees the bell count, opens the notification and answers from it.
    page.context.clear_cookies()
    login(page, "chen")
    page.goto(f"{live_server.url}/questions/")
    bell = page.locator("#notification-bell")
    assert bell.get_attribute("aria-label") == "Notifications: 1 unread"
    assert bell.locator(".notification-count").inner_text() == "1"
    bell.click()
    page.get_by_role("heading", name="Notifications").wait_for()
    page.get_by_role("button", name="Can you help?").click()
    page.get_by_role("heading", level=1).filter(has_text="roll back").wait_for()
    assert page.url.endswith(question.get_absolute_url())
    assert page.locator("#notification-bell .notification-count").count() == 0

    page.get_by_role("textbox", name="Your answer").fill(
        "Run `helm rollback <release> <revision> --wait` and watch the pods."
    )
    page.get_by_role("button", name="Post your answer").click()
    page.locator(".qa-answer code", has_text="helm rollback").wait_for()
    assert Answer.objects.filter(question=question, author=chen).exists()
    routed.refresh_from_db()
    assert routed.read_at is not None


def test_mark_read_in_place_updates_the_bell(page, live_server, login, site_root):
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    community = make_community(slug="platform", title="Platform engineering")
    # Notifications about things the reader may not see are never shown, so
    # these point at real questions.
    for n in (1, 2):
        question = make_question(community=community, title=f"Question {n} here")
        notification_send(
            recipient_ids=[alice.pk],
            kind=Kind.MENTION,
            target_kind="question",
            target_id=question.pk,
            url=question.get_absolute_url(),
            title=question.title,
            email=False,
        )

    login(page, "alice")
    page.goto(f"{live_server.url}/notifications/")
    count = page.locator("#notification-bell .notification-count")
    assert count.inner_text() == "2"
    page.get_by_role("button", name="Mark read").first.click()
    page.locator("#notification-bell .notification-count", has_text="1").wait_for()
    assert page.locator(".notification.is-unread").count() == 1
