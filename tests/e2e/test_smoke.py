"""The first thing a person does: open the site, log in, find their way around."""

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_login_and_navigation(page, live_server, login, site_root):
    UserFactory(username="alice", display_name="Alice Andersen")

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome to Hallway"

    login(page, "alice")

    nav = page.get_by_role("navigation", name="Main")
    for label in ["Ask", "Questions", "Knowledge", "Journals", "People"]:
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    assert page.get_by_role("search").first.is_visible()
    assert page.locator(".account-name").inner_text() == "Alice Andersen"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_wrong_password_shows_an_error(page, live_server, login, site_root):
    UserFactory(username="alice")
    login(page, "alice", "not-the-password")
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
