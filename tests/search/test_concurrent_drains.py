"""Two workers draining at once on PostgreSQL: every row claimed exactly once."""

import threading

import pytest
from django.db import connection, connections

from search.indexing import _claim
from search.models import OutboxEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_never_claim_the_same_row():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL (row locks with SKIP LOCKED); SQLite has one writer "
            "at a time. CI sets DATABASE_URL to PostgreSQL."
        )
    OutboxEntry.objects.bulk_create(
        OutboxEntry(kind="question", object_id=str(n)) for n in range(600)
    )
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            start.wait()
            while rows := _claim(25):
                claimed[name].extend(row.pk for row in rows)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    a, b = set(claimed["a"]), set(claimed["b"])
    assert len(claimed["a"]) == len(a) and len(claimed["b"]) == len(b)
    assert not a & b
    assert a | b == set(OutboxEntry.objects.values_list("pk", flat=True))
    assert a and b  # both really worked
