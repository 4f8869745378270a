"""/healthz reports the database, Elasticsearch and the task queue."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hallway.tasks import ping_task
from search.models import OutboxEntry

pytestmark = pytest.mark.django_db


def test_healthz_ok_without_elasticsearch(client, settings):
    settings.ELASTICSEARCH_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["elasticsearch"]["status"] == "disabled"
    assert body["checks"]["queue"] == {
        "status": "ok",
        "pending": 0,
        "oldest_pending_age_seconds": 0.0,
    }
    assert body["status"] == "ok"


def test_healthz_reports_an_unreachable_node_as_error(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    body = client.get("/healthz").json()
    assert body["checks"]["elasticsearch"]["status"] == "error"
    assert body["status"] == "degraded"


def test_healthz_reports_the_age_of_the_oldest_pending_task(client, settings):
    settings.ELASTICSEARCH_URL = ""

    result = ping_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=10)
    )
    queue = client.get("/healthz").json()["checks"]["queue"]
    assert queue["pending"] == 1
    assert queue["oldest_pending_age_seconds"] >= 600
    assert queue["status"] == "error"


@pytest.mark.elasticsearch
def test_healthz_with_a_real_node(client, elasticsearch):
    body = client.get("/healthz").json()
    assert body["checks"]["elasticsearch"]["status"] == "ok"
    assert body["checks"]["elasticsearch"]["nodes"] == 1


def test_healthz_shows_parked_outbox_rows(client, settings):
    settings.ELASTICSEARCH_URL = ""
    OutboxEntry.objects.create(
        kind="question",
        object_id="7",
        parked_at=timezone.now(),
        last_error="mapper_parsing_exception",
        rejections=5,
    )
    body = client.get("/healthz").json()
    outbox = body["checks"]["outbox"]
    assert outbox["status"] == "error" and outbox["parked"] == 1
    assert outbox["parked_rows"][0]["error"] == "mapper_parsing_exception"
    assert body["status"] == "degraded"
