"""The directory: filters, search by name, and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.communities.models import Membership
from people.services import profile_update
from tests.factories import UserFactory
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [person.username for person in response.context["page"]]


def test_filters_and_search(client, community, user, other_user, third_user):
    profile_update(user=user, office="Utrecht", department="Platform")
    profile_update(user=other_user, office="Lisbon", department="Data")
    UserFactory(username="se-cardano-1", display_name="Alice Ghost", is_active=False)
    question = make_question(community=community, author=third_user, tags=["k8s"])
    make_answer(question=question, author=other_user)
    client.force_login(user)

    assert names(client.get("/people/?office=utrecht")) == ["alice"]
    assert names(client.get("/people/?department=Data")) == ["bram"]
    assert names(client.get("/people/?tag=k8s")) == ["bram"]
    assert set(names(client.get("/people/?community=platform"))) == {
        "alice",
        "bram",
        "lena",
    }
    assert names(client.get("/people/?q=alice")) == ["alice"]  # not the ghost
    page = client.get("/people/").content.decode()
    assert "Utrecht" in page and 'value="Lisbon"' in page
    assert "/people/alice/" in page


def test_directory_query_count_is_constant(
    client, community, user, django_assert_num_queries
):
    client.force_login(user)
    client.get("/people/")  # warm caches (session, site root)
    with CaptureQueriesContext(connection) as one:
        client.get("/people/")
    one_count = len(one.captured_queries)
    for i in range(15):
        person = UserFactory(username=f"p{i}")
        profile_update(user=person, office=f"Office {i % 3}", department="Ops")
        Membership.objects.create(community=community, user=person)
    with django_assert_num_queries(one_count):
        response = client.get("/people/")
    assert len(response.context["page"]) == 18


def test_pages_keep_the_filters(client, user):
    for i in range(51):
        person = UserFactory(username=f"u{i:02d}")
        profile_update(user=person, office="Utrecht")
    client.force_login(user)
    page = client.get("/people/?office=Utrecht").content.decode()
    assert "?office=Utrecht&amp;page=2" in page
    assert len(client.get("/people/?office=Utrecht&page=2").context["page"]) == 1
