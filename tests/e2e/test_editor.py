"""The Markdown toolbar: buttons and shortcuts format text, the preview follows."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_toolbar_formats_the_selection_and_the_preview_shows_it(
    page, live_server, login, site_root
):
    from tests.communities.factories import make_community
    from tests.factories import UserFactory

    UserFactory(username="alice", display_name="Alice Andersen")
    make_community(slug="platform", title="Platform engineering")
    login(page, "alice")
    page.goto(f"{live_server.url}/questions/ask/")

    body = page.get_by_label("Body", exact=True)
    toolbar = page.get_by_role("toolbar", name="Formatting")
    body.fill("roll back now")
    body.evaluate("area => area.setSelectionRange(0, 4)")
    toolbar.get_by_role("button", name="Bold").click()
    assert body.input_value() == "**roll** back now"
    expect(page.locator(".qa-preview strong")).to_have_text("roll")

    body.evaluate(
        "area => area.setSelectionRange(area.value.length, area.value.length)"
    )
    body.press("Control+i")
    assert body.input_value() == "**roll** back now_italic_"

    page.goto(f"{live_server.url}/journals/write/")
    entry = page.get_by_label("Entry", exact=True)
    entry.fill("step one")
    entry.evaluate("area => area.setSelectionRange(0, area.value.length)")
    page.get_by_role("toolbar", name="Formatting").get_by_role(
        "button", name="List"
    ).click()
    assert entry.input_value() == "- step one"
