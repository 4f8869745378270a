"""Following tags, people, communities and questions through the API."""

import pytest

from journals.models import PersonFollow, TagFollow
from kb.qa.models import QuestionFollow
from notifications.models import CommunityFollow
from notifications.selectors import followed_community_ids
from notifications.services import community_follow_set
from tests.communities.factories import make_community
from tests.notifications.factories import ask

pytestmark = pytest.mark.django_db


def _follow(client, bearer, user, kind, key):
    return client.post(
        "/api/v1/follows",
        {"kind": kind, "key": key},
        content_type="application/json",
        **bearer(user),
    )


def test_follow_each_kind_and_list_them(
    client, bearer, community, user, other_user, lead
):
    question = ask(community=community, author=other_user, fan_out=False)
    for kind, key in [
        ("tag", "Helm"),
        ("person", "bram"),
        ("community", community.slug),
        ("question", str(question.pk)),
    ]:
        assert _follow(client, bearer, user, kind, key).status_code == 200

    data = client.get("/api/v1/follows", **bearer(user)).json()

    assert data == {
        "tags": ["helm"],
        "people": ["bram"],
        "communities": [community.slug],
        "questions": [question.pk],
    }
    assert TagFollow.objects.filter(follower=user, tag_name="helm").exists()
    assert PersonFollow.objects.filter(follower=user, followed=other_user).exists()
    assert CommunityFollow.objects.filter(user=user, community=community).exists()
    assert QuestionFollow.objects.filter(user=user, question=question).exists()


def test_unfollow(client, bearer, community, user):
    _follow(client, bearer, user, "community", community.slug)
    response = client.delete(
        f"/api/v1/follows/community/{community.slug}", **bearer(user)
    )
    assert response.status_code == 200
    assert response.json()["communities"] == []
    assert not CommunityFollow.objects.exists()


def test_bad_follows_are_refused(client, bearer, user, other_user):
    assert _follow(client, bearer, user, "planet", "mars").status_code == 422
    assert _follow(client, bearer, user, "person", "nobody").status_code == 404
    assert _follow(client, bearer, user, "question", "999").status_code == 404
    assert _follow(client, bearer, user, "person", "alice").status_code == 422
    assert client.get("/api/v1/follows").status_code == 401


def test_members_follow_their_communities(community, user, other_user):
    data = make_community(slug="data", title="Data")
    community_follow_set(user=user, community=data, follow=True)
    assert followed_community_ids(user=user) == {community.pk, data.pk}
