"""Similar and related questions against a real node: a relevance floor (nothing
rather than noise), the viewed question never similar to itself, duplicates give
way to their original, the asker's community first, and the POST for long drafts."""

import json
from concurrent.futures import Future

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.demo import load
from kb.qa.models import Question
from kb.qa.selectors import question_similar
from search import meaning, services
from search.client import get_client
from search.documents import WORDS
from search.index import has_field, index_body, read_alias
from search.indexing import drain_all
from search.queries import build_similar, subject_words
from search.reindex import reindex
from search.status import missing_fields
from tests.communities.factories import make_community
from tests.qa.factories import make_answer, make_question

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.elasticsearch]


@pytest.fixture
def community(db):
    load()
    return make_community()


def _index():
    drain_all()
    get_client().indices.refresh(index=read_alias())


def _titles(found) -> list[str]:
    return [q.title for q in found]


@pytest.fixture
def staking(elasticsearch, community, user):
    """A small Cardano-like site: nothing about Kubernetes in it."""
    questions = [
        make_question(community=community, author=user, title=title, body=body)
        for title, body in [
            (
                "How do I delegate my ADA to a stake pool?",
                "I hold ADA in Daedalus and want to delegate it to a stake pool.",
            ),
            (
                "What is the best stake pool to delegate to?",
                "How do I decide which pool gives the best rewards for my stake?",
            ),
            (
                "How are staking rewards calculated per epoch?",
                "I want to understand how the pool's rewards are split each epoch.",
            ),
            (
                "Why does my node not sync with the network?",
                "The cardano node stops syncing at a block and I do not know why.",
            ),
        ]
    ]
    _index()
    return questions


def test_relevance_floor_shows_nothing_rather_than_noise(staking, user):
    unrelated = question_similar(
        title="How do I configure a Kubernetes ingress for my pods?",
        body="Our cluster runs nginx ingress and the pods return 502 errors.",
        viewer=user,
    )
    assert unrelated == []
    related = question_similar(title="How to delegate ADA to a pool", viewer=user)
    assert _titles(related)[0] == "How do I delegate my ADA to a stake pool?"


def test_the_floor_reads_the_answers_too(elasticsearch, community, user, settings):
    """The subject words may be in a question's answers (``words_en`` holds
    title, body and answers): with them it meets the floor, without it not.
    (The floor of words alone: with meaning on, one subject word is enough for
    a hit the floor of meaning judges, see the next test.)"""
    settings.SEARCH_MEANING = False
    helped = make_question(
        community=community,
        author=user,
        title="Node keeps restarting",
        body="It stops every few minutes.",
    )
    make_answer(
        question=helped,
        author=user,
        body="A relay in your topology file has the wrong port; fix the topology.",
    )
    make_question(
        community=community,
        author=user,
        title="Node keeps restarting too",
        body="Same here, every few minutes.",
    )
    _index()

    found = question_similar(
        title="Node restarting: wrong relay port in the topology?", viewer=user
    )

    assert [q.pk for q in found] == [helped.pk]


def _broken_encoder(text: str) -> Future:
    failed: Future = Future()
    failed.set_exception(RuntimeError("the encoder broke"))
    return failed


def test_under_meaning_one_subject_word_will_do_and_meaning_keeps_noise_out(
    elasticsearch, community, user, settings, monkeypatch
):
    """Where the floor of meaning judges the hits (an English draft, English or
    imported hits), the floor of words asks one subject word: a question sharing
    two of the draft's six and close in meaning is listed; one sharing a word
    but nothing of its meaning is not, nor a Dutch one sharing a word, which
    the English model cannot judge and so needs half the subject words."""
    assert settings.SEARCH_MEANING and settings.SEARCH_MEANING_FLOOR > 0
    close = make_question(
        community=community,
        author=user,
        title="Node keeps restarting too",
        body="Same here, every few minutes.",
    )
    make_question(
        community=community,
        author=user,
        title="Where do I order a birthday cake for a team member?",
        body="It is for the node team's lead, who turns forty.",
    )
    dutch = make_question(
        community=community,
        author=user,
        title="Wie heeft de sleutel van de fietsenstalling?",
        body="Mijn node staat nog binnen en de deur zit op slot.",
    )
    assert dutch.language == "nl"
    _index()
    draft = "Node restarting: wrong relay port in the topology?"

    assert [q.pk for q in question_similar(title=draft, viewer=user)] == [close.pk]
    # When the encoder fails, no hit is judged by meaning: the full floor.
    with monkeypatch.context() as patched:
        patched.setattr(meaning, "vector_soon", _broken_encoder)
        assert question_similar(title=draft, viewer=user) == []
    settings.SEARCH_SIMILAR_WORDS_UNDER_MEANING = "2<50%"  # a site's stricter lists
    assert question_similar(title=draft, viewer=user) == []
    settings.SEARCH_SIMILAR_WORDS_UNDER_MEANING = "1"
    settings.SEARCH_MEANING = False
    assert question_similar(title=draft, viewer=user) == []


