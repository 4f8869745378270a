"""A person fills in their profile and sees it, with reputation and level."""

import io

import pytest

from kb.qa import services as qa
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_answer, make_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_edit_profile_then_see_reputation_and_level(
    page, live_server, login, site_root, settings, tmp_path
):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    settings.HALLWAY_RATE_LIMITS = {}
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    bram = UserFactory(username="bram", display_name="Bram de Vries")
    community = make_community(members=[alice, bram])
    question = make_question(community=community, author=bram, tags=["k8s"])
    answer = make_answer(question=question, author=alice)
    qa.vote_cast(user=bram, target=answer, value=1)
    qa.answer_accept(answer=answer, by=bram)

    photo = tmp_path / "me.png"
    buffer = io.BytesIO()
    Image.new("RGB", (200, 300), "teal").save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    login(page, "alice")
    page.goto(live_server.url + "/people/me/edit/")
    page.get_by_label("Display name").fill("")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.get_by_text("This field is required.").is_visible()
    page.get_by_label("Display name").fill("Alice Andersen")

    page.get_by_label("Office or location").fill("Utrecht")
    page.get_by_label("Department").fill("Platform Engineering")
    page.get_by_label("Languages").fill("English, Danish")
    page.get_by_label("Short bio").fill("I keep deploys boring.")
    page.get_by_label("Photo").set_input_files(str(photo))
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/people/alice/")

    assert page.get_by_role("heading", level=1).inner_text() == "Alice Andersen"
    assert page.locator(".profile-office").inner_text() == "Utrecht"
    assert page.locator(".profile-languages").inner_text() == "English, Danish"
    assert page.locator(".profile-reputation").inner_text() == "25"
    assert page.locator(".profile-level").inner_text() == "Contributor"
    assert "I keep deploys boring." in page.locator(".profile-bio").inner_text()
    assert page.locator("img.avatar-large").is_visible()
    assert page.get_by_text("First accepted answer").is_visible()
    assert page.get_by_role("link", name="Ask your first question").is_visible()

    page.goto(live_server.url + "/people/?office=Utrecht")
    assert page.locator("#main").get_by_role("link", name="Alice Andersen").is_visible()
    assert page.get_by_role("link", name="Bram de Vries").count() == 0
