"""The main pages on a phone and a desktop: nothing wider than the screen, no
serious or critical axe-core violation, signed in and out, on the demo content."""

import pytest

from kb.communities.models import KnowledgePage
from tests.e2e.pages import (
    DESKTOP,
    PHONE,
    axe_violations,
    load_demo_site,
    main_pages,
    page_width,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


# How many pixels of a canvas are not transparent.
INKED_PIXELS = """c => {
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let k = 3; k < d.length; k += 4) if (d[k]) n++;
  return n;
}"""


@pytest.fixture
def demo_site(elasticsearch, live_server):
    load_demo_site()
    return live_server.url


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "alice"])
def test_main_pages_fit_a_phone_and_pass_axe(page, demo_site, signed_in):
    if signed_in:
        sign_in(page, demo_site, "alice")
    problems: list[str] = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for name, path in main_pages(signed_in=signed_in):
            response = page.goto(demo_site + path)
            assert response is not None and response.ok, (name, path)
            page.wait_for_load_state("networkidle")
            if viewport is PHONE and page_width(page) > PHONE["width"]:
                problems.append(f"{name} is {page_width(page)} px wide at 390 px")
            for violation in axe_violations(page):
                problems.append(f"{name} @{viewport['width']}: {violation}")
    assert problems == [], "\n".join(problems)


def test_lead_dashboard_passes_axe(page, demo_site):
    sign_in(page, demo_site, "lead")
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(demo_site + "/communities/dashboard/")
        # Chart.js (vendored) drew every chart: a sized canvas with coloured
        # pixels in it, and the numbers open up below.
        charts = page.locator("canvas[data-chart]")
        assert charts.count() >= 3  # questions asked, first-answer wait, participation
        page.wait_for_function(
            "[...document.querySelectorAll('canvas[data-chart]')]"
            ".every(c => c.dataset.drawn === 'true')"
        )
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 100
            inked = charts.nth(i).evaluate(INKED_PIXELS)
            assert inked > 500, f"chart {i} looks empty"
        page.get_by_text("The numbers behind the charts").click()
        assert page.get_by_role("table", name="Questions per week").is_visible()
        assert page_width(page) <= PHONE["width"] or viewport is DESKTOP
        assert axe_violations(page) == []


def test_phone_menu_opens_and_closes(page, demo_site):
    page.set_viewport_size(PHONE)
    sign_in(page, demo_site, "alice")
    page.goto(demo_site + "/questions/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = page.get_by_role("button", name="Menu")
    assert not nav.is_visible()
    header = page.get_by_role("banner").bounding_box()
    assert header is not None and header["height"] < 80
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Questions", exact=True).is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    page.keyboard.press("Escape")
    assert not nav.is_visible()


def test_desktop_header_is_one_row_with_one_search_box(page, demo_site):
    page.set_viewport_size(DESKTOP)
    sign_in(page, demo_site, "alice")
    page.goto(demo_site + "/questions/")
    header = page.get_by_role("banner").bounding_box()
    assert header is not None and header["height"] < 70
    assert page.locator(".account-name").inner_text() == "Alice Andersen"
    for path in ("/", "/search/?q=deploy"):
        page.goto(demo_site + path)
        assert page.get_by_role("search").count() == 1
    # Nothing sticks out sideways, in English or in (longer) Dutch, at 1280 px.
    page.set_viewport_size({"width": 1280, "height": 800})
    for language in ("en", "nl"):
        page.goto(demo_site + "/questions/")
        if language == "nl":
            page.locator(".language-switcher button").click()
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        assert page_width(page) <= 1280, language
        header = page.get_by_role("banner").bounding_box()
        assert header is not None and header["height"] < 70, language


def test_favicon_is_served(page, demo_site):
    page.goto(demo_site + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href
    assert page.request.get(demo_site + href).ok


def test_wagtail_admin_is_branded_and_its_page_editor_passes_axe(page, demo_site):
    """Editors keep Wagtail in Hallway's name and colours, with no serious axe issue."""
    knowledge_page = KnowledgePage.objects.live().first()
    sign_in(page, demo_site, "lead")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{demo_site}/admin/pages/{knowledge_page.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.title().endswith("- Hallway")
    assert (
        page.evaluate(
            "getComputedStyle(document.documentElement)"
            ".getPropertyValue('--w-color-primary-hue').trim()"
        )
        == "216"
    )
    assert axe_violations(page) == []