def test_an_index_built_before_the_words_field_keeps_its_floor(
    elasticsearch, community, user
):
    """Until ``search_reindex`` adds ``words_en``, the floor is checked across
    title, body and answers as before: the same lists, never empty ones."""
    body = index_body(elasticsearch)
    properties = body["mappings"]["properties"]
    del properties[WORDS]
    for name in ("title", "body", "answers"):
        del properties[name]["copy_to"]
    elasticsearch.indices.create(
        index=f"{read_alias()}-first",
        settings=body["settings"],
        mappings=body["mappings"],
        aliases={read_alias(): {}},
    )
    pool = make_question(
        community=community,
        author=user,
        title="How do I delegate my ADA to a stake pool?",
        body="I hold ADA in Daedalus and want to delegate it.",
    )
    make_question(
        community=community,
        author=user,
        title="Why does my node not sync with the network?",
        body="The node stops syncing at a block.",
    )
    _index()
    assert missing_fields(elasticsearch) == [WORDS]
    assert not has_field(elasticsearch, WORDS)

    def lists() -> tuple[list[int], list[int]]:
        return (
            [
                q.pk
                for q in question_similar(title="Delegate ADA to a pool", viewer=user)
            ],
            question_similar(
                title="Configure a Kubernetes ingress for pods", viewer=user
            ),
        )

    assert lists() == ([pool.pk], [])
    reindex(elasticsearch)
    assert has_field(elasticsearch, WORDS)  # the rebuild forgot the old answer
    assert lists() == ([pool.pk], [])


def test_a_dutch_leave_question_finds_no_english_noise(elasticsearch, community, user):
    """ "vraag" reads as "question" across languages; it is phrasing, so the
    floor is the leave words, which no staking question has."""
    for title, body in [
        ("Where can I get the BIP39 file?", "My question is about the word list."),
        ("Undelegate stake with Daedalus", "A question on leaving a stake pool."),
        ("How will DApps work on Cardano?", "Quick question about smart contracts."),
    ]:
        make_question(community=community, author=user, title=title, body=body)
    _index()

    found = question_similar(
        title="Hoe vraag ik verlof aan voor de kerstvakantie?",
        body="Ik wil tussen kerst en oud en nieuw vrij nemen. Moet dat via mijn "
        "leidinggevende?",
        viewer=user,
    )

    assert found == []


def test_subject_words_outrank_shared_phrasing(elasticsearch, community, user):
    """A question sharing the draft's subject beats one sharing its phrasing."""
    for title, body in [
        (
            "How do I check if my stake key is registered?",
            "How can I check if it is on chain?",
        ),
        ("Pool saturation", "When is a pool saturated?"),
    ]:
        make_question(community=community, author=user, title=title, body=body)
    _index()
    found = question_similar(
        title="How do I check if a stake pool is saturated?", viewer=user
    )
    assert _titles(found)[0] == "Pool saturation"


def test_phrasing_words_do_not_meet_the_floor():
    assert subject_words("How do I configure Kubernetes ingress?") == (
        "configure Kubernetes ingress"
    )
    assert subject_words("Hoe kan ik mijn verlof aanvragen") == "verlof aanvragen"
    assert subject_words("Hoe vraag ik verlof aan voor de kerstvakantie?") == (
        "verlof kerstvakantie"
    )


