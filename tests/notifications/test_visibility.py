"""Notifications follow each kind's visibility rule when shown, not only when
sent: an entry made private or a deleted question disappears from the list,
the bell, the API and e-mail at once, whatever the worker is doing (issue 16,
leak 3)."""

import pytest

from journals.services import entry_update
from kb.qa.services import question_delete
from notifications.models import Delivery, Kind, Notification
from notifications.services import digest_send, notification_send
from tests.journals.factories import make_entry
from tests.qa.factories import make_question

pytestmark = pytest.mark.django_db


def _about(row_kind, target, recipient, title):
    return notification_send(
        recipient_ids=[recipient.pk],
        kind=Kind.MENTION,
        target_kind=row_kind,
        target_id=target.pk,
        url=target.get_absolute_url(),
        title=title,
        email=False,
    )[0]


def test_an_entry_made_private_takes_its_notification_off_the_list(
    client, bearer, user, other_user
):
    entry = make_entry(other_user, title="Gerbilgate", visibility="organisation")
    row = _about("entry", entry, user, "Bram mentioned you in Gerbilgate")
    client.force_login(user)
    assert "Gerbilgate" in client.get("/notifications/").text
    entry_update(entry=entry, by=other_user, visibility="private")
    assert "Gerbilgate" not in client.get("/notifications/").text
    assert 'class="notification-count"' not in client.get("/notifications/bell/").text
    assert client.get(f"/notifications/{row.pk}/").status_code == 404
    api = client.get("/api/v1/notifications", **bearer(user)).json()
    assert api["results"] == [] and api["unread_count"] == 0


def test_a_deleted_question_takes_its_notification_off_the_list(
    client, user, other_user, community
):
    question = make_question(
        community=community, author=other_user, title="Hamsterwheel"
    )
    _about("question", question, user, "New question: Hamsterwheel")
    client.force_login(user)
    assert "Hamsterwheel" in client.get("/notifications/").text
    question_delete(question=question, by=other_user)
    assert "Hamsterwheel" not in client.get("/notifications/").text


def test_the_digest_leaves_out_what_the_reader_can_no_longer_see(user, other_user):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    entry = make_entry(other_user, title="Ferretplan", visibility="organisation")
    seen = make_entry(other_user, title="Openplan", visibility="organisation")
    for target, title in ((entry, "Ferretplan"), (seen, "Openplan")):
        row = _about("entry", target, user, title)
        Notification.objects.filter(pk=row.pk).update(
            kind=Kind.NEW_ENTRY_BY_FOLLOWED_PERSON,
            created_at=timezone.now() - timedelta(hours=1),
        )
    entry_update(entry=entry, by=other_user, visibility="private")
    assert digest_send(period=Delivery.DAILY) == 1
    assert "Openplan" in mail.outbox[0].body
    assert "Ferretplan" not in mail.outbox[0].body
