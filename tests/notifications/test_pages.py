"""The list page, the bell, opening a notification and following."""

import pytest

from journals.models import TagFollow
from kb.communities.models import CommunityPage
from notifications.models import CommunityFollow, Kind, Notification
from notifications.services import notification_send
from tests.communities.factories import make_community
from tests.qa.factories import make_question

pytestmark = pytest.mark.django_db


def _notify(user, n=1):
    """A notification about a real question (only readable targets are listed)."""
    question = make_question(community=_community(), title=f"Question number {n}")
    return notification_send(
        recipient_ids=[user.pk],
        kind=Kind.CAN_YOU_HELP,
        target_kind="question",
        target_id=question.pk,
        url=question.get_absolute_url(),
        title=f"Q {n}",
    )[0]


def _community():
    return CommunityPage.objects.first() or make_community()


def test_list_needs_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_list_shows_my_notifications_and_the_bell_count(client, user, other_user):
    _notify(user, 1)
    _notify(user, 2)
    _notify(other_user, 3)
    client.force_login(user)

    response = client.get("/notifications/")

    assert response.status_code == 200
    assert response.text.count('class="notification is-unread"') == 2
    assert "Q 3" not in response.text
    assert 'id="notification-bell"' in response.text
    assert 'class="notification-count" aria-hidden="true">2<' in response.text


def test_list_page_query_count_is_constant(client, user, django_assert_max_num_queries):
    client.force_login(user)
    _notify(user, 1)
    with django_assert_max_num_queries(12) as one:
        client.get("/notifications/")
    for n in range(2, 30):
        _notify(user, n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/notifications/")
    assert response.text.count('class="notification is-unread"') == 29


def test_opening_with_post_marks_read_and_redirects(client, user):
    row = _notify(user)
    client.force_login(user)
    response = client.post(f"/notifications/{row.pk}/")
    assert response.status_code == 302
    assert response["Location"] == row.url
    row.refresh_from_db()
    assert row.read_at is not None


def test_get_redirects_without_changing_anything(client, user):
    """Issue 16: a GET (prefetch, crawler, mail scanner) must not mark read."""
    row = _notify(user)
    client.force_login(user)
    response = client.get(f"/notifications/{row.pk}/")
    assert response.status_code == 302
    assert response["Location"] == row.url
    row.refresh_from_db()
    assert row.read_at is None


def test_unread_rows_open_through_a_post_form(client, user):
    row = _notify(user)
    client.force_login(user)
    html = client.get("/notifications/").text
    assert f'<form method="post" action="/notifications/{row.pk}/"' in html


def test_cannot_open_someone_elses(client, user, other_user):
    row = _notify(other_user)
    client.force_login(user)
    assert client.get(f"/notifications/{row.pk}/").status_code == 404
    assert client.post(f"/notifications/{row.pk}/").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_read_with_htmx_returns_the_row(client, user):
    row = _notify(user)
    client.force_login(user)
    response = client.post(f"/notifications/{row.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="notification-{row.pk}"' in response.text
    assert "is-unread" not in response.text
    assert response["HX-Trigger"] == "notifications-changed"


def test_mark_all_read(client, user):
    _notify(user, 1)
    _notify(user, 2)
    client.force_login(user)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at=None).exists()


def test_bell_fragment(client, user):
    assert client.get("/notifications/bell/").text.strip() == ""
    _notify(user)
    client.force_login(user)
    response = client.get("/notifications/bell/")
    assert "Notifications: 1 unread" in response.text
    assert 'hx-trigger="every 60s' in response.text


def test_follow_and_unfollow_a_tag_and_a_community(client, user, community):
    client.force_login(user)
    client.post("/notifications/follow/tag/", {"tag": "Helm"})
    client.post("/notifications/follow/community/", {"community": community.slug})
    assert list(TagFollow.objects.values_list("tag_name", flat=True)) == ["helm"]
    assert CommunityFollow.objects.filter(user=user, community=community).exists()

    page = client.get("/notifications/settings/")
    assert "#helm" in page.text

    client.post("/notifications/follow/tag/", {"tag": "helm", "follow": "0"})
    client.post(
        "/notifications/follow/community/",
        {"community": community.slug, "follow": "0"},
    )
    assert not TagFollow.objects.exists()
    assert not CommunityFollow.objects.exists()
