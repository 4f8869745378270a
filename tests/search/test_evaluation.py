"""The relevance harness (`make eval`): its figures, its split and a real run."""

import gzip
import json
from io import BytesIO, StringIO
from pathlib import Path

import py7zr
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper

from kb.imports.dump import read_rows
from kb.qa.models import Question
from search.evaluation import dataset, harness, metrics
from search.evaluation.runner import evaluate
from tools.management.commands.search_eval import dump_argument, max_questions

DEMO_DUMP = Path(__file__).resolve().parents[2] / "kb/imports/demo_data/cardano"


def test_reciprocal_rank_and_recall():
    assert metrics.reciprocal_rank([5, 7, 9], 7) == 0.5
    assert metrics.reciprocal_rank([5, 7, 9], 4) == 0.0
    figures = metrics.summary([1.0, 0.5, 0.2, 0.0])
    assert figures["n"] == 4
    assert figures["mrr"] == pytest.approx(0.425)
    assert figures["recall@1"] == 0.25
    assert figures["recall@5"] == 0.75
    assert figures["recall@10"] == 0.75


def test_bootstrap_interval_of_a_difference():
    same = metrics.paired_bootstrap([0.5, 1.0, 0.0] * 10, [0.5, 1.0, 0.0] * 10)
    assert same == {"diff": 0.0, "ci_low": 0.0, "ci_high": 0.0}
    better = metrics.paired_bootstrap([1.0] * 20 + [0.0] * 5, [0.0] * 20 + [0.5] * 5)
    assert better["diff"] > 0 and better["ci_low"] > 0
    mixed = metrics.paired_bootstrap([1.0, 0.0] * 10, [0.0, 1.0] * 10)
    assert mixed["ci_low"] < 0 < mixed["ci_high"]
    with pytest.raises(ValueError):
        metrics.paired_bootstrap([1.0], [])


def test_diversity_counts_the_most_frequent_unlinked_result():
    lists = {1: [9, 2], 2: [9, 3], 3: [9, 1], 4: [], 5: [4]}
    figures = metrics.diversity(lists, linked={3: {9}})
    assert figures == {"lists": 4, "empty_lists": 1, "top_share": 0.5, "top_id": 9}


def test_the_dense_section_runs_only_when_named():
    assert "dense" in harness.OPTIONAL_SECTIONS
    assert "dense" not in harness.SECTIONS


def _write_links(folder: Path, rows: list[tuple[int, int, int]]) -> None:
    xml = "".join(
        f'<row Id="{i}" PostId="{a}" RelatedPostId="{b}" LinkTypeId="{k}" '
        f'CreationDate="2021-05-01T00:00:00.000" />'
        for i, (a, b, k) in enumerate(rows, 1)
    )
    with gzip.open(folder / "PostLinks.xml.gz", "wt") as handle:
        handle.write(f"<postlinks>{xml}</postlinks>")


def test_links_related_both_ways_duplicates_one_way_split_by_link(tmp_path):
    _write_links(tmp_path, [(10, 20, 1), (30, 40, 3), (40, 30, 1), (50, 50, 1)])
    links = dataset.read_links(tmp_path)
    pairs = {(x.query, x.target, x.kind) for x in links}
    assert pairs == {(10, 20, 1), (20, 10, 1), (30, 40, 3), (40, 30, 1)}
    for link in links:
        partner = [x for x in links if x.link == link.link]
        assert {x.split for x in partner} == {link.split}
        assert link.split in ("tune", "report")
    many = [
        dataset.Link(query=i, target=i + 1, kind=1, link=f"{i}-{i + 1}")
        for i in range(0, 400, 2)
    ]
    tune = sum(x.split == "tune" for x in many)
    assert 70 < tune < 130  # about half of 200


