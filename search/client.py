"""The one place that builds Elasticsearch clients for the app.

A node that stops answering (hung, not refusing connections) would make every
search page wait for the request timeout. So the client carries a circuit
breaker: after a connection error or timeout, requests fail at once for
``BREAKER_COOLDOWN`` seconds (callers fall back to the database search), then
one request probes the node again.
"""

import threading
import time
from functools import lru_cache
from typing import Any

from django.conf import settings
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import Elasticsearch

BREAKER_COOLDOWN = 10.0


class _Breaker:
    def __init__(self) -> None:
        self.open_until = 0.0
        self.lock = threading.Lock()

    def check(self) -> None:
        with self.lock:
            now = time.monotonic()
            if now < self.open_until:
                raise TransportConnectionError(
                    "Elasticsearch did not answer recently; not asking again yet."
                )
            if self.open_until:
                # Half-open: this request probes; others wait for its outcome.
                self.open_until = now + BREAKER_COOLDOWN

    def failed(self) -> None:
        with self.lock:
            self.open_until = time.monotonic() + BREAKER_COOLDOWN

    def succeeded(self) -> None:
        with self.lock:
            self.open_until = 0.0


class GuardedElasticsearch(Elasticsearch):
    """An Elasticsearch client that stops asking a node that does not answer."""

    def perform_request(self, *args: Any, **kwargs: Any) -> Any:
        breaker = _breaker_of(self)
        breaker.check()
        try:
            response = super().perform_request(*args, **kwargs)
        except (ConnectionTimeout, TransportConnectionError):
            breaker.failed()
            raise
        breaker.succeeded()
        return response


def _breaker_of(client: Elasticsearch) -> _Breaker:
    # Kept on the transport, which ``client.options(...)`` copies share.
    transport = client.transport
    breaker = getattr(transport, "_hallway_breaker", None)
    if breaker is None:
        breaker = _Breaker()
        transport._hallway_breaker = breaker  # type: ignore[attr-defined]
    return breaker


@lru_cache(maxsize=4)
def _client_for(url: str, timeout: float) -> Elasticsearch:
    # Several nodes of one cluster: ELASTICSEARCH_URL=http://a:9200,http://b:9200
    # (a request that fails on one node is retried on the next).
    hosts = [host.strip() for host in url.split(",") if host.strip()]
    return GuardedElasticsearch(
        hosts,
        request_timeout=timeout,
        retry_on_timeout=False,
        max_retries=len(hosts) - 1,
    )


def get_client() -> Elasticsearch | None:
    """A client for the configured node, or ``None`` when search runs without one."""
    if not settings.ELASTICSEARCH_URL:
        return None
    return _client_for(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)


def node_status(timeout: float = 2.0) -> dict[str, Any]:
    """Health of the configured node, shaped for ``/healthz`` and ``search_status``."""
    client = get_client()
    if client is None:
        return {
            "status": "disabled",
            "detail": "ELASTICSEARCH_URL is not set: search uses its database fallback",
        }
    try:
        health = client.options(request_timeout=timeout).cluster.health()
    except Exception as error:  # noqa: BLE001 - any transport failure means "down"
        return {"status": "error", "detail": f"{type(error).__name__}: {error}"[:300]}
    ok = health.get("status") in {"green", "yellow"}
    return {
        "status": "ok" if ok else "error",
        "cluster_status": health.get("status"),
        "nodes": health.get("number_of_nodes"),
    }
