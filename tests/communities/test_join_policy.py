"""Who may join a community is each community's choice (open, request to join,
invite only); its community-only journal entries reach members only
(issue 16, leak 8)."""

import pytest

from kb.communities.models import CommunityPage, Membership, MembershipRequest
from tests.journals.factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_entry(community, member):
    return make_entry(
        member, title="Team retro notes", visibility="community", community=community
    )


def _set(community, policy):
    community.join_policy = policy
    community.save(update_fields=["join_policy"])


def _join(client, community):
    return client.post(f"/communities/{community.slug}/join/")


def _reads(client, entry) -> bool:
    return client.get(f"/journals/entries/{entry.pk}/").status_code == 200


def test_open_community_anyone_joins_and_reads(client, community, outsider, team_entry):
    _set(community, "open")
    client.force_login(outsider)
    assert not _reads(client, team_entry)
    assert _join(client, community).status_code == 302
    assert Membership.objects.filter(user=outsider, community=community).exists()
    assert _reads(client, team_entry)


def test_request_to_join_waits_for_a_lead(
    client, community, outsider, lead, team_entry
):
    _set(community, "request")
    client.force_login(outsider)
    page = client.get(community.url).content.decode()
    assert "Ask to join" in page
    _join(client, community)
    assert not Membership.objects.filter(user=outsider, community=community).exists()
    assert MembershipRequest.objects.filter(user=outsider).exists()
    assert not _reads(client, team_entry)
    assert "a lead will decide" in client.get(community.url).content.decode()
    # A member who is no lead cannot approve, not even their own request.
    response = client.post(
        f"/communities/{community.slug}/requests/{outsider.pk}/",
        {"decision": "approve"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=outsider, community=community).exists()
    client.force_login(lead)
    assert "Asking to join" in client.get(community.url).content.decode()
    client.post(
        f"/communities/{community.slug}/requests/{outsider.pk}/",
        {"decision": "approve"},
    )
    assert Membership.objects.get(user=outsider, community=community).role == "member"
    assert not MembershipRequest.objects.exists()
    client.force_login(outsider)
    assert _reads(client, team_entry)


def test_a_declined_request_leaves_nothing(client, community, outsider, lead):
    _set(community, "request")
    client.force_login(outsider)
    _join(client, community)
    client.force_login(lead)
    client.post(
        f"/communities/{community.slug}/requests/{outsider.pk}/",
        {"decision": "decline"},
    )
    assert not MembershipRequest.objects.exists()
    assert not Membership.objects.filter(user=outsider, community=community).exists()


def test_invite_only_refuses_self_joining(
    client, community, outsider, lead, team_entry
):
    _set(community, "invite")
    client.force_login(outsider)
    assert "Invite only" in client.get(community.url).content.decode()
    _join(client, community)
    assert not Membership.objects.filter(user=outsider, community=community).exists()
    assert not MembershipRequest.objects.exists()
    assert not _reads(client, team_entry)
    # Members cannot add people; the lead can.
    client.post(f"/communities/{community.slug}/members/add/", {"username": "bram"})
    assert not Membership.objects.filter(user=outsider, community=community).exists()
    client.force_login(lead)
    client.post(f"/communities/{community.slug}/members/add/", {"username": "bram"})
    assert Membership.objects.filter(user=outsider, community=community).exists()
    client.force_login(outsider)
    assert _reads(client, team_entry)


@pytest.mark.parametrize(
    ("policy", "status", "body"),
    [
        ("open", 200, {"role": "member", "status": "member"}),
        ("request", 200, {"role": None, "status": "requested"}),
        ("invite", 403, None),
    ],
)
def test_api_join_follows_the_policy(
    client, community, outsider, bearer, policy, status, body
):
    _set(community, policy)
    response = client.post(
        f"/api/v1/communities/{community.slug}/join",
        content_type="application/json",
        **bearer(outsider),
    )
    assert response.status_code == status
    if body is not None:
        assert response.json() == {"community": community.slug, **body}
    member = Membership.objects.filter(user=outsider, community=community).exists()
    assert member is (policy == "open")


def test_new_communities_ask_leads_by_default(community):
    assert CommunityPage._meta.get_field("join_policy").default == "request"
