"""`make screenshots`: the main pages at 390 and 1366 px into docs/screenshots/.

Skipped unless HALLWAY_SCREENSHOTS names the folder to write to.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.pages import DESKTOP, PHONE, load_demo_site, main_pages, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("HALLWAY_SCREENSHOTS"),
        reason="screenshots are taken by `make screenshots`",
    ),
]


def test_take_screenshots(page, elasticsearch, live_server):
    folder = Path(os.environ["HALLWAY_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    load_demo_site()
    base = live_server.url
    people = [("signed-out", None), ("alice", "alice"), ("lead", "lead")]
    for who, username in people:
        page.context.clear_cookies()
        if username:
            sign_in(page, base, username)
        pages = main_pages(signed_in=bool(username))
        if who == "lead":
            pages = [("lead-dashboard", "/communities/dashboard/")]
        elif who == "alice":
            pages = [p for p in pages if p[0] != "login"]
        for name, path in pages:
            if who == "signed-out" and name not in {"home", "search", "login"}:
                continue
            for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                page.set_viewport_size(viewport)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(
                    path=str(folder / f"{name}-{who}-{label}.png"), full_page=True
                )
