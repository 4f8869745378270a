"""Status changes reach the author, voters and followers who may see the idea."""

import pytest
from django.core.management import call_command

from kb.communities.models import Membership
from kb.communities.services import membership_join
from kb.ideas import services
from notifications.ideas import idea_event_fanout
from notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.ideas.factories import make_idea


def _kinds(user) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


def _status_event(idea, by):
    return idea_event_fanout(
        kind="idea",
        pk=idea.pk,
        idea_id=idea.pk,
        action="status_changed",
        actor_id=by.pk,
    )


def test_status_change_notifies_author_voters_and_followers(
    idea, sponsor, other_user, lead, user
):
    follower = UserFactory(username="fola")
    membership_join(community=idea.campaign.community, user=follower)
    services.vote_cast(user=other_user, idea=idea, value=1)
    services.idea_follow_set(idea=idea, user=follower, follow=True)
    services.idea_status_set(idea=idea, by=sponsor, status="selected")
    _status_event(idea, sponsor)
    assert _kinds(user) == [Kind.MY_IDEA_ANSWERED]
    assert _kinds(other_user) == [Kind.IDEA_STATUS_CHANGED]
    assert _kinds(follower) == [Kind.IDEA_STATUS_CHANGED]
    assert _kinds(sponsor) == []  # never the actor
    assert _kinds(lead) == []
    text = Notification.objects.get(recipient=user).text
    assert "Selected" in text and idea.title in text


def test_people_who_left_the_community_are_not_told(idea, sponsor, other_user):
    services.vote_cast(user=other_user, idea=idea, value=1)
    Membership.objects.filter(user=other_user).delete()
    services.idea_status_set(idea=idea, by=sponsor, status="selected")
    _status_event(idea, sponsor)
    assert _kinds(other_user) == []


def test_hidden_idea_tells_its_author_why(idea, lead, user, other_user):
    services.vote_cast(user=other_user, idea=idea, value=1)
    services.idea_hide(idea=idea, by=lead, reason="Names a colleague by name.")
    idea_event_fanout(
        kind="idea", pk=idea.pk, idea_id=idea.pk, action="hidden", actor_id=lead.pk
    )
    note = Notification.objects.get(recipient=user)
    assert note.kind == Kind.MY_IDEA_HIDDEN and "Names a colleague" in note.text
    assert _kinds(other_user) == []


def test_comment_tells_the_author(idea, other_user, user):
    comment = services.comment_create(idea=idea, author=other_user, body="Nice one.")
    idea_event_fanout(kind="comment", pk=comment.pk, idea_id=idea.pk, action="created")
    assert _kinds(user) == [Kind.COMMENT_ON_MY_POST]
    assert _kinds(other_user) == []


def test_merge_tells_the_merged_ideas_author(idea, sponsor, other_user):
    dup = make_idea(campaign=idea.campaign, author=other_user, title="E-sign leases")
    services.idea_merge(idea=dup, into=idea, by=sponsor)
    idea_event_fanout(
        kind="idea", pk=dup.pk, idea_id=idea.pk, action="merged", actor_id=sponsor.pk
    )
    note = Notification.objects.get(recipient=other_user)
    assert note.kind == Kind.MY_IDEA_ANSWERED and note.url == idea.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_status_change_event_reaches_the_worker(campaign, sponsor, user):
    idea = make_idea(campaign=campaign, author=user)
    services.idea_status_set(idea=idea, by=sponsor, status="under_review")
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert _kinds(user) == [Kind.MY_IDEA_ANSWERED]
