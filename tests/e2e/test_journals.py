"""Write an entry, a follower reads it, the author makes it private: it is gone."""

import re

import pytest
from playwright.sync_api import expect

from journals.services import person_follow
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.journals.factories import make_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_write_follow_and_make_private(page, live_server, login, site_root):
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    bram = UserFactory(username="bram", display_name="Bram de Vries")
    make_community(slug="platform", title="Platform", members=[alice, bram])

    # Bram follows Alice's journal.
    login(page, "bram")
    page.goto(f"{live_server.url}/journals/alice/")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    _logout(page)

    # Alice writes an entry; the draft survives a reload; the preview renders.
    login(page, "alice")
    page.goto(f"{live_server.url}/journals/write/")
    page.get_by_label("Learned").check()
    body = page.get_by_label("Entry", exact=True)
    body.fill("Learned that **canary deploys** need a rollback hook.")
    expect(page.locator("#entry-preview strong")).to_have_text("canary deploys")
    page.reload()
    expect(page.get_by_label("Entry", exact=True)).to_have_value(
        "Learned that **canary deploys** need a rollback hook."
    )
    page.get_by_label("Title (optional)").fill("Canary rollbacks")
    page.get_by_label("Tags").fill("deploys")
    page.get_by_label("Who can see it").select_option("organisation")
    expect(page.get_by_label("Community")).to_be_hidden()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Canary rollbacks")
    entry_url = page.url
    _logout(page)

    # Bram sees it in his feed and reacts.
    login(page, "bram")
    page.goto(f"{live_server.url}/journals/")
    expect(page.get_by_role("link", name="Canary rollbacks")).to_be_visible()
    page.goto(entry_url)
    helpful = page.get_by_role("button", name=re.compile("^Helpful"))
    helpful.click()
    expect(page.get_by_role("button", name=re.compile("^Helpful"))).to_have_attribute(
        "aria-pressed", "true"
    )
    _logout(page)

    # Alice makes it private.
    login(page, "alice")
    page.goto(entry_url + "edit/")
    page.get_by_label("Who can see it").select_option("private")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".journal-visibility")).to_have_text("Private")
    _logout(page)

    # Bram no longer sees it anywhere.
    login(page, "bram")
    page.goto(f"{live_server.url}/journals/")
    expect(page.get_by_role("link", name="Canary rollbacks")).to_have_count(0)
    page.goto(f"{live_server.url}/journals/alice/")
    expect(page.get_by_text("Canary rollbacks")).to_have_count(0)
    response = page.goto(entry_url)
    assert response.status == 404


def test_feed_loads_older_entries_on_scroll(page, live_server, login, site_root):
    from datetime import timedelta

    from django.utils import timezone

    alice = UserFactory(username="alice")
    bram = UserFactory(username="bram")
    now = timezone.now()
    for n in range(25):
        make_entry(alice, title=f"Note {n:02d}", created_at=now - timedelta(hours=n))
    person_follow(follower=bram, followed=alice)

    login(page, "bram")
    page.goto(f"{live_server.url}/journals/")
    expect(page.locator(".journal-entry")).to_have_count(20)
    page.locator(".journal-more").scroll_into_view_if_needed()
    expect(page.locator(".journal-entry")).to_have_count(25)
    expect(page.get_by_role("link", name="Note 24")).to_be_visible()
    expect(page.locator(".journal-more")).to_have_count(0)
