"""The rules of campaigns, ideas, votes, statuses, merges and hiding."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from hallway.errors import ValidationFailed
from kb.communities.models import Membership
from kb.communities.services import membership_join
from kb.ideas import selectors, services
from kb.ideas.models import (
    Campaign,
    Idea,
    IdeaCredit,
    IdeaVote,
    ModerationEntry,
    StatusChange,
    VoteBudget,
)
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea

# -- campaigns ----------------------------------------------------------------


def test_lead_opens_a_campaign_in_their_community(campaign, community, sponsor):
    assert campaign.community == community
    assert campaign.sponsor == sponsor
    assert campaign.response_days == 14


def test_member_cannot_open_a_campaign(community, user):
    with pytest.raises(PermissionDenied):
        make_campaign(by=user, community=community)
    assert not Campaign.objects.exists()


def test_lead_cannot_open_an_organisation_wide_campaign(community, lead):
    with pytest.raises(PermissionDenied):
        make_campaign(by=lead, community=None)


def test_lead_cannot_open_a_campaign_in_another_community(lead, db):
    elsewhere = make_community(slug="data", title="Data")
    with pytest.raises(PermissionDenied):
        make_campaign(by=lead, community=elsewhere)


def test_admin_opens_an_organisation_wide_campaign(org_campaign):
    assert org_campaign.community is None


def test_sponsor_must_be_in_scope(community, lead, outsider):
    with pytest.raises(ValidationFailed) as error:
        make_campaign(by=lead, community=community, sponsor=outsider)
    assert "sponsor" in error.value.errors


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("title", {"title": "x"}),
        ("community", {"community": "nope"}),
        ("votes_per_person", {"votes_per_person": 0}),
        ("closes_at", {"closes_at": timezone.now() - timedelta(days=1)}),
    ],
)
def test_campaign_bad_input_saves_nothing(community, lead, field, kwargs):
    kwargs.setdefault("community", community)
    with pytest.raises(ValidationFailed) as error:
        make_campaign(by=lead, **kwargs)
    assert field in error.value.errors
    assert not Campaign.objects.exists()


def test_each_community_has_one_always_open_idea_box(community, user):
    box = services.idea_box_for(community=community)
    assert box.is_idea_box and box.closes_at is None and box.community == community
    assert services.idea_box_for(community=community) == box
    idea = make_idea(campaign=box, author=user)
    assert idea.campaign == box


# -- ideas --------------------------------------------------------------------


def test_idea_is_visible_at_once_with_author_and_first_posted_time(
    idea, other_user, user
):
    seen = selectors.idea_get(pk=idea.pk, viewer=other_user)
    assert seen.status == Idea.Status.NEW
    credit = seen.credits.get()
    assert credit.user == user
    assert credit.first_posted_at == idea.created_at
    assert sorted(t.name for t in seen.tags.all()) == ["lease", "paper"]


def test_outsider_cannot_post_to_a_community_campaign(campaign, outsider):
    with pytest.raises(Http404):
        make_idea(campaign=campaign, author=outsider)
    assert not Idea.objects.exists()


def test_closed_campaign_takes_no_ideas(campaign, user):
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    campaign.refresh_from_db()
    with pytest.raises(PermissionDenied):
        make_idea(campaign=campaign, author=user)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("title", {"title": "ab"}), ("body", {"body": ""}), ("tags", {"tags": ["B@D"]})],
)
def test_idea_bad_input_saves_nothing(campaign, user, field, kwargs):
    with pytest.raises(ValidationFailed) as error:
        make_idea(campaign=campaign, author=user, **kwargs)
    assert field in error.value.errors
    assert not Idea.objects.exists()


def test_markdown_body_is_sanitised(campaign, user):
    idea = make_idea(
        campaign=campaign, author=user, body="**Bold** <script>alert(1)</script>"
    )
    assert "<strong>Bold</strong>" in idea.body_html
    assert "<script>" not in idea.body_html


def test_build_on_an_idea_links_both(idea, other_user):
    child = make_idea(
        campaign=idea.campaign,
        author=other_user,
        title="Sign and archive leases digitally",
        builds_on=idea,
    )
    assert child.builds_on == idea
    context = selectors.idea_context(idea=idea, viewer=other_user)
    assert context["built_on_by"] == [child]


# -- votes --------------------------------------------------------------------


def test_vote_and_take_back(idea, other_user):
    assert services.vote_cast(user=other_user, idea=idea, value=1) == (1, 1)
    assert services.vote_cast(user=other_user, idea=idea, value=0) == (0, 0)
    assert not IdeaVote.objects.exists()


def test_one_person_one_vote(idea, other_user):
    services.vote_cast(user=other_user, idea=idea, value=1)
    with pytest.raises(ValidationFailed):
        services.vote_cast(user=other_user, idea=idea, value=1)
    idea.refresh_from_db()
    assert idea.vote_count == 1


def test_no_vote_on_own_idea(idea, user):
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=user, idea=idea, value=1)
    assert not IdeaVote.objects.exists()


def test_every_vote_weighs_the_same(idea, admin_user, lead, other_user):
    membership_join(community=idea.campaign.community, user=admin_user)
    for voter in (admin_user, lead, other_user):
        services.vote_cast(user=voter, idea=idea, value=1)
    idea.refresh_from_db()
    assert idea.vote_count == 3


@pytest.mark.parametrize("value", [2, -1])
def test_vote_values_are_one_or_zero(idea, other_user, value):
    with pytest.raises(ValidationFailed):
        services.vote_cast(user=other_user, idea=idea, value=value)


def test_outsider_cannot_vote(idea, outsider):
    with pytest.raises(Http404):
        services.vote_cast(user=outsider, idea=idea, value=1)


def test_vote_budget_is_enforced_and_refunded(community, lead, user, other_user):
    campaign = make_campaign(by=lead, community=community, votes_per_person=2)
    ideas = [
        make_idea(campaign=campaign, author=user, title=f"Idea number {n}")
        for n in range(3)
    ]
    services.vote_cast(user=other_user, idea=ideas[0], value=1)
    services.vote_cast(user=other_user, idea=ideas[1], value=1)
    assert selectors.votes_left(user=other_user, campaign=campaign) == 0
    with pytest.raises(ValidationFailed):
        services.vote_cast(user=other_user, idea=ideas[2], value=1)
    assert IdeaVote.objects.filter(user=other_user).count() == 2
    services.vote_cast(user=other_user, idea=ideas[0], value=0)
    assert selectors.votes_left(user=other_user, campaign=campaign) == 1
    services.vote_cast(user=other_user, idea=ideas[2], value=1)
    assert VoteBudget.objects.get(user=other_user, campaign=campaign).spent == 2


# -- sorts --------------------------------------------------------------------


def _three_ideas(campaign, author):
    return [
        make_idea(campaign=campaign, author=author, title=f"Idea number {n}")
        for n in range(3)
    ]


def test_sort_top_and_new(campaign, user, other_user, lead):
    a, b, c = _three_ideas(campaign, user)
    services.vote_cast(user=other_user, idea=b, value=1)
    services.vote_cast(user=lead, idea=b, value=1)
    services.vote_cast(user=lead, idea=a, value=1)
    top = list(selectors.idea_list(campaign=campaign, viewer=user, sort="top"))
    assert top == [b, a, c]
    new = list(selectors.idea_list(campaign=campaign, viewer=user, sort="new"))
    assert new == [c, b, a]


def test_sort_trending_counts_votes_of_the_last_seven_days(
    campaign, user, other_user, lead, sponsor
):
    a, b, c = _three_ideas(campaign, user)
    for voter in (other_user, lead, sponsor):
        services.vote_cast(user=voter, idea=a, value=1)
    IdeaVote.objects.filter(idea=a).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    services.vote_cast(user=other_user, idea=c, value=1)
    trending = list(
        selectors.idea_list(campaign=campaign, viewer=user, sort="trending")
    )
    assert trending[0] == c
    assert trending[1] == a  # older votes still break the tie


def test_gems_are_the_least_seen_in_a_stable_order_per_person(campaign, user, lead):
    ideas = [
        make_idea(campaign=campaign, author=user, title=f"Idea number {n}")
        for n in range(12)
    ]
    seen = ideas[:4]
    for idea in seen:
        Idea.objects.filter(pk=idea.pk).update(view_count=50)

    viewers = [UserFactory() for _ in range(4)]
    for viewer in viewers:
        membership_join(community=campaign.community, user=viewer)
    orders = []
    for viewer in viewers:
        first = [
            i.pk
            for i in selectors.idea_list(campaign=campaign, viewer=viewer, sort="gems")
        ]
        again = [
            i.pk
            for i in selectors.idea_list(campaign=campaign, viewer=viewer, sort="gems")
        ]
        assert first == again
        orders.append(tuple(first))
    assert all(set(o) == {i.pk for i in ideas[4:]} for o in orders)
    assert len(set(orders)) > 1  # not everyone sees the same first ideas


def test_viewing_counts_distinct_people(idea, other_user, lead):
    assert services.idea_view(idea=idea, user=other_user)
    assert not services.idea_view(idea=idea, user=other_user)
    services.idea_view(idea=idea, user=lead)
    idea.refresh_from_db()
    assert idea.view_count == 2


# -- status -------------------------------------------------------------------


def test_sponsor_moves_an_idea_along_the_pipeline(idea, sponsor, other_user):
    for status in ("under_review", "selected", "in_progress", "done"):
        services.idea_status_set(idea=idea, by=sponsor, status=status)
    idea.refresh_from_db()
    assert idea.status == "done"
    assert idea.responded_at is not None
    history = [c.new_status for c in StatusChange.objects.filter(idea=idea)]
    assert history == ["under_review", "selected", "in_progress", "done"]
    assert selectors.idea_get(pk=idea.pk, viewer=other_user).status == "done"


@pytest.mark.parametrize("status", ["declined", "not_now"])
def test_declining_needs_a_written_reason(idea, sponsor, status):
    with pytest.raises(ValidationFailed) as error:
        services.idea_status_set(idea=idea, by=sponsor, status=status, note="")
    assert "note" in error.value.errors
    idea.refresh_from_db()
    assert idea.status == "new" and not StatusChange.objects.exists()
    services.idea_status_set(
        idea=idea, by=sponsor, status=status, note="Legal needs paper originals."
    )
    idea.refresh_from_db()
    assert idea.status_note == "Legal needs paper originals."


def test_lead_may_set_status_members_may_not(idea, lead, other_user):
    services.idea_status_set(idea=idea, by=lead, status="under_review")
    with pytest.raises(PermissionDenied):
        services.idea_status_set(idea=idea, by=other_user, status="selected")


def test_unknown_status_is_refused(idea, sponsor):
    for status in ("merged", "bogus"):
        with pytest.raises(ValidationFailed):
            services.idea_status_set(idea=idea, by=sponsor, status=status)


def test_done_idea_links_to_its_knowledge_page(idea, sponsor, community, lead):
    page = make_page(community, author=lead, title="Digital lease signing")
    services.idea_status_set(idea=idea, by=sponsor, status="done", knowledge_page=page)
    idea.refresh_from_db()
    assert idea.knowledge_page_id == page.pk


# -- overdue ------------------------------------------------------------------


def test_overdue_lists_ideas_without_response_after_14_days(
    campaign, user, sponsor, lead, other_user
):
    old = make_idea(campaign=campaign, author=user, title="Waiting a long time")
    answered = make_idea(campaign=campaign, author=user, title="Answered in time")
    make_idea(campaign=campaign, author=user, title="Posted only yesterday")
    Idea.objects.filter(pk__in=[old.pk, answered.pk]).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    services.comment_create(idea=answered, author=sponsor, body="Looking into it.")
    assert selectors.overdue_ideas(user=sponsor) == [old]
    assert selectors.overdue_ideas(user=lead) == [old]
    assert selectors.overdue_ideas(user=other_user) == []
    later = timezone.now() + timedelta(days=30)
    assert len(selectors.overdue_ideas(user=sponsor, now=later)) == 3 - 1


# -- merge --------------------------------------------------------------------


def test_merge_keeps_both_authors_and_counts_each_voter_once(
    campaign, user, other_user, sponsor, lead
):
    third = UserFactory(username="chen")
    fourth = UserFactory(username="dana")

    for person in (third, fourth):
        membership_join(community=campaign.community, user=person)
    original = make_idea(campaign=campaign, author=user, title="Digital signatures")
    duplicate = make_idea(
        campaign=campaign, author=other_user, title="E-sign lease contracts"
    )
    for voter in (third, lead):
        services.vote_cast(user=voter, idea=original, value=1)
    for voter in (third, fourth, user):  # third voted on both; user is an author
        services.vote_cast(user=voter, idea=duplicate, value=1)
    into = services.idea_merge(idea=duplicate, into=original, by=sponsor)
    assert into.vote_count == 3  # third, lead, fourth (user's own vote dropped)
    assert set(
        IdeaVote.objects.filter(idea=original).values_list("user", flat=True)
    ) == {
        third.pk,
        lead.pk,
        fourth.pk,
    }
    credits = list(IdeaCredit.objects.filter(idea=original).order_by("first_posted_at"))
    assert [c.user for c in credits] == [user, other_user]
    assert credits[1].first_posted_at == duplicate.created_at
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original and duplicate.status == "merged"
    assert duplicate.author == other_user  # the merged idea keeps its author
    with pytest.raises(PermissionDenied):  # co-authors cannot vote on it now
        services.vote_cast(user=other_user, idea=original, value=1)


def test_merge_refunds_votes_counted_once(community, lead, user, other_user):
    campaign = make_campaign(by=lead, community=community, votes_per_person=3)
    a = make_idea(campaign=campaign, author=user, title="First idea here")
    b = make_idea(campaign=campaign, author=user, title="Second idea here")
    services.vote_cast(user=other_user, idea=a, value=1)
    services.vote_cast(user=other_user, idea=b, value=1)
    services.idea_merge(idea=b, into=a, by=lead)
    assert selectors.votes_left(user=other_user, campaign=campaign) == 2


def test_only_sponsor_or_lead_merges(idea, other_user, user):
    dup = make_idea(campaign=idea.campaign, author=other_user, title="Same idea again")
    with pytest.raises(PermissionDenied):
        services.idea_merge(idea=dup, into=idea, by=user)


def test_merge_refuses_itself_and_other_campaigns(idea, sponsor, lead, community):
    with pytest.raises(ValidationFailed):
        services.idea_merge(idea=idea, into=idea, by=sponsor)
    other = make_campaign(by=lead, community=community, title="Another campaign")
    elsewhere = make_idea(campaign=other, author=lead, title="Elsewhere idea")
    with pytest.raises(ValidationFailed):
        services.idea_merge(idea=idea, into=elsewhere, by=lead)


# -- hiding -------------------------------------------------------------------


def test_hide_needs_a_reason_and_is_logged_publicly(idea, lead, user, other_user):
    with pytest.raises(ValidationFailed):
        services.idea_hide(idea=idea, by=lead, reason="")
    services.idea_hide(idea=idea, by=lead, reason="Names a colleague by name.")
    with pytest.raises(Http404):
        selectors.idea_get(pk=idea.pk, viewer=other_user)
    own = selectors.idea_get(pk=idea.pk, viewer=user)
    assert own.is_hidden and own.hidden_reason == "Names a colleague by name."
    log = selectors.moderation_log(campaign=idea.campaign, viewer=other_user)
    assert [(e.action, e.reason, e.by) for e in log] == [
        ("hidden", "Names a colleague by name.", lead)
    ]
    assert idea not in selectors.idea_list(campaign=idea.campaign, viewer=other_user)


def test_hiding_is_reversible(idea, lead, other_user):
    services.idea_hide(idea=idea, by=lead, reason="Names a colleague by name.")
    services.idea_unhide(idea=idea, by=lead, reason="Edited by the author.")
    assert selectors.idea_get(pk=idea.pk, viewer=other_user)
    assert ModerationEntry.objects.count() == 2


def test_members_and_sponsors_cannot_hide(idea, other_user, sponsor):
    for person in (other_user, sponsor):
        with pytest.raises(PermissionDenied):
            services.idea_hide(idea=idea, by=person, reason="I do not like it.")
    idea.refresh_from_db()
    assert not idea.is_hidden


# -- comments -----------------------------------------------------------------


def test_comment_plain_text_with_links(idea, other_user):
    comment = services.comment_create(
        idea=idea, author=other_user, body="See https://example.org <b>x</b>"
    )
    assert '<a href="https://example.org"' in comment.body_html
    assert "<b>" not in comment.body_html
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert idea.responded_at is None  # a member's comment is not an answer


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_comment_length_rules(idea, other_user, body):
    with pytest.raises(ValidationFailed):
        services.comment_create(idea=idea, author=other_user, body=body)


def test_overdue_list_respects_scope_for_a_sponsor_who_left(campaign, user, sponsor):
    old = make_idea(campaign=campaign, author=user, title="Waiting a long time")
    Idea.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    assert selectors.overdue_ideas(user=sponsor) == [old]
    Membership.objects.filter(user=sponsor).delete()
    assert selectors.overdue_ideas(user=sponsor) == []
