"""The hostile-input corpus on the HTML pages (issue 16): every form found on
the pages a member uses gets every field filled with NUL, control characters,
lone surrogates, huge strings and numbers, XSS and pathological Markdown, and
raw broken bodies (invalid UTF-8, 10 MB). Every answer is 2xx/3xx/4xx.

Work is bounded by the CPU time the server spends on one request (2 s: a
quadratic renderer shows here) rather than the wall clock, which a loaded CI
machine stretches; a request that hangs is caught by the wall clock (10 s)."""

import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from tests.communities.factories import make_community, make_page
from tests.hostile.corpus import ID_VALUES, MARKDOWN, RAW_BODIES, STRINGS, XSS
from tests.ideas.factories import make_campaign, make_idea
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

CPU_BOUND_S = 2.0
WALL_BOUND_S = 10.0
VALUES = [*STRINGS, *MARKDOWN.values(), *ID_VALUES, XSS[1], XSS[9]]
# Forms that end the session or remove what the next forms post to.
SKIPPED_ACTIONS = ("logout", "delete", "erase", "leave", "setlang")
TEXT_TYPES = {"text", "search", "email", "url", "number", "tel", "textarea", "select"}


class _Forms(HTMLParser):
    """The forms of a page: action, method and fields with their defaults."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get").lower(),
                    "fields": {},
                    "text": set(),
                }
            )
            return
        if not self.forms or "name" not in a:
            return
        form, name = self.forms[-1], a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind in {"file", "submit", "button", "image"}:
                return
            form["fields"][name] = a.get("value", "")
            if kind in TEXT_TYPES:
                form["text"].add(name)
        elif tag == "textarea":
            form["fields"][name] = ""
            form["text"].add(name)
        elif tag == "select":
            self._select = name
            form["fields"].setdefault(name, "")
            form["text"].add(name)
        elif tag == "option" and self._select and not form["fields"][self._select]:
            form["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _forms(client: Client, path: str) -> list[tuple[str, dict]]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Forms()
    parser.feed(response.content.decode())
    found = []
    for form in parser.forms:
        action = form["action"] or path
        if any(word in action for word in SKIPPED_ACTIONS) or urlsplit(action).netloc:
            continue
        found.append((action, form))
    return found


def _timed(client: Client, method: str, path: str, **kwargs):
    wall, cpu = time.monotonic(), time.process_time()
    response = client.generic(method, path, **kwargs)
    return response, time.process_time() - cpu, time.monotonic() - wall


@pytest.mark.django_db
def test_every_form_answers_hostile_input_without_server_errors(
    client, user, other_user
):
    community = make_community(lead=other_user, members=[user])
    question = make_question(community=community, author=other_user)
    make_answer(question=question, author=other_user)
    entry = make_entry(other_user, title="An entry to comment on")
    campaign = make_campaign(by=other_user, community=community)
    idea = make_idea(campaign=campaign, author=other_user)
    knowledge = make_page(community, author=other_user)
    client.force_login(user)
    pages = [
        "/",
        "/questions/",
        "/questions/ask/",
        question.get_absolute_url(),
        "/journals/",
        "/journals/write/",
        entry.get_absolute_url(),
        "/ideas/",
        campaign.get_absolute_url(),
        idea.get_absolute_url(),
        knowledge.url,
        community.url,
        "/search/",
        "/people/me/edit/",
        "/notifications/",
        "/notifications/settings/",
        "/tags/",
    ]
    forms: dict[tuple[str, str], dict] = {}
    for path in pages:
        for action, form in _forms(client, path):
            forms.setdefault((form["method"], action), form)
    assert len(forms) >= 10, sorted(forms)

    failures: list[str] = []
    sent = 0

    def check(method: str, action: str, label: str, **kwargs) -> None:
        nonlocal sent
        sent += 1
        response, cpu, wall = _timed(client, method, action, **kwargs)
        if response.status_code >= 500 or cpu > CPU_BOUND_S or wall > WALL_BOUND_S:
            status = response.status_code
            failures.append(
                f"{method} {action} {label}: {status} cpu {cpu:.1f}s wall {wall:.1f}s"
            )

    for (method, action), form in sorted(forms.items()):
        for value in VALUES:
            data = {**form["fields"], **dict.fromkeys(form["text"], value)}
            label = repr(value[:20])
            if method == "get":
                query = urlencode(data, encoding="utf-8", errors="surrogatepass")
                check("GET", action, label, QUERY_STRING=query)
            else:
                body = urlencode(data, encoding="utf-8", errors="surrogatepass")
                check(
                    "POST",
                    action,
                    label,
                    data=body,
                    content_type="application/x-www-form-urlencoded",
                )
        if method == "post":
            for label in ("invalid UTF-8", "10 MB", "not JSON"):
                check(
                    "POST",
                    action,
                    label,
                    data=RAW_BODIES[label],
                    content_type="application/x-www-form-urlencoded",
                )
    assert failures == [], f"{len(failures)} of {sent} requests"