def test_the_viewed_question_is_never_similar_to_itself(staking, user, client):
    viewed = staking[0]
    found = question_similar(
        title=viewed.title, body=viewed.body, exclude_pk=viewed.pk, viewer=user
    )
    assert viewed.pk not in [q.pk for q in found]
    assert found  # its neighbours still come
    client.force_login(user)
    related = client.get(
        reverse("qa:question-related", args=[viewed.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Related questions" in related
    assert viewed.title not in related


def test_a_duplicate_gives_way_to_its_original(staking, user):
    original, duplicate = (
        staking[0],
        make_question(
            community=staking[0].community,
            author=user,
            title="Delegating ADA to a stake pool from Daedalus",
            body="How do I delegate ADA from my Daedalus wallet to a pool?",
        ),
    )
    Question.objects.filter(pk=duplicate.pk).update(
        status=Question.Status.CLOSED,
        close_reason=Question.CloseReason.DUPLICATE,
        duplicate_of=original,
    )
    _index()
    found = question_similar(
        title="Delegate ADA from Daedalus to a stake pool", viewer=user
    )
    pks = [q.pk for q in found]
    assert original.pk in pks and duplicate.pk not in pks
    assert len(pks) == len(set(pks))


def test_the_askers_community_comes_first(elasticsearch, community, user):
    other = make_community(slug="other", title="Other")
    theirs = make_question(
        community=other,
        author=user,
        title="Rotating vault tokens safely",
        body="How do we rotate vault tokens for services?",
    )
    ours = make_question(
        community=community,
        author=user,
        title="Rotating vault tokens safely",
        body="How do we rotate vault tokens for services?",
    )
    _index()
    found = question_similar(
        title="rotate vault tokens", viewer=user, community=community.slug
    )
    assert [q.pk for q in found[:2]] == [ours.pk, theirs.pk]
    found = question_similar(
        title="rotate vault tokens", viewer=user, community=other.slug
    )
    assert found[0].pk == theirs.pk


def test_similar_query_keeps_the_permission_filter(user):
    body = build_similar(title="vault", viewer=user, exclude_id=3).to_dict()
    query = body["query"]["bool"]
    after = body["post_filter"]["bool"]["filter"]
    assert {"term": {"kind": "question"}} in after
    assert any("readers" in f.get("terms", {}) for f in after)
    assert query["must_not"] == [{"term": {"object_id": "3"}}]


def test_post_takes_a_long_draft_and_get_excludes(staking, client, bearer, user):
    long_body = "I want to delegate my ADA to a stake pool. " * 400  # ~17 KB
    response = client.post(
        "/api/v1/questions/similar",
        data=json.dumps(
            {
                "title": "Delegate ADA to a stake pool",
                "body": long_body,
                "limit": 3,
                "exclude": staking[0].pk,
            }
        ),
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results and len(results) <= 3
    assert staking[0].pk not in [r["id"] for r in results]
    response = client.get(
        "/api/v1/questions/similar",
        {"title": "delegate ADA stake pool", "exclude": staking[0].pk},
        **bearer(user),
    )
    assert response.status_code == 200
    assert staking[0].pk not in [r["id"] for r in response.json()["results"]]
    assert response.json()["results"]
    too_long = client.post(
        "/api/v1/questions/similar",
        data=json.dumps({"title": "x" * 301}),
        content_type="application/json",
        **bearer(user),
    )
    assert too_long.status_code == 422


def test_the_ask_page_posts_its_draft(staking, client, user):
    client.force_login(user)
    page = client.get("/questions/ask/").content.decode()
    assert 'hx-post="/questions/similar/"' in page
    fragment = client.post(
        "/questions/similar/",
        {"title": "Delegate ADA to a stake pool", "body": "From Daedalus " * 300},
    ).content.decode()
    assert "How do I delegate my ADA to a stake pool?" in fragment


@pytest.fixture
def related_kept(settings):
    """The question page's related list kept per process, as in production."""
    settings.SEARCH_RELATED_SECONDS = 300
    services._related.clear()
    yield
    services._related.clear()


def _related(question, viewer):
    return question_similar(
        title=question.title,
        body=question.body,
        limit=5,
        exclude_pk=question.pk,
        viewer=viewer,
    )


def test_related_list_is_kept_per_version_of_a_question(
    staking, community, user, related_kept
):
    viewed = staking[0]
    assert "What is the best stake pool to delegate to?" in _titles(
        _related(viewed, user)
    )
    newer = make_question(
        community=community,
        author=user,
        title="Can I delegate ADA to a stake pool from a hardware wallet?",
        body="I want to delegate ADA held on a Ledger to a stake pool.",
    )
    _index()
    # Kept: the node is not asked again for the same version of the question.
    assert newer.title not in _titles(_related(viewed, user))
    # An edit is a new version: asked again, the new question is there.
    viewed.body += " Does the pool get my ADA?"
    assert newer.title in _titles(_related(viewed, user))


def test_kept_related_list_is_rechecked_against_the_database(
    staking, user, related_kept
):
    viewed = staking[0]
    shown = _related(viewed, user)
    assert shown
    # A write that bypasses the outbox: the index still has the question.
    Question.objects.filter(pk=shown[0].pk).update(is_deleted=True)
    assert shown[0].title not in _titles(_related(viewed, user))


def test_kept_related_list_costs_no_more_queries_than_asking_the_node(
    staking, user, related_kept, django_assert_num_queries
):
    viewed = staking[0]
    with CaptureQueriesContext(connection) as asked:
        _related(viewed, user)
    # Kept: the same re-check, without building the query (its outbox check)
    # or reading the viewed question's own vector (the check that it may).
    with django_assert_num_queries(len(asked) - 2):
        _related(viewed, user)
