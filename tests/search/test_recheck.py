"""The database re-check of search hits: right answers, one query for all hits."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kb.qa.models import Question
from search.visibility import only_readable, readable_keys
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory
from tests.journals.factories import make_entry
from tests.qa.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    author = UserFactory(username="writer")
    reader = UserFactory(username="reader")
    community = make_community(lead=UserFactory(), members=[author, reader])
    questions = [
        make_question(community=community, author=author, title=f"Question {n}")
        for n in range(6)
    ]
    return {
        "author": author,
        "reader": reader,
        "questions": questions,
        "page": make_page(community),
        "shared": make_entry(author, title="Shared", visibility="organisation"),
        "private": make_entry(author, title="Mine", visibility="private"),
    }


def _keys(world):
    return [
        *(("question", q.pk) for q in world["questions"]),
        ("page", world["page"].pk),
        ("entry", world["shared"].pk),
        ("entry", world["private"].pk),
        ("idea", 987654),
        ("question", "not-a-number"),
    ]


def test_each_kind_follows_its_own_rule(world):
    Question.objects.filter(pk=world["questions"][0].pk).update(is_deleted=True)
    readable = readable_keys(_keys(world), viewer=world["reader"])
    assert readable == {
        *(("question", str(q.pk)) for q in world["questions"][1:]),
        ("page", str(world["page"].pk)),
        ("entry", str(world["shared"].pk)),
    }
    assert ("entry", str(world["private"].pk)) in readable_keys(
        _keys(world), viewer=world["author"]
    )
    anonymous = readable_keys(_keys(world), viewer=AnonymousUser())
    assert {kind for kind, _ in anonymous} == {"question", "page"}


def test_all_hits_of_every_kind_cost_one_query(world, django_assert_num_queries):
    reader = world["reader"]
    with django_assert_num_queries(1):
        readable_keys([("question", world["questions"][0].pk)], viewer=reader)
    without_ideas = [key for key in _keys(world) if key[0] != "idea"]
    with django_assert_num_queries(1):
        readable_keys(without_ideas, viewer=reader)
    # The ideas rule (kb/ideas) looks the reader's memberships up itself: two
    # more queries when an idea is among the hits, however many.
    with django_assert_num_queries(3):
        readable_keys(_keys(world), viewer=reader)
    with django_assert_num_queries(3):
        readable_keys([*_keys(world), ("idea", 1), ("idea", 2)], viewer=reader)
    with django_assert_num_queries(0):
        assert readable_keys([], viewer=reader) == set()


def test_only_readable_keeps_order_and_drops_the_rest(world):
    rows = [
        {"kind": "entry", "id": world["private"].pk},
        {"kind": "question", "id": world["questions"][2].pk},
        {"kind": "entry", "id": world["shared"].pk},
    ]
    assert only_readable(rows, viewer=world["reader"]) == rows[1:]
