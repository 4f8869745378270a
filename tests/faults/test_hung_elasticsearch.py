"""A node that accepts connections and never answers: pages fall back at once.

Counted, not timed: after the first request times out, the circuit breaker
sends no more requests to the node while it is open, so later pages do not
wait at all. (A loose time bound only catches a real hang.)
"""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.test import Client

from tests.communities.factories import make_community
from tests.qa.factories import make_question


class HungNode:
    """A TCP server that accepts every connection, reads, and never replies."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.connections: list[socket.socket] = []
        self.requests = 0
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._swallow, args=(conn,), daemon=True).start()

    def _swallow(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            if data[:4] in {b"GET ", b"POST", b"HEAD", b"PUT ", b"DELE"}:
                self.requests += 1

    def close(self) -> None:
        self._stop.set()
        for conn in self.connections:
            conn.close()
        self.sock.close()


@pytest.fixture
def hung_node(settings) -> Iterator[HungNode]:
    node = HungNode()
    settings.ELASTICSEARCH_URL = node.url
    settings.ELASTICSEARCH_TIMEOUT = 1.0
    yield node
    node.close()


@pytest.mark.django_db
def test_search_pages_fall_back_without_waiting_on_a_hung_node(hung_node, user):
    make_question(community=make_community(), author=user, title="Deploy safely?")
    client = Client()
    started = time.monotonic()
    first = client.get("/search/", {"q": "deploy"})
    assert first.status_code == 200
    assert "Deploy safely?" in first.text  # the database fallback answered
    asked_after_first = hung_node.requests
    assert asked_after_first >= 1
    for _ in range(5):
        page = client.get("/search/", {"q": "deploy"})
        assert page.status_code == 200 and "Deploy safely?" in page.text
        api = client.get("/api/v1/search/autocomplete", {"q": "depl"})
        assert api.status_code in {200, 401}
    assert hung_node.requests == asked_after_first  # nothing more asked of it
    assert time.monotonic() - started < 30  # a hang would be 6 x 2 x timeout+