def test_links_to_the_sites_posts_are_stripped_with_their_text():
    host = "cardano.stackexchange.com"
    body = (
        '<p>Not like <a href="https://cardano.stackexchange.com/questions/367/'
        'hash-mismatch">Hash MisMatch Error on Plutus</a> but <a href="//cardano.'
        'stackexchange.com/a/43/167">this <code>answer</code></a>, see '
        '<a href="https://bitcoin.stackexchange.com/questions/69512/x">bech32</a> '
        'and <a href="https://cardano.stackexchange.com/users/38/y">a user</a></p>'
    )
    text, removed = dataset.strip_site_links(body, host)
    assert removed == 2
    assert "Hash MisMatch" not in text and "answer</code>" not in text
    assert "bech32" in text and "a user" in text and "Not like" in text
    comment = (
        "asked [here](https://cardano.stackexchange.com/q/77/149), size: "
        "https://cardano.stackexchange.com/a/280/38 but see https://docs.cardano.org"
    )
    text, removed = dataset.strip_site_links(comment, host)
    assert removed == 2
    assert "here" not in text and "/a/280" not in text
    assert "https://docs.cardano.org" in text


def test_the_import_folder_hides_the_judged_links(tmp_path):
    posts = (
        '<row Id="1" PostTypeId="1" Title="Staking" Body="&lt;p&gt;See &lt;a '
        "href=&quot;https://cardano.stackexchange.com/questions/2/x&quot;&gt;Pools"
        '&lt;/a&gt;&lt;/p&gt;&#xA;&lt;pre&gt;a &amp;amp; b&#xA;c&lt;/pre&gt;" />'
        '<row Id="2" PostTypeId="1" Title="Pools" Body="&lt;p&gt;Plain&lt;/p&gt;" />'
    )
    with gzip.open(tmp_path / "Posts.xml.gz", "wt") as handle:
        handle.write(f"<posts>{posts}</posts>")
    (tmp_path / "Users.xml").write_text("<users />")
    _write_links(tmp_path, [(1, 2, 1)])
    scratch = dataset.folder_without_links(tmp_path, site="cardano")
    try:
        folder = Path(scratch.path)
        names = {p.name for p in folder.iterdir()}
        rows = list(read_rows(folder, "Posts"))
    finally:
        scratch.cleanup()
    assert names == {"Posts.xml.gz", "Users.xml"}
    assert scratch.in_text == 1
    assert [r["Id"] for r in rows] == ["1", "2"]
    # The link and its text are gone; line breaks and escaped text survive.
    assert rows[0]["Body"] == "<p>See  </p>\n<pre>a &amp; b\nc</pre>"
    assert rows[1]["Body"] == "<p>Plain</p>"


def test_the_links_are_hidden_whatever_the_dump_folder_is_called(tmp_path):
    folder = tmp_path / "export-2021"
    folder.mkdir()
    posts = (
        '<row Id="1" PostTypeId="1" Title="Staking" Body="&lt;a href=&quot;'
        'https://cardano.stackexchange.com/questions/2/x&quot;&gt;Pools&lt;/a&gt;" />'
        '<row Id="2" PostTypeId="1" Title="Pools" Body="&lt;p&gt;Plain&lt;/p&gt;" />'
    )
    (folder / "Posts.xml").write_text(f"<posts>{posts}</posts>")
    _write_links(folder, [(1, 2, 3)])
    scratch = dataset.folder_without_links(folder, site=folder.name)
    try:
        rows = list(read_rows(Path(scratch.path), "Posts"))
    finally:
        scratch.cleanup()
    assert scratch.host == "cardano.stackexchange.com"
    assert scratch.in_text == 1
    assert "Pools" not in rows[0]["Body"]


def test_eval_refuses_a_real_database_and_a_missing_dump(db, tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="scratch database"):
        call_command("search_eval", "--dump", str(DEMO_DUMP))
    monkeypatch.setattr(
        "tools.management.commands.search_eval.scratch_database_name",
        lambda: "eval-check",
    )
    with pytest.raises(CommandError, match="No Stack Exchange dump"):
        call_command("search_eval", "--dump", str(tmp_path / "absent"))
    with pytest.raises(CommandError, match="PostLinks"):
        call_command("search_eval", "--dump", str(tmp_path))


