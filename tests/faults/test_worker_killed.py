"""Kill the task worker mid-drain (SIGKILL of a real ``db_worker`` process):
nothing is lost, the task it left RUNNING is recovered, everything is
searchable once a worker runs again, and an entry made private while no worker
ran never shows to others (issue 16).

A second process must open the test database, so this needs a database server
(PostgreSQL, as in CI); on SQLite's in-memory test database it is skipped."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django_tasks_db.models import DBTaskResult

from hallway.worker import recover_stale_tasks
from journals import services as journals
from journals.models import Entry
from search.index import read_alias
from search.models import OutboxEntry
from search.queries import SearchParams
from search.services import search_content
from search.tasks import drain_outbox_task, request_drain
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.journals.factories import make_entry
from tests.qa.factories import make_question

pytestmark = [pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = 200
WORKER = """
import os, sys
sys.path[:0] = [{root!r}, {site!r}]
os.environ["DJANGO_SETTINGS_MODULE"] = "hallway.settings.test"
import django
django.setup()
from django.conf import settings
settings.ELASTICSEARCH_URL = {es!r}
settings.ELASTICSEARCH_INDEX_PREFIX = {prefix!r}
from django.core.management import call_command
call_command("db_worker", interval=0.1, startup_delay=False, worker_id={wid!r})
"""


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a second process cannot open SQLite's in-memory test database")
    user = db["USER"] or ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(settings, worker_id: str, log: Path) -> subprocess.Popen:
    code = WORKER.format(
        root=str(ROOT),
        site=str(ROOT / "site"),
        es=settings.ELASTICSEARCH_URL,
        prefix=settings.ELASTICSEARCH_INDEX_PREFIX,
        wid=worker_id,
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)


def _found(q: str, viewer) -> set[str]:
    params = SearchParams(q=q, page_size=50)
    return {r["title"] for r in search_content(params, viewer=viewer).results}


def test_a_worker_killed_mid_drain_loses_nothing_and_leaks_nothing(
    elasticsearch, settings, tmp_path
):
    _database_url()
    settings.ELASTICSEARCH_SYNC_TIMEOUT = 30
    author = UserFactory(username="writer")
    reader = UserFactory(username="reader")
    community = make_community()
    secret = make_entry(author, title="Zephyr plan, still open", body="Zephyr.")
    for n in range(QUESTIONS):
        title = f"Zephyr rollout question {n}"
        make_question(community=community, author=author, title=title)
    DBTaskResult.objects.all().delete()  # the saves' own drain requests
    OutboxEntry.objects.create(kind="entry", object_id=str(secret.pk))
    assert OutboxEntry.objects.pending().count() >= QUESTIONS
    request_drain()

    log = tmp_path / "worker.log"
    first = _start_worker(settings, "killed-worker", log)
    path = drain_outbox_task.module_path
    try:
        _wait(
            lambda: DBTaskResult.objects.filter(
                status="RUNNING", task_path=path
            ).exists(),
            timeout=120,
            what="the worker to start draining",
        )
        _wait(
            lambda: (
                OutboxEntry.objects.pending()
                .exclude(pk__in=OutboxEntry.objects.due().values("pk"))
                .exists()
            ),
            timeout=60,
            what="the drain to lease outbox rows",
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    stale = DBTaskResult.objects.get(status="RUNNING", task_path=path)
    assert OutboxEntry.objects.pending().exists(), "killed after the drain ended"

    # While no worker runs, the author makes the entry private: that narrows
    # who may read it, so it must leave others' search at once.
    journals.entry_update(entry=secret, by=author, visibility=Entry.Visibility.PRIVATE)
    for viewer in (AnonymousUser(), reader):
        assert "Zephyr plan, still open" not in _found("zephyr plan", viewer)

    # The supervisor recovers the dead worker's task; a new worker drains.
    assert recover_stale_tasks(worker_id="killed-worker") == 1
    stale.refresh_from_db()
    assert stale.status == "FAILED"
    # The killed drain's rows are leased for a minute: make them due now, as
    # the lease running out would.
    OutboxEntry.objects.pending().update(next_attempt_at=stale.started_at)
    second = _start_worker(settings, "second-worker", log)
    try:
        _wait(
            lambda: not OutboxEntry.objects.pending().exists(),
            timeout=180,
            what="the second worker to empty the outbox",
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    assert not OutboxEntry.objects.filter(parked_at__isnull=False).exists()

    elasticsearch.indices.refresh(index=read_alias())
    hits = elasticsearch.count(
        index=read_alias(), query={"match_phrase": {"title": "zephyr rollout"}}
    )["count"]
    assert hits == QUESTIONS, log.read_text()[-3000:]
    assert len(_found("zephyr rollout", reader)) == 50  # a full first page
    for viewer in (AnonymousUser(), reader):
        assert "Zephyr plan, still open" not in _found("zephyr plan", viewer)
    assert "Zephyr plan, still open" in _found("zephyr plan", author)
