"""Search logs never expose one person: clicks only on one's own results, and the
leads' report shows only queries several people made (issue 16, leaks 6 and 7)."""

import pytest

from home.demo import load
from search.analytics import search_log_record
from search.models import SearchLog
from tests.communities.factories import make_community
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHOWN = [
    {"kind": "entry", "id": 41, "url": "/journals/entries/41/"},
    {"kind": "question", "id": 7, "url": "/questions/7/q/"},
]


def _log(viewer, query="secret plan") -> SearchLog:
    return search_log_record(
        query=query,
        filters={},
        results=SHOWN,
        total=2,
        backend="database",
        viewer=viewer,
    )


def test_go_needs_login(client, user):
    log = _log(user)
    response = client.get(f"/search/go/{log.pk}/0/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    log.refresh_from_db()
    assert log.clicked_rank is None


def test_go_refuses_someone_elses_log(client, user, other_user):
    log = _log(user)
    client.force_login(other_user)
    response = client.get(f"/search/go/{log.pk}/0/")
    assert response.status_code == 404
    assert "/journals/entries/41/" not in response.get("Location", "")
    log.refresh_from_db()
    assert log.clicked_rank is None  # no fake click recorded


def test_go_refuses_a_signed_out_search_log(client, user):
    from django.contrib.auth.models import AnonymousUser

    log = _log(AnonymousUser())
    client.force_login(user)
    assert client.get(f"/search/go/{log.pk}/1/").status_code == 404
    log.refresh_from_db()
    assert log.clicked_rank is None


def test_go_follows_and_records_my_own_click(client, user):
    log = _log(user)
    client.force_login(user)
    response = client.get(f"/search/go/{log.pk}/1/")
    assert response.status_code == 302 and response["Location"] == "/questions/7/q/"
    log.refresh_from_db()
    assert (log.clicked_rank, log.clicked_kind, log.clicked_id) == (1, "question", "7")


def test_search_page_links_results_directly_for_signed_out_readers(client, settings):
    settings.ELASTICSEARCH_URL = ""

    load()
    response = client.get("/search/", {"q": "a"})
    assert response.status_code == 200
    assert b"/search/go/" not in response.content


def test_report_hides_queries_fewer_than_k_people_made(client, db):
    lead = UserFactory(username="lena")
    make_community(lead=lead)
    alice, bram, chen = (UserFactory() for _ in range(3))
    for _ in range(5):  # one person, many times: still one person
        _log(alice, "divorce lawyer alice")
    for person in (alice, bram):
        _log(person, "two people asked")
    for person in (alice, bram, chen):
        _log(person, "deploy staging")
    from django.contrib.auth.models import AnonymousUser

    for _ in range(4):  # signed-out searches never make a query common
        _log(AnonymousUser(), "anonymous only")
    client.force_login(lead)
    html = client.get("/search/report/").content.decode()
    assert "deploy staging" in html
    for rare in ("divorce lawyer alice", "two people asked", "anonymous only"):
        assert rare not in html


def test_report_minimum_is_a_setting(client, db, settings):
    settings.SEARCH_REPORT_MIN_PEOPLE = 1
    lead = UserFactory(username="lena")
    make_community(lead=lead)
    _log(lead, "just me")
    client.force_login(lead)
    assert "just me" in client.get("/search/report/").content.decode()
