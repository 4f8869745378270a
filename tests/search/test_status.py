"""search_status tells an operator whether search is in step with the database."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from home.demo import load
from search.documents import ContentDocument
from search.index import read_alias
from search.indexing import drain_all
from search.models import OutboxEntry
from search.status import missing_fields
from tests.communities.factories import make_community
from tests.qa.factories import make_question

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.elasticsearch
def test_status_counts_documents_and_backlog(elasticsearch, user):
    load()
    community = make_community()
    make_question(community=community, author=user, title="Counting documents here")
    drain_all()
    make_question(community=community, author=user, title="Still waiting in the outbox")
    elasticsearch.indices.refresh(index=read_alias())  # the drained one in a segment
    out = StringIO()
    call_command("search_status", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["node"]["status"] == "ok"
    assert report["kinds"]["question"]["database"] == 2
    assert report["outbox"]["pending"] == OutboxEntry.objects.pending().count() > 0
    assert report["index"]["segments"] >= 1 and report["index"]["merge_policy"]
    text = StringIO()
    call_command("search_status", stdout=text)
    assert "Outbox:" in text.getvalue()


@pytest.mark.elasticsearch
def test_reindex_command_shows_progress_and_rate(elasticsearch, user):
    load()
    community = make_community()
    for n in range(3):
        make_question(community=community, author=user, title=f"Question number {n} ok")
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "Indexed 3 documents" in out.getvalue() and "docs/s" in out.getvalue()
    # Not a terminal: whole lines with counts, no bar redrawn with \r or escapes.
    assert "question: 3/3 docs" in out.getvalue()
    # The new index is merged before the alias moves to it, and says so.
    assert "Merged into 1 segment in" in out.getvalue()
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


@pytest.mark.elasticsearch
def test_an_index_with_the_default_merge_policy_is_reported(elasticsearch, user):
    load()
    make_question(community=make_community(), author=user, title="Merge policy here")
    drain_all()
    quiet = StringIO()
    call_command("search_status", stdout=quiet)
    assert "segments," in quiet.getvalue() and "default merge policy" not in (
        quiet.getvalue()
    )
    # As an index built before the policy was set: Elasticsearch's defaults.
    elasticsearch.indices.put_settings(
        index=read_alias(),
        settings={"index.merge.policy.segments_per_tier": None},
    )
    out = StringIO()
    call_command("search_status", stdout=out)
    assert "default merge policy" in out.getvalue()
    assert "run search_reindex" in out.getvalue()


def test_reindex_without_a_node_says_what_to_do(settings, db):
    from django.core.management.base import CommandError

    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL is not set"):
        call_command("search_reindex")


def test_an_index_built_before_a_mapping_change_is_reported():
    from types import SimpleNamespace

    mapped = ContentDocument._doc_type.mapping.to_dict()["properties"]
    old = {k: v for k, v in mapped.items() if k != "summary"}
    client = SimpleNamespace(
        indices=SimpleNamespace(
            get_mapping=lambda index: {"old-index": {"mappings": {"properties": old}}}
        )
    )
    assert missing_fields(client) == ["summary"]
