"""A lead curates a journal entry into a knowledge page, publishes and verifies it."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lead_curates_an_entry_into_a_published_verified_page(
    page, live_server, login, site_root
):
    from journals.models import Entry
    from kb.communities.models import KnowledgePage
    from tests.communities.factories import make_community
    from tests.factories import UserFactory

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
