"""A private journal entry with a unique word never reaches another reader:
not in results, totals, facets, highlights, autocomplete, similar questions or
expert evidence. Runs against a real node."""

import pytest
from django.contrib.auth.models import AnonymousUser

from home.demo import load
from journals.services import entry_create, entry_update
from kb.qa.services import answer_accept
from search.client import get_client
from search.expertise import expert_list as experts
from search.index import read_alias
from search.indexing import drain_all
from search.people import people_alias, people_reindex
from search.queries import SearchParams
from search.services import (
    autocomplete,
    did_you_mean,
    search_content,
    similar_questions,
)
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_answer, make_question

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.elasticsearch]

SECRET = "xylophonequartz"


@pytest.fixture
def world(elasticsearch):
    load()
    author = UserFactory(username="writer")
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    community = make_community(members=[author, member])
    entries = {
        "private": entry_create(
            author=author,
            title=f"My {SECRET} notes",
            body=f"private {SECRET} thoughts",
            tags=[SECRET],
            visibility="private",
        ),
        "community": entry_create(
            author=author,
            title="Team xylonote",
            body="for the team: xylonote",
            tags=["teamtag"],
            visibility="community",
            community=community,
        ),
        "organisation": entry_create(
            author=author,
            title="Open orgnote",
            body="for everyone: orgnote",
            visibility="organisation",
        ),
    }
    question = make_question(
        community=community, author=member, title="Public question about deployments"
    )
    drain_all()
    get_client().indices.refresh(index=read_alias())
    return {
        "author": author,
        "member": member,
        "outsider": outsider,
        "community": community,
        "entries": entries,
        "question": question,
    }


def _search(viewer, q):
    return search_content(SearchParams(q=q), viewer=viewer)


def _leaks(response) -> bool:
    text = repr(response.as_dict()).lower()
    return SECRET in text


@pytest.mark.parametrize("reader", ["member", "outsider", "anonymous"])
def test_private_entry_never_reaches_another_reader(world, reader):
    viewer = AnonymousUser() if reader == "anonymous" else world[reader]
    for q in (SECRET, f"{SECRET[:-1]}", "notes", ""):
        response = _search(viewer, q)
        assert not _leaks(response), (reader, q)
        assert world["entries"]["private"].pk not in [
            r["id"] for r in response.results if r["kind"] == "entry"
        ]
    assert _search(viewer, SECRET).total == 0
    tag_facet = search_content(SearchParams(q=""), viewer=viewer).facets["tags"]
    assert SECRET not in tag_facet
    for prefix in ("my xylo", "xylophone", "My"):
        assert all(
            SECRET not in s["title"].lower()
            for s in autocomplete(prefix, viewer=viewer)
        )
    similar = similar_questions(title=f"{SECRET} notes", viewer=viewer) or []
    assert all(SECRET not in s["title"] for s in similar)
    assert not any(
        SECRET in tag
        for expert in experts(q=SECRET, viewer=viewer) or []
        for tag in expert["evidence"]["top_tags"]
    )


def test_the_author_finds_their_private_entry(world):
    response = _search(world["author"], SECRET)
    assert [r["id"] for r in response.results] == [world["entries"]["private"].pk]
    assert "<mark>" in response.results[0]["snippet"]
    assert autocomplete("My xylo", viewer=world["author"])[0]["title"].startswith("My")


def test_community_entries_reach_members_only(world):
    assert _search(world["member"], "xylonote").total == 1
    assert _search(world["outsider"], "xylonote").total == 0
    assert _search(AnonymousUser(), "xylonote").total == 0


def test_organisation_entries_reach_signed_in_people_only(world):
    assert _search(world["outsider"], "orgnote").total == 1
    assert _search(AnonymousUser(), "orgnote").total == 0


def test_making_an_entry_private_removes_it_from_search(world):
    entry = world["entries"]["organisation"]
    entry_update(entry=entry, by=world["author"], visibility="private")
    drain_all()
    get_client().indices.refresh(index=read_alias())
    assert _search(world["outsider"], "orgnote").total == 0
    assert _search(world["author"], "orgnote").total == 1


def test_experts_are_ranked_by_what_they_answered(world):
    question = world["question"]
    answerer = UserFactory(username="deployguru", display_name="Deploy Guru")
    answer = make_answer(
        question=question, author=answerer, body="Roll deployments out gradually."
    )

    answer_accept(answer=answer, by=world["member"])
    drain_all()
    get_client().indices.refresh(index=read_alias())
    found = experts(q="deployments", viewer=world["outsider"])
    assert found[0]["username"] == "deployguru"
    assert found[0]["evidence"]["accepted"] == 1
    assert found[0]["evidence"]["answers"] == 1


def test_expert_evidence_and_ranking_hold_only_what_the_reader_may_see(world):
    writer = world["author"]
    for reader in ("outsider", "member"):
        for query in (SECRET, "xylonote"):
            for person in experts(q=query, viewer=world[reader]) or []:
                titles = [item["title"] for item in person["evidence"]["items"]]
                assert not any(SECRET in title for title in titles)
                if reader == "outsider":
                    assert "Team xylonote" not in titles
    assert experts(q=SECRET, viewer=world["member"]) == []
    assert experts(q="xylonote", viewer=world["outsider"]) == []
    seen = experts(q="xylonote", viewer=world["member"])
    assert [p["username"] for p in seen] == [writer.username]
    assert seen[0]["evidence"]["entries"] == 1
    assert experts(q=SECRET, viewer=writer)[0]["evidence"]["items"][0]["title"] == (
        f"My {SECRET} notes"
    )


def test_did_you_mean_only_suggests_readable_words(world):
    misspelt = SECRET[:-1] + "s"  # one letter off
    assert did_you_mean(misspelt, viewer=world["author"]) == SECRET
    for reader in ("member", "outsider"):
        assert did_you_mean(misspelt, viewer=world[reader]) in (None, misspelt)
    response = _search(world["outsider"], "orgnotte")
    assert response.suggestion == "orgnote"


def test_the_people_index_holds_no_private_or_community_text(world):
    client = get_client()
    assert people_reindex(client) >= 1
    doc = client.get(index=people_alias(), id="writer")["_source"]
    text = repr(doc).lower()
    assert SECRET not in text and "xylonote" not in text
    assert "orgnote" in text
    hits = client.search(
        index=people_alias(), query={"match": {"entries_text": SECRET}}
    )
    assert hits["hits"]["total"]["value"] == 0


def test_experts_use_the_people_index_for_signed_in_readers(world):
    answerer = UserFactory(username="steady", display_name="Steady Helper")
    for n in range(3):
        question = make_question(
            community=world["community"],
            author=world["member"],
            title=f"Deployments question number {n}",
        )
        answer = make_answer(
            question=question,
            author=answerer,
            body="Deployments go smoothly with canaries.",
        )
        answer_accept(answer=answer, by=world["member"])
    drain_all()
    get_client().indices.refresh(index=read_alias())
    people_reindex(get_client())
    found = experts(q="deployments", viewer=world["outsider"])
    assert found[0]["username"] == "steady"
    assert found[0]["evidence"]["accepted"] == 3
