"""The outbox under bad rows and many workers: a refused document is parked, not
retried forever; drains coalesce; claimed rows are not sent twice; a reindex
skips what Elasticsearch refuses instead of aborting."""

import dataclasses

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from home.demo import load
from kb.qa.models import Question
from search import sources
from search.client import get_client
from search.index import read_alias
from search.indexing import MAX_REJECTIONS, _claim, drain_all
from search.models import OutboxEntry
from search.reindex import reindex
from search.tasks import drain_outbox_task, request_drain
from tests.communities.factories import make_community
from tests.qa.factories import make_question


@pytest.fixture
def community(db):
    load()
    return make_community()


def _break_documents_of(monkeypatch, bad_id: int) -> None:
    """Make building one question's document fail, as a mapping bug would."""
    source = sources.SOURCES["question"]

    def to_document(row):
        if row.pk == bad_id:
            raise ValueError("cannot map this question")
        return source.to_document(row)

    broken = dataclasses.replace(source, to_document=to_document)
    monkeypatch.setitem(sources.SOURCES, "question", broken)


def _make_due_again() -> None:
    from django.utils import timezone

    OutboxEntry.objects.pending().update(next_attempt_at=timezone.now())


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_a_refused_row_is_parked_and_does_not_block_the_others(
    elasticsearch, monkeypatch, community, user
):
    bad = make_question(community=community, author=user, title="A poisoned question")
    _break_documents_of(monkeypatch, bad.pk)
    for attempt in range(MAX_REJECTIONS):
        good = make_question(
            community=community, author=user, title=f"Healthy question {attempt}"
        )
        drain_all()
        assert OutboxEntry.objects.filter(
            kind="question", object_id=str(good.pk), done_at__isnull=False
        ).exists()
        _make_due_again()
    # Every row recorded for the bad question (a save can record more than one).
    parked = list(OutboxEntry.objects.parked())
    assert parked and {row.object_id for row in parked} == {str(bad.pk)}
    assert all("cannot map this question" in row.last_error for row in parked)
    assert not OutboxEntry.objects.pending().exists()

    health = call_command_output("search_status")
    assert f"{len(parked)} parked" in health and "cannot map this question" in health


def call_command_output(name: str, *args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_control_characters_in_stored_text_are_indexed_without_them(
    elasticsearch, community, user
):
    question = make_question(community=community, author=user)
    # Stored by an import or an old release, bypassing the input guard.
    Question.objects.filter(pk=question.pk).update(title="Unit\x1fseparator\x1etitle")
    OutboxEntry.objects.create(kind="question", object_id=str(question.pk))
    result = drain_all()
    assert result.failed == 0
    assert not OutboxEntry.objects.pending().exists()
    assert not OutboxEntry.objects.parked().exists()
    get_client().indices.refresh(index=read_alias())
    doc = get_client().get(index=read_alias(), id=f"question-{question.pk}")
    assert doc["_source"]["title"] == "Unitseparatortitle"


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_reindex_skips_and_reports_a_bad_row(
    elasticsearch, monkeypatch, community, user
):
    good = make_question(community=community, author=user, title="A healthy one")
    bad = make_question(community=community, author=user, title="A poisoned one")
    _break_documents_of(monkeypatch, bad.pk)
    skipped: list[str] = []
    counts = reindex(get_client(), on_skip=skipped.append)
    assert counts["question"] == 1
    assert len(skipped) == 1 and f"question:{bad.pk}" in skipped[0]
    get_client().indices.refresh(index=read_alias())
    assert get_client().exists(index=read_alias(), id=f"question-{good.pk}")


@pytest.mark.django_db
def test_drain_requests_coalesce_into_one_waiting_task():
    for _ in range(5):
        request_drain()
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=drain_outbox_task.module_path
    )
    assert waiting.count() == 1


@pytest.mark.django_db
def test_a_claimed_row_is_not_handed_to_a_second_worker():
    OutboxEntry.objects.bulk_create(
        OutboxEntry(kind="question", object_id=str(n)) for n in range(10)
    )
    first = _claim(6)
    second = _claim(6)
    assert len(first) == 6 and len(second) == 4
    assert not {r.pk for r in first} & {r.pk for r in second}
    assert _claim(6) == []
