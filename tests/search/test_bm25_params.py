"""BM25's parameters live in two named similarities that the eval can change
in place (``search_eval --sections bm25``), on a real node."""

import pytest

from search.documents import BM25_LONG, BM25_SHORT, ContentDocument
from search.evaluation.bm25 import set_bm25
from search.index import ensure_index, read_alias

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


def test_ranking_fields_use_the_named_similarities():
    mapping = ContentDocument._doc_type.mapping.to_dict()["properties"]
    assert mapping["title"]["fields"]["en"]["similarity"] == "hallway_short"
    assert mapping["body"]["fields"]["en"]["similarity"] == "hallway_long"
    assert mapping["answers"]["fields"]["en"]["similarity"] == "hallway_long"
    assert mapping["answers_nl"]["similarity"] == "hallway_long"
    # The folded base fields (plain BM25 in the eval) keep the node's default.
    assert "similarity" not in mapping["title"]
    assert "similarity" not in mapping["body"]


def _ranked(client) -> list[str]:
    hits = client.search(
        index=read_alias(), query={"match": {"body.en": "ledger"}}, size=2
    )["hits"]["hits"]
    return [hit["_id"] for hit in hits]


def test_changing_the_parameters_in_place_changes_the_ranking(elasticsearch):
    client = elasticsearch
    ensure_index(client)
    filler = " ".join(f"word{i}" for i in range(120))
    client.index(
        index=read_alias(), id="short", document={"body": f"ledger {filler[:60]}"}
    )
    client.index(
        index=read_alias(),
        id="long",
        document={"body": f"ledger ledger ledger ledger {filler} {filler}"},
    )
    client.indices.refresh(index=read_alias())

    # No length normalisation and no saturation: the most mentions win.
    set_bm25(client, BM25_SHORT, {"k1": 3.0, "b": 0.0})
    assert _ranked(client) == ["long", "short"]
    # Full length normalisation and quick saturation: the short text wins.
    set_bm25(client, BM25_SHORT, {"k1": 0.2, "b": 1.0})
    assert _ranked(client) == ["short", "long"]

    set_bm25(client, BM25_SHORT, BM25_LONG)
    settings = client.indices.get_settings(index=read_alias())
    similarity = next(iter(settings.values()))["settings"]["index"]["similarity"]
    assert float(similarity["hallway_long"]["b"]) == BM25_LONG["b"]
    assert float(similarity["hallway_short"]["k1"]) == BM25_SHORT["k1"]
