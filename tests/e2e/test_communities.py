"""A lead curates a journal entry into a knowledge page, publishes and verifies it."""

import re

import pytest

from journals.models import Entry
from kb.communities.models import KnowledgePage
from kb.qa.models import Answer, Question
from tests.communities.factories import make_community
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lead_curates_an_entry_into_a_published_verified_page(
    page, live_server, login, site_root
):
    lead = UserFactory(username="lena", display_name="Lena Lead")
    author = UserFactory(username="alice", display_name="Alice Andersen")
    community = make_community(slug="platform", title="Platform", lead=lead)
    entry = Entry.objects.create(
        author=author,
        title="Learned: blue/green deploys",
        body="Switch the router, keep the old pool warm for **ten minutes**.",
        visibility=Entry.Visibility.ORGANISATION,
    )

    login(page, "lena")
    page.goto(live_server.url + entry.get_absolute_url())
    page.get_by_label("Community").select_option(community.slug)
    page.get_by_role("button", name="Curate into a knowledge page").click()

    # The draft opens in Wagtail's editor, pre-filled from the entry.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    draft = KnowledgePage.objects.get()
    assert not draft.live
    title = page.locator("#id_title")
    assert title.input_value() == "Learned: blue/green deploys"
    title.fill("Blue/green deploys")
    page.locator(
        "footer .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()

    published = KnowledgePage.objects.get()
    assert published.live and published.title == "Blue/green deploys"

    page.goto(live_server.url + published.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Blue/green deploys"
    assert page.locator(".kb-body strong").first.inner_text() == "ten minutes"
    sources = page.get_by_role("region", name="Sources")
    link = sources.get_by_role("link", name="Learned: blue/green deploys")
    assert link.get_attribute("href") == entry.get_absolute_url()
    assert "Alice Andersen" in sources.inner_text()

    page.get_by_role("button", name="Mark as verified").click()
    assert "Verified by Lena Lead" in page.locator(".kb-meta").inner_text()

    # A reader finds it from the community page and says it helped.
    UserFactory(username="bram")
    login(page, "bram")
    page.goto(live_server.url + community.url)
    page.get_by_role("link", name="Blue/green deploys").click()
    page.get_by_role("button", name="Yes").click()
    counts = page.locator(".feedback-counts")
    counts.get_by_text("Thank you for your feedback.").wait_for()
    assert "1 found this helpful" in counts.inner_text()


def test_lead_curates_an_accepted_answer_and_approves_a_members_draft(
    page, live_server, login, site_root
):
    lead = UserFactory(username="lena", display_name="Lena Lead")
    asker = UserFactory(username="bram", display_name="Bram de Vries")
    helper = UserFactory(username="alice", display_name="Alice Andersen")
    community = make_community(
        slug="platform", title="Platform", lead=lead, members=[helper]
    )
    question = Question.objects.create(
        title="How do I roll back a deploy?",
        body="It broke.",
        author=asker,
        community=community,
    )
    answer = Answer.objects.create(
        question=question,
        body="Run the rollback:\n\n```bash\ndeployctl rollback --env prod\n```",
        author=helper,
    )
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)

    # The lead curates the accepted answer from the dashboard...
    login(page, "lena")
    page.goto(live_server.url + "/communities/dashboard/")
    page.get_by_role(
        "button", name="Curate the answer to “How do I roll back a deploy?”"
    ).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    # ...and, as a member would, submits it for review instead of publishing.
    page.locator(
        "footer .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    page.get_by_role("button", name="Submit to Platform review").click()
    page.wait_for_load_state()
    draft = KnowledgePage.objects.get()
    assert not draft.live

    # It waits for approval on the dashboard; the lead approves it in Wagtail.
    page.goto(live_server.url + "/communities/dashboard/")
    waiting = page.get_by_role("region", name="Waiting for approval")
    waiting.get_by_role("link", name="How do I roll back a deploy?").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.locator(
        "footer .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    page.get_by_role("button", name="Approve").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    live = KnowledgePage.objects.get()
    assert live.live

    # Readers see the page with its source; the source links back to the answer.
    page.goto(live_server.url + live.url)
    sources = page.get_by_role("region", name="Sources")
    sources.get_by_role("link", name="How do I roll back a deploy?").click()
    page.wait_for_url(re.compile(rf"/questions/{question.pk}/"))
    assert page.url.endswith(f"#answer-{answer.pk}")
