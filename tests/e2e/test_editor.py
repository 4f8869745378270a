"""The Markdown toolbar: buttons and shortcuts format text, the preview follows."""

import pytest
from playwright.sync_api import expect

from tests.communities.factories import make_community
from tests.e2e.pages import axe_violations
from tests.factories import UserFactory
from tests.qa.factories import make_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_toolbar_formats_the_selection_and_the_preview_shows_it(
    page, live_server, login, site_root
):
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


def test_mention_and_tag_suggestions_work_from_the_keyboard(
    page, live_server, login, site_root
):
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    UserFactory(username="adsmith", display_name="Ada Smith")
    UserFactory(username="adgone", display_name="Ada Gone", is_active=False)
    community = make_community(slug="platform", title="Platform engineering")
    make_question(community=community, author=alice, tags=["kubernetes"])
    login(page, "alice")
    page.goto(f"{live_server.url}/questions/ask/")

    body = page.get_by_label("Body", exact=True)
    body.press_sequentially("Thanks @ad")
    people = page.get_by_role("listbox", name="People to mention")
    expect(people.get_by_role("option")).to_have_text(["@adsmith Ada Smith"])
    option = people.get_by_role("option", name="@adsmith")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(body).to_have_attribute(
        "aria-activedescendant", option.get_attribute("id") or ""
    )
    expect(body).to_have_attribute("aria-controls", "id_body-suggestions")
    status = page.get_by_role("status").filter(has_text="Suggestions: 1")
    expect(status).to_be_attached()
    assert axe_violations(page) == []
    body.press("Enter")
    expect(body).to_have_value("Thanks @adsmith ")
    expect(people).to_be_hidden()

    body.press_sequentially("see #kub")
    tags = page.get_by_role("listbox", name="Tags in use")
    expect(tags.get_by_role("option")).to_have_text(["#kubernetes ×1"])
    body.press("Tab")
    expect(body).to_have_value("Thanks @adsmith see #kubernetes ")
    expect(body).to_be_focused()

    body.press_sequentially("@ad")
    expect(people).to_be_visible()
    body.press("Escape")
    expect(people).to_be_hidden()
    expect(body).to_have_value("Thanks @adsmith see #kubernetes @ad")

    # The same editor on a journal entry.
    page.goto(f"{live_server.url}/journals/write/")
    entry = page.get_by_label("Entry", exact=True)
    entry.press_sequentially("with @ads")
    page.get_by_role("option", name="@adsmith").click()
    expect(entry).to_have_value("with @adsmith ")


def test_drafts_survive_a_reload_until_posted_or_discarded(
    page, live_server, login, site_root, settings
):
    UserFactory(username="alice", display_name="Alice Andersen")
    community = make_community(slug="platform", title="Platform engineering")
    question = make_question(
        community=community, title="How do we roll back a release?"
    )
    login(page, "alice")
    url = f"{live_server.url}{question.get_absolute_url()}"
    page.goto(url)

    body = page.get_by_role("textbox", name="Your answer")
    notice = page.locator(".draft-notice")
    expect(notice).to_be_hidden()
    body.fill("Use **helm rollback** first.")
    page.reload()
    expect(body).to_have_value("Use **helm rollback** first.")
    expect(notice).to_be_visible()
    expect(notice).to_have_text("Draft restored · Discard")
    expect(page.locator("#id_body-preview strong")).to_have_text("helm rollback")

    # Discard puts back what the page came with, and the draft is gone for good.
    notice.get_by_role("button", name="Discard").click()
    expect(body).to_have_value("")
    expect(notice).to_be_hidden()
    page.reload()
    expect(body).to_have_value("")
    expect(notice).to_be_hidden()

    # A refused post (over the limit) keeps the draft; a successful one clears it.
    settings.HALLWAY_RATE_LIMITS = {"post": "0/h"}
    body.fill("Run helm history, then helm rollback to the last good revision.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(".form-errors")).to_be_visible()
    page.goto(url)
    expect(body).to_have_value(
        "Run helm history, then helm rollback to the last good revision."
    )
    settings.HALLWAY_RATE_LIMITS = {}
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    expect(body).to_have_value("")
    expect(notice).to_be_hidden()
    page.reload()
    expect(body).to_have_value("")
    assert (
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('hallway-draft:'))"
        )
        == []
    )


def test_a_pasted_image_and_an_attached_file_are_uploaded_and_linked(
    page, live_server, login, site_root, settings, tmp_path
):
    import base64
    import io
    import re

    from PIL import Image

    settings.HALLWAY_UPLOADS_ROOT = tmp_path
    UserFactory(username="alice", display_name="Alice Andersen")
    make_community(slug="platform", title="Platform engineering")
    login(page, "alice")
    page.goto(f"{live_server.url}/questions/ask/")
    body = page.get_by_label("Body", exact=True)
    body.fill("Here is the error: ")

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, "PNG")
    body.evaluate(
        """(area, b64) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], "error shot.png", {type: "image/png"}));
            area.focus();
            area.setSelectionRange(area.value.length, area.value.length);
            area.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        base64.b64encode(out.getvalue()).decode(),
    )
    image = re.compile(r"!\[error-shot\.png\]\(/uploads/[0-9a-f]{32}/error-shot\.png\)")
    expect(body).to_have_value(re.compile(r"^Here is the error: " + image.pattern))
    preview = page.locator("#id_body-preview img")
    expect(preview).to_have_attribute("src", re.compile(r"^/uploads/"))
    page.wait_for_function(
        "() => document.querySelector('#id_body-preview img').naturalWidth === 40"
    )

    page.locator(".md-toolbar input[type=file]").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"notes"}]
    )
    expect(body).to_have_value(
        re.compile(r"\[notes\.txt\]\(/uploads/[0-9a-f]{32}/notes\.txt\)$")
    )
    page.locator(".md-toolbar input[type=file]").set_input_files(
        files=[{"name": "evil.svg", "mimeType": "image/svg+xml", "buffer": b"<svg/>"}]
    )
    status = page.get_by_role("status").filter(has_text="evil.svg was not attached")
    expect(status).to_be_attached()
    assert "evil" not in body.input_value()


def test_a_draft_is_its_writers_alone_and_logging_out_forgets_drafts(
    page, live_server, login, site_root
):
    UserFactory(username="alice", display_name="Alice Andersen")
    UserFactory(username="bram", display_name="Bram de Vries")
    community = make_community(slug="platform", title="Platform engineering")
    question = make_question(community=community, title="Who owns the staging cluster?")
    url = f"{live_server.url}{question.get_absolute_url()}"
    login(page, "alice")
    page.goto(url)
    page.get_by_role("textbox", name="Your answer").fill("Alice's unsent thought")

    # Bram signs in on the same browser (without the fixture's clean-up).
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("bram")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.goto(url)
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value("")
    expect(page.locator(".draft-notice")).to_be_hidden()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    drafts = "Object.keys(localStorage).filter(k => k.startsWith('hallway-draft:'))"
    assert page.evaluate(drafts) == []
