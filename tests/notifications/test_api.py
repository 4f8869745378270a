"""GET /api/v1/notifications and marking read through the API."""

import pytest

from kb.communities.models import CommunityPage
from notifications.models import Kind, Notification
from notifications.services import notification_send
from tests.communities.factories import make_community
from tests.qa.factories import make_question

pytestmark = pytest.mark.django_db


def _notify(user, n=1, kind=Kind.MENTION):
    """A notification about a real question (only readable targets are listed)."""
    question = make_question(community=_community(), title=f"Question number {n}")
    return notification_send(
        recipient_ids=[user.pk],
        kind=kind,
        target_kind="question",
        target_id=question.pk,
        url=question.get_absolute_url(),
        title=f"Q{n}",
    )[0]


def _community():
    return CommunityPage.objects.first() or make_community()


def test_list_needs_authentication(client):
    assert client.get("/api/v1/notifications").status_code == 401


def test_list_shows_only_mine_newest_first(client, bearer, user, other_user):
    first = _notify(user, 1)
    second = _notify(user, 2)
    _notify(other_user, 3)

    response = client.get("/api/v1/notifications", **bearer(user))

    assert response.status_code == 200
    data = response.json()
    assert data["unread_count"] == 2
    assert [row["target_id"] for row in data["results"]] == [
        second.target_id,
        first.target_id,
    ]
    assert data["results"][0]["kind"] == "mention"
    assert data["results"][0]["unread"] is True


def test_mark_one_read(client, bearer, user):
    row = _notify(user)
    response = client.post(f"/api/v1/notifications/{row.pk}/read", **bearer(user))
    assert response.status_code == 200
    assert response.json()["unread"] is False
    row.refresh_from_db()
    assert row.read_at is not None


def test_someone_elses_notification_is_404(client, bearer, user, other_user):
    row = _notify(other_user)
    response = client.post(f"/api/v1/notifications/{row.pk}/read", **bearer(user))
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_read_all(client, bearer, user, other_user):
    _notify(user, 1)
    _notify(user, 2)
    theirs = _notify(other_user, 3)

    response = client.post("/api/v1/notifications/read-all", **bearer(user))

    assert response.json() == {"marked": 2, "unread_count": 0}
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unread_filter(client, bearer, user):
    first = _notify(user, 1)
    second = _notify(user, 2)
    client.post(f"/api/v1/notifications/{second.pk}/read", **bearer(user))
    data = client.get("/api/v1/notifications?unread=true", **bearer(user)).json()
    assert [row["target_id"] for row in data["results"]] == [first.target_id]