def test_elasticsearch_time_is_recorded_per_call_and_the_client_restored(
    monkeypatch,
):
    class Client:
        def search(self, **kwargs):
            return {"took": kwargs["took"], "hits": {"hits": []}}

    client = Client()
    monkeypatch.setattr(harness, "get_client", lambda: client)

    def method(probe):
        client.search(took=3)
        client.search(took=4)  # a second pass counts too
        return [1]

    ranked, elapsed, took = harness._timed(method, harness.Probe(1, "t", "b"))
    assert ranked == [1] and took == 7.0 and elapsed >= 0
    assert "search" not in vars(client)  # the class's method again


def _unpacked_as_archived(tmp_path: Path) -> Path:
    """The demo slice as an unpacked archive names it: the site's host as the
    folder's name, plain XML files."""
    folder = tmp_path / "cardano.stackexchange.com"
    folder.mkdir()
    for path in DEMO_DUMP.glob("*.xml.gz"):
        (folder / path.name.removesuffix(".gz")).write_bytes(
            gzip.decompress(path.read_bytes())
        )
    return folder


@pytest.mark.django_db(transaction=True)
def test_a_run_on_the_demo_slice_compares_with_bm25(elasticsearch, tmp_path):
    lines: list[str] = []
    folder = _unpacked_as_archived(tmp_path)
    report = evaluate(
        folder, ["similar_title_body", "search_api", "diversity"], out=lines.append
    )
    assert report["pairs"]["total"] > 0
    section = report["sections"]["similar_title_body"]
    for split in ("tune", "report"):
        figures = section["splits"][split]
        assert figures["ours"]["n"] == figures["bm25"]["n"]
        assert 0 <= figures["ours"]["mrr"] <= 1
        assert figures["mrr_diff"]["ci_low"] <= figures["mrr_diff"]["ci_high"]
    assert section["latency"]["ours"]["calls"] > 0
    assert section["latency"]["es_took"]["ours"]["calls"] > 0
    assert report["report_split_meets_targets"].keys() >= {"similar_title_body"}
    assert any(line.startswith("search_api") for line in lines)
    # The most frequent similar question comes with the lists it was in.
    diversity = report["sections"]["diversity"]["ours"]
    listed = diversity["top_listed_for"]
    assert len(listed) == round(diversity["top_share"] * diversity["lists"]) > 0
    assert all(1 <= row["rank"] <= 5 and row["title"] for row in listed)
    assert sum(line.startswith("    listed for: ") for line in lines) == len(listed)
    # Each long step says how far it got: the import, the index, the probes.
    assert "  Imported:" in lines
    assert any(line.startswith("  question: ") for line in lines), lines
    probes = len({link.query for link in dataset.read_links(folder)})
    assert any(
        line.startswith(f"  similar_title_body: {probes}/{probes} questions ")
        for line in lines
    ), lines


def test_a_dump_without_links_is_refused_before_any_import(db, tmp_path):
    (tmp_path / "Posts.xml").write_text(
        '<posts><row Id="1" PostTypeId="1" Title="Staking" Body="x" /></posts>'
    )
    _write_links(tmp_path, [])
    with pytest.raises(CommandError, match="no duplicate or related links"):
        evaluate(tmp_path, out=lambda line: None)
    assert not Question.objects.exists()


