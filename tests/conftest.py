"""Fixtures for the whole suite: people, API auth, a real Elasticsearch node, a browser.

The Elasticsearch node is started once per test session, on its own free port
and in a throw-away folder, the first time a test asks for it; it is stopped and
deleted at the end. Set ``HALLWAY_TEST_ELASTICSEARCH_URL`` to use an existing
node instead. Without Java/Maven those tests are skipped with a message, unless
``HALLWAY_REQUIRE_ELASTICSEARCH=1`` (set by ``make test``) makes that a failure.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from people.services import api_token_create
from search.client import get_client
from tests.factories import UserFactory
from tools import node as es_node


def pytest_configure(config) -> None:
    """Compile the translations when a .po is newer than its .mo (``make test``
    already did; this covers ``pytest`` run directly on a fresh checkout)."""
    import polib

    root = Path(__file__).resolve().parents[1]
    for po_path in root.glob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate-limit counters live there)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Tests post freely; rate-limit tests set the limits they check."""
    settings.HALLWAY_RATE_LIMITS = {}


# -- people -------------------------------------------------------------------


@pytest.fixture
def user(db):
    return UserFactory(username="alice", display_name="Alice Andersen")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bram", display_name="Bram de Vries")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def bearer():
    """Build ``Authorization`` headers for a user: ``client.get(url, **bearer(u))``."""

    def make(user) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}

    return make


# -- Elasticsearch ------------------------------------------------------------


def _require_es() -> bool:
    return os.environ.get("HALLWAY_REQUIRE_ELASTICSEARCH", "") in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def elasticsearch_url() -> Iterator[str]:
    """URL of a real node for this test session (started on first use)."""
    existing = os.environ.get("HALLWAY_TEST_ELASTICSEARCH_URL")
    if existing:
        yield existing.rstrip("/")
        return
    missing = es_node.missing_tools()
    if missing:
        message = (
            f"Elasticsearch tests need {' and '.join(missing)} to start a local node "
            "(Debian: apt-get install openjdk-17-jre-headless maven), or "
            "HALLWAY_TEST_ELASTICSEARCH_URL pointing at a node."
        )
        if _require_es():
            pytest.fail(message)
        pytest.skip(message)
    base = Path(tempfile.mkdtemp(prefix="hallway-es-test-"))
    node = es_node.Node(
        name="test", port=es_node.free_port(), base_dir=base, heap="384m"
    )
    try:
        url = es_node.start(node, quiet=True)
    except es_node.NodeError as error:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"Could not start the test Elasticsearch node: {error}")
    try:
        yield url
    finally:
        es_node.stop(node)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def elasticsearch(elasticsearch_url, settings):
    """Point the app at the session's node, with an index prefix unique to the test."""
    import uuid

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:10]}"

    client = get_client()
    yield client
    client.options(ignore_status=404).indices.delete(
        index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}*"
    )
