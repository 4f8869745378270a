"""The database re-check of search hits: right answers, one query for all hits."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import PageViewRestriction

from journals.models import Entry
from kb.communities.models import CommunityPage, Membership
from kb.qa.models import Question
from search import visibility
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


# -- the compiled statement is reused, the answer never is ----------------------


def test_a_reused_statement_still_asks_the_database_now(world):
    """Writes that bypass every signal, made between two re-checks by the same
    reader with the same statement: the second one sees them all."""
    reader, author = world["reader"], world["author"]
    community = world["questions"][0].community
    team_entry = make_entry(
        author, title="Team", visibility="community", community=community
    )
    keys = [*_keys(world)[:-2], ("entry", team_entry.pk)]
    before = readable_keys(keys, viewer=reader)
    assert ("entry", str(team_entry.pk)) in before
    assert ("page", str(world["page"].pk)) in before
    compiled = len(visibility._compiled)

    Question.objects.filter(pk=world["questions"][1].pk).update(is_deleted=True)
    Entry.objects.filter(pk=world["shared"].pk).update(visibility="private")
    Membership.objects.filter(user=reader, community=community).delete()
    PageViewRestriction.objects.create(page=world["page"], restriction_type="login")
    after = readable_keys(keys, viewer=reader)
    assert len(visibility._compiled) == compiled  # same statement, new answer
    # On SQLite and PostgreSQL alike, each id is a parameter of its own.
    assert visibility._UNCOMPILABLE not in visibility._compiled.values()
    assert ("question", str(world["questions"][1].pk)) not in after
    assert ("entry", str(world["shared"].pk)) not in after
    assert ("entry", str(team_entry.pk)) not in after
    assert ("page", str(world["page"].pk)) not in after
    assert ("question", str(world["questions"][2].pk)) in after

    CommunityPage.objects.filter(pk=community.pk).update(live=False)
    gone = readable_keys(keys, viewer=reader)
    assert not any(kind == "question" for kind, _ in gone)
    # The author still reads their own entries; another reader does not.
    assert ("entry", str(world["private"].pk)) in readable_keys(keys, viewer=author)
    assert ("entry", str(world["private"].pk)) not in gone


def test_any_number_of_hits_gets_the_right_answer(world):
    reader = world["reader"]
    questions = world["questions"]
    Question.objects.filter(pk=questions[0].pk).update(is_deleted=True)
    visible = {("question", str(q.pk)) for q in questions[1:]}
    for extra in (0, 7, 40, 700):  # beyond the largest slot: built afresh
        keys = [("question", q.pk) for q in questions]
        keys += [("question", 10_000_000 + n) for n in range(extra)]
        assert readable_keys(keys, viewer=reader) == visible
    assert readable_keys([("question", questions[3].pk)], viewer=reader) == {
        ("question", str(questions[3].pk))
    }


def test_statements_are_not_shared_between_readers(world):
    """The author's statement reads the author's private entries, not anyone's."""
    private = ("entry", world["private"].pk)
    assert readable_keys([private], viewer=world["author"]) == {
        ("entry", str(world["private"].pk))
    }
    assert readable_keys([private], viewer=world["reader"]) == set()
    assert readable_keys([private], viewer=AnonymousUser()) == set()
    world["author"].is_active = False
    assert readable_keys([private], viewer=world["author"]) == set()
