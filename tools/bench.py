"""Search benchmarks (`make bench`): every search surface next to what a team
would pick instead, on the same documents and queries, at one or more sizes.

- Corpus: the real Stack Exchange dump is imported through the real importer
  and indexed by the real reindex; on top of it, documents generated from the
  dump's profile (word frequencies along its rank-frequency curve, extended on
  the fitted Zipf line so the vocabulary keeps growing; title, body and answer
  lengths; answer counts; tags; scores; a private/community/organisation mix)
  are bulk-loaded straight into the same index, through its real mapping and
  analysis, in parallel bulk requests.
- Queries: real question titles of the dump, never sampled words.
- Surfaces, over HTTP to gunicorn: search page (HTML, signed in), search API,
  autocomplete, similar questions, experts and a question page (HTML, signed
  in); at concurrency 1 and 8.
- Baselines on the same documents and queries: a plain BM25 ``multi_match``
  over title and body straight to Elasticsearch (the floor), our own built
  query straight to Elasticsearch (what Django adds), and PostgreSQL full-text
  search (``SearchVector``/``SearchRank`` over a GIN index) when the database
  is PostgreSQL.
- Relevance: the dump's human-made links between questions, queried with
  "similar questions" and with the plain BM25 query.
"""

from __future__ import annotations

import http.client
import json
import math
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.conf import settings
from django.utils.html import strip_tags
from elasticsearch_dsl import Q, Search

from kb.imports.dump import read_rows
from kb.imports.models import ImportedObject
from kb.qa.services import question_create
from search import meaning
from search.client import get_client
from search.documents import document_id, index_source
from search.index import read_alias
from search.queries import build_similar
from search.services import meaning_floor, meaning_judges, similar_questions
from search.sources import MEMBERS, PUBLIC, community_principal, user_principal

WORD = re.compile(r"[a-z][a-z0-9'-]{1,20}")
# Synthetic documents get ids far above any database row.
SYNTHETIC_ID_BASE = 50_000_000


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values`` in the same unit."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def zipf_fit(counts: list[int]) -> tuple[float, float]:
    """Least-squares fit of log(count) = log(c) - s·log(rank); return (s, c).

    Fitted over ranks 10..5000 (the head is flattened by stop words, the far
    tail by the dump's size)."""
    points = [
        (math.log(rank), math.log(count))
        for rank, count in enumerate(counts, 1)
        if 10 <= rank <= 5000 and count > 0
    ]
    if len(points) < 10:
        return 1.0, float(counts[0] if counts else 1)
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    slope = sxy / sxx
    return -slope, math.exp(my - slope * mx)


def _pseudo_word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    syllables = rng.randint(2, 4)
    return "".join(
        rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)
    )


