"""Narrowing who may read something takes effect in search before the request
returns, and hits are re-checked against the database (issue 16, leaks 1-3;
issue 17, one visibility rule per kind). Real node, real HTTP, no worker."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import PageViewRestriction

from home.demo import load
from journals.models import Entry
from journals.services import entry_update
from kb.communities.services import membership_leave
from kb.qa.models import Question
from kb.qa.services import answer_delete
from search.client import get_client
from search.documents import document_id
from search.index import read_alias
from search.indexing import drain_all
from search.models import OutboxEntry
from search.queries import SearchParams
from search.services import (
    autocomplete,
    database_search,
    did_you_mean,
    search_content,
    similar_questions,
)
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.elasticsearch]


@pytest.fixture
def world(elasticsearch):
    load()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    author = UserFactory(username="writer")
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    community = make_community(lead=admin, members=[author, member])
    other = make_community(slug="other", title="Other")
    return {
        "admin": admin,
        "author": author,
        "member": member,
        "outsider": outsider,
        "community": community,
        "other": other,
    }


def _index():
    drain_all()
    get_client().indices.refresh(index=read_alias())


def _found(viewer, word) -> set[tuple[str, int]]:
    response = search_content(SearchParams(q=word), viewer=viewer)
    assert response.backend == "elasticsearch"
    return {(r["kind"], r["id"]) for r in response.results}


def _in_index(kind, pk) -> bool:
    return get_client().exists(index=read_alias(), id=document_id(kind, pk)).body


def _suggested(viewer, prefix) -> list[str]:
    return [s["title"] for s in autocomplete(prefix, viewer=viewer)]


# -- leak 1: Wagtail privacy on a published page ------------------------------


@pytest.mark.parametrize("restriction", ["login", "groups"])
def test_restricting_a_page_removes_it_from_search_before_the_request_returns(
    client, world, restriction
):
    page = make_page(world["community"], title="Quokkafarm rollout plan")
    _index()
    assert ("page", page.pk) in _found(AnonymousUser(), "quokkafarm")
    client.force_login(world["admin"])
    data = {"restriction_type": restriction}
    if restriction == "groups":
        from django.contrib.auth.models import Group

        data["groups"] = [Group.objects.create(name="Inner circle").pk]
    response = client.post(f"/admin/pages/{page.pk}/privacy/", data)
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=page).exists()
    # No worker ran: the request itself took the page out of the index.
    assert not _in_index("page", page.pk)
    for viewer in (AnonymousUser(), world["member"], world["outsider"]):
        assert ("page", page.pk) not in _found(viewer, "quokkafarm")
        assert "Quokkafarm rollout plan" not in _suggested(viewer, "quokkaf")
    assert not OutboxEntry.objects.pending().filter(kind="page").exists()


def test_lifting_the_restriction_brings_the_page_back_through_the_outbox(client, world):
    page = make_page(world["community"], title="Quokkafarm rollout plan")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    _index()
    assert ("page", page.pk) not in _found(world["member"], "quokkafarm")
    PageViewRestriction.objects.filter(page=page).delete()
    _index()
    assert ("page", page.pk) in _found(world["member"], "quokkafarm")


def test_unpublishing_a_page_removes_it_at_once(client, world):
    page = make_page(world["community"], title="Quokkafarm rollout plan")
    _index()
    client.force_login(world["admin"])
    response = client.post(f"/admin/pages/{page.pk}/unpublish/")
    assert response.status_code == 302
    assert not _in_index("page", page.pk)
    assert ("page", page.pk) not in _found(AnonymousUser(), "quokkafarm")


def test_a_page_moved_under_a_restricted_page_leaves_search_at_once(world):
    """Wagtail's move saves only the base page row: no content signal fires."""
    inner = make_page(world["community"], title="Inner circle notes")
    PageViewRestriction.objects.create(page=inner, restriction_type="login")
    page = make_page(world["community"], title="Quokkamove migration plan")
    _index()
    assert ("page", page.pk) in _found(AnonymousUser(), "quokkamove")
    page.move(inner, pos="last-child")
    # No worker ran: the move itself took the page out of the index.
    assert not _in_index("page", page.pk)
    assert not OutboxEntry.objects.pending().filter(kind="page").exists()
    for viewer in (AnonymousUser(), world["member"]):
        assert ("page", page.pk) not in _found(viewer, "quokkamove")


# -- leak 2: an unpublished community ---------------------------------------


def test_questions_and_pages_of_an_unpublished_community_leave_search(client, world):
    community = world["community"]
    question = make_question(
        community=community,
        author=world["member"],
        title="Wombatgrid capacity question",
    )
    page = make_page(community, title="Wombatgrid handbook")
    _index()
    assert {("question", question.pk), ("page", page.pk)} <= _found(
        AnonymousUser(), "wombatgrid"
    )
    client.force_login(world["admin"])
    response = client.post(f"/admin/pages/{community.pk}/unpublish/")
    assert response.status_code == 302
    community.refresh_from_db()
    assert not community.live
    client.logout()
    # The page itself, search (node and database), autocomplete: all agree.
    assert client.get(question.get_absolute_url()).status_code == 404
    assert client.get(page.url).status_code == 404
    assert not _in_index("question", question.pk)
    assert not _in_index("page", page.pk)
    for viewer in (AnonymousUser(), world["member"], world["admin"]):
        assert not _found(viewer, "wombatgrid")
        assert not _suggested(viewer, "wombatg")
        fallback = database_search(SearchParams(q="Wombatgrid"), viewer=viewer)
        assert fallback.total == 0 and not fallback.results


