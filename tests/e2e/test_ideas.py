"""Post an idea, another member votes, the sponsor declines it with a reason, and
the author finds the answer through the notification bell."""

import pytest

from kb.ideas import services
from kb.ideas.models import Idea, IdeaVote
from notifications.models import Kind, Notification
from tests.communities.factories import make_community
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _run_worker() -> None:
    """Run what the task worker would (the fan-out is a background task)."""
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_post_vote_status_change_notification(page, live_server, login, settings):
    settings.HALLWAY_RATE_LIMITS = {}
    settings.ELASTICSEARCH_URL = ""
    lead = UserFactory(username="lena", display_name="Lena Lead")
    UserFactory(username="alice", display_name="Alice Andersen")
    bram = UserFactory(username="bram", display_name="Bram de Vries")
    alice = bram.__class__.objects.get(username="alice")
    community = make_community(lead=lead, members=[alice, bram])
    campaign = services.campaign_create(
        by=lead,
        title="How do we halve lease paperwork?",
        community=community,
        votes_per_person=3,
    )

    # Alice posts an idea and sees it at once.
    login(page, "alice")
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    page.get_by_label("Your idea in one line").fill("Sign lease contracts digitally")
    page.get_by_label("Details").fill("E-signatures for every lease contract.")
    page.get_by_role("button", name="Post the idea").click()
    page.get_by_role(
        "heading", level=1, name="Sign lease contracts digitally"
    ).wait_for()
    idea = Idea.objects.get(title="Sign lease contracts digitally")
    assert page.locator(".ideas-credits").inner_text().startswith("By Alice Andersen")

    # Bram sees the similar idea while typing his own, and votes for it instead.
    page.context.clear_cookies()
    login(page, "bram")
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    page.get_by_label("Your idea in one line").fill("digital lease signatures")
    similar = page.locator("#similar-ideas")
    similar.get_by_role("link", name="Sign lease contracts digitally").wait_for()
    row = page.locator(f"#idea-{idea.pk}")
    row.get_by_role("button", name="Vote").click()
    row.get_by_role("button", name="Voted").wait_for()
    assert row.locator(".ideas-votes").inner_text() == "1"
    assert IdeaVote.objects.filter(idea=idea, user=bram).exists()

    # Lena (lead) declines it with a reason everyone can read.
    page.context.clear_cookies()
    login(page, "lena")
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    page.get_by_label("Status").select_option("declined")
    page.get_by_role("button", name="Set status").click()
    page.get_by_role("alert").or_(page.locator(".message-error")).first.wait_for()
    idea.refresh_from_db()
    assert idea.status == "new"  # no reason: nothing changed
    page.get_by_label("Status").select_option("declined")
    page.get_by_label("Note (required when declining or “not now”)").fill(
        "Legal still needs paper originals for leases."
    )
    page.get_by_role("button", name="Set status").click()
    page.locator(".ideas-status-line .ideas-status-declined").wait_for()
    _run_worker()
    assert Notification.objects.filter(
        recipient=alice, kind=Kind.MY_IDEA_ANSWERED
    ).exists()
    assert Notification.objects.filter(
        recipient=bram, kind=Kind.IDEA_STATUS_CHANGED
    ).exists()

    # Alice finds the answer through the bell.
    page.context.clear_cookies()
    login(page, "alice")
    page.goto(f"{live_server.url}/ideas/")
    bell = page.locator("#notification-bell")
    assert bell.locator(".notification-count").inner_text() == "1"
    bell.click()
    page.get_by_role("heading", name="Notifications").wait_for()
    page.get_by_role("button", name="Sign lease contracts digitally").first.click()
    page.get_by_role(
        "heading", level=1, name="Sign lease contracts digitally"
    ).wait_for()
    assert (
        "Legal still needs paper originals"
        in page.locator(".ideas-status-line").inner_text()
    )
