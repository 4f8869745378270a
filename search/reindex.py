"""Full rebuild: stream every source from the database into a fresh index, then
swap the read alias atomically. Searches keep working on the old index meanwhile."""

import logging
import time
from collections.abc import Callable, Iterator

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from . import meaning
from .documents import document_id, index_source
from .index import abandon_rebuild, compact, finish_rebuild, start_rebuild
from .indexing import clean_document
from .sources import Source, available_sources

CHUNK = 500
logger = logging.getLogger(__name__)


def _log_skip(message: str) -> None:
    logger.warning("Reindex skipped %s", message)


def source_actions(
    source: Source,
    index: str,
    on_skip: Callable[[str], None] = _log_skip,
    *,
    client: Elasticsearch | None = None,
) -> Iterator[dict]:
    """Index actions for every row of ``source``, read in chunks (bounded memory);
    a row whose document cannot be built is reported to ``on_skip`` and left out.
    ``client``: where vectors already made are read back from."""
    queryset = source.load()
    last_pk = None
    while True:
        chunk = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        rows = list(chunk[:CHUNK])
        if not rows:
            return
        docs: dict[str, dict] = {}
        for row in rows:
            try:
                doc = source.to_document(row)
            except Exception as error:  # noqa: BLE001 - one bad row must not abort all
                on_skip(f"{source.kind}:{row.pk}: {type(error).__name__}: {error}")
                continue
            if doc is not None:
                docs[document_id(source.kind, str(row.pk))] = doc
        if source.vectors:
            # Vectors of unchanged questions are read back from the index being
            # replaced, not encoded again.
            meaning.add_vectors(docs, client=client)
        for doc_id, doc in docs.items():
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": doc_id,
                "_source": index_source(clean_document(doc)),
            }
        last_pk = rows[-1].pk


def _compact(client: Elasticsearch, index: str, on_step: Callable[[str], None]) -> None:
    """Merge the rebuilt ``index`` before the alias moves to it. Only faster
    queries hang on it: if the node fails or times out, the complete index is
    used as it is (the merge policy merges it over time), not thrown away."""
    on_step("Merging the new index's segments before searches read it ...")
    started = time.monotonic()
    try:
        segments = compact(client, index)
    except (TransportError, ApiError) as error:
        logger.warning("Reindex: merging %s failed: %s", index, error)
        on_step(
            f"Merging did not finish ({error.__class__.__name__}); the new index "
            "is used as it is and merges over time."
        )
        return
    on_step(
        f"Merged into {segments} segment{'s' if segments > 1 else ''} "
        f"in {time.monotonic() - started:.1f}s."
    )


def reindex(
    client: Elasticsearch,
    *,
    progress: Callable[[str, int, int], None] = lambda kind, done, total: None,
    on_skip: Callable[[str], None] = _log_skip,
    on_step: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Rebuild the content index from the database; return documents per kind.

    A document Elasticsearch refuses (or that cannot be built) is reported to
    ``on_skip`` and left out; the rest of the rebuild goes on. ``on_step`` hears
    of the steps after the documents (the merge, which takes a while)."""
    client = client.options(request_timeout=120)  # bulk requests, not user requests
    index = start_rebuild(client)
    counts: dict[str, int] = {}
    try:
        for source in available_sources():
            total = source.load().count()
            done = 0
            progress(source.kind, 0, total)
            # Two threads: database reads and mapping overlap with indexing.
            for ok, item in helpers.parallel_bulk(
                client,
                source_actions(source, index, on_skip, client=client),
                thread_count=2,
                chunk_size=CHUNK,
                raise_on_error=False,
                raise_on_exception=False,
            ):
                if not ok:
                    info = next(iter(item.values()))
                    on_skip(f"{info.get('_id')}: {info.get('error')}"[:500])
                    continue
                done += 1
                if done % 100 == 0:
                    progress(source.kind, done, total)
            progress(source.kind, done, total)
            counts[source.kind] = done
        _compact(client, index, on_step)
        finish_rebuild(client, index)
    except BaseException:
        abandon_rebuild(client, index)
        raise
    return counts
