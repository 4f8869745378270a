"""Index life cycle: versioned physical indices behind aliases, swapped atomically.

``<prefix>-content`` is the read alias. During a rebuild the new index also
carries ``<prefix>-content-building``, and the indexing task writes to both, so
no change made while a rebuild runs is lost when the alias swaps.
"""

import math
from datetime import UTC, datetime

from django.conf import settings
from elasticsearch import ApiError, BadRequestError, Elasticsearch, TransportError

from .client import get_client
from .documents import (
    ContentDocument,
    analysis_level,
    analysis_settings,
    similarity_settings,
)
from .models import synonym_rules
from .timed_cache import TimedCache


def read_alias() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-content"


def building_alias() -> str:
    return f"{read_alias()}-building"


def _new_index_name() -> str:
    return f"{read_alias()}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"


# The index is read far more often than it is written (a few saves a minute
# against every search, similar list and experts list), and each query pays per
# segment: at 200,000 documents the similar questions' query took 10 ms on the
# 24 segments the default policy left after a load and 5 ms on one. Fewer
# segments per tier, and small ones counted as larger, keep fewer of them for
# a little more merging of what is written.
MERGE_POLICY = {
    "merge.policy.segments_per_tier": 5,
    "merge.policy.max_merge_at_once": 5,
    "merge.policy.floor_segment": "64mb",
}


def index_body(client: Elasticsearch) -> dict:
    """Settings and mappings for a content index, with the node's best analysis
    and the synonyms leads keep in the admin."""
    mappings = ContentDocument._doc_type.mapping.to_dict()
    settings_ = {
        "number_of_shards": 1,
        "number_of_replicas": settings.ELASTICSEARCH_REPLICAS,
        "refresh_interval": "1s",
        "analysis": analysis_settings(analysis_level(client), synonym_rules()),
        "similarity": similarity_settings(),
        **MERGE_POLICY,
    }
    return {"settings": settings_, "mappings": mappings}


def create_index(
    client: Elasticsearch, name: str, *, aliases: dict | None = None
) -> None:
    body = index_body(client)
    client.indices.create(
        index=name,
        settings=body["settings"],
        mappings=body["mappings"],
        aliases=aliases or {},
    )


def ensure_index(client: Elasticsearch | None = None) -> str | None:
    """Make sure the read alias points at an index; return the alias (or None)."""
    client = client or get_client()
    if client is None:
        return None
    alias = read_alias()
    if client.indices.exists_alias(name=alias):
        return alias
    # The first index has a fixed name, so two processes starting at once (the
    # site and a worker) create one index, not one each behind the same alias,
    # which would hold every later document twice. Whoever loses the race finds
    # the index made, alias and all.
    first = f"{alias}-first"
    try:
        create_index(client, first, aliases={alias: {}})
    except BadRequestError as error:
        if error.error != "resource_already_exists_exception":
            raise
        client.indices.put_alias(index=first, name=alias)
    return alias


def indices_behind(client: Elasticsearch, *aliases: str) -> list[str]:
    """Physical indices behind any of ``aliases`` (one request; none if absent)."""
    found = client.options(ignore_status=404).indices.get_alias(name=",".join(aliases))
    return sorted(index for index in found if index not in ("error", "status"))


def write_targets(client: Elasticsearch) -> list[str]:
    """Physical indices every change must reach: the live one and any in rebuild."""
    return indices_behind(client, read_alias(), building_alias())


def alias_indices(client: Elasticsearch) -> list[str]:
    """Physical indices behind the read alias."""
    return indices_behind(client, read_alias())


def swap_alias(
    client: Elasticsearch, alias: str, name: str, *, also_remove: str | None = None
) -> list[str]:
    """Point ``alias`` at index ``name`` in one atomic step; delete what it replaced."""
    old = [index for index in indices_behind(client, alias) if index != name]
    actions = [{"remove": {"index": index, "alias": alias}} for index in old]
    actions.append({"add": {"index": name, "alias": alias}})
    if also_remove:
        actions.append({"remove": {"index": name, "alias": also_remove}})
    client.indices.update_aliases(actions=actions)
    for index in old:
        client.options(ignore_status=404).indices.delete(index=index)
    return old


def start_rebuild(client: Elasticsearch) -> str:
    """Create a fresh index, marked as building, and return its name."""
    name = _new_index_name()
    body = index_body(client)
    settings_ = {**body["settings"], "refresh_interval": "-1"}
    client.indices.create(
        index=name,
        settings=settings_,
        mappings=body["mappings"],
        aliases={building_alias(): {}},
    )
    return name


# A rebuilt index is merged before searches read it, into segments of at most
# this size: below the 5 GB past which the merge policy leaves a segment alone,
# so what later saves write still merges with it.
COMPACT_SEGMENT_BYTES = 2 * 1024**3


def compact(client: Elasticsearch, name: str) -> int:
    """Merge index ``name`` into as few segments as ``COMPACT_SEGMENT_BYTES``
    allows (each query pays per segment: a bulk load leaves dozens) and return
    how many it asked for. Blocks until the merge is done (23 s at 200,000
    documents on 2 cores)."""
    stats = client.indices.stats(index=name, metric="store")
    size = stats["indices"][name]["primaries"]["store"]["size_in_bytes"]
    segments = max(1, math.ceil(size / COMPACT_SEGMENT_BYTES))
    client.options(request_timeout=3600).indices.forcemerge(
        index=name, max_num_segments=segments
    )
    client.indices.refresh(index=name)
    return segments


def finish_rebuild(client: Elasticsearch, name: str) -> list[str]:
    """Swap the read alias to ``name`` atomically; delete the old indices."""
    client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
    client.indices.refresh(index=name)
    replaced = swap_alias(client, read_alias(), name, also_remove=building_alias())
    forget_fields()
    return replaced


def abandon_rebuild(client: Elasticsearch, name: str) -> None:
    client.options(ignore_status=404).indices.delete(index=name)


def mapped_fields(client: Elasticsearch) -> set[str]:
    """Top-level fields of the mapping of the indices behind the read alias."""
    live = client.indices.get_mapping(index=read_alias())
    have: set[str] = set()
    for body in live.values():
        have |= set(body["mappings"].get("properties", {}))
    return have


# A query that reads a field added by a later mapping asks ``has_field`` first,
# so an index built by older code keeps working (the slower way) until
# ``search_reindex`` rebuilds it; the answer is kept FIELDS_SECONDS per process.
FIELDS_SECONDS = 60.0
_fields = TimedCache(size=16)


def has_field(client: Elasticsearch, name: str) -> bool:
    """Whether the read index maps top-level field ``name`` (assumed so when
    the node does not say: the query then fails or succeeds on its own)."""
    alias = read_alias()
    fields = _fields.get(alias)
    if fields is None:
        try:
            fields = frozenset(mapped_fields(client))
        except (TransportError, ApiError, ConnectionError):
            return True
        _fields.put(alias, fields, seconds=FIELDS_SECONDS)
    return name in fields


def forget_fields() -> None:
    """Forget the kept mappings (after a rebuild in this process, and in tests)."""
    _fields.clear()
