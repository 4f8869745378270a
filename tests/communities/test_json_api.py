"""The communities part of /api/v1/: list, join/leave, feedback, verify, curate."""

from kb.communities.models import KnowledgePage, Membership, PageFeedback
from kb.qa import models as qa
from tests.communities.factories import make_page


def _post(client, url, bearer, user, data=None):
    return client.post(url, data or {}, content_type="application/json", **bearer(user))


def test_list_needs_auth(client, community):
    assert client.get("/api/v1/communities").status_code == 401


def test_list_join_and_leave(client, community, outsider, bearer):
    community.join_policy = "open"
    community.save(update_fields=["join_policy"])
    items = client.get("/api/v1/communities", **bearer(outsider)).json()
    assert items == [
        {
            "slug": "platform",
            "title": "Platform",
            "goal": "Why Platform exists.",
            "url": community.url,
            "member_count": 3,
            "my_role": None,
        }
    ]
    response = _post(client, "/api/v1/communities/platform/join", bearer, outsider)
    assert response.json() == {
        "community": "platform",
        "role": "member",
        "status": "member",
    }
    assert Membership.objects.filter(user=outsider).exists()
    response = _post(client, "/api/v1/communities/platform/leave", bearer, outsider)
    assert response.json() == {"left": True}
    assert (
        _post(client, "/api/v1/communities/nope/join", bearer, outsider).status_code
        == 404
    )


def test_feedback_and_verify(client, community, lead, member, bearer):
    page = make_page(community, author=lead)
    url = f"/api/v1/knowledge-pages/{page.pk}/feedback"
    response = _post(client, url, bearer, member, {"helpful": True})
    assert response.json() == {"helpful": 1, "not_helpful": 0, "mine": True}
    _post(client, url, bearer, member, {"helpful": False, "comment": "Old"})
    assert PageFeedback.objects.get().helpful is False

    verify = f"/api/v1/knowledge-pages/{page.pk}/verify"
    assert _post(client, verify, bearer, member).status_code == 403
    response = _post(client, verify, bearer, lead)
    assert response.status_code == 200
    assert response.json()["verified_by"] == "Lena Lead"


def test_curation_endpoint(client, community, lead, member, outsider, bearer):
    question = qa.Question.objects.create(
        title="Why?", body="?", author=outsider, community=community
    )
    answer = qa.Answer.objects.create(question=question, body="Because.", author=member)
    data = {"kind": "answer", "id": answer.pk}
    assert _post(client, "/api/v1/curations", bearer, member, data).status_code == 403
    response = _post(client, "/api/v1/curations", bearer, lead, data)
    assert response.status_code == 201
    page = KnowledgePage.objects.get()
    assert response.json()["id"] == page.pk and response.json()["live"] is False
    bad = _post(client, "/api/v1/curations", bearer, lead, {"kind": "x", "id": 1})
    assert bad.status_code == 422
    assert "kind" in bad.json()["errors"]
