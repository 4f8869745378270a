"""A member edits a knowledge page in Hallway's editor and sends it for review;
the lead opens the same editor, changes it and publishes (#18: members never
see Wagtail)."""

import re

import pytest
from playwright.sync_api import expect

from kb.communities.models import KnowledgePage
from tests.communities.factories import make_community, make_page
from tests.e2e.pages import axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_edits_lead_publishes(page, live_server, login, site_root):
    lead = UserFactory(username="lena", display_name="Lena Lead")
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    UserFactory(username="adsmith", display_name="Ada Smith")
    community = make_community(
        slug="platform", title="Platform", lead=lead, members=[alice]
    )
    kb = make_page(community, author=lead, title="Deploying safely", markdown="Old.")

    login(page, "alice")
    page.goto(live_server.url + kb.url)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(re.compile(rf"/communities/pages/{kb.pk}/edit/"))
    expect(page.locator("body")).not_to_contain_text("Wagtail")

    text = page.get_by_label("Markdown", exact=True)
    text.fill("")
    text.press_sequentially("Ask @ads")
    page.get_by_role("option", name="@adsmith").click()
    text.press_sequentially("first. **Then** deploy.")
    expect(page.locator(".qa-preview strong")).to_have_text("Then")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(rf"/communities/pages/{kb.pk}/history/"))
    expect(page.get_by_role("status").first).to_contain_text("sent to the community")
    expect(page.locator(".kb-history")).to_contain_text("Waiting for review")
    # Readers still see the published text.
    page.goto(live_server.url + kb.url)
    expect(page.locator(".kb-body")).to_have_text("Old.")

    login(page, "lena")
    page.goto(live_server.url + kb.url)
    page.get_by_role("link", name="Edit", exact=True).click()
    text = page.get_by_label("Markdown", exact=True)
    expect(text).to_have_value("Ask @adsmith first. **Then** deploy.")
    page.get_by_label("Title").fill("Deploying safely, step by step")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/knowledge/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Deploying safely, step by step"
    )
    expect(page.locator(".kb-body strong")).to_have_text("Then")

    stored = KnowledgePage.objects.get(pk=kb.pk)
    assert stored.live_revision_id == stored.latest_revision_id
    assert [r.user.username for r in stored.revisions.order_by("pk")][-2:] == [
        "alice",
        "lena",
    ]
    assert not stored.workflow_in_progress
