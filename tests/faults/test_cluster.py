"""Two Elasticsearch nodes on loopback as one cluster with one replica.

Node ``a`` is master-eligible and holds data; node ``b`` holds data only (with
two nodes only one can be master: losing a voting master stops any two-node
cluster, so production wants three master-eligible nodes). Stopping ``b``:
search and writes go on, nothing is lost, and the cluster is green again when
``b`` returns. Killing ``a`` (the master) during writes: saves go on (the
outbox keeps them), reads go on, nothing private leaks, and every write arrives
after it returns.
"""

import os
import shutil
import signal
import tempfile
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from home.demo import load
from journals.models import Entry
from search import client as search_client
from search.client import get_client
from search.index import read_alias
from search.indexing import drain_all
from search.models import OutboxEntry
from search.queries import SearchParams
from search.services import search_content
from tests.communities.factories import make_community
from tests.journals.factories import make_entry
from tests.qa.factories import make_question
from tools import node as es_node

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.elasticsearch]


@pytest.fixture(scope="module")
def cluster():
    missing = es_node.missing_tools()
    if missing:
        pytest.skip(f"The cluster test needs {' and '.join(missing)}.")
    base = Path(tempfile.mkdtemp(prefix="hallway-es-cluster-"))
    transport = (es_node.free_port(), es_node.free_port())
    name = f"c{uuid.uuid4().hex[:6]}"
    common = {
        "cluster": name,
        "seed_ports": transport,
        "masters": ("a",),
        "heap": "256m",
    }

    def make(node_name: str, transport_port: int, roles: tuple) -> es_node.Node:
        return es_node.Node(
            name=node_name,
            port=es_node.free_port(),
            base_dir=base / node_name,
            transport_port=transport_port,
            roles=roles,
            **common,
        )

    a = make("a", transport[0], ("master", "data"))
    b = make("b", transport[1], ("data",))
    try:
        es_node.start(a, timeout=300, quiet=True)
        es_node.start(b, timeout=300, quiet=True)
        yield a, b
    finally:
        for node in (b, a):
            es_node.stop(node)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def on_cluster(cluster, settings, monkeypatch):
    a, b = cluster
    settings.ELASTICSEARCH_URL = f"{a.url},{b.url}"
    settings.ELASTICSEARCH_REPLICAS = 1
    settings.ELASTICSEARCH_INDEX_PREFIX = f"cluster-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(search_client, "BREAKER_COOLDOWN", 0.2)

    load()
    yield a, b
    get_client().options(ignore_status=404, request_timeout=120).indices.delete(
        index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}*"
    )


def _health(status: str, nodes: int) -> dict:
    return (
        get_client()
        .options(request_timeout=200)
        .cluster.health(
            wait_for_status=status, wait_for_nodes=str(nodes), timeout="180s"
        )
    )


def _found(q: str, viewer=None):
    get_client().indices.refresh(index=read_alias())
    params = SearchParams(q=q, page_size=50)
    return search_content(params, viewer=viewer or AnonymousUser())


def _due_now() -> None:
    from django.utils import timezone

    OutboxEntry.objects.pending().update(next_attempt_at=timezone.now())


def test_search_and_writes_go_on_while_a_node_is_down(on_cluster, user):
    a, b = on_cluster
    community = make_community()
    before = [
        make_question(community=community, author=user, title=f"Quasar rollout {n}")
        for n in range(4)
    ]
    assert drain_all().failed == 0
    assert _health("green", 2)["status"] == "green"

    es_node.stop(b)
    assert _health("yellow", 1)["number_of_nodes"] == 1
    during = [
        make_question(community=community, author=user, title=f"Quasar during {n}")
        for n in range(4)
    ]
    assert drain_all().failed == 0
    found = _found("quasar")
    assert found.backend == "elasticsearch"
    assert {r["id"] for r in found.results} == {q.pk for q in before + during}

    es_node.start(b, timeout=300, quiet=True)
    assert _health("green", 2)["status"] == "green"
    assert {r["id"] for r in _found("quasar").results} == {
        q.pk for q in before + during
    }


def test_writes_during_a_cluster_outage_arrive_and_nothing_leaks(on_cluster, user):
    a, b = on_cluster
    community = make_community()
    make_question(community=community, author=user, title="Pulsar before")
    assert drain_all().failed == 0

    os.killpg(es_node._read_pid(a), signal.SIGKILL)
    saved = [
        make_question(community=community, author=user, title=f"Pulsar outage {n}")
        for n in range(5)
    ]
    secret = make_entry(
        user,
        title="Pulsar private plan",
        body="Pulsar secret.",
        visibility=Entry.Visibility.PRIVATE,
    )
    OutboxEntry.objects.create(kind="entry", object_id=str(secret.pk))
    assert drain_all().failed > 0  # no master: writes wait in the outbox
    # Reads go on (the data node still answers without a master, or the
    # database fallback does); the private entry shows in neither.
    meanwhile = search_content(SearchParams(q="pulsar"), viewer=AnonymousUser())
    assert "Pulsar private plan" not in {r["title"] for r in meanwhile.results}

    es_node.start(a, timeout=300, quiet=True)
    _health("yellow", 2)
    _due_now()
    assert drain_all().failed == 0
    found = _found("pulsar")
    assert {q.pk for q in saved} <= {r["id"] for r in found.results}
    assert "Pulsar private plan" not in {r["title"] for r in found.results}
    assert "Pulsar private plan" in {
        r["title"] for r in _found("pulsar", viewer=user).results
    }
