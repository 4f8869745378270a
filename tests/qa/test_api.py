"""The JSON API: every endpoint, its field names and its error statuses."""

import pytest

from kb.qa.models import Answer, Comment, Question, QuestionFollow, Revision, Vote
from kb.qa.signals import post_changed
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

QUESTION_FIELDS = {
    "id",
    "title",
    "body",
    "body_html",
    "tags",
    "community",
    "author",
    "score",
    "answer_count",
    "accepted_answer_id",
    "status",
    "duplicate_of",
    "url",
    "created_at",
    "last_activity_at",
}
ANSWER_FIELDS = {
    "id",
    "question_id",
    "body",
    "body_html",
    "author",
    "score",
    "is_accepted",
    "created_at",
}
BODY = "This body is certainly long enough for the rules."


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def patch(client, url, data, headers):
    return client.patch(url, data, content_type="application/json", **headers)


def test_create_question(client, bearer, user, community):
    response = post(
        client,
        "/api/v1/questions",
        {
            "title": "How do I rotate secrets?",
            "body": BODY,
            "tags": ["Security", "vault"],
            "community": community.slug,
        },
        bearer(user),
    )
    assert response.status_code == 201
    data = response.json()
    assert set(data) == QUESTION_FIELDS
    assert data["tags"] == ["security", "vault"]
    assert data["community"] == community.slug
    assert data["author"] == {"username": "alice", "display_name": "Alice Andersen"}
    assert data["status"] == "open"
    assert data["url"] == Question.objects.get().get_absolute_url()


def test_create_question_without_community_uses_default(
    client, bearer, user, community
):
    response = post(
        client,
        "/api/v1/questions",
        {"title": "A fine title", "body": BODY},
        bearer(user),
    )
    assert response.status_code == 201
    assert response.json()["community"] == community.slug


def test_anonymous_gets_401(client, question):
    assert client.get("/api/v1/questions").status_code == 401
    response = client.post(
        "/api/v1/questions", {"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "short", "body": BODY}, "title"),
        ({"title": "Fine title here", "body": "tiny"}, "body"),
        ({"title": "Fine title here", "body": BODY, "tags": list("abcdef")}, "tags"),
        ({"title": "Fine title here", "body": BODY, "tags": ["bad/tag!"]}, "tags"),
        ({"title": "Fine title here", "body": BODY, "community": "ghost"}, "community"),
        ({"body": BODY}, "title"),
    ],
)
def test_create_question_422(client, bearer, user, community, payload, field):
    response = post(client, "/api/v1/questions", payload, bearer(user))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Question.objects.exists()


def test_list_questions_with_filters(client, bearer, user, community, other_community):
    make_question(community=community, author=user, tags=["deploy"])
    make_question(
        community=other_community,
        author=user,
        title="Data question title",
        tags=["sql"],
    )
    response = client.get("/api/v1/questions?sort=votes", **bearer(user))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert set(data["results"][0]) == QUESTION_FIELDS
    by_tag = client.get("/api/v1/questions?tag=sql", **bearer(user)).json()
    assert [q["title"] for q in by_tag["results"]] == ["Data question title"]
    by_community = client.get(
        "/api/v1/questions?community=data&sort=unanswered&page=1", **bearer(user)
    ).json()
    assert by_community["count"] == 1
    past_end = client.get("/api/v1/questions?page=9", **bearer(user)).json()
    assert past_end == {"count": 2, "results": []}


def test_get_question_with_answers(client, bearer, user, other_user, question):
    answer = make_answer(question=question, author=other_user)
    response = client.get(f"/api/v1/questions/{question.pk}", **bearer(user))
    assert response.status_code == 200
    data = response.json()
    assert set(data) == QUESTION_FIELDS | {"answers"}
    assert set(data["answers"][0]) == ANSWER_FIELDS
    assert data["answers"][0]["id"] == answer.pk
    assert data["answers"][0]["is_accepted"] is False


def test_get_missing_or_deleted_question_404(client, bearer, user, question):
    assert client.get("/api/v1/questions/999999", **bearer(user)).status_code == 404
    Question.objects.filter(pk=question.pk).update(is_deleted=True)
    assert (
        client.get(f"/api/v1/questions/{question.pk}", **bearer(user)).status_code
        == 404
    )


