"""The search page, API, autocomplete, click tracking and the leads' report."""

import pytest
from django.urls import reverse

from home.demo import load
from journals.models import Entry
from kb.qa.services import answer_accept
from search.client import get_client
from search.index import read_alias
from search.indexing import drain_all
from search.models import SearchLog
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def indexed(elasticsearch, user):
    from django.contrib.auth.models import AnonymousUser  # noqa: F401

    load()
    lead = UserFactory(username="lena")
    community = make_community(lead=lead, members=[user])
    question = make_question(
        community=community,
        author=user,
        title="How to configure the ocelotproxy?",
        tags=["proxy"],
    )
    drain_all()
    get_client().indices.refresh(index=read_alias())
    return {"question": question, "lead": lead}


@pytest.mark.elasticsearch
def test_search_page_shows_results_and_logs_the_search(client, indexed, user):
    client.force_login(user)
    response = client.get("/search/", {"q": "ocelotproxy"})
    assert response.status_code == 200
    assert b"How to configure the" in response.content
    log = SearchLog.objects.get()
    assert log.query == "ocelotproxy" and log.result_count == 1
    assert len(log.user_hash) == 64  # salted hash, no user id or name


@pytest.mark.elasticsearch
def test_clicking_a_result_is_recorded_and_redirects(client, indexed, user):
    client.force_login(user)
    client.get("/search/", {"q": "ocelotproxy"})
    log = SearchLog.objects.get()
    response = client.get(f"/search/go/{log.pk}/0/")
    assert response.status_code == 302
    assert response["Location"] == indexed["question"].get_absolute_url()
    log.refresh_from_db()
    assert log.clicked_rank == 0 and log.clicked_kind == "question"
    assert client.get(f"/search/go/{log.pk}/7/").status_code == 404


@pytest.mark.elasticsearch
def test_api_search_shape(client, indexed, user, bearer):
    response = client.get("/api/v1/search", {"q": "ocelotproxy"}, **bearer(user))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"total", "results", "facets", "suggestion", "took_ms"}
    assert body["total"] == 1
    result = body["results"][0]
    assert set(result) == {
        "kind",
        "id",
        "title",
        "url",
        "snippet",
        "score",
        "author",
        "tags",
        "community",
        "created_at",
    }
    assert result["kind"] == "question" and result["tags"] == ["proxy"]
    # The node sends only these fields of each hit's source: each is there.
    question = indexed["question"]
    assert result["title"] == question.title and result["id"] == question.pk
    assert result["author"] == question.author.username
    assert result["community"] and result["created_at"]
    # Facets cost a pass over the matches: only for callers that show them.
    assert body["facets"] == {
        "kind": {},
        "tags": {},
        "community": {},
        "language": {},
    }
    with_facets = client.get(
        "/api/v1/search", {"q": "ocelotproxy", "facets": "true"}, **bearer(user)
    ).json()
    assert with_facets["facets"]["kind"] == {"question": 1}


@pytest.mark.elasticsearch
def test_api_autocomplete(client, indexed, user, bearer):
    response = client.get(
        "/api/v1/search/autocomplete", {"q": "how to con"}, **bearer(user)
    )
    assert response.status_code == 200
    titles = [r["title"] for r in response.json()["results"]]
    assert titles == ["How to configure the ocelotproxy?"]


def test_api_search_validates_input(client, user, bearer):
    response = client.get("/api/v1/search", {"kind": "spaceship"}, **bearer(user))
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]
    assert (
        client.get("/api/v1/search", {"page_size": 500}, **bearer(user)).status_code
        == 422
    )


def test_api_search_needs_authentication(client, db):
    assert client.get("/api/v1/search", {"q": "x"}).status_code == 401


def test_search_page_works_without_a_node(client, settings, user):
    settings.ELASTICSEARCH_URL = ""
    client.force_login(user)
    response = client.get("/search/", {"q": "anything"})
    assert response.status_code == 200
    assert b"database fallback" in response.content
    assert b"Ask this as a question" in response.content


def test_search_page_survives_an_unreachable_node(client, settings, user):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    response = client.get("/search/", {"q": "anything"})
    assert response.status_code == 200
    assert b"unavailable" in response.content


def test_report_is_for_community_leads(client, user, settings):
    settings.ELASTICSEARCH_URL = ""

    load()
    lead = UserFactory(username="lena")
    make_community(lead=lead)
    client.force_login(user)
    assert client.get("/search/report/").status_code == 403
    for person in (user, lead, UserFactory(username="carla")):
        client.force_login(person)
        client.get("/search/", {"q": "nothing matches this"})
    client.force_login(lead)
    response = client.get("/search/report/")
    assert response.status_code == 200
    assert b"nothing matches this" in response.content
    assert b"Ask this as a question" in response.content


