"""Immediate e-mail, digests, preferences and one-click unsubscribe."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from journals.models import TagFollow
from notifications.models import Delivery, EmailPreference, Kind, Notification
from notifications.services import digest_send, preference_set, unsubscribe_url
from tests.notifications.factories import answer, ask

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/notifications/unsubscribe/\S+/")


def test_an_answer_e_mails_the_asker_at_once_with_an_unsubscribe_link(
    community, user, other_user
):
    question = ask(community=community, author=user)
    mail.outbox.clear()
    answer(question=question, author=other_user)

    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "answered your question" in message.subject
    assert question.get_absolute_url() in message.body
    assert LINK.search(message.body)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert Notification.objects.get(recipient=user).emailed_at is not None


def test_unsubscribe_link_works_without_login_and_stops_that_kind(
    client, community, user, other_user
):
    question = ask(community=community, author=user)
    mail.outbox.clear()
    answer(question=question, author=other_user)
    link = LINK.search(mail.outbox[0].body).group(0)

    path = link.replace("http://127.0.0.1:8000", "")

    # Opening the link (a GET, which mail scanners and previews also send)
    # only asks; the button on that page posts to the same address.
    response = client.get(path)
    assert response.status_code == 200
    assert f'action="{path}"' in response.text and 'method="post"' in response.text
    assert not EmailPreference.objects.filter(user=user).exists()
    response = client.post(path)

    assert response.status_code == 200
    assert "no longer get e-mails" in response.text
    assert (
        EmailPreference.objects.get(user=user, kind=Kind.ANSWER_TO_MY_QUESTION).delivery
        == Delivery.OFF
    )
    Notification.objects.update(read_at=timezone.now())
    mail.outbox.clear()
    answer(question=question, author=other_user, body="Another answer, long enough.")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=user, read_at=None).count() == 1


def test_one_click_post_unsubscribes_too(user):
    """RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click`` to the
    link, with no cookie and no CSRF token; the signed token is the credential."""
    client = Client(enforce_csrf_checks=True)
    link = unsubscribe_url(user_id=user.pk, kind=Kind.MENTION)
    response = client.post(
        link.replace("http://127.0.0.1:8000", ""),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert EmailPreference.objects.get(user=user, kind=Kind.MENTION).delivery == "off"


def test_a_tampered_token_changes_nothing(client, user):
    link = unsubscribe_url(user_id=user.pk, kind=Kind.MENTION)
    path = link.replace("http://127.0.0.1:8000", "")
    for send in (client.get, client.post):
        response = send(path.replace("/unsubscribe/", "/unsubscribe/x"))
        assert response.status_code == 400
    assert not EmailPreference.objects.exists()


def test_opening_the_link_changes_nothing(client, user):
    """GET never changes state: link checkers and previews open links."""
    link = unsubscribe_url(user_id=user.pk, kind=Kind.MENTION)
    for _ in range(2):
        response = client.get(link.replace("http://127.0.0.1:8000", ""))
        assert response.status_code == 200
    assert not EmailPreference.objects.exists()
    assert client.put(link.replace("http://127.0.0.1:8000", "")).status_code == 405


def test_follow_based_notifications_wait_for_the_daily_digest(
    community, user, other_user
):
    TagFollow.objects.create(follower=other_user, tag_name="helm")
    mail.outbox.clear()
    ask(community=community, author=user, tags=["helm"], title="First helm question x")
    ask(community=community, author=user, tags=["helm"], title="Second helm question")
    assert [m for m in mail.outbox if m.to == [other_user.email]] == []

    call_command("send_digests", "--period", "daily")

    digests = [m for m in mail.outbox if m.to == [other_user.email]]
    assert len(digests) == 1
    assert "Second helm question" in digests[0].body
    assert LINK.search(digests[0].body)
    mail.outbox.clear()
    assert digest_send(period="daily") == 0


def test_weekly_choices_are_left_out_of_the_daily_digest(community, user, other_user):
    TagFollow.objects.create(follower=other_user, tag_name="helm")
    preference_set(
        user=other_user, kind=Kind.NEW_QUESTION_IN_FOLLOWED_TAG, delivery="weekly"
    )
    ask(community=community, author=user, tags=["helm"])
    mail.outbox.clear()

    digest_send(period="daily")
    assert [m for m in mail.outbox if m.to == [other_user.email]] == []
    assert digest_send(period="weekly", now=timezone.now() + timedelta(days=2)) == 1
    assert [m.to for m in mail.outbox][-1] == [other_user.email]


def test_read_notifications_are_not_in_the_digest(community, user, other_user):
    TagFollow.objects.create(follower=other_user, tag_name="helm")
    ask(community=community, author=user, tags=["helm"])
    Notification.objects.update(read_at=timezone.now())
    assert digest_send(period="daily") == 0  # lena (member) read hers too


def test_preferences_page_saves_choices(client, user):
    client.force_login(user)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    assert 'name="delivery-mention"' in page.text

    response = client.post(
        "/notifications/settings/",
        {"delivery-mention": "weekly", "delivery-can_you_help": "off"},
    )

    assert response.status_code == 302
    assert dict(
        EmailPreference.objects.filter(user=user).values_list("kind", "delivery")
    ) == {"mention": "weekly", "can_you_help": "off"}
