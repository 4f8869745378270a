"""The main pages, visited by the layout, accessibility and screenshot tests."""

from pathlib import Path

from hallway.demo import load_demo
from kb.communities.models import CommunityPage, KnowledgePage
from kb.qa.models import Question

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
DEMO_PASSWORD = "hallway-demo"  # noqa: S105 - the demo's published password


def load_demo_site() -> None:
    """Load the demo content and index it, as `make run` does."""
    from django.core.management import call_command

    load_demo(log=lambda _line: None)
    call_command("search_reindex", verbosity=0)


def main_pages(*, signed_in: bool) -> list[tuple[str, str]]:
    """(name, path) of the main pages, with demo objects picked from the database."""
    demo_people = ["alice", "bram", "chen", "lead"]
    question = (
        Question.objects.filter(
            accepted_answer__isnull=False, author__username__in=demo_people
        )
        .order_by("pk")
        .first()
        or Question.objects.order_by("pk").first()
    )
    live_pages = list(KnowledgePage.objects.live().order_by("path"))
    with_code = [p for p in live_pages if "<pre" in p.body_html]
    knowledge = (with_code or live_pages)[0]
    community = CommunityPage.objects.live().order_by("path").first()
    pages = [
        ("home", "/"),
        ("questions", "/questions/"),
        ("question-detail", question.get_absolute_url()),
        ("search", "/search/?q=deploy"),
        ("knowledge", "/knowledge/"),
        ("knowledge-page", knowledge.url),
        ("community", community.url),
        ("knowledge-tree", f"/communities/{knowledge.community.slug}/pages/"),
        ("journals", "/journals/"),
        ("ideas", "/ideas/"),
        ("people", "/people/"),
    ]
    if signed_in:
        pages += [
            # Hallway's own page editor (alice is a member of its community).
            ("knowledge-edit", f"/communities/pages/{knowledge.pk}/edit/"),
            ("ask", "/questions/ask/"),
            ("write-entry", "/journals/write/"),
            ("notifications", "/notifications/"),
        ]
    else:
        pages += [("login", "/accounts/login/")]
    return pages


def sign_in(tab, base_url: str, username: str) -> None:
    tab.goto(f"{base_url}/accounts/login/")
    tab.evaluate("localStorage.clear()")  # no draft an earlier test left behind
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_load_state()


def axe_violations(tab, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; violations of the given impacts."""
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.evaluate(AXE_JS.read_text())
    found = tab.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [v for v in found if v["impact"] in impacts]


def page_width(tab) -> int:
    return tab.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )
