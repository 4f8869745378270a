"""The editor's @mention and #tag suggestions (JSON): signed in, rate-limited, and
never naming someone or something the reader may not see."""

from django.utils import timezone

from kb.qa.models import Question
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_question

PEOPLE = "/api/v1/people/suggest"
TAGS = "/api/v1/tags/suggest"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r.get("username") or r.get("name") for r in response.json()["results"]]


def test_suggestions_need_a_sign_in(client, db):
    for url in (PEOPLE, TAGS):
        response = client.get(url, {"q": "a"})
        assert response.status_code == 401
        assert "WWW-Authenticate" in response


def test_people_by_username_or_name_only_active_ones(client, user):
    UserFactory(username="adsmith", display_name="Ada Smith")
    UserFactory(username="bvries", display_name="Adriaan de Vries")
    UserFactory(username="adgone", display_name="Ada Gone", is_active=False)
    UserFactory(
        username="aderased",
        display_name="Ada Erased",
        is_active=False,
        erased_at=timezone.now(),
    )
    client.force_login(user)

    found = client.get(PEOPLE, {"q": "ad"}).json()["results"]
    assert [p["username"] for p in found] == ["adsmith", "bvries"]  # usernames first
    assert found[0]["display_name"] == "Ada Smith"
    assert names(client.get(PEOPLE, {"q": "@vries"})) == ["bvries"]  # a later name
    assert names(client.get(PEOPLE, {"q": "gone"})) == []
    assert names(client.get(PEOPLE, {"q": ""})) == []
    assert client.get(PEOPLE, {"q": "a" * 151}).status_code == 422


def test_tags_only_those_on_questions_anyone_may_see(client, user):
    community = make_community()
    make_question(community=community, author=user, tags=["kubernetes", "kafka"])
    make_question(
        community=community, author=user, title="Kafka lag again?", tags=["kafka"]
    )
    gone = make_question(
        community=community, author=user, title="A removed one", tags=["kgb-plans"]
    )
    Question.objects.filter(pk=gone.pk).update(is_deleted=True)
    closed = make_community(slug="closed", title="Closed")
    make_question(
        community=closed, author=user, title="In a closed room", tags=["krypton"]
    )
    closed.unpublish()
    client.force_login(user)

    found = client.get(TAGS, {"q": "#k"}).json()["results"]
    assert found == [{"name": "kafka", "uses": 2}, {"name": "kubernetes", "uses": 1}]
    assert names(client.get(TAGS, {"q": "kr"})) == []


def test_suggestions_are_rate_limited(client, user, settings):
    settings.HALLWAY_RATE_LIMITS = {"suggest": "3/m"}
    client.force_login(user)
    statuses = [client.get(PEOPLE, {"q": "a"}).status_code for _ in range(3)]
    statuses.append(client.get(TAGS, {"q": "a"}).status_code)
    assert statuses == [200, 200, 200, 429]