@pytest.mark.elasticsearch
def test_who_knows_page_ranks_the_answerer(client, indexed, user, other_user):
    answer = make_answer(
        question=indexed["question"],
        author=other_user,
        body="Set ocelotproxy timeouts.",
    )
    answer_accept(answer=answer, by=user)
    drain_all()

    get_client().indices.refresh(index=read_alias())
    client.force_login(user)
    response = client.get("/search/experts/", {"q": "ocelotproxy"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bram de Vries" in html and "1 accepted answer" in html


def test_who_knows_page_needs_login(client, db):
    response = client.get("/search/experts/", {"q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _same_query_count(client, django_assert_num_queries, one_url, many_url):
    """The page costs as many SQL queries with many hits as with a few."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(one_url)  # warm the session and site caches
    client.get(many_url)
    with CaptureQueriesContext(connection) as one:
        client.get(one_url)
    with django_assert_num_queries(len(one)):
        return client.get(many_url)


@pytest.mark.elasticsearch
def test_search_page_query_count_does_not_grow_with_hits(
    client, elasticsearch, user, django_assert_num_queries, settings
):
    # A busy machine must not turn a slow search into the database fallback.
    settings.ELASTICSEARCH_TIMEOUT = 60

    community = make_community(lead=UserFactory(), members=[user])
    for n in range(3):  # three hits: no "did you mean" (it runs under three)
        make_question(
            community=community,
            author=user,
            tags=["zebra"],
            title=f"Where is the lonelyzebra config {n}?",
        )
    for n in range(12):
        question = make_question(
            community=community,
            author=UserFactory(),
            tags=list("abc") + [f"t{n}"],
            title=f"Crowded giraffe question number {n}",
        )
        make_answer(question=question, body=f"Giraffe answer number {n}, long enough.")
    Entry.objects.create(
        author=user, title="Giraffe notes", body="giraffe", body_html="<p>giraffe</p>"
    )
    drain_all()
    get_client().indices.refresh(index=read_alias())
    client.force_login(user)
    response = _same_query_count(
        client,
        django_assert_num_queries,
        "/search/?q=lonelyzebra",
        "/search/?q=giraffe",
    )
    assert response.content.decode().count('class="result result-') >= 12


@pytest.mark.elasticsearch
def test_question_page_query_count_does_not_grow_with_related_questions(
    client, elasticsearch, user, other_user, django_assert_num_queries, settings
):
    settings.ELASTICSEARCH_TIMEOUT = 60

    community = make_community(lead=UserFactory(), members=[user])
    alone = make_question(
        community=community,
        author=user,
        title="Configuring the quokkafilter plugin",
    )
    # One related question against five: hits are re-checked in one query
    # whatever their number (and none is asked when there is no hit at all).
    make_question(
        community=community,
        author=UserFactory(),
        title="Configuring the quokkafilter plugin twice",
    )
    popular = make_question(
        community=community,
        author=user,
        title="Tuning the wombatcache eviction",
    )
    for n in range(5):
        make_question(
            community=community,
            author=UserFactory(),
            tags=[f"w{n}"],
            title=f"Wombatcache eviction question {n}",
        )
    drain_all()
    get_client().indices.refresh(index=read_alias())
    client.force_login(other_user)
    _same_query_count(
        client,
        django_assert_num_queries,
        alone.get_absolute_url(),
        popular.get_absolute_url(),
    )
    # The list itself comes after the page (htmx), at a constant cost too.
    response = _same_query_count(
        client,
        django_assert_num_queries,
        reverse("qa:question-related", args=[alone.pk]),
        reverse("qa:question-related", args=[popular.pk]),
    )
    assert response.content.decode().count("Wombatcache eviction question") == 5


@pytest.mark.elasticsearch
def test_search_pages_keep_every_filter(client, elasticsearch, user):
    """Page 2 of a filtered search is still filtered (language included)."""
    community = make_community(members=[user])
    for n in range(25):
        make_question(
            community=community,
            author=user,
            title=f"Verlof aanvragen stap {n}",
            body="Hoe vraag ik verlof aan bij mijn leidinggevende?",
            language="nl",
        )
    drain_all()
    get_client().indices.refresh(index=read_alias())
    client.force_login(user)
    html = client.get(
        "/search/", {"q": "verlof", "kind": "question", "language": "nl"}
    ).content.decode()
    assert 'rel="next"' in html
    next_link = html.split('rel="next" href="', 1)[1].split('"', 1)[0]
    assert "language=nl" in next_link and "kind=question" in next_link
