"""Ask → someone answers → the asker accepts → a vote changes the score in place."""

import pytest

from kb.qa.models import Question, Vote
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_ask_answer_accept_vote(page, live_server, login, site_root, settings):
    settings.HALLWAY_RATE_LIMITS = {}
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    UserFactory(username="bram", display_name="Bram de Vries")
    UserFactory(username="chen", display_name="Chen Li")
    community = make_community(slug="platform", title="Platform engineering")
    make_question(
        community=community,
        author=alice,
        title="Rolling back a Helm release",
        tags=["helm"],
    )

    # Alice asks: similar questions, live preview, tag suggestions.
    login(page, "alice")
    page.goto(f"{live_server.url}/questions/ask/")
    page.get_by_label("Title").fill("How do I roll back a Helm release")
    page.reload()
    # The draft survived the reload; typing more asks for similar questions.
    assert page.get_by_label("Title").input_value() == (
        "How do I roll back a Helm release"
    )
    page.get_by_label("Title").press("End")
    page.get_by_label("Title").press_sequentially(" safely?")
    similar = page.locator("#similar-questions")
    similar.get_by_role("link", name="Rolling back a Helm release").wait_for()
    page.get_by_label("Body").fill("We deploy with **Helm** from CI. What is safest?")
    page.locator("#id_body-preview strong", has_text="Helm").wait_for()
    page.get_by_label("Tags").fill("he")
    page.locator(".qa-tag-suggestion", has_text="helm").click()
    assert page.get_by_label("Tags").input_value() == "helm "
    page.get_by_label("Community").select_option("platform")
    page.get_by_role("button", name="Post your question").click()
    page.get_by_role("heading", level=1).filter(has_text="roll back a Helm").wait_for()
    question = Question.objects.get(title="How do I roll back a Helm release safely?")
    assert page.url.endswith(question.get_absolute_url())
    assert page.locator(".qa-body strong").inner_text() == "Helm"
    # Related questions arrive once the page is shown.
    related = page.locator("aside.qa-related", has_text="Related questions")
    related.get_by_role("link", name="Rolling back a Helm release").wait_for()

    # Bram answers.
    page.context.clear_cookies()
    login(page, "bram")
    page.goto(live_server.url + question.get_absolute_url())
    page.get_by_role("textbox", name="Your answer").fill(
        "Run `helm rollback <release> <rev> --wait`."
    )
    page.get_by_role("button", name="Post your answer").click()
    answer_box = page.locator(".qa-answer")
    answer_box.locator("code", has_text="helm rollback").wait_for()
    answer = question.answers.get()

    # Alice accepts it.
    page.context.clear_cookies()
    login(page, "alice")
    page.goto(live_server.url + question.get_absolute_url())
    page.get_by_role("button", name="Accept this answer").click()
    page.locator(".qa-answer.is-accepted").wait_for()
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk

    # Chen votes: the score changes without a page reload.
    page.context.clear_cookies()
    login(page, "chen")
    page.goto(live_server.url + question.get_absolute_url())
    page.evaluate("window.__noReload = true")
    widget = page.locator(f"#vote-answer-{answer.pk}")
    assert widget.locator(".qa-score").inner_text() == "0"
    widget.get_by_role("button", name="Vote up").click()
    page.locator(f"#vote-answer-{answer.pk} .qa-score", has_text="1").wait_for()
    assert page.evaluate("window.__noReload") is True
    assert Vote.objects.get(answer=answer).value == 1
    page.locator(f"#vote-answer-{answer.pk}").get_by_role(
        "button", name="Vote up"
    ).click()
    page.locator(f"#vote-answer-{answer.pk} .qa-score", has_text="0").wait_for()
    assert page.evaluate("window.__noReload") is True
    assert not Vote.objects.filter(answer=answer).exists()