class Profile:
    """What real content looks like, learnt from the dump."""

    def __init__(self, folder: Path, *, tail_factor: int = 10) -> None:
        words: Counter[str] = Counter()
        tags: Counter[str] = Counter()
        self.title_lengths: list[int] = []
        self.body_lengths: list[int] = []
        self.answer_lengths: list[int] = []
        self.scores: list[int] = []
        self.answer_counts: list[int] = []
        self.titles: list[str] = []
        for row in read_rows(folder, "Posts"):
            tokens = WORD.findall(strip_tags(row.get("Body", "")).lower())
            words.update(tokens)
            if row.get("PostTypeId") == "1":
                self.body_lengths.append(max(10, len(tokens)))
                title = row.get("Title", "")
                self.titles.append(title)
                title_tokens = WORD.findall(title.lower())
                words.update(title_tokens)
                self.title_lengths.append(max(3, len(title_tokens)))
                tags.update(re.findall(r"[^<>|]+", row.get("Tags", "")))
                self.scores.append(int(row.get("Score", 0)))
                self.answer_counts.append(int(row.get("AnswerCount", 0) or 0))
            elif row.get("PostTypeId") == "2":
                self.answer_lengths.append(max(5, len(tokens)))
        if not self.answer_lengths:
            self.answer_lengths = self.body_lengths
        ranked = words.most_common()
        self.real_vocabulary = len(ranked)
        self.tokens = sum(c for _, c in ranked)
        counts = [c for _, c in ranked]
        self.zipf_s, zipf_c = zipf_fit(counts)
        # The dump's own rank-frequency curve, then its fitted Zipf line out to
        # ``tail_factor`` times the dump's vocabulary (a larger corpus has more
        # distinct words: rare names, identifiers, typos).
        vocabulary = [w for w, _ in ranked]
        weights = [float(c) for c in counts]
        rng = random.Random(11)  # noqa: S311 - reproducible corpus
        seen = set(vocabulary)
        for rank in range(len(vocabulary) + 1, len(vocabulary) * tail_factor + 1):
            word = _pseudo_word(rng)
            while word in seen:
                word = _pseudo_word(rng) + str(rank % 97)
            seen.add(word)
            vocabulary.append(word)
            weights.append(zipf_c * rank**-self.zipf_s)
        self.vocabulary = vocabulary
        total = 0.0
        self.cum_weights = []
        for w in weights:
            total += w
            self.cum_weights.append(total)
        self.tags = [t for t, _ in tags.most_common(300)] or ["general"]
        self.tag_weights = [c for _, c in tags.most_common(300)] or [1]

    def words(self, rng: random.Random, n: int) -> str:
        return " ".join(rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=n))

    def summary(self) -> dict:
        return {
            "questions": len(self.titles),
            "answers": len(self.answer_lengths),
            "tokens": self.tokens,
            "distinct_words": self.real_vocabulary,
            "zipf_exponent": round(self.zipf_s, 3),
            "generator_vocabulary": len(self.vocabulary),
            "median_lengths_words": {
                "title": statistics.median(self.title_lengths or [0]),
                "question_body": statistics.median(self.body_lengths or [0]),
                "answer": statistics.median(self.answer_lengths or [0]),
            },
        }

    def queries(self, n: int, *, seed: int = 3) -> list[str]:
        """``n`` real question titles (seeded sample, at most 12 words each)."""
        rng = random.Random(seed)  # noqa: S311
        titles = [t for t in self.titles if len(t.split()) >= 2]
        picked = rng.sample(titles, min(n, len(titles)))
        return [" ".join(t.split()[:12]) for t in picked]

    def prefixes(self, n: int, *, seed: int = 5) -> list[str]:
        """What someone has typed into the search box: a title cut mid-word."""
        rng = random.Random(seed)  # noqa: S311
        out = []
        for title in self.queries(n, seed=seed):
            cut = rng.randint(4, min(18, max(4, len(title))))
            out.append(title[:cut].rstrip() or title)
        return out


# -- corpus -----------------------------------------------------------------------


class People:
    """Who the generated documents belong to (active accounts, so experts count)."""

    def __init__(self, users: list, community) -> None:
        self.users = [(u.pk, u.username, u.get_display_name()) for u in users]
        self.community = community


CHUNK_DOCS = 1000  # documents generated from one seed (any range gives the same docs)


