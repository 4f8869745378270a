"""Deliveries to a real HTTP receiver: signed, retried with back-off, logged,
and a webhook that keeps failing is switched off with a notice."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integrations import services, transport
from integrations.models import Delivery, Webhook
from kb.qa.services import answer_accept, answer_create, question_create

pytestmark = pytest.mark.django_db

SECRET = "a-long-enough-shared-secret"


@pytest.fixture
def webhook(receiver, allow_private, admin_user):
    return services.webhook_create(
        by=admin_user,
        url=receiver.url,
        events=["question.created", "answer.created", "answer.accepted"],
        secret=SECRET,
    )


def _ask(user, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return question_create(
            author=user,
            title="How do we rotate the signing keys?",
            body="We need to rotate keys every quarter; what is the procedure?",
            tags=["security"],
            community=community,
        )


def test_a_new_question_reaches_the_receiver_signed(
    webhook, receiver, user, community, run_tasks, django_capture_on_commit_callbacks
):
    question = _ask(user, community, django_capture_on_commit_callbacks)
    assert not receiver.requests  # nothing is sent in the request
    run_tasks()
    [request] = receiver.requests
    assert request.path == "/hook"
    assert request.headers["x-hallway-event"] == "question.created"
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-hallway-signature"] == f"sha256={expected}"
    body = request.json()
    assert set(body) == {"event", "id", "occurred_at", "data"}
    assert body["event"] == "question.created"
    assert body["data"]["question"]["id"] == question.pk
    assert body["data"]["question"]["title"] == question.title
    assert body["data"]["question"]["url"].endswith(question.get_absolute_url())
    delivery = Delivery.objects.get()
    assert request.headers["x-hallway-delivery"] == str(delivery.delivery_id)
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.last_status_code == 200
    assert delivery.last_response_ms is not None


def test_a_tampered_body_does_not_verify(webhook, receiver):
    body = b'{"event":"question.created"}'
    good = services.signature(secret=SECRET, body=body)
    assert good != services.signature(secret=SECRET, body=body + b" ")
    assert good != services.signature(secret="another-secret-entirely", body=body)


def test_answers_and_acceptance_are_events_too(
    webhook,
    receiver,
    user,
    other_user,
    community,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    question = _ask(user, community, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_create(
            question=question,
            author=other_user,
            body="Use the key manager's rotation schedule and re-sign nightly.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        answer_accept(answer=answer, by=user)
    run_tasks()
    events = [r.headers["x-hallway-event"] for r in receiver.requests]
    assert events == ["question.created", "answer.created", "answer.accepted"]
    accepted = receiver.requests[-1].json()["data"]
    assert accepted["answer"]["id"] == answer.pk
    assert accepted["answer"]["accepted"] is True
    ids = {r.headers["x-hallway-delivery"] for r in receiver.requests}
    assert len(ids) == 3


def test_a_failing_receiver_is_retried_with_back_off_until_it_succeeds(
    webhook,
    receiver,
    user,
    community,
    run_tasks,
    client,
    admin_user,
    bearer,
    django_capture_on_commit_callbacks,
):
    receiver.respond_with(500, 200)
    _ask(user, community, django_capture_on_commit_callbacks)
    before = timezone.now()
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert delivery.next_attempt_at >= before + timedelta(seconds=10)
    retry = DBTaskResult.objects.get(
        status="READY", task_path="integrations.tasks.deliver_task"
    )
    assert retry.run_after == delivery.next_attempt_at  # deferred, not immediate
    run_tasks(deferred=True)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert [r.headers["x-hallway-delivery"] for r in receiver.requests] == [
        str(delivery.delivery_id)
    ] * 2
    assert receiver.requests[0].body == receiver.requests[1].body
    log = client.get(
        f"/api/v1/webhooks/{webhook.pk}/deliveries", **bearer(admin_user)
    ).json()
    assert log[0]["status"] == "succeeded"
    assert [a["status_code"] for a in log[0]["log"]] == [500, 200]
    assert all(a["response_ms"] is not None for a in log[0]["log"])
    webhook.refresh_from_db()
    assert webhook.failing_since is None and webhook.is_active


def test_a_timeout_counts_as_a_failure_and_is_retried(
    webhook,
    receiver,
    user,
    community,
    run_tasks,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(transport, "TIMEOUT_SECONDS", 0.3)
    receiver.respond_with(200, delay=1.0)
    _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert "timed out" in delivery.last_error.lower()
    assert delivery.last_status_code is None


def test_back_off_grows_and_is_capped():
    gaps = [services.retry_gap(n).total_seconds() for n in range(1, 10)]
    assert gaps[:4] == [10, 30, 90, 270]
    assert gaps[-1] == 3600
    assert gaps == sorted(gaps)


def test_a_webhook_failing_for_24_hours_is_switched_off_with_a_notice(
    webhook,
    receiver,
    user,
    community,
    run_tasks,
    admin_user,
    django_capture_on_commit_callbacks,
):
    receiver.respond_with(503)
    _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    delivery = Delivery.objects.get()
    start = delivery.created_at
    services.delivery_attempt(delivery_id=delivery.pk, now=start + timedelta(hours=12))
    webhook.refresh_from_db()
    assert webhook.is_active
    services.delivery_attempt(
        delivery_id=delivery.pk, now=start + timedelta(hours=24, minutes=1)
    )
    webhook.refresh_from_db()
    delivery.refresh_from_db()
    assert not webhook.is_active
    assert "503" in webhook.disabled_reason
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3
    [notice] = mail.outbox
    assert notice.to == [admin_user.email]
    assert receiver.url in notice.body
    # A switched-off webhook gets no new deliveries.
    _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    assert Delivery.objects.count() == 1


def test_a_success_in_between_resets_the_failure_streak(
    webhook, receiver, user, community, run_tasks, django_capture_on_commit_callbacks
):
    receiver.respond_with(500, 200, 500)
    _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    webhook.refresh_from_db()
    assert webhook.failing_since is not None
    run_tasks(deferred=True)
    webhook.refresh_from_db()
    assert webhook.failing_since is None


def test_private_addresses_are_refused_at_send_time_too(
    webhook,
    receiver,
    user,
    community,
    run_tasks,
    settings,
    django_capture_on_commit_callbacks,
):
    _ask(user, community, django_capture_on_commit_callbacks)
    settings.HALLWAY_WEBHOOKS_ALLOW_PRIVATE = False
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "private or loopback" in delivery.last_error
    assert not receiver.requests


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/x",
        "http://192.168.0.10/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8000/x",
        "http://0.0.0.0/x",
        "http://[::ffff:127.0.0.1]/x",
        "file:///etc/passwd",
    ],
)
def test_the_guard_refuses_non_public_targets(url, settings):
    settings.HALLWAY_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(transport.AddressRefused):
        transport.check_url(url)


def test_bodies_are_compact_json(
    webhook, receiver, user, community, run_tasks, django_capture_on_commit_callbacks
):
    _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    raw = receiver.requests[0].body
    assert json.loads(raw)["event"] == "question.created"
    assert receiver.requests[0].headers["content-type"].startswith("application/json")
    assert Webhook.objects.get().deliveries.count() == 1
