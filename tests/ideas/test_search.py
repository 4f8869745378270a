"""Ideas in search (kind=idea) reach exactly the readers of their campaign's scope:
results, totals, facets, autocomplete and the database fallback. Real node."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import PageViewRestriction

from home.demo import load
from kb.ideas import services
from search.client import get_client
from search.index import read_alias
from search.indexing import drain_all
from search.queries import SearchParams
from search.services import autocomplete, database_search, search_content
from search.sources import idea_to_document
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.elasticsearch]

SECRET = "quokkaferry"
OPEN = "wombatlane"


@pytest.fixture
def world(elasticsearch):
    load()
    lead = UserFactory(username="lena")
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    community = make_community(lead=lead, members=[member])
    team = make_campaign(by=lead, community=community)
    org = make_campaign(by=admin, community=None, title="Company-wide question")
    secret = make_idea(
        campaign=team,
        author=member,
        title=f"Run a {SECRET} pilot",
        body=f"The {SECRET} plan.",
        tags=[SECRET],
    )
    public = make_idea(
        campaign=org, author=outsider, title=f"Open {OPEN} idea", body="For everyone."
    )
    drain_all()
    get_client().indices.refresh(index=read_alias())
    return {
        "lead": lead,
        "member": member,
        "outsider": outsider,
        "community": community,
        "secret": secret,
        "public": public,
    }


def _ids(viewer, q, **kwargs):
    response = search_content(SearchParams(q=q, **kwargs), viewer=viewer)
    return [(r["kind"], r["id"]) for r in response.results], response


def _refresh():
    drain_all()
    get_client().indices.refresh(index=read_alias())


def test_member_finds_community_idea_as_kind_idea(world):
    found, response = _ids(world["member"], SECRET, kind="idea")
    assert found == [("idea", world["secret"].pk)]
    assert response.facets["kind"] == {"idea": 1}


@pytest.mark.parametrize("reader", ["outsider", "anonymous"])
def test_community_idea_never_reaches_outsiders(world, reader):
    viewer = AnonymousUser() if reader == "anonymous" else world[reader]
    for q in (SECRET, "pilot", ""):
        found, response = _ids(viewer, q)
        assert ("idea", world["secret"].pk) not in found
        assert SECRET not in repr(response.as_dict()).lower()
    assert _ids(viewer, SECRET)[1].total == 0
    assert all(
        SECRET not in s["title"].lower() for s in autocomplete("run a", viewer=viewer)
    )


def test_organisation_idea_reaches_every_member_not_anonymous(world):
    assert _ids(world["member"], OPEN)[0] == [("idea", world["public"].pk)]
    assert _ids(AnonymousUser(), OPEN)[0] == []


def test_hidden_idea_leaves_search_and_comes_back(world):
    services.idea_hide(idea=world["secret"], by=world["lead"], reason="Off-topic here.")
    _refresh()
    assert _ids(world["member"], SECRET)[0] == []
    services.idea_unhide(idea=world["secret"], by=world["lead"])
    _refresh()
    assert _ids(world["member"], SECRET)[0] == [("idea", world["secret"].pk)]


def test_unpublished_community_takes_its_ideas_out(world):
    world["community"].unpublish()
    _refresh()
    assert _ids(world["member"], SECRET)[0] == []


def test_votes_reach_the_document(world):
    services.vote_cast(user=world["member"], idea=world["public"], value=1)
    _refresh()
    hit = search_content(SearchParams(q=OPEN), viewer=world["member"]).results[0]
    assert hit["score"] == 1


def test_database_fallback_uses_the_same_rule(world):
    rows = database_search(SearchParams(q=SECRET), viewer=world["outsider"]).results
    assert rows == []
    rows = database_search(SearchParams(q=SECRET), viewer=world["member"]).results
    assert [(r["kind"], r["id"]) for r in rows] == [("idea", world["secret"].pk)]


def test_mapper_readers(world):
    doc = idea_to_document(world["secret"])
    assert doc["readers"] == [f"community:{world['community'].pk}"]
    assert idea_to_document(world["public"])["readers"] == ["members"]


def test_typing_an_idea_shows_readable_knowledge_pages_on_it(client, world):
    """Similar-while-typing lists what is already written down: knowledge pages
    the typist may read, never a restricted one's title."""
    handbook = make_page(world["community"], title="Ferry timetable handbook")
    hidden = make_page(world["community"], title="Ferry timetable negotiations")
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type="groups"
    )
    restriction.groups.add(Group.objects.create(name="Board"))
    _refresh()
    client.force_login(world["member"])
    html = client.get("/ideas/similar/?title=ferry+timetable").content.decode()
    assert "Knowledge pages on this:" in html
    assert handbook.title in html and handbook.url in html
    assert hidden.title not in html
    client.force_login(world["outsider"])
    html = client.get("/ideas/similar/?title=ferry+timetable").content.decode()
    assert hidden.title not in html