def test_a_question_in_a_non_live_community_is_absent_from_search(world):
    """Issue 17: the question rule (live community) is the index's rule too."""
    community = world["other"]
    question = make_question(community=community, title="Narwhalcache question")
    community.live = False
    community.save(update_fields=["live"])  # no Wagtail signal: rule still holds
    _index()
    assert not _in_index("question", question.pk)
    assert not _found(AnonymousUser(), "narwhalcache")
    response = database_search(SearchParams(q="Narwhalcache"), viewer=AnonymousUser())
    assert response.total == 0


# -- leak 3: narrowing never waits for the worker ---------------------------


def test_an_entry_made_private_leaves_others_search_before_the_request_returns(
    client, world, bearer
):
    entry = make_entry(
        world["author"], title="Yakshaver budget notes", visibility="organisation"
    )
    _index()
    assert ("entry", entry.pk) in _found(world["member"], "yakshaver")
    response = client.patch(
        f"/api/v1/journal/entries/{entry.pk}",
        {"visibility": "private"},
        content_type="application/json",
        **bearer(world["author"]),
    )
    assert response.status_code == 200
    assert ("entry", entry.pk) not in _found(world["member"], "yakshaver")
    assert "Yakshaver budget notes" not in _suggested(world["member"], "yakshav")
    assert ("entry", entry.pk) in _found(world["author"], "yakshaver")
    assert not OutboxEntry.objects.pending().exists()


def test_a_deleted_question_leaves_search_before_the_request_returns(client, world):
    question = make_question(
        community=world["community"],
        author=world["author"],
        title="Platypusqueue retention",
    )
    _index()
    client.force_login(world["author"])
    response = client.post(f"/questions/{question.pk}/delete/")
    assert response.status_code in (302, 200)
    assert Question.objects.get(pk=question.pk).is_deleted
    assert not _in_index("question", question.pk)
    assert not _found(world["member"], "platypusqueue")


def test_a_deleted_answer_leaves_its_questions_document_at_once(client, world):
    question = make_question(community=world["community"], title="Plain question")
    answer = make_answer(
        question=question, author=world["author"], body="The secret is okapiflux."
    )
    _index()
    assert ("question", question.pk) in _found(world["member"], "okapiflux")

    answer_delete(answer=answer, by=world["author"])
    assert ("question", question.pk) not in _found(world["member"], "okapiflux")


def test_a_removed_member_no_longer_finds_community_entries(client, world):
    entry = make_entry(
        world["author"],
        title="Kinkajou team retro",
        visibility="community",
        community=world["community"],
    )
    _index()
    assert ("entry", entry.pk) in _found(world["member"], "kinkajou")
    membership_leave(community=world["community"], user=world["member"])
    assert ("entry", entry.pk) not in _found(world["member"], "kinkajou")


def test_with_the_node_down_narrowing_waits_in_the_outbox(world, settings):
    entry = make_entry(
        world["author"],
        title="Capybaraplan",
        visibility="organisation",
        tags=["capybara-merger"],
    )
    make_entry(world["author"], title="Capybaraplan, the public part")
    _index()
    url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    entry_update(entry=entry, by=world["author"], visibility="private")
    row = OutboxEntry.objects.pending().get(kind="entry", object_id=str(entry.pk))
    assert row.attempts == 1 and row.last_error
    settings.ELASTICSEARCH_URL = url
    # The stale document is still in the index, but never shown ...
    assert _in_index("entry", entry.pk)
    assert ("entry", entry.pk) not in _found(world["member"], "capybaraplan")
    # Nor counted: not in the total, nor its private tag in the facets.
    response = search_content(SearchParams(q="capybaraplan"), viewer=world["member"])
    assert response.total == 1
    assert "capybara-merger" not in response.facets["tags"]
    assert response.facets["kind"].get("entry") == 1
    # ... and the worker narrows it once the node is back.
    OutboxEntry.objects.update(next_attempt_at=row.created_at)
    _index()
    doc = get_client().get(index=read_alias(), id=document_id("entry", entry.pk))
    assert doc["_source"]["readers"] == [f"user:{world['author'].pk}"]


# -- hits re-checked against the database ------------------------------------


def test_a_stale_index_never_shows_what_the_database_hides(world):
    question = make_question(community=world["community"], title="Dugongrelay setup")
    entry = make_entry(
        world["author"], title="Dugongrelay diary", visibility="organisation"
    )
    _index()
    assert len(_found(world["member"], "dugongrelay")) == 2
    assert did_you_mean("dugongrelai", viewer=world["member"]) == "dugongrelay"
    # Writes that bypass every signal: the index is now stale.
    Question.objects.filter(pk=question.pk).update(is_deleted=True)
    Entry.objects.filter(pk=entry.pk).update(visibility="private")
    assert _in_index("question", question.pk) and _in_index("entry", entry.pk)
    response = search_content(SearchParams(q="dugongrelay"), viewer=world["member"])
    assert response.results == [] and response.total == 0
    assert _suggested(world["member"], "dugongr") == []
    assert did_you_mean("dugongrelai", viewer=world["member"]) is None

    similar = similar_questions(title="Dugongrelay setup", viewer=world["member"])
    assert similar == []
