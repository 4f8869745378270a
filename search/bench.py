"""Search benchmarks (`make bench`): speed at scale and relevance on real data.

Speed: a corpus generated to N documents from the vocabulary, lengths, tags,
scores and visibility mix of the real Stack Exchange dump; bulk reindex rate;
save→searchable latency through the real outbox and task worker; search API
latency (HTTP, gunicorn) at concurrency 1 and 8 next to the same query sent
straight to Elasticsearch (the floor).

Relevance: the dump's human-made links between questions (duplicates and
related), queried with "similar questions" and with a plain BM25 multi_match.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree.ElementTree import iterparse  # noqa: S405 - trusted local dump

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

WORD = re.compile(r"[a-z][a-z0-9'-]{1,20}")


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values`` in the same unit."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _rows(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        for _, element in iterparse(handle, events=("end",)):  # noqa: S314
            if element.tag == "row":
                yield dict(element.attrib)
                element.clear()


def _dump_file(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.xml.gz", folder / f"{name}.xml"):
        if candidate.exists():
            return candidate
    return None


class Profile:
    """What real content looks like, learnt from the dump."""

    def __init__(self, folder: Path) -> None:
        words: Counter[str] = Counter()
        tags: Counter[str] = Counter()
        self.title_lengths: list[int] = []
        self.body_lengths: list[int] = []
        self.scores: list[int] = []
        self.answer_counts: list[int] = []
        self.titles: list[str] = []
        for row in _rows(_dump_file(folder, "Posts")):
            text = strip_tags(row.get("Body", "")).lower()
            tokens = WORD.findall(text)
            words.update(tokens)
            self.body_lengths.append(max(20, len(tokens)))
            if row.get("PostTypeId") == "1":
                title = row.get("Title", "")
                self.titles.append(title)
                title_tokens = WORD.findall(title.lower())
                words.update(title_tokens)
                self.title_lengths.append(max(3, len(title_tokens)))
                tags.update(re.findall(r"[^<>|]+", row.get("Tags", "")))
                self.scores.append(int(row.get("Score", 0)))
                self.answer_counts.append(int(row.get("AnswerCount", 0) or 0))
        self.vocabulary = [w for w, _ in words.most_common(20000)]
        self.weights = [c for _, c in words.most_common(20000)]
        self.tags = [t for t, _ in tags.most_common(300)]
        self.tag_weights = [c for _, c in tags.most_common(300)]

    def words(self, rng: random.Random, n: int) -> str:
        return " ".join(rng.choices(self.vocabulary, self.weights, k=n))


def generate(
    profile: Profile, *, total: int, community, authors: list, seed: int = 7,
    progress: Callable[[int], None] = lambda n: None,
) -> int:  # fmt: skip
    """Insert ``total`` documents (70% questions with answers, 30% journal entries
    with a private/community/organisation mix) in bulk; return how many."""
    from journals.models import Entry
    from kb.qa.models import Answer, Question, QuestionTag, TaggedQuestion

    rng = random.Random(seed)  # noqa: S311 - reproducible corpus, not secrets
    now = timezone.now()
    questions_total = int(total * 0.7)
    made = 0
    chunk = 2000
    while made < total:
        size = min(chunk, total - made)
        n_questions = max(0, min(size, questions_total - made))
        questions = []
        for _ in range(n_questions):
            title = profile.words(rng, rng.choice(profile.title_lengths)).capitalize()
            body = profile.words(rng, min(400, rng.choice(profile.body_lengths)))
            created = now - timezone.timedelta(minutes=rng.randint(1, 60 * 24 * 900))
            questions.append(
                Question(
                    title=title[:200], slug="q", body=body, body_html=f"<p>{body}</p>",
                    author=rng.choice(authors), community=community,
                    score=rng.choice(profile.scores), created_at=created,
                    last_activity_at=created,
                )
            )  # fmt: skip
        with transaction.atomic():
            Question.objects.bulk_create(questions, batch_size=500)
            answers = []
            for question in questions:
                for _ in range(min(5, rng.choice(profile.answer_counts))):
                    text = profile.words(
                        rng, min(300, rng.choice(profile.body_lengths))
                    )
                    answers.append(
                        Answer(
                            question=question, body=text, body_html=f"<p>{text}</p>",
                            author=rng.choice(authors), score=rng.randint(-1, 8),
                            created_at=question.created_at,
                        )
                    )  # fmt: skip
            Answer.objects.bulk_create(answers, batch_size=1000)
            through = TaggedQuestion
            tag_model = QuestionTag
            tag_ids = {
                name: tag_model.objects.get_or_create(
                    name=name, defaults={"slug": name[:100]}
                )[0].pk
                for name in profile.tags
            }
            links = []
            for question in questions:
                for name in set(rng.choices(profile.tags, profile.tag_weights, k=3)):
                    links.append(through(content_object=question, tag_id=tag_ids[name]))
            through.objects.bulk_create(links, batch_size=2000)
            entries = []
            for _ in range(size - n_questions):
                text = profile.words(rng, min(250, rng.choice(profile.body_lengths)))
                visibility = rng.choices(
                    ["organisation", "community", "private"], [6, 2, 2]
                )[0]
                entries.append(
                    Entry(
                        author=rng.choice(authors), body=text,
                        body_html=f"<p>{text}</p>",
                        title=profile.words(rng, 5).capitalize(), visibility=visibility,
                        community=community if visibility == "community" else None,
                    )
                )  # fmt: skip
            Entry.objects.bulk_create(entries, batch_size=1000)
        made += size
        progress(made)
    return made


# -- measurements -----------------------------------------------------------------


def _timed_requests(
    send: Callable[[str], None], queries: list[str], *, concurrency: int, count: int
) -> list[float]:
    """Latencies in ms of ``count`` calls spread over ``concurrency`` threads."""
    latencies: list[float] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        q = queries[i % len(queries)]
        started = time.perf_counter()
        send(q)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(run, range(count)))
    return latencies


def _summary(latencies: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "requests": len(latencies),
    }


def api_latency(*, base_url: str, token: str, queries: list[str], count: int) -> dict:
    """Search API latency through HTTP at concurrency 1 and 8."""
    from urllib.parse import urlencode

    def send(q: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"{base_url}/api/v1/search?{urlencode({'q': q})}",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()

    for q in queries[:10]:
        send(q)  # warm-up
    return {
        f"c{c}": _summary(_timed_requests(send, queries, concurrency=c, count=count))
        for c in (1, 8)
    }


def raw_latency(*, es_url: str, index: str, bodies: dict, count: int) -> dict:
    """The same queries straight to Elasticsearch: the floor for our stack."""
    queries = list(bodies)

    def send(q: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"{es_url}/{index}/_search",
            data=json.dumps(bodies[q]).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()

    for q in queries[:10]:
        send(q)
    return {
        f"c{c}": _summary(_timed_requests(send, queries, concurrency=c, count=count))
        for c in (1, 8)
    }


def save_to_searchable(
    *, author, community, samples: int, timeout: float = 10.0
) -> dict:
    """Latency from a committed save to the first search that finds it (worker runs)."""
    from kb.qa.services import question_create
    from search.client import get_client
    from search.index import read_alias

    client = get_client()
    latencies = []
    for n in range(samples):
        token = f"zq{n}x{random.randint(10**6, 10**7)}"  # noqa: S311
        started = time.perf_counter()
        question_create(
            author=author, title=f"Benchmark latency probe {token} question",
            body=f"Measuring how fast {token} becomes searchable after a save.",
            tags=["benchmark"], community=community,
        )  # fmt: skip
        while time.perf_counter() - started < timeout:
            hits = client.search(
                index=read_alias(), query={"term": {"title": token}}, size=0
            )["hits"]["total"]["value"]
            if hits:
                break
            time.sleep(0.02)
        latencies.append((time.perf_counter() - started) * 1000)
    return _summary(latencies)


# -- relevance --------------------------------------------------------------------


def linked_pairs(folder: Path) -> list[tuple[int, int, int]]:
    """(question id, linked question id, link type), both ends imported."""
    from kb.imports.models import ImportedObject

    path = _dump_file(folder, "PostLinks")
    if path is None:
        return []
    raw = [
        (r["PostId"], r["RelatedPostId"], int(r["LinkTypeId"]))
        for r in _rows(path)
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
    from elasticsearch_dsl import Q, Search

    from kb.qa.models import Question
    from search.client import get_client
    from search.index import read_alias
    from search.queries import build_similar

    client = get_client()
    questions = Question.objects.in_bulk({p for a, b, _ in pairs for p in (a, b)})

    def baseline(question) -> list[int]:
        query = Q(
            "bool",
            must=[Q("multi_match", query=f"{question.title} {question.body[:2000]}",
                    fields=["title", "body"])],
            filter=[Q("term", kind="question")],
            must_not=[Q("term", object_id=str(question.pk))],
        )  # fmt: skip
        response = Search(index=read_alias()).query(query).extra(size=10).using(client)
        return [int(h.object_id) for h in response.execute()]

    def ours(question) -> list[int]:
        search = build_similar(
            title=question.title, body=question.body, viewer=viewer, limit=10,
            exclude_id=question.pk,
        )  # fmt: skip
        return [int(h.object_id) for h in search.using(client).execute()]

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


def start_gunicorn(*, port: int, env: dict) -> subprocess.Popen:
    """The web app as production runs it (gunicorn, several workers)."""
    root = Path(settings.BASE_DIR)
    return subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "hallway.wsgi", "--bind",
            f"127.0.0.1:{port}", "--workers", str(os.cpu_count() * 2 or 4),
            "--chdir", str(root / "site"), "--log-level", "warning",
        ],
        env=env, cwd=root, start_new_session=True,
    )  # fmt: skip
