"""E-mails asking for an answer carry a signed, expiring link to the answer box."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from notifications import services
from notifications.models import Kind, Notification
from notifications.services import answer_link_url, email_send_immediate
from tests.notifications.factories import answer, ask

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/notifications/answer/(\S+)/")


def _escalation_mail(question, lead):
    notification = Notification.objects.create(
        recipient=lead,
        kind=Kind.ESCALATION,
        target_kind="question",
        target_id=question.pk,
        url=question.get_absolute_url(),
        text=f"Still unanswered: {question.title}",
        group_key=f"escalation:{question.pk}",
    )
    mail.outbox.clear()
    email_send_immediate(notification=notification)
    return mail.outbox[-1]


def test_the_link_leads_straight_to_the_answer_box(client, community, user, lead):
    question = ask(community=community, author=user, fan_out=False)
    message = _escalation_mail(question, lead)
    link = LINK.search(message.body)
    assert link
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    client.force_login(lead)
    response = client.get(f"/notifications/answer/{link.group(1)}/")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{question.get_absolute_url()}#your-answer-heading"
    )
    page = client.get(question.get_absolute_url())
    assert 'id="your-answer-heading"' in page.content.decode()


def test_signed_out_readers_log_in_first_and_land_on_the_answer_box(
    client, community, user, lead
):
    question = ask(community=community, author=user, fan_out=False)
    url = answer_link_url(user_id=lead.pk, question_id=question.pk)
    response = client.get(urlsplit(url).path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "your-answer-heading" in response["Location"]


def test_an_expired_or_forged_link_goes_nowhere(
    client, community, user, lead, monkeypatch
):
    question = ask(community=community, author=user, fan_out=False)
    path = urlsplit(answer_link_url(user_id=lead.pk, question_id=question.pk)).path
    client.force_login(lead)
    forged = client.get(path.replace("/answer/", "/answer/x"))
    assert (forged.status_code, forged["Location"]) == (302, "/")
    monkeypatch.setattr(services, "ANSWER_LINK_MAX_AGE", -1)
    expired = client.get(path, follow=True)
    assert "This link has expired." in expired.content.decode()


def test_answers_to_my_question_carry_no_answer_link(community, user, other_user):
    question = ask(community=community, author=user)
    mail.outbox.clear()
    answer(question=question, author=other_user)
    assert not LINK.search(mail.outbox[0].body)
