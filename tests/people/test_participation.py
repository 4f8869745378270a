"""Participation levels (consumer → contributor → creator), the leads' view, badges."""

import pytest

from journals.services import reaction_set
from kb.communities.models import Membership
from kb.ideas.services import comment_create, idea_hide, vote_cast
from kb.qa import services as qa
from reputation.ledger import HELPFUL_ENTRIES_FOR_BADGE, badges_check
from reputation.models import Badge
from reputation.selectors import participation_of, participation_share
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


def level(user) -> str:
    return participation_of(user=user).level


def test_level_transitions(community, user, other_user):
    question = make_question(community=community, author=other_user)
    assert level(user) == "consumer"
    assert participation_of(user=user).next_step == "Answer a question in your tags"

    qa.vote_cast(user=user, target=question, value=1)
    assert level(user) == "contributor"
    qa.vote_cast(user=user, target=question, value=0)
    assert level(user) == "consumer"  # computed from what is stored now

    make_answer(question=question, author=user)
    assert level(user) == "contributor"
    assert participation_of(user=user).next_step == "Ask your first question"

    make_entry(user, visibility="private")
    assert level(user) == "contributor"  # private writing is not shown to others

    make_question(community=community, author=user, title="What is our SLO policy?")
    assert level(user) == "creator"
    assert participation_of(user=user).next_step == "Write your first journal entry"


def test_reacting_and_journaling(user, other_user):
    entry = make_entry(other_user)
    reaction_set(entry=entry, user=user, kind="thanks")
    assert level(user) == "contributor"
    make_entry(user)
    assert level(user) == "creator"


def test_ideas_count_as_participation(community, user, other_user, admin_user):
    campaign = make_campaign(by=admin_user)
    theirs = make_idea(campaign=campaign, author=other_user)
    vote_cast(user=user, idea=theirs, value=1)
    assert level(user) == "contributor"  # voting on an idea is taking part
    vote_cast(user=user, idea=theirs, value=0)
    assert level(user) == "consumer"
    comment_create(idea=theirs, author=user, body="We did this in Gent, it works.")
    assert level(user) == "contributor"
    mine = make_idea(campaign=campaign, author=user, title="Paperless lease returns")
    assert level(user) == "creator"  # posting an idea is creating
    idea_hide(idea=mine, by=admin_user, reason="Off topic for this campaign.")
    assert level(user) == "contributor"  # a hidden idea is not shown to others


def test_leads_see_the_share_per_community(client, community, user, other_user, lead):
    make_question(community=community, author=user)  # alice: creator
    entry = make_entry(lead)
    reaction_set(entry=entry, user=other_user, kind="helpful")  # bram: contributor
    # lena (lead) is a creator too (the entry)
    client.force_login(lead)
    response = client.get("/people/participation/?community=platform")
    assert response.status_code == 200
    share = {row["level"]: row["count"] for row in response.context["share"]["levels"]}
    assert share == {"consumer": 0, "contributor": 1, "creator": 2}
    assert "67%" in response.content.decode()
    assert client.get("/people/participation/").status_code == 200
    assert client.get("/people/participation/?community=nope").status_code == 404
    assert "/people/participation/" in client.get("/people/").content.decode()

    client.force_login(user)  # a member, not a lead
    assert client.get("/people/participation/?community=platform").status_code == 403
    assert client.get("/people/participation/").status_code == 403
    assert "/people/participation/" not in client.get("/people/").content.decode()


def test_participation_share_query_count_is_constant(
    community, lead, django_assert_num_queries
):
    with django_assert_num_queries(1):
        participation_share(community=community)
    for _ in range(10):
        Membership.objects.create(community=community, user=UserFactory())
    with django_assert_num_queries(1):
        assert participation_share(community=community)["total"] == 13


def test_answer_badges_are_awarded_once(community, user, other_user):
    question = make_question(community=community, author=other_user)
    answer = make_answer(question=question, author=user)
    make_answer(question=make_question(community=community), author=user)
    assert list(Badge.objects.filter(user=user).values_list("kind", flat=True)) == [
        "first_answer"
    ]
    qa.answer_accept(answer=answer, by=other_user)
    kinds = list(Badge.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == ["first_answer", "first_accepted"]
    badges_check(user_ids=[user.pk], kinds=Badge.Kind.values)
    assert Badge.objects.filter(user=user).count() == 2


def test_helpful_entries_badge(user, other_user):
    entries = [make_entry(user) for _ in range(HELPFUL_ENTRIES_FOR_BADGE)]
    for entry in entries[:-1]:
        reaction_set(entry=entry, user=other_user, kind="helpful")
    reaction_set(entry=entries[0], user=user, kind="helpful")  # own: no count
    assert not Badge.objects.filter(user=user, kind="helpful_10").exists()
    reaction_set(entry=entries[-1], user=other_user, kind="helpful")
    assert Badge.objects.filter(user=user, kind="helpful_10").count() == 1
    reaction_set(entry=entries[-1], user=other_user, kind="helpful", on=False)
    reaction_set(entry=entries[-1], user=other_user, kind="helpful")
    assert Badge.objects.filter(user=user, kind="helpful_10").count() == 1


def test_badges_show_on_the_profile(client, community, user, other_user):
    question = make_question(community=community, author=other_user)
    make_answer(question=question, author=user)
    client.force_login(other_user)
    assert "First answer" in client.get("/people/alice/").content.decode()