def test_patch_question_creates_revision(client, bearer, user, question):
    response = patch(
        client,
        f"/api/v1/questions/{question.pk}",
        {"title": "A better, clearer title", "tags": ["ci"]},
        bearer(user),
    )
    assert response.status_code == 200
    assert response.json()["title"] == "A better, clearer title"
    assert response.json()["tags"] == ["ci"]
    assert Revision.objects.filter(question=question).count() == 2


def test_patch_question_403_and_422(client, bearer, user, other_user, question):
    url = f"/api/v1/questions/{question.pk}"
    assert (
        patch(
            client, url, {"title": "Hijack this title"}, bearer(other_user)
        ).status_code
        == 403
    )
    response = patch(client, url, {"title": "x"}, bearer(user))
    assert response.status_code == 422
    assert "title" in response.json()["errors"]
    assert (
        patch(client, "/api/v1/questions/999999", {}, bearer(user)).status_code == 404
    )


def test_answer_edit_and_accept(client, bearer, user, other_user, question):
    response = post(
        client,
        f"/api/v1/questions/{question.pk}/answers",
        {"body": BODY},
        bearer(other_user),
    )
    assert response.status_code == 201
    answer = response.json()
    assert set(answer) == ANSWER_FIELDS
    url = f"/api/v1/answers/{answer['id']}"
    assert (
        patch(client, url, {"body": BODY + " Edited."}, bearer(other_user)).status_code
        == 200
    )
    assert patch(client, url, {"body": BODY}, bearer(user)).status_code == 403
    assert patch(client, url, {"body": "tiny"}, bearer(other_user)).status_code == 422
    assert Revision.objects.filter(answer_id=answer["id"]).count() == 2
    assert post(client, url + "/accept", {}, bearer(other_user)).status_code == 403
    accepted = post(client, url + "/accept", {}, bearer(user))
    assert accepted.status_code == 200
    assert accepted.json()["accepted_answer_id"] == answer["id"]
    again = post(client, url + "/accept", {}, bearer(user))
    assert again.status_code == 422
    assert (
        post(client, "/api/v1/answers/999999/accept", {}, bearer(user)).status_code
        == 404
    )


def test_answer_422_and_404(client, bearer, other_user, question):
    url = f"/api/v1/questions/{question.pk}/answers"
    assert post(client, url, {"body": ""}, bearer(other_user)).status_code == 422
    assert post(client, url, {}, bearer(other_user)).status_code == 422
    assert (
        post(
            client,
            "/api/v1/questions/999999/answers",
            {"body": BODY},
            bearer(other_user),
        ).status_code
        == 404
    )
    assert not Answer.objects.exists()


def test_vote_question_and_answer(client, bearer, user, other_user, question):
    answer = make_answer(question=question, author=other_user)
    qurl = f"/api/v1/questions/{question.pk}/vote"
    aurl = f"/api/v1/answers/{answer.pk}/vote"
    assert post(client, qurl, {"value": 1}, bearer(other_user)).json() == {
        "score": 1,
        "my_vote": 1,
    }
    assert post(client, qurl, {"value": 1}, bearer(other_user)).status_code == 422
    assert post(client, qurl, {"value": -1}, bearer(other_user)).json() == {
        "score": -1,
        "my_vote": -1,
    }
    assert post(client, qurl, {"value": 0}, bearer(other_user)).json() == {
        "score": 0,
        "my_vote": 0,
    }
    assert post(client, qurl, {"value": 5}, bearer(other_user)).status_code == 422
    assert post(client, qurl, {"value": 1}, bearer(user)).status_code == 403
    assert post(client, aurl, {"value": 1}, bearer(other_user)).status_code == 403
    assert post(client, aurl, {"value": 1}, bearer(user)).json()["score"] == 1
    assert (
        post(
            client, "/api/v1/answers/999999/vote", {"value": 1}, bearer(user)
        ).status_code
        == 404
    )
    assert Vote.objects.count() == 1


def test_comments(client, bearer, user, other_user, question):
    answer = make_answer(question=question, author=user)
    response = post(
        client,
        f"/api/v1/questions/{question.pk}/comments",
        {"body": "Which version? https://example.org"},
        bearer(other_user),
    )
    assert response.status_code == 201
    assert response.json()["question_id"] == question.pk
    assert '<a href="https://example.org"' in response.json()["body_html"]
    response = post(
        client,
        f"/api/v1/answers/{answer.pk}/comments",
        {"body": "Nice."},
        bearer(other_user),
    )
    assert response.status_code == 201
    assert response.json()["answer_id"] == answer.pk
    too_long = post(
        client,
        f"/api/v1/answers/{answer.pk}/comments",
        {"body": "x" * 601},
        bearer(other_user),
    )
    assert too_long.status_code == 422
    assert Comment.objects.count() == 2


