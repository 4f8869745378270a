"""The ideas API through real HTTP: shapes, auth, errors and stored state."""

import json

import pytest

from kb.ideas.models import Campaign, Idea, IdeaComment, IdeaVote
from tests.ideas.factories import make_campaign, make_idea


def _post(client, url, data, headers):
    return client.post(
        url, json.dumps(data), content_type="application/json", **headers
    )


def test_create_campaign_returns_201_with_id(client, bearer, lead, community):
    response = _post(
        client,
        "/api/v1/campaigns",
        {
            "title": "How do we halve the paperwork of a lease contract?",
            "description": "Ideas welcome.",
            "community": community.slug,
            "votes_per_person": 10,
            "closes_at": "2099-01-01T12:00:00Z",
        },
        bearer(lead),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    campaign = Campaign.objects.get(pk=data["id"])
    assert campaign.votes_per_person == 10 and campaign.community == community
    assert data["community"] == community.slug
    assert data["sponsor"]["username"] == lead.username


def test_member_cannot_create_campaign_403(client, bearer, user, community):
    response = _post(
        client,
        "/api/v1/campaigns",
        {"title": "A campaign by a member", "community": community.slug},
        bearer(user),
    )
    assert response.status_code == 403
    assert not Campaign.objects.exists()


def test_organisation_wide_campaign_by_admin(client, bearer, admin_user):
    response = _post(
        client,
        "/api/v1/campaigns",
        {"title": "What should we stop doing?", "community": None},
        bearer(admin_user),
    )
    assert response.status_code == 201
    assert response.json()["community"] is None


def test_bad_campaign_input_422_per_field(client, bearer, lead, community):
    response = _post(
        client,
        "/api/v1/campaigns",
        {"title": "x", "community": community.slug, "votes_per_person": -1},
        bearer(lead),
    )
    assert response.status_code == 422
    assert {"title", "votes_per_person"} <= set(response.json()["errors"])


def test_anonymous_gets_401(client, campaign):
    assert client.get("/api/v1/campaigns").status_code == 401
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/ideas").status_code == 401


def test_list_and_get_campaigns(client, bearer, user, campaign, outsider):
    listed = client.get("/api/v1/campaigns", **bearer(user)).json()["results"]
    assert [c["id"] for c in listed] == [campaign.pk]
    assert client.get("/api/v1/campaigns", **bearer(outsider)).json()["results"] == []
    assert (
        client.get(f"/api/v1/campaigns/{campaign.pk}", **bearer(outsider)).status_code
        == 404
    )


def test_post_idea_201_shape(client, bearer, user, campaign):
    response = _post(
        client,
        f"/api/v1/campaigns/{campaign.pk}/ideas",
        {
            "title": "Sign leases digitally",
            "body": "Use **e-signatures**.",
            "tags": ["lease"],
        },
        bearer(user),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert {
        "id",
        "title",
        "body_html",
        "author",
        "votes",
        "status",
        "created_at",
    } <= set(data)
    assert data["votes"] == 0 and data["status"] == "new"
    assert data["author"]["username"] == user.username
    assert "<strong>e-signatures</strong>" in data["body_html"]
    assert Idea.objects.get(pk=data["id"]).author == user


def test_outsider_cannot_post_idea_404(client, bearer, outsider, campaign):
    response = _post(
        client,
        f"/api/v1/campaigns/{campaign.pk}/ideas",
        {"title": "An outside idea", "body": "From outside the community."},
        bearer(outsider),
    )
    assert response.status_code == 404
    assert not Idea.objects.exists()


@pytest.mark.parametrize("sort", ["top", "new", "trending", "gems"])
def test_list_ideas_sorts(client, bearer, other_user, idea, sort):
    response = client.get(
        f"/api/v1/campaigns/{idea.campaign_id}/ideas?sort={sort}", **bearer(other_user)
    )
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["results"]] == [idea.pk]


def test_list_ideas_unknown_sort_422(client, bearer, other_user, idea):
    response = client.get(
        f"/api/v1/campaigns/{idea.campaign_id}/ideas?sort=best", **bearer(other_user)
    )
    assert response.status_code == 422


def test_vote_returns_votes_and_my_vote(client, bearer, other_user, idea):
    response = _post(
        client, f"/api/v1/ideas/{idea.pk}/vote", {"value": 1}, bearer(other_user)
    )
    assert response.status_code == 200
    assert response.json() == {"votes": 1, "my_vote": 1}
    got = client.get(f"/api/v1/ideas/{idea.pk}", **bearer(other_user)).json()
    assert got["votes"] == 1 and got["my_vote"] == 1
    response = _post(
        client, f"/api/v1/ideas/{idea.pk}/vote", {"value": 0}, bearer(other_user)
    )
    assert response.json() == {"votes": 0, "my_vote": 0}


def test_vote_on_own_idea_403(client, bearer, user, idea):
    response = _post(
        client, f"/api/v1/ideas/{idea.pk}/vote", {"value": 1}, bearer(user)
    )
    assert response.status_code == 403
    assert not IdeaVote.objects.exists()


def test_vote_over_budget_422(client, bearer, lead, community, user, other_user):
    campaign = make_campaign(by=lead, community=community, votes_per_person=1)
    a = make_idea(campaign=campaign, author=user, title="First idea here")
    b = make_idea(campaign=campaign, author=user, title="Second idea here")
    assert (
        _post(
            client, f"/api/v1/ideas/{a.pk}/vote", {"value": 1}, bearer(other_user)
        ).status_code
        == 200
    )
    response = _post(
        client, f"/api/v1/ideas/{b.pk}/vote", {"value": 1}, bearer(other_user)
    )
    assert response.status_code == 422
    assert "value" in response.json()["errors"]
    assert IdeaVote.objects.filter(user=other_user).count() == 1


def test_status_by_sponsor(client, bearer, sponsor, idea):
    response = _post(
        client,
        f"/api/v1/ideas/{idea.pk}/status",
        {"status": "under_review", "note": "Looking at it with legal."},
        bearer(sponsor),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "under_review"
    idea.refresh_from_db()
    assert idea.status == "under_review"


def test_declined_without_note_422(client, bearer, sponsor, idea):
    response = _post(
        client,
        f"/api/v1/ideas/{idea.pk}/status",
        {"status": "declined"},
        bearer(sponsor),
    )
    assert response.status_code == 422
    assert "note" in response.json()["errors"]
    idea.refresh_from_db()
    assert idea.status == "new"


def test_status_by_member_403(client, bearer, other_user, idea):
    response = _post(
        client,
        f"/api/v1/ideas/{idea.pk}/status",
        {"status": "selected"},
        bearer(other_user),
    )
    assert response.status_code == 403


def test_comment_201(client, bearer, other_user, idea):
    response = _post(
        client,
        f"/api/v1/ideas/{idea.pk}/comments",
        {"body": "Love it."},
        bearer(other_user),
    )
    assert response.status_code == 201
    assert IdeaComment.objects.get(pk=response.json()["id"]).idea == idea


def test_merge_by_sponsor(client, bearer, sponsor, idea, other_user):
    dup = make_idea(campaign=idea.campaign, author=other_user, title="E-sign leases")
    response = _post(
        client, f"/api/v1/ideas/{dup.pk}/merge", {"into": idea.pk}, bearer(sponsor)
    )
    assert response.status_code == 200
    credits = [c["username"] for c in response.json()["credits"]]
    assert credits == [idea.author.username, other_user.username]


def test_merge_by_member_403(client, bearer, other_user, idea, user):
    dup = make_idea(campaign=idea.campaign, author=other_user, title="E-sign leases")
    response = _post(
        client, f"/api/v1/ideas/{dup.pk}/merge", {"into": idea.pk}, bearer(user)
    )
    assert response.status_code == 403


def test_hide_with_reason_and_public_log(client, bearer, lead, idea, other_user, user):
    response = _post(
        client, f"/api/v1/ideas/{idea.pk}/hide", {"reason": ""}, bearer(lead)
    )
    assert response.status_code == 422
    response = _post(
        client,
        f"/api/v1/ideas/{idea.pk}/hide",
        {"reason": "Off-topic here."},
        bearer(lead),
    )
    assert response.status_code == 200
    assert (
        client.get(f"/api/v1/ideas/{idea.pk}", **bearer(other_user)).status_code == 404
    )
    own = client.get(f"/api/v1/ideas/{idea.pk}", **bearer(user)).json()
    assert own["is_hidden"] and own["hidden_reason"] == "Off-topic here."
    log = client.get(
        f"/api/v1/campaigns/{idea.campaign_id}/moderation", **bearer(other_user)
    ).json()["results"]
    assert log[0]["reason"] == "Off-topic here." and log[0]["by"]["username"] == "lena"


def test_hide_by_member_403(client, bearer, other_user, idea):
    response = _post(
        client,
        f"/api/v1/ideas/{idea.pk}/hide",
        {"reason": "I dislike this."},
        bearer(other_user),
    )
    assert response.status_code == 403


def test_similar_ideas(client, bearer, other_user, idea):
    response = client.get(
        "/api/v1/ideas/similar?title=digital+lease+signing", **bearer(other_user)
    )
    assert [r["id"] for r in response.json()["results"]] == [idea.pk]


def test_openapi_lists_the_ideas_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/campaigns",
        "/api/v1/campaigns/{campaign_id}/ideas",
        "/api/v1/ideas/{idea_id}/vote",
        "/api/v1/ideas/{idea_id}/status",
        "/api/v1/ideas/{idea_id}/merge",
        "/api/v1/ideas/{idea_id}/hide",
    ):
        assert path in paths
