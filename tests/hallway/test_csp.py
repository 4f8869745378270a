"""The site's Content-Security-Policy allows scripts from our own files only,
and no page relies on inline scripts or handlers (issue 16, abuse); the
Wagtail admin alone keeps a looser policy for its own inline scripts."""

import re

import pytest

from home.demo import load
from tests.communities.factories import make_community, make_page
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>",
    re.IGNORECASE,
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def _script_src(policy: str) -> str:
    return next(p for p in policy.split(";") if p.strip().startswith("script-src"))


def test_site_policy_has_no_inline_scripts(client):
    load()
    policy = client.get("/")["Content-Security-Policy"]
    assert _script_src(policy).split() == ["script-src", "'self'"]
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy


def test_no_page_has_an_inline_script_or_handler(client, user, settings):
    settings.ELASTICSEARCH_URL = ""

    load()
    community = make_community(lead=user)
    question = make_question(community=community, author=user)
    make_answer(question=question)
    page = make_page(community, author=user)
    entry = make_entry(user, title="Mine")
    client.force_login(user)
    urls = [
        "/",
        "/questions/",
        question.get_absolute_url(),
        "/questions/ask/",
        "/knowledge/",
        community.url,
        page.url,
        "/journals/",
        "/journals/write/",
        entry.get_absolute_url(),
        f"/journals/entries/{entry.pk}/edit/",
        "/search/?q=deploy",
        "/people/",
        f"/people/{user.username}/",
        "/notifications/",
        "/notifications/settings/",
        "/communities/dashboard/",
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html))
        assert "'unsafe-inline'" not in _script_src(response["Content-Security-Policy"])
    client.logout()
    login = client.get("/accounts/login/").content.decode()
    assert not INLINE_SCRIPT.search(login) and not INLINE_HANDLER.search(login)


def test_admin_keeps_its_own_looser_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in _script_src(response["Content-Security-Policy"])