def test_a_large_site_is_bounded_to_its_newest_questions_sliced_once(tmp_path):
    dump = _unpacked_as_archived(tmp_path)
    cache = tmp_path / "slices"
    total = sum(1 for r in read_rows(dump, "Posts") if r["PostTypeId"] == "1")

    whole = dataset.bounded(dump, total, cache=cache)
    unbounded = dataset.bounded(dump, 0, cache=cache)
    bound = dataset.bounded(dump, 30, cache=cache)

    assert whole.path == unbounded.path == dump and not whole.sliced
    assert bound.sliced and (bound.questions, bound.kept) == (total, 30)
    # Named like the dump, so the site's name and results' file stay.
    assert bound.path.name == dump.name and bound.path.parent.parent == cache
    kept = {r["Id"] for r in read_rows(bound.path, "Posts") if r["PostTypeId"] == "1"}
    assert len(kept) == 30
    assert {(x.query, x.target) for x in dataset.read_links(bound.path)} == {
        (x.query, x.target)
        for x in dataset.read_links(dump)
        if str(x.query) in kept and str(x.target) in kept
    }
    # The accept votes the experts' forecast dates acceptances by.
    accepts = {
        r["PostId"] for r in read_rows(dump, "Votes") if r.get("VoteTypeId") == "1"
    }
    posts = {r["Id"] for r in read_rows(bound.path, "Posts")}
    assert accepts & posts == {
        r["PostId"]
        for r in read_rows(bound.path, "Votes")
        if r.get("VoteTypeId") == "1"
    }
    assert accepts & posts
    # The next command of the run reads the same slice without making it again.
    (bound.path / "Posts.xml").write_text("<posts />")
    again = dataset.bounded(dump, 30, cache=cache)
    assert again == bound and (bound.path / "Posts.xml").read_text() == "<posts />"
    # A changed dump is sliced afresh, and the stale slice goes.
    posts = dump / "Posts.xml"
    posts.write_text(posts.read_text())
    fresh = dataset.bounded(dump, 30, cache=cache)
    assert fresh.path != bound.path and not bound.path.exists()
    assert len(list(read_rows(fresh.path, "Posts"))) > 30


def test_the_bound_comes_from_the_option_or_eval_max_questions(monkeypatch):
    monkeypatch.delenv("EVAL_MAX_QUESTIONS", raising=False)
    assert max_questions({"max_questions": None}) == dataset.MAX_QUESTIONS
    assert max_questions({"max_questions": 0}) == 0
    monkeypatch.setenv("EVAL_MAX_QUESTIONS", "5000")
    assert max_questions({"max_questions": None}) == 5000
    assert max_questions({"max_questions": 70}) == 70
    for bad in ("many", "-3"):
        monkeypatch.setenv("EVAL_MAX_QUESTIONS", bad)
        with pytest.raises(CommandError, match="EVAL_MAX_QUESTIONS"):
            max_questions({"max_questions": None})
    with pytest.raises(CommandError, match="--max-questions"):
        max_questions({"max_questions": -1})


def test_the_dump_may_be_the_sites_archive_as_published(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    published = tmp_path / "published"
    published.mkdir()
    with py7zr.SevenZipFile(published / "cardano.stackexchange.com.7z", "w") as seven:
        for name in ("Posts", "PostLinks"):
            with gzip.open(DEMO_DUMP / f"{name}.xml.gz", "rb") as xml:
                seven.writef(BytesIO(xml.read()), f"{name}.xml")
    out = OutputWrapper(StringIO())

    folder = dump_argument({"dump": str(published)}, out)

    assert folder.name == "cardano" and dataset.missing_files(folder) == []
    assert dataset.read_links(folder) == dataset.read_links(DEMO_DUMP) != []
    (published / "cardano.meta.stackexchange.com.7z").write_bytes(b"")
    with pytest.raises(CommandError, match="archives of 2 sites"):
        dump_argument({"dump": str(published)}, out)


@pytest.mark.django_db(transaction=True)
def test_make_eval_on_a_bounded_site_reports_on_its_slice(
    elasticsearch, tmp_path, monkeypatch
):
    command = "tools.management.commands.search_eval"
    monkeypatch.setattr(f"{command}.scratch_database_name", lambda: "eval-check")
    monkeypatch.setattr(f"{command}.slice_cache", lambda: tmp_path / "slices")
    dump = _unpacked_as_archived(tmp_path)
    result = tmp_path / "result.json"
    out = StringIO()

    call_command(
        "search_eval",
        "--dump",
        str(dump),
        "--max-questions",
        "30",
        "--sections",
        "similar_title",
        "--json",
        str(result),
        stdout=out,
    )

    report = json.loads(result.read_text())
    assert report["slice"] == {"dump": str(dump), "questions": 82, "kept": 30}
    assert report["documents"]["question"] == 30
    assert report["dump"] == dump.name and report["pairs"]["total"] > 0
    assert "has 82 questions: evaluating on its newest 30" in out.getvalue()
