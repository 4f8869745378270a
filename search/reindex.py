"""Full rebuild: stream every source from the database into a fresh index, then
swap the read alias atomically. Searches keep working on the old index meanwhile."""

from collections.abc import Callable, Iterator

from elasticsearch import Elasticsearch, helpers

from .documents import document_id, with_suggest
from .index import abandon_rebuild, finish_rebuild, start_rebuild
from .sources import Source, available_sources

CHUNK = 500


def source_actions(source: Source, index: str) -> Iterator[dict]:
    """Index actions for every row of ``source``, read in chunks (bounded memory)."""
    queryset = source.load()
    last_pk = None
    while True:
        chunk = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        rows = list(chunk[:CHUNK])
        if not rows:
            return
        for row in rows:
            doc = source.to_document(row)
            if doc is not None:
                yield {
                    "_op_type": "index",
                    "_index": index,
                    "_id": document_id(source.kind, str(row.pk)),
                    "_source": with_suggest(doc),
                }
        last_pk = rows[-1].pk


def reindex(
    client: Elasticsearch,
    *,
    progress: Callable[[str, int, int], None] = lambda kind, done, total: None,
) -> dict[str, int]:
    """Rebuild the content index from the database; return documents per kind."""
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
                source_actions(source, index),
                thread_count=2,
                chunk_size=CHUNK,
                raise_on_error=False,
            ):
                if not ok:
                    raise RuntimeError(f"Elasticsearch refused a document: {item}")
                done += 1
                if done % 100 == 0:
                    progress(source.kind, done, total)
            progress(source.kind, done, total)
            counts[source.kind] = done
        finish_rebuild(client, index)
    except BaseException:
        abandon_rebuild(client, index)
        raise
    return counts
