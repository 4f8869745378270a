"""What a question means: its vector in the index, and similar questions from a
title re-ordered by it (``search.meaning``), against a real node and the real
sentence encoder."""

import os
import signal
import socket
import time
from concurrent.futures import Future

import numpy as np
import pytest
from django.core.management import call_command

from home.demo import load
from kb.qa.models import Question
from search import meaning, services
from search.client import get_client
from search.index import read_alias
from search.indexing import drain_all
from search.reindex import reindex
from tests.communities.factories import make_community
from tests.qa.factories import make_question


def test_a_vector_is_stored_as_float16_base64_and_read_back():
    vector = np.linspace(-1, 1, meaning.DIMS, dtype=np.float32)
    text = meaning.encode(vector)
    assert len(text) == 1024  # 384 float16 values, base64
    assert np.allclose(meaning.decode(text), vector, atol=1e-3)
    assert meaning.decode("not base64!") is None
    assert meaning.decode(meaning.encode(vector[:10])) is None


def test_reciprocal_rank_fusion_weighs_each_list():
    # Equal weights: 2 is second in one list and first in the other.
    assert meaning.rrf([[1, 2, 3], [2, 4]], [1.0, 1.0], k=60)[:2] == [2, 1]
    # A light second list moves its first up, not to the top (k = 10: tenth
    # 1/20 + 0.25/11 = 0.073, between third 1/13 = 0.077 and fourth 1/14 = 0.071).
    fused = meaning.rrf([list(range(1, 11)), [10]], [1.0, 0.25], k=10)
    assert fused[:5] == [1, 2, 3, 10, 4]
    assert meaning.rrf([[], []], [1.0, 1.0], k=60) == []