def synthetic_documents(
    profile: Profile, people: People, *, start: int, stop: int, seed: int = 7
) -> Iterator[dict]:
    """Documents number ``start``..``stop`` of the generated corpus: the same
    documents whatever the range asked for (each block of 1,000 has its seed).
    Words are drawn in bulk with numpy: a million documents in minutes."""
    import numpy as np  # heavy, and only the bench's generator needs it

    vocabulary = np.array(profile.vocabulary, dtype=object)
    cumulative = np.array(profile.cum_weights)
    now = datetime.now(UTC)
    community = people.community
    for block in range(start // CHUNK_DOCS, (stop + CHUNK_DOCS - 1) // CHUNK_DOCS):
        rng = random.Random(seed * 1_000_003 + block)  # noqa: S311
        draws = np.random.default_rng([seed, block])
        plans = []
        for n in range(block * CHUNK_DOCS, (block + 1) * CHUNK_DOCS):
            question = n % 10 < 7  # 70% questions with answers, 30% journal entries
            lengths = [rng.choice(profile.title_lengths) if question else 5]
            if question:
                lengths.append(min(400, rng.choice(profile.body_lengths)))
                answers = min(5, rng.choice(profile.answer_counts))
                lengths += [
                    min(300, rng.choice(profile.answer_lengths)) for _ in range(answers)
                ]
            else:
                lengths.append(min(250, rng.choice(profile.body_lengths)))
            plans.append((n, question, lengths))
        total = sum(sum(lengths) for _, _, lengths in plans)
        picks = np.searchsorted(
            cumulative, draws.random(total) * cumulative[-1], side="right"
        )
        words = vocabulary[np.minimum(picks, len(vocabulary) - 1)].tolist()
        vectors = np.random.default_rng([seed, block, 1]).standard_normal(
            (CHUNK_DOCS, meaning.DIMS)
        )
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        at = 0
        for n, question, lengths in plans:
            texts = []
            for length in lengths:
                texts.append(" ".join(words[at : at + length]))
                at += length
            if not start <= n < stop:
                continue
            pk = SYNTHETIC_ID_BASE + n
            author_id, author, author_name = rng.choice(people.users)
            created = (
                now - timedelta(minutes=rng.randint(1, 60 * 24 * 900))
            ).isoformat()
            tags = sorted(set(rng.choices(profile.tags, profile.tag_weights, k=3)))
            title = texts[0].capitalize()[:200]
            if question:
                body, answers = texts[1], texts[2:]
                answerers = [rng.choice(people.users)[1] for _ in answers]
                accepted = None
                if answers and rng.random() < 0.4:
                    accepted = rng.randrange(len(answers))
                score = rng.choice(profile.scores)
                yield {
                    "kind": "question",
                    "object_id": str(pk),
                    "title": title,
                    "body": body,
                    "answers": answers,
                    "accepted_answer": answers[accepted]
                    if accepted is not None
                    else "",
                    "tags": tags,
                    "community": community.slug,
                    "community_title": community.title,
                    "author": author,
                    "author_name": author_name,
                    "answerers": sorted(set(answerers)),
                    "accepted_answerer": (
                        answerers[accepted] if accepted is not None else None
                    ),
                    "score": score,
                    "popularity": max(score, 0),
                    "answer_count": len(answers),
                    "is_answered": bool(answers),
                    "has_accepted": accepted is not None,
                    "status": "open",
                    "created_at": created,
                    "updated_at": created,
                    "url": f"/questions/{pk}/q/",
                    "readers": [PUBLIC],
                    # A random unit vector: what reading and decoding the
                    # question's vector costs, with no meaning in it.
                    "meaning": meaning.encode(vectors[n % CHUNK_DOCS]),
                }
                continue
            visibility = rng.choices(
                ["organisation", "community", "private"], [6, 2, 2]
            )[0]
            readers = {
                "organisation": [MEMBERS, user_principal(author_id)],
                "community": [
                    community_principal(community.pk),
                    user_principal(author_id),
                ],
                "private": [user_principal(author_id)],
            }[visibility]
            yield {
                "kind": "entry",
                "object_id": str(pk),
                "title": title,
                "body": texts[1],
                "tags": tags[:2],
                "community": community.slug if visibility == "community" else None,
                "community_title": (
                    community.title if visibility == "community" else None
                ),
                "author": author,
                "author_name": author_name,
                "visibility": visibility,
                "created_at": created,
                "updated_at": created,
                "url": f"/journals/{pk}/",
                "readers": readers,
            }


class PgCorpus:
    """The same documents (title and body) in PostgreSQL, searched with Django's
    full-text search: a stored ``SearchVector`` column under a GIN index, ranked
    with ``SearchRank``. Only on PostgreSQL."""

    table = "bench_fts_document"

    def __init__(self) -> None:
        from django.contrib.postgres.search import SearchVectorField
        from django.db import models

        class Meta:
            app_label = "search"
            db_table = self.table
            managed = False

        # Built at run time so no migration ever sees it: a benchmark table.
        self.model = type(
            "BenchFtsDocument",
            (models.Model,),
            {
                "__module__": __name__,
                "Meta": Meta,
                "id": models.BigIntegerField(primary_key=True),
                "title": models.TextField(),
                "body": models.TextField(),
                "tsv": SearchVectorField(),
            },
        )

    @staticmethod
    def available() -> bool:
        from django.db import connection

        return connection.vendor == "postgresql"

    def create(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            # The stored column is what SearchVector("title", "body") computes,
            # weighted A/B as Django's docs show.
            cursor.execute(
                f"CREATE UNLOGGED TABLE {self.table} (id bigint PRIMARY KEY, "
                "title text NOT NULL, body text NOT NULL, tsv tsvector GENERATED "
                "ALWAYS AS (setweight(to_tsvector('english'::regconfig, title), 'A') "
                "|| setweight(to_tsvector('english'::regconfig, body), 'B')) STORED)"
            )
            cursor.execute(
                f"CREATE INDEX {self.table}_tsv ON {self.table} USING gin (tsv)"
            )

    def copy(self, rows: list[tuple[int, str, str]]) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {self.table} (id, title, body) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def settle(self) -> dict:
        """Flush the GIN pending list and refresh statistics; return sizes."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {self.table}")
            # A constant table name, not input.
            t = self.table
            sizes = f"SELECT count(*), pg_total_relation_size('{t}'), pg_relation_size('{t}_tsv') FROM {t}"  # noqa: E501, S608
            cursor.execute(sizes)
            count, total, gin = cursor.fetchone()
        return {"documents": count, "size_bytes": total, "gin_index_bytes": gin}

    def search(self, q: str, *, mode: str) -> list:
        """Top 20 by ``SearchRank``: ``and`` is Django's default (plainto_tsquery,
        every word must match); ``or`` matches any word, like BM25."""
        from django.contrib.postgres.search import SearchQuery, SearchRank
        from django.db.models import F

        if mode == "and":
            query = SearchQuery(q, config="english")
        else:
            words = [w for w in re.findall(r"\w+", q.lower()) if len(w) > 1]
            query = SearchQuery(
                " | ".join(words) or "x", config="english", search_type="raw"
            )
        return list(
            self.model.objects.filter(tsv=query)
            .annotate(rank=SearchRank(F("tsv"), query))
            .order_by("-rank")
            .values_list("id", "title")[:20]
        )


def ndjson_block(
    profile: Profile, people: People, *, start: int, stop: int, index: str
) -> tuple[bytes, list[tuple[int, str, str]], int]:
    """Documents ``start``..``stop`` as one bulk request body (NDJSON, ready to
    send), their (id, title, body) rows for PostgreSQL, and how many."""
    lines: list[str] = []
    rows: list[tuple[int, str, str]] = []
    for doc in synthetic_documents(profile, people, start=start, stop=stop):
        action = {"_index": index, "_id": document_id(doc["kind"], doc["object_id"])}
        lines.append(json.dumps({"index": action}))
        lines.append(json.dumps(index_source(doc), separators=(",", ":")))
        rows.append((int(doc["object_id"]), doc["title"], doc["body"]))
    return ("\n".join(lines) + "\n").encode(), rows, len(rows)


# Set in a generator process before it forks (see ``bulk_load``).
_GENERATOR: tuple[Profile, People] | None = None


def _generate(start: int, stop: int, index: str) -> tuple[bytes, list, int]:
    assert _GENERATOR is not None
    profile, people = _GENERATOR
    return ndjson_block(profile, people, start=start, stop=stop, index=index)


# While loading: no refresh, no replica, no fsync per request (restored after).
LOADING_SETTINGS = {
    "refresh_interval": "-1",
    "number_of_replicas": 0,
    "translog.durability": "async",
}


def bulk_load(
    client,
    index: str,
    profile: Profile,
    people: People,
    *,
    start: int,
    stop: int,
    pg: PgCorpus | None = None,
    chunk: int = CHUNK_DOCS,
    requests: int = 3,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """Generated documents ``start``..``stop`` into ``index``, streamed: a separate
    process generates and serialises blocks while ``requests`` bulk requests are
    in flight, with refresh and replicas off meanwhile (restored after, then one
    refresh); also into PostgreSQL when given. Returns how many were sent;
    refused documents stop the run."""
    global _GENERATOR
    client = client.options(request_timeout=600)
    before = client.indices.get_settings(index=index, flat_settings=True)[index][
        "settings"
    ]
    client.indices.put_settings(index=index, settings=LOADING_SETTINGS)
    failures: list[str] = []

    def send(body: bytes) -> None:
        result = client.bulk(operations=body)
        if result.get("errors"):
            for item in result["items"]:
                error = next(iter(item.values())).get("error")
                if error:
                    failures.append(json.dumps(error)[:500])
                    break

    blocks = [(b, min(b + chunk, stop)) for b in range(start, stop, chunk)]
    done = 0
    _GENERATOR = (profile, people)
    # fork: the generator inherits the profile (no pickling of its word lists)
    # and never touches the database or the node.
    context = multiprocessing.get_context("fork")
    try:
        with (
            context.Pool(processes=1) as generators,
            ThreadPoolExecutor(max_workers=requests) as senders,
        ):
            made: deque = deque()
            sent: deque = deque()
            todo = iter(blocks)
            for block in todo:
                made.append(generators.apply_async(_generate, (*block, index)))
                if len(made) >= requests + 2:
                    break
            while made:
                body, rows, n = made.popleft().get()
                nxt = next(todo, None)
                if nxt is not None:
                    made.append(generators.apply_async(_generate, (*nxt, index)))
                sent.append(senders.submit(send, body))
                if pg is not None:
                    pg.copy(rows)
                while len(sent) >= requests:
                    sent.popleft().result()
                done += n
                progress(done)
                if failures:
                    raise RuntimeError(
                        f"Elasticsearch refused a document: {failures[0]}"
                    )
            while sent:
                sent.popleft().result()
    finally:
        _GENERATOR = None
        client.indices.put_settings(
            index=index,
            settings={
                "refresh_interval": before.get("index.refresh_interval", "1s"),
                "number_of_replicas": before.get("index.number_of_replicas", "0"),
                "translog.durability": before.get(
                    "index.translog.durability", "request"
                ),
            },
        )
        client.indices.refresh(index=index)
    if failures:
        raise RuntimeError(f"Elasticsearch refused a document: {failures[0]}")
    return done


def index_figures(client, alias: str) -> dict:
    """Size on disk, segments and documents of the index; heap of the node."""
    stats = client.indices.stats(index=alias, metric="store,segments,docs")
    primaries = stats["_all"]["primaries"]
    nodes = client.nodes.stats(metric="jvm")["nodes"]
    heap_used = sum(n["jvm"]["mem"]["heap_used_in_bytes"] for n in nodes.values())
    heap_max = sum(n["jvm"]["mem"]["heap_max_in_bytes"] for n in nodes.values())
    return {
        "documents": primaries["docs"]["count"],
        "store_bytes": primaries["store"]["size_in_bytes"],
        "segments": primaries["segments"]["count"],
        "heap_used_bytes": heap_used,
        "heap_max_bytes": heap_max,
    }


def settle(
    client,
    alias: str,
    *,
    timeout: float = 180.0,
    poll: float = 2.0,
    quiet: int = 3,
) -> float:
    """Wait until no merge has run on the index for ``quiet`` polls in a row
    (at most ``timeout`` seconds), flush it (a commit of the merged segments),
    and return the seconds waited: right after a bulk load
    the node merges segments for minutes, one merge often starting as the last
    ends, and the surfaces measured first would pay for it."""
    started = time.monotonic()
    calm = 0
    while time.monotonic() - started < timeout:
        stats = client.indices.stats(index=alias, metric="merge")
        calm = 0 if stats["_all"]["total"]["merges"]["current"] else calm + 1
        if calm >= quiet:
            break
        time.sleep(poll)
    client.indices.flush(index=alias)
    return round(time.monotonic() - started, 1)


# -- measurements -------------------------------------------------------------------


class Http:
    """Keep-alive HTTP connections, one per thread (as a browser keeps one open)."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.headers = headers or {}
        self.local = threading.local()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(
                    self.host, self.port, timeout=60
                )
            try:
                conn.request(
                    method, path, body=body, headers={**self.headers, **(headers or {})}
                )
                response = conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
                continue
            if response.status >= 400:
                raise RuntimeError(f"{method} {path[:80]} → {response.status}")
            return data
        raise AssertionError("unreachable")

    def get(self, path: str) -> bytes:
        return self.request("GET", path)

    def close(self) -> None:
        conn = getattr(self.local, "conn", None)
        if conn is not None:
            conn.close()
            self.local.conn = None


def timed(
    send: Callable[[str], object],
    inputs: list[str],
    *,
    concurrency: int,
    count: int,
    max_seconds: float,
    finish: Callable[[], None] = lambda: None,
) -> dict:
    """Latencies of up to ``count`` calls over ``concurrency`` threads, each
    calling ``finish`` when done; stops early after ``max_seconds``."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(count))
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        try:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                started = time.perf_counter()
                try:
                    send(inputs[i % len(inputs)])
                except Exception as error:  # noqa: BLE001 - counted and reported
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}"[:200])
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
        finally:
            finish()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    summary = summarise(latencies)
    summary["errors"] = len(errors)
    if errors:
        summary["first_error"] = errors[0]
    summary["throughput_rps"] = round(len(latencies) / seconds, 1) if seconds else 0
    return summary


def side_by_side(
    sends: dict[str, Callable[[str], object]],
    inputs: list[str],
    *,
    count: int,
    max_seconds: float,
) -> dict[str, dict]:
    """Latencies at concurrency 1 of several ways to answer the same input, sent
    in turn for each input (which goes first rotates), so that a node warming
    up or a machine getting busier weighs on each alike."""
    latencies: dict[str, list[float]] = {name: [] for name in sends}
    errors: dict[str, int] = dict.fromkeys(sends, 0)
    names = list(sends)
    deadline = time.monotonic() + max_seconds
    for i in range(count):
        if time.monotonic() >= deadline:
            break
        turn = i % len(names)
        for name in names[turn:] + names[:turn]:
            started = time.perf_counter()
            try:
                sends[name](inputs[i % len(inputs)])
            except Exception:  # noqa: BLE001 - counted and reported
                errors[name] += 1
                continue
            latencies[name].append((time.perf_counter() - started) * 1000)
    return {
        name: {**summarise(latencies[name]), "errors": errors[name]} for name in sends
    }


def summarise(latencies: list[float]) -> dict:
    if not latencies:
        return {"requests": 0}
    return {
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "requests": len(latencies),
    }


def save_to_searchable(
    *, author, community, samples: int, timeout: float = 10.0
) -> dict:
    """Latency from a committed save to the first search that finds it (worker runs)."""
    client = get_client()
    latencies = []
    for n in range(samples):
        token = f"zq{n}x{random.randint(10**6, 10**7)}"  # noqa: S311
        started = time.perf_counter()
        question_create(
            author=author,
            title=f"Benchmark latency probe {token} question",
            body=f"Measuring how fast {token} becomes searchable after a save.",
            tags=["benchmark"],
            community=community,
        )
        while time.perf_counter() - started < timeout:
            hits = client.search(
                index=read_alias(), query={"term": {"title": token}}, size=0
            )["hits"]["total"]["value"]
            if hits:
                break
            time.sleep(0.02)
        latencies.append((time.perf_counter() - started) * 1000)
    return summarise(latencies)


def bm25_body(q: str) -> dict:
    """The floor: what a default Wagtail search backend sends (no filters)."""
    return {
        "query": {"multi_match": {"query": q, "fields": ["title", "body"]}},
        "size": 20,
        "_source": ["title", "url", "kind"],
    }


def _without(node, *, drop: set[str], unwrap: bool) -> object:
    """``node`` with the keys in ``drop`` removed everywhere and, when ``unwrap``,
    every ``function_score`` replaced by the query it scores."""
    if isinstance(node, list):
        return [_without(item, drop=drop, unwrap=unwrap) for item in node]
    if not isinstance(node, dict):
        return node
    if unwrap and set(node) == {"function_score"}:
        return _without(
            node["function_score"].get("query", {"match_all": {}}),
            drop=drop,
            unwrap=unwrap,
        )
    return {
        key: _without(value, drop=drop, unwrap=unwrap)
        for key, value in node.items()
        if key not in drop
    }


def _permission_in_query(body: dict) -> dict:
    """``body`` with its permission filter (a ``post_filter``) moved into the
    query's filters, as it was before 2026-11-28 22:30: what that costs."""
    moved = json.loads(json.dumps(body))
    permission = moved.pop("post_filter", None)
    if permission is None:
        return moved
    query = moved.get("query", {})
    if "bool" not in query:
        query = {"bool": {"must": [query]}}
    query["bool"]["filter"] = [permission, *query["bool"].get("filter", [])]
    moved["query"] = query
    return moved


def warm_inputs(pool: list[str], *, avoid: list[str], n: int) -> list[str]:
    """Up to ``n`` of ``pool`` that are not in ``avoid`` (the measured inputs)."""
    measured = set(avoid)
    return [item for item in pool if item not in measured][: max(0, n)]


def nth_share(items: list, index: int, size: int) -> list:
    """The ``index``-th run of ``size`` items, wrapping around when there are
    too few (other inputs for each size of a curve, as far as they go)."""
    if not items:
        return []
    start = index * size
    return [items[(start + i) % len(items)] for i in range(min(size, len(items)))]


def similar_bodies(title: str, *, viewer) -> dict[str, dict]:
    """What the similar-questions API sends the node for a ``title`` (the
    relevance floor a filter on ``words_en``), and the same with the floor
    checked across title, body and answers (an index built before
    ``words_en``): the field's worth, measured."""

    # As the API asks it: under the floor of meaning when that judges the title.
    judged = meaning_judges(title=title) and meaning_floor(with_body=False) > 0

    def body(in_words: bool) -> dict:
        return build_similar(
            title=title,
            viewer=viewer,
            limit=meaning.pool(5) if meaning.enabled() else 5,
            with_meaning=meaning.enabled(),
            floor_in_words=in_words,
            meaning_reads=meaning.languages_read() if judged else (),
        ).to_dict()

    return {"similar_raw": body(True), "similar_raw_three_fields": body(False)}


def query_variants(body: dict) -> dict[str, dict]:
    """Our built query with one cost taken out at a time (and all of them), so
    the benchmark says where the time goes rather than guessing."""
    return {
        "raw_no_fuzziness": _without(
            body,
            drop={"fuzziness", "prefix_length", "fuzzy_transpositions"},
            unwrap=False,
        ),
        "raw_no_facets": _without(body, drop={"aggs", "aggregations"}, unwrap=False),
        "raw_permission_in_query": _permission_in_query(body),
        "raw_no_function_score": _without(body, drop={"rescore"}, unwrap=True),
        "raw_bare": {
            **_without(
                body,
                drop={
                    "fuzziness",
                    "prefix_length",
                    "aggs",
                    "aggregations",
                    "highlight",
                    "rescore",
                },
                unwrap=True,
            ),
            "track_total_hits": False,
        },
    }


def es_search(http: Http, index: str) -> Callable[[dict], bytes]:
    def send(body: dict) -> bytes:
        return http.request(
            "POST",
            f"/{index}/_search",
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )

    return send


def search_path(q: str) -> str:
    return f"/search/?{urlencode({'q': q})}"


def api_path(route: str, **params: str) -> str:
    return f"/api/v1/{route}?{urlencode(params)}"


# -- relevance ----------------------------------------------------------------------


def linked_pairs(folder: Path) -> list[tuple[int, int, int]]:
    """(question id, linked question id, link type), both ends imported."""
    raw = [
        (r["PostId"], r["RelatedPostId"], int(r["LinkTypeId"]))
        for r in read_rows(folder, "PostLinks")
        if r.get("LinkTypeId") in ("1", "3")
    ]
    ids = {x for a, b, _ in raw for x in (a, b)}
    local = dict(
        ImportedObject.objects.filter(kind="question", external_id__in=ids).values_list(
            "external_id", "local_id"
        )
    )
    return [
        (local[a], local[b], kind) for a, b, kind in raw if a in local and b in local
    ]


def relevance(pairs: list[tuple[int, int, int]], *, viewer) -> dict:
    """MRR and Recall@1/5/10 of linked questions: ours vs a plain BM25 baseline."""
    client = get_client()
    question_model = apps.get_model("qa.Question")
    questions = question_model.objects.in_bulk({p for a, b, _ in pairs for p in (a, b)})

    def baseline(question) -> list[int]:
        query = Q(
            "bool",
            must=[
                Q(
                    "multi_match",
                    query=f"{question.title} {question.body[: meaning.BODY_CHARS]}",
                    fields=["title", "body"],
                )
            ],
            filter=[Q("term", kind="question")],
            must_not=[Q("term", object_id=str(question.pk))],
        )
        response = Search(index=read_alias()).query(query).extra(size=10).using(client)
        return [int(h.object_id) for h in response.execute()]

    def ours(question) -> list[int]:
        # What a question page lists (words, the floors of meaning and words);
        # until 2026-11-30 the words' query alone, without meaning.
        found = similar_questions(
            title=question.title,
            body=question.body[: meaning.BODY_CHARS],
            viewer=viewer,
            limit=10,
            exclude_id=question.pk,
        )
        return [row["id"] for row in found or []]

    results = {}
    for name, rank_fn in (("similar_questions", ours), ("bm25_baseline", baseline)):
        reciprocal, at = [], {1: 0, 5: 0, 10: 0}
        for source, target, _ in pairs:
            if source not in questions or target not in questions:
                continue
            ranked = rank_fn(questions[source])
            rank = ranked.index(target) + 1 if target in ranked else None
            reciprocal.append(1 / rank if rank else 0.0)
            for k in at:
                at[k] += bool(rank and rank <= k)
        n = len(reciprocal) or 1
        results[name] = {
            "queries": len(reciprocal),
            "mrr": round(sum(reciprocal) / n, 4),
            **{f"recall@{k}": round(v / n, 4) for k, v in at.items()},
        }
    base = results["bm25_baseline"]["mrr"] or 1e-9
    results["mrr_gain"] = round(results["similar_questions"]["mrr"] / base, 3)
    return results


# -- targets ------------------------------------------------------------------------

# (name, surface, level, statistic, limit in ms) — issue #12, at 200k documents.
TARGETS = [
    ("search API p95 at c=8", "search_api", "c8", "p95_ms", 50),
    ("search API p50 at c=1", "search_api", "c1", "p50_ms", 15),
    ("similar questions p50", "similar", "c1", "p50_ms", 20),
    ("experts p50", "experts", "c1", "p50_ms", 30),
    ("autocomplete p95 at c=8", "autocomplete", "c8", "p95_ms", 20),
    ("question page p50", "question_page", "c1", "p50_ms", 40),
    ("search page p50", "search_page", "c1", "p50_ms", 40),
]


def check_targets(level: dict, curve: list[dict]) -> list[dict]:
    """PASS/MISS for every target, from one level's figures (and the curve)."""
    rows = []
    latency = level["latency"]
    for name, surface, c, stat, limit in TARGETS:
        value = latency.get(surface, {}).get(c, {}).get(stat)
        rows.append(
            {
                "target": name,
                "limit": f"≤ {limit} ms",
                "measured": f"{value} ms" if value is not None else "n/a",
                "result": "n/a"
                if value is None
                else ("PASS" if value <= limit else "MISS"),
            }
        )
    api = latency.get("search_api", {}).get("c1", {}).get("p50_ms")
    floor = latency.get("bm25_floor", {}).get("c1", {}).get("p50_ms")
    if api is not None and floor:
        ratio = api / floor
        rows.append(
            {
                "target": "search API p50 ÷ plain BM25 p50 (c=1)",
                "limit": "≤ 1.5×",
                "measured": f"{ratio:.1f}× ({api} / {floor} ms)",
                "result": "PASS" if ratio <= 1.5 else "MISS",
            }
        )
    if len(curve) >= 2:
        first, last = curve[0], curve[-1]
        docs_ratio = last["documents"] / max(first["documents"], 1)
        for surface in ("search_api", "bm25_floor"):
            a = first["latency"].get(surface, {}).get("c1", {}).get("p50_ms")
            b = last["latency"].get(surface, {}).get("c1", {}).get("p50_ms")
            if not (a and b):
                continue
            growth = b / a
            exponent = math.log(growth) / math.log(docs_ratio) if docs_ratio > 1 else 0
            rows.append(
                {
                    "target": (
                        f"{surface} p50 grows less than linearly "
                        f"({first['documents']:,}→{last['documents']:,} docs)"
                    ),
                    "limit": f"< {docs_ratio:.0f}× (exponent < 1)",
                    "measured": f"{growth:.2f}× (exponent {exponent:.2f})",
                    "result": "PASS" if exponent < 1 else "MISS",
                }
            )
    return rows


def start_gunicorn(*, port: int, env: dict) -> subprocess.Popen:
    """The web app as production runs it: gunicorn, 4 workers × 2 threads, so
    eight concurrent users are served at once rather than queued."""
    root = Path(settings.BASE_DIR)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hallway.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str((os.cpu_count() or 2) * 2),
            "--threads",
            "2",
            "--chdir",
            str(root / "site"),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=root,
        start_new_session=True,
    )


def machine() -> dict:
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": sys.version.split()[0],
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
