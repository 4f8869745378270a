"""In a real browser under the production Content-Security-Policy: no page
trips a CSP violation, and the confirm-before-delete button still works
without an inline handler (issue 16)."""

import pytest

from journals.models import Entry
from tests.factories import UserFactory
from tests.journals.factories import make_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pages_run_without_csp_violations_and_delete_asks_first(
    page, live_server, login, site_root
):
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    entry = make_entry(alice, title="Short-lived note")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    login(page, "alice")
    for path in ("/", "/questions/ask/", "/journals/write/", "/search/?q=note"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/journals/entries/{entry.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete").click()
    page.wait_for_load_state()
    assert Entry.objects.filter(pk=entry.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Delete").click()
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert violations == []
