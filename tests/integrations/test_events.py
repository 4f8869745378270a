"""Which domain events become webhook events, and the periodic sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Delivery, Webhook
from integrations.tasks import schedule_resume
from kb.qa.services import question_create
from notifications.routing import escalate_unanswered
from tests.communities.factories import make_page

pytestmark = pytest.mark.django_db


def test_an_escalated_question_becomes_question_unanswered(
    allow_private,
    receiver,
    user,
    community,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    Webhook.objects.create(url=receiver.url, events=["question.unanswered"])
    question = question_create(
        author=user,
        title="Nobody knows how the batch export works?",
        body="The nightly export stopped and nobody seems to know who owns it.",
        community=community,
    )
    with django_capture_on_commit_callbacks(execute=True):
        escalate_unanswered(now=timezone.now() + timedelta(hours=13))
    run_tasks()
    [request] = receiver.requests
    assert request.headers["x-hallway-event"] == "question.unanswered"
    assert request.json()["data"]["question"]["id"] == question.pk


def test_a_republished_page_is_not_a_new_page(
    allow_private,
    receiver,
    lead,
    community,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    Webhook.objects.create(url=receiver.url, events=["page.published"])
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(community, author=lead, title="Release checklist")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    run_tasks()
    assert Delivery.objects.filter(event="page.published").count() == 1


def test_the_sweep_is_scheduled_once():
    assert schedule_resume() is True
    assert schedule_resume() is False
