"""The indexing pipeline against a real node: nothing lost, nothing leaked."""

import threading

import pytest
from django.db import transaction
from elasticsearch import ConnectionTimeout

from home.demo import load
from kb.qa.models import Question
from kb.qa.selectors import question_similar
from kb.qa.services import question_delete, vote_cast
from search.client import get_client
from search.index import alias_indices, compact, ensure_index, read_alias
from search.indexing import drain_all
from search.models import OutboxEntry
from search.outbox import outbox_record
from search.queries import SearchParams
from search.reindex import reindex
from search.services import search_content
from tests.communities.factories import make_community
from tests.qa.factories import make_answer, make_question

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.elasticsearch]


@pytest.fixture
def community(db):
    load()
    return make_community()


def _search(q: str, viewer=None, **kw):
    from django.contrib.auth.models import AnonymousUser

    return search_content(SearchParams(q=q, **kw), viewer=viewer or AnonymousUser())


def _refresh():
    get_client().indices.refresh(index=read_alias())


def test_a_saved_question_is_queued_in_its_own_transaction(community, user):
    with transaction.atomic():
        question = make_question(community=community, author=user)
        assert OutboxEntry.objects.filter(
            kind="question", object_id=question.pk
        ).exists()


def test_a_rolled_back_save_leaves_no_outbox_row(community, user):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_question(community=community, author=user)
        raise RuntimeError("abort")
    assert not OutboxEntry.objects.exists()


def test_draining_makes_a_question_searchable(elasticsearch, community, user):
    question = make_question(
        community=community, author=user, title="How do I rotate zanzibar credentials?"
    )
    make_answer(question=question, body="Use the vault CLI: vault rotate zanzibar.")
    result = drain_all()
    assert result.failed == 0
    assert not OutboxEntry.objects.pending().exists()
    _refresh()
    found = _search("zanzibar")
    assert found.backend == "elasticsearch"
    assert [r["id"] for r in found.results] == [question.pk]
    assert (
        "<mark>" in found.results[0]["snippet"]
        or "zanzibar" in found.results[0]["title"]
    )
    assert found.facets["kind"] == {"question": 1}


def test_the_snippet_marks_the_words_in_the_body_and_the_title_comes_as_written(
    elasticsearch, community, user
):
    make_question(
        community=community,
        author=user,
        title="Why does the quokka job stall?",
        body="Every night the quokka job stalls for an hour <b>after</b> the backup.",
    )
    drain_all()
    _refresh()
    found = _search("quokka backup")
    assert [r["title"] for r in found.results] == ["Why does the quokka job stall?"]
    snippet = found.results[0]["snippet"]
    assert "<mark>quokka</mark>" in snippet and "<mark>backup</mark>" in snippet
    assert "<b>" not in snippet  # the body's own markup never reaches the page


def test_answers_text_is_searchable_through_the_question(
    elasticsearch, community, user
):
    question = make_question(community=community, author=user)
    make_answer(question=question, body="The trick is a quokkafied rollout strategy.")
    drain_all()
    _refresh()
    assert [r["id"] for r in _search("quokkafied").results] == [question.pk]


def test_saves_survive_elasticsearch_being_down(
    settings, elasticsearch, community, user
):
    good_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    question = make_question(
        community=community, author=user, title="Where is the walrusbridge runbook?"
    )
    result = drain_all()
    assert result.failed == 1
    rows = OutboxEntry.objects.filter(kind="question", object_id=question.pk)
    assert rows.exists()
    for row in rows:
        assert row.done_at is None and row.attempts == 1 and row.last_error
        assert row.next_attempt_at > row.created_at

    settings.ELASTICSEARCH_URL = good_url
    OutboxEntry.objects.update(next_attempt_at=question.created_at)  # back-off over
    assert drain_all().failed == 0
    _refresh()
    assert [r["id"] for r in _search("walrusbridge").results] == [question.pk]


def test_deleting_a_question_removes_its_document(elasticsearch, community, user):
    question = make_question(
        community=community, author=user, title="Is the narwhalgate config shared?"
    )
    drain_all()
    question_delete(question=question, by=user)
    drain_all()
    _refresh()
    assert _search("narwhalgate").total == 0


