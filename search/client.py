"""The one place that builds Elasticsearch clients for the app."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from elasticsearch import Elasticsearch


@lru_cache(maxsize=4)
def _client_for(url: str, timeout: float) -> Elasticsearch:
    return Elasticsearch(
        url, request_timeout=timeout, retry_on_timeout=False, max_retries=0
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