def test_close_and_reopen(client, bearer, user, lead, community, question):
    original = make_question(community=community, author=user, title="The original one")
    url = f"/api/v1/questions/{question.pk}"
    payload = {"reason": "duplicate", "duplicate_of": original.pk}
    assert post(client, url + "/close", payload, bearer(user)).status_code == 403
    bad = post(client, url + "/close", {"reason": "duplicate"}, bearer(lead))
    assert bad.status_code == 422
    assert "duplicate_of" in bad.json()["errors"]
    closed = post(client, url + "/close", payload, bearer(lead))
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["duplicate_of"] == original.pk
    assert post(client, url + "/reopen", {}, bearer(user)).status_code == 403
    reopened = post(client, url + "/reopen", {}, bearer(lead))
    assert reopened.json()["status"] == "open"
    assert reopened.json()["duplicate_of"] is None


def test_similar(client, bearer, user, community):
    q = make_question(
        community=community, author=user, title="Rotating vault tokens safely"
    )
    response = client.get(
        "/api/v1/questions/similar?title=vault+tokens&limit=3", **bearer(user)
    )
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": q.pk,
                "title": q.title,
                "url": q.get_absolute_url(),
                "score": 0,
                "is_answered": False,
            }
        ]
    }


def test_follow_and_delete(client, bearer, user, other_user, question):
    url = f"/api/v1/questions/{question.pk}"
    assert post(
        client, url + "/follow", {"follow": True}, bearer(other_user)
    ).json() == {"following": True}
    assert QuestionFollow.objects.filter(user=other_user).exists()
    assert client.delete(url, **bearer(other_user)).status_code == 403
    assert client.delete(url, **bearer(user)).status_code == 204
    assert Question.objects.get(pk=question.pk).is_deleted


def test_session_auth_works_for_the_browser(client, user, question):
    client.force_login(user)
    assert client.get(f"/api/v1/questions/{question.pk}").status_code == 200


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/questions",
        "/api/v1/questions/{question_id}",
        "/api/v1/questions/{question_id}/answers",
        "/api/v1/answers/{answer_id}/accept",
        "/api/v1/questions/{question_id}/vote",
        "/api/v1/answers/{answer_id}/vote",
        "/api/v1/questions/{question_id}/comments",
        "/api/v1/answers/{answer_id}/comments",
        "/api/v1/questions/{question_id}/close",
        "/api/v1/questions/{question_id}/reopen",
    ]:
        assert path in paths


def test_list_rejects_unknown_sort_and_community(client, bearer, user, community):
    response = client.get("/api/v1/questions?sort=random", **bearer(user))
    assert response.status_code == 422
    assert "sort" in response.json()["errors"]
    response = client.get("/api/v1/questions?community=ghost", **bearer(user))
    assert response.status_code == 422


def test_posting_too_often_gets_429(
    client, bearer, user, other_user, question, settings
):
    settings.HALLWAY_RATE_LIMITS = {"post": "1/h", "comment": "1/h", "vote": "1/h"}
    headers = bearer(other_user)
    url = f"/api/v1/questions/{question.pk}"
    assert post(client, url + "/answers", {"body": BODY}, headers).status_code == 201
    response = post(client, url + "/answers", {"body": BODY + "!"}, headers)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert post(client, url + "/comments", {"body": "One"}, headers).status_code == 201
    assert post(client, url + "/comments", {"body": "Two"}, headers).status_code == 429
    assert post(client, url + "/vote", {"value": 1}, headers).status_code == 200
    assert post(client, url + "/vote", {"value": 0}, headers).status_code == 429
    assert Answer.objects.count() == 1
    assert Comment.objects.count() == 1
    assert Vote.objects.count() == 1


def test_changes_are_announced_after_commit(
    client, bearer, user, community, django_capture_on_commit_callbacks
):
    seen = []

    def on_change(sender, **kwargs):
        seen.append((kwargs["kind"], kwargs["action"]))

    post_changed.connect(on_change)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post(
                client,
                "/api/v1/questions",
                {"title": "Announced question", "body": BODY},
                bearer(user),
            )
    finally:
        post_changed.disconnect(on_change)
    assert seen == [("question", "created")]