def test_reindex_swaps_the_alias_and_drops_the_old_index(
    elasticsearch, community, user
):
    for n in range(3):
        make_question(
            community=community, author=user, title=f"Reindex subject {n} here"
        )
    drain_all()
    client = get_client()
    before = alias_indices(client)
    counts = reindex(client)
    after = alias_indices(client)
    assert counts["question"] == 3
    assert len(after) == 1 and after != before
    assert not client.indices.exists(index=before[0])
    assert _search("reindex subject").total == 3


def _segments(client, index: str) -> int:
    stats = client.indices.stats(index=index, metric="segments")
    return stats["indices"][index]["primaries"]["segments"]["count"]


def test_compact_merges_an_index_into_one_segment_and_keeps_every_document(
    elasticsearch, community, user
):
    client = get_client()
    for n in range(3):
        # Each refresh after a save writes a segment of its own.
        make_question(community=community, author=user, title=f"Segment walrus {n}")
        drain_all()
        _refresh()
    index = alias_indices(client)[0]
    # The merge policy may merge some meanwhile (it starts past 5 segments and
    # merges at most 5 at once), never into one.
    assert _segments(client, index) >= 2
    assert compact(client, index) == 1
    assert _segments(client, index) == 1
    assert _search("walrus").total == 3


def test_a_rebuild_whose_merge_fails_is_kept_as_it_is(
    elasticsearch, community, user, monkeypatch
):
    def times_out(client, index):
        raise ConnectionTimeout("merge took too long")

    monkeypatch.setattr("search.reindex.compact", times_out)
    make_question(community=community, author=user, title="Unmerged yak question")
    drain_all()
    client = get_client()
    before = alias_indices(client)
    steps: list[str] = []
    counts = reindex(client, on_step=steps.append)
    assert counts["question"] == 1
    assert alias_indices(client) != before  # swapped, not thrown away
    assert "Merging did not finish (ConnectionTimeout)" in steps[-1]
    assert _search("yak").total == 1


def test_a_content_index_keeps_few_segments(elasticsearch):
    client = get_client()
    ensure_index(client)
    index = alias_indices(client)[0]
    policy = client.indices.get_settings(index=index, flat_settings=True)[index][
        "settings"
    ]
    # Fewer segments per tier than the default 10, and small ones counted as
    # 64 MB: a read-mostly index is merged more, and queried over fewer segments.
    assert policy["index.merge.policy.segments_per_tier"] == "5"
    assert policy["index.merge.policy.floor_segment"] == "64mb"


def test_fallback_answers_when_no_node_is_configured(settings, community, user):
    settings.ELASTICSEARCH_URL = ""
    question = make_question(
        community=community, author=user, title="Fallback finds the pangolin widget"
    )
    found = _search("pangolin")
    assert found.backend == "database"
    assert found.notice
    assert [r["id"] for r in found.results] == [question.pk]


def test_a_vote_reindexes_the_question_score(
    elasticsearch, community, user, other_user
):
    question = make_question(
        community=community, author=user, title="Scoring the capybara pipeline"
    )
    drain_all()
    vote_cast(user=other_user, target=question, value=1)
    assert OutboxEntry.objects.pending().filter(object_id=question.pk).exists()
    drain_all()
    _refresh()
    assert _search("capybara").results[0]["score"] == 1


def test_similar_questions_come_from_search_when_it_runs(
    elasticsearch, community, user
):
    target = make_question(
        community=community, author=user, title="Kubernetes ingress returns 502 errors"
    )
    make_question(community=community, author=user, title="Totally unrelated cooking")
    drain_all()
    _refresh()
    found = question_similar(title="ingress gives 502 on kubernetes", limit=5)
    assert found and found[0].pk == target.pk


def test_downvoted_questions_stay_searchable(elasticsearch, community, user):
    question = make_question(
        community=community, author=user, title="Unpopular opinion about tapirwarp"
    )
    Question.objects.filter(pk=question.pk).update(score=-5)

    outbox_record(kind="question", object_ids=[question.pk])
    drain_all()
    _refresh()
    found = _search("tapirwarp")
    assert found.backend == "elasticsearch"
    assert [r["id"] for r in found.results] == [question.pk]


def test_processes_starting_at_once_make_one_index(elasticsearch):
    """The site and a worker meeting an empty node at the same moment: before,
    each created an index behind the read alias, and every later document was
    stored twice (a search counted 400 of 200 questions)."""
    client = get_client()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def first_use() -> None:
        start.wait()
        try:
            ensure_index(client)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(alias_indices(client)) == 1
    # A later start finds it and changes nothing.
    ensure_index(client)
    assert len(alias_indices(client)) == 1
