"""The hallway in a browser: a member with some history sees why each item is there."""

import pytest

from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.home.factories import answered_in, follow_person, open_question
from tests.journals.factories import make_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_follows_a_hallway_item_to_its_page(
    page, live_server, login, site_root, settings
):
    settings.HALLWAY_RATE_LIMITS = {}

    alice = UserFactory(username="alice", display_name="Alice Andersen")
    bram = UserFactory(username="bram", display_name="Bram de Vries")
    platform = make_community(slug="platform", title="Platform", members=[alice])
    data = make_community(slug="data", title="Data")
    answered_in("kubernetes", viewer=alice, community=platform)
    open_question("kubernetes", community=data, title="Why do my pods restart?")
    follow_person(alice, bram)
    make_entry(bram, title="Notes on the ingress controller")

    login(page, "alice")
    page.goto(live_server.url + "/")

    feed = page.get_by_role("region", name="Your hallway")
    assert feed.get_by_text("Because you follow Bram de Vries").is_visible()
    assert feed.get_by_text(
        "Outside your circle, from the Data community: "
        "because you answered about kubernetes"
    ).is_visible()
    assert page.get_by_role("heading", name="Time to first answer").is_visible()

    feed.get_by_role("link", name="Why do my pods restart?").click()
    page.wait_for_load_state()
    assert "/questions/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Why do my pods restart?"
    )


def test_visitor_sees_the_front_page(page, live_server, site_root, settings):
    settings.HALLWAY_RATE_LIMITS = {}

    data = make_community(slug="data", title="Data")
    open_question("sql", community=data, title="Slow joins on big tables")

    page.goto(live_server.url + "/")

    assert page.get_by_role("search").first.is_visible()
    assert page.get_by_role("heading", name="Recent questions").is_visible()
    assert page.get_by_role("link", name="Slow joins on big tables").is_visible()
    assert page.get_by_role(
        "link", name="Log in to see your personal hallway"
    ).is_visible()


def test_show_more_appends_items(page, live_server, login, site_root, settings):
    settings.HALLWAY_RATE_LIMITS = {}

    alice = UserFactory(username="alice", display_name="Alice Andersen")
    bram = UserFactory(username="bram", display_name="Bram de Vries")
    make_community(slug="platform", title="Platform", members=[alice])
    follow_person(alice, bram)
    for n in range(9):
        make_entry(bram, title=f"Note number {n}")

    login(page, "alice")
    page.goto(live_server.url + "/")
    items = page.locator(".hallway-item")
    assert items.count() == 6

    page.get_by_role("link", name="Show more").click()

    page.locator(".hallway-item").nth(8).wait_for()
    assert items.count() == 9
    assert page.url.rstrip("/") == live_server.url  # htmx: no navigation
    assert page.get_by_role("link", name="Note number 0").is_visible()