def test_the_encoder_loads_from_its_package_without_a_network(monkeypatch):
    """The model ships in a package and must never fetch anything."""

    def refuse(*args, **kwargs):
        raise AssertionError("the model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    meaning.forget_model()
    texts = ["How do I stake ADA?", "Delegating ada to a stake pool", "Cabal build"]
    vectors = meaning.embed(texts)
    assert vectors.shape == (3, meaning.DIMS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_a_vector_reads_the_first_tokens_and_its_key_says_how_many(monkeypatch):
    """Past ``TOKENS`` word pieces the text makes no difference (so a long body
    costs no more), and a different limit means a different vector key, so
    vectors made under the old limit are made again."""
    start = "How do I delegate my ADA to a stake pool? " * 20  # > 128 pieces
    one, two, short = meaning.embed(
        [start + "Cabal build fails.", start + "Ledger wallet.", "Delegate ADA"]
    )
    assert np.allclose(one, two)
    assert not np.allclose(one, short)
    key = meaning.text_key("A title", "A body")
    monkeypatch.setattr(meaning, "TOKENS", 256)
    assert meaning.text_key("A title", "A body") != key


def test_rerank_moves_the_closest_in_meaning_up_and_keeps_the_rest():
    texts = {
        1: "Cabal build fails with a missing library",
        2: "GHC version for building the node",
        3: "How do I delegate my ADA to a stake pool?",
    }
    # Words put the delegation question last of three: meaning cannot lift it
    # over two places (a rerank, not a replacement), but a list of more can.
    vectors = dict(zip(texts, meaning.embed(list(texts.values())), strict=True))
    order = meaning.rerank([1, 2, 3], vectors, "Delegating ada to a pool")
    assert sorted(order) == [1, 2, 3]
    many = list(range(10, 20)) + [3]
    vectors |= dict.fromkeys(range(10, 20), vectors[1])
    assert meaning.rerank(many, vectors, "Delegating ada to a pool").index(3) < 10
    assert meaning.rerank(many, {}, "anything") == many  # no vectors, no change


def test_a_title_vector_made_beside_the_request_reorders_alike():
    """``vector_soon`` makes the same vector on a background thread; if it
    fails, the order by words stays."""
    texts = ["Cabal build fails with a missing library", "How do I delegate ADA?"]
    first, delegate = meaning.embed(texts)
    vectors = dict.fromkeys(range(10, 20), first) | {3: delegate}
    many = list(range(10, 20)) + [3]
    title = "Delegating ada to a pool"
    soon = meaning.vector_soon(title)
    assert np.allclose(soon.result(), meaning.embed([title])[0])
    order = meaning.rerank(many, vectors, soon)
    assert order == meaning.rerank(many, vectors, title)
    assert order.index(3) < 10  # moved up
    failed: Future = Future()
    failed.set_exception(RuntimeError("the encoder broke"))
    assert meaning.rerank(many, vectors, failed) == many


def test_a_web_process_loads_the_encoder_as_it_starts(settings):
    meaning.forget_model()
    thread = meaning.warm_in_background()
    assert thread is not None
    thread.join(timeout=60)
    assert "encoder" in meaning._state
    settings.SEARCH_MEANING = False
    assert meaning.warm_in_background() is None


def _works_in_a_child(expected: np.ndarray, parent: int) -> bool:
    """Fork; in the child, make the vector of "Stake pool pledge" through the
    query pool with a fresh encoder of its own (exit 0), within 50 s.
    ``parent``: the id of the parent's encoder (a reference would keep it from
    being freed in the child, and freeing it there is what hangs)."""
    pid = os.fork()
    if pid == 0:
        signal.alarm(60)
        try:
            fresh = meaning._state.get("encoder") is None
            vector = meaning.vector_soon("Stake pool pledge").result(timeout=50)
            same = np.allclose(vector, expected, atol=1e-4)
            own = id(meaning.model()) != parent
            os._exit(0 if fresh and same and own else 1)
        except BaseException:  # noqa: BLE001 - any failure is a failing exit
            os._exit(2)
    deadline = time.monotonic() + 90  # a child can hang inside fork itself
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return False


def test_a_forked_worker_makes_its_own_encoder_and_query_pool():
    """gunicorn forks its workers (and the bench its generators): a child must
    not use, nor free, its parent's encoder or query threads (they do not
    survive the fork), loaded or being loaded at that moment."""
    meaning.vector_soon("Delegate ADA to a pool").result(timeout=60)
    parent = id(meaning.model())
    expected = meaning.embed(["Stake pool pledge"])[0]
    assert _works_in_a_child(expected, parent)  # loaded, pool running
    meaning.forget_model()
    loading = meaning.warm_in_background()  # the lock may be held at the fork
    assert _works_in_a_child(expected, parent)
    assert loading is not None
    loading.join(timeout=60)


def _index():
    drain_all()
    get_client().indices.refresh(index=read_alias())


@pytest.fixture
def site(elasticsearch, db, user):
    load()
    community = make_community()
    titles = [
        ("Stake pool ticker is not shown in the wallet", "The pool ticker is blank."),
        ("Stake pool metadata hash does not match", "The pool metadata hash fails."),
        ("Stake pool relay topology file", "Which relays go in the pool topology?"),
        ("Stake pool KES key rotation", "How often do I rotate the pool KES key?"),
        ("Stake pool pledge and margin", "What pledge and margin should a pool set?"),
        ("Stake pool operator certificate", "The pool operator certificate expired."),
        ("Stake pool block producer memory", "The pool producer needs more memory."),
        ("Missing staking rewards", "My wallet shows no income since I joined a pool."),
    ]
    for title, body in titles:
        make_question(community=community, author=user, title=title, body=body)
    _index()
    return community


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_question_documents_carry_their_meaning(site):
    hits = get_client().search(
        index=read_alias(),
        query={"term": {"kind": "question"}},
        source=["title", "body", "meaning"],
        size=20,
    )["hits"]["hits"]
    assert len(hits) >= 8
    for hit in hits:
        vector = meaning.decode(hit["_source"]["meaning"])
        assert vector is not None
        own = meaning.embed([meaning.question_text(hit["_source"]["title"], "")])[0]
        assert vector @ own > 0.5  # its own title is close to it


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_similar_from_a_title_is_reordered_by_meaning(site, user, settings):
    title = "The stake pool paid me nothing this epoch"
    settings.SEARCH_MEANING = False
    by_words = services.similar_questions(title=title, viewer=user, limit=20)
    settings.SEARCH_MEANING = True
    by_meaning = services.similar_questions(title=title, viewer=user, limit=20)
    assert sorted(r["id"] for r in by_meaning) == sorted(r["id"] for r in by_words)
    missing = [r["title"] for r in by_words].index("Missing staking rewards")
    assert [r["title"] for r in by_meaning].index("Missing staking rewards") < missing
    assert all("meaning" not in row for row in by_meaning)
    # With a body, words alone order the list (the tune half preferred it);
    # meaning only keeps out what is too far from the draft.
    with_body = services.similar_questions(title=title, body="Rewards", viewer=user)
    settings.SEARCH_MEANING = False
    by_words = services.similar_questions(title=title, body="Rewards", viewer=user)
    assert with_body == [row for row in by_words if row in with_body]


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_a_broken_encoder_leaves_the_words_order_and_says_so_once(
    site, user, settings, monkeypatch, caplog
):
    title = "The stake pool paid me nothing this epoch"
    settings.SEARCH_MEANING = False
    by_words = services.similar_questions(title=title, viewer=user, limit=20)
    settings.SEARCH_MEANING = True
    settings.SEARCH_MEANING_FLOOR = 0.2

    def broken(text: str) -> Future:
        failed: Future = Future()
        failed.set_exception(RuntimeError("the encoder broke"))
        return failed

    monkeypatch.setattr(meaning, "vector_soon", broken)
    with caplog.at_level("ERROR", logger="search.meaning"):
        found = services.similar_questions(title=title, viewer=user, limit=20)
    assert found == by_words  # no floor of meaning, no rerank: words alone
    logged = [r for r in caplog.records if r.message == "No meaning vector for a query"]
    assert len(logged) == 1  # the floor and the rerank share one failure


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_related_questions_far_in_meaning_stay_out(site, user, settings):
    """The demo's data-sources question shares words ("find", "list", "data")
    with imported Cardano questions, enough for the floor of words; the floor
    of meaning keeps them out."""
    call_command("load_demo", verbosity=0)  # the company's questions and
    reindex(get_client())  # the imported Cardano slice, indexed as make run does
    draft = Question.objects.get(title__startswith="Where can I find the approved")

    def related() -> list[dict]:
        return (
            services.similar_questions(
                title=draft.title, body=draft.body, viewer=user, exclude_id=draft.pk
            )
            or []
        )

    settings.SEARCH_MEANING_FLOOR_BODY = 0.0
    by_words = related()
    assert any(row["id"] != draft.pk for row in by_words)  # noise by words alone
    settings.SEARCH_MEANING_FLOOR_BODY = 0.25
    settings.SEARCH_MEANING_FLOOR = 0.0  # a title and body's floor is its own
    kept = related()
    assert len(kept) < len(by_words)
    vector = meaning.embed([meaning.question_text(draft.title, draft.body)])[0]
    for row in kept:
        other = Question.objects.get(pk=row["id"])
        close = meaning.embed([meaning.question_text(other.title, other.body)])[0]
        assert float(close @ vector) >= 0.25 - 0.02  # stored vectors are float16


def test_a_draft_with_a_body_is_held_to_its_own_floor(settings):
    settings.SEARCH_MEANING_FLOOR = 0.2
    settings.SEARCH_MEANING_FLOOR_BODY = 0.25
    assert services.meaning_floor(with_body=False) == 0.2
    assert services.meaning_floor(with_body=True) == 0.25
    settings.SEARCH_MEANING_FLOOR_BODY = 0
    assert services.meaning_floor(with_body=True) == 0.0


def test_the_floor_of_meaning_keeps_what_is_close_and_what_has_no_vector():
    done: Future = Future()
    done.set_result(np.array([1.0, 0.0]))
    vectors = {1: np.array([0.9, 0.1]), 2: np.array([0.1, 0.9])}
    assert meaning.above_floor([2, 3, 1], vectors, done, 0.5) == [3, 1]
    failed: Future = Future()
    failed.set_exception(RuntimeError("no encoder"))
    assert meaning.above_floor([2, 1], vectors, failed, 0.5) == [2, 1]


def test_many_texts_are_encoded_in_batches_of_bounded_size():
    texts = [f"Question number {i} about staking" for i in range(meaning.BATCH + 5)]
    texts[-2] += " with a Ledger wallet and a pledge" * 3  # the others padded
    vectors = meaning.embed(texts)
    assert vectors.shape == (len(texts), meaning.DIMS)
    # Each row is its own text, whatever the batch and its padding (one text
    # alone is tokenized another way, see ``Encoder.embed_batch``).
    for i in range(len(texts)):
        assert np.allclose(vectors[i], meaning.embed([texts[i]])[0], atol=1e-4)
    assert meaning.embed([]).shape == (0, meaning.DIMS)


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_an_unchanged_question_keeps_its_vector_and_an_edit_makes_a_new_one(
    elasticsearch, db, user, monkeypatch
):
    load()
    question = make_question(
        community=make_community(),
        author=user,
        title="How do I register a stake key?",
        body="The wallet asks for a deposit when I delegate for the first time.",
    )
    _index()
    encoded: list[str] = []
    real = meaning.embed

    def counting(texts):
        encoded.extend(texts)
        return real(texts)

    monkeypatch.setattr(meaning, "embed", counting)

    def stored() -> dict:
        return get_client().get(index=read_alias(), id=f"question-{question.pk}")[
            "_source"
        ]

    before = stored()
    question.score = 7  # a vote: the document is rebuilt, its text is not
    question.save()
    _index()
    assert stored()["score"] == 7
    assert stored()["meaning"] == before["meaning"] and encoded == []
    question.title = "How do I deregister a stake key?"
    question.save()
    _index()
    assert len(encoded) == 1 and encoded[0].startswith(question.title)
    assert stored()["meaning"] != before["meaning"]
    assert stored()["meaning_key"] != before["meaning_key"]
    # A full rebuild reads every unchanged vector back instead of encoding it.
    edited = stored()["meaning"]
    encoded.clear()
    reindex(get_client())
    assert encoded == [] and stored()["meaning"] == edited


def test_a_match_below_the_pool_could_never_reach_the_list():
    """The best such a match could score (first by meaning) stays below the
    worst the list's last could score (last of 20 by meaning)."""
    k, w = meaning.RERANK_K, meaning.RERANK_WEIGHT
    for limit in range(1, 12):
        below = meaning.pool(limit) + 1
        assert 1 / (k + below) + w / (k + 1) < 1 / (k + limit) + w / (k + 20)
    assert meaning.pool(5) == 10 and meaning.pool(10) == 20 and meaning.pool(50) == 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_a_related_list_reads_its_questions_own_vector_if_the_reader_may(
    site, user, monkeypatch
):
    question = Question.objects.get(title="Stake pool KES key rotation")
    doc_id = f"question-{question.pk}"
    stored = meaning.decode(
        get_client().get(index=read_alias(), id=doc_id)["_source"]["meaning"]
    )
    assert np.allclose(
        meaning.stored_vector_soon(doc_id, "ignored", client=get_client()).result(),
        stored,
    )
    made = meaning.stored_vector_soon("question-0", "Stake pool", client=get_client())
    assert np.allclose(made.result(), meaning.embed(["Stake pool"])[0], atol=1e-4)

    asked: list[str] = []
    real = meaning.stored_vector_soon
    monkeypatch.setattr(
        meaning,
        "stored_vector_soon",
        lambda doc_id, text, *, client: (
            asked.append(doc_id) or real(doc_id, text, client=client)
        ),
    )

    def related() -> list[dict]:
        return (
            services.similar_questions(
                title=question.title,
                body=question.body,
                viewer=user,
                exclude_id=question.pk,
            )
            or []
        )

    assert related() and asked == [doc_id]
    # A question the reader may not read (here: deleted) never steers the list.
    Question.objects.filter(pk=question.pk).update(is_deleted=True)
    related()
    assert asked == [doc_id]
