"""Slicing a Stack Exchange dump: the chosen questions and everything of theirs,
nothing else, readable by the import."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kb.imports.dump import read_rows
from kb.imports.slicing import newest_questions, slice_dump
from kb.qa.models import Answer, Question
from tests.communities.factories import make_community

DEMO = Path(__file__).resolve().parents[2] / "kb/imports/demo_data/cardano"


def _questions(folder: Path) -> dict[str, dict]:
    return {
        row["Id"]: row
        for row in read_rows(folder, "Posts")
        if row.get("PostTypeId") == "1"
    }


def test_the_newest_questions_by_creation_date():
    questions = _questions(DEMO)
    newest, total = newest_questions(DEMO, 10)
    assert total == len(questions) > 10
    by_date = sorted(questions.values(), key=lambda r: r["CreationDate"])
    assert newest == {row["Id"] for row in by_date[-10:]}
    assert newest_questions(DEMO, 10_000) == (set(questions), total)


def test_a_slice_holds_its_questions_and_all_of_theirs_only(tmp_path):
    links = list(read_rows(DEMO, "PostLinks"))
    # Both ends of one link, one end of another, and a question without links.
    a, b = links[0]["PostId"], links[0]["RelatedPostId"]
    lonely = links[1]["PostId"]
    linked = {r["PostId"] for r in links} | {r["RelatedPostId"] for r in links}
    other = next(q for q in _questions(DEMO) if q not in linked)
    wanted = {a, b, lonely, other}

    written = slice_dump(DEMO, tmp_path / "cardano", question_ids=wanted)

    out = tmp_path / "cardano"
    posts = list(read_rows(out, "Posts"))
    assert {r["Id"] for r in posts if r["PostTypeId"] == "1"} == wanted
    answers = [r for r in read_rows(DEMO, "Posts") if r.get("ParentId") in wanted]
    assert {r["Id"] for r in posts if r["PostTypeId"] == "2"} == {
        r["Id"] for r in answers
    }
    kept = {r["Id"] for r in posts}
    comments = list(read_rows(out, "Comments"))
    assert {r["Id"] for r in comments} == {
        r["Id"] for r in read_rows(DEMO, "Comments") if r["PostId"] in kept
    }
    # A link is kept only when both of its questions are.
    assert all(
        r["PostId"] in wanted and r["RelatedPostId"] in wanted
        for r in read_rows(out, "PostLinks")
    )
    assert any(r["PostId"] == a for r in read_rows(out, "PostLinks"))
    # The people who wrote any of it, and the tags it uses, nobody and
    # nothing else.
    people = {r.get("OwnerUserId") for r in posts} | {r.get("UserId") for r in comments}
    users = {r["Id"] for r in read_rows(out, "Users")}
    assert users and users <= people
    assert users == {r["Id"] for r in read_rows(DEMO, "Users") if r["Id"] in people}
    used = "".join(r.get("Tags", "") for r in posts)
    tags = {r["TagName"] for r in read_rows(out, "Tags")}
    assert tags and all(f"<{t}>" in used or f"|{t}|" in used for t in tags)
    # Bodies come back as they were, line breaks and all.
    original = {r["Id"]: r["Body"] for r in read_rows(DEMO, "Posts")}
    assert all(r["Body"] == original[r["Id"]] for r in posts)
    assert any("\n" in r["Body"] for r in posts)
    assert written["Posts"] == len(posts) and written["Users"] == len(users)


def test_a_file_the_dump_lacks_or_is_not_asked_for_is_left_out(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("Posts", "PostLinks"):
        (source / f"{name}.xml.gz").write_bytes((DEMO / f"{name}.xml.gz").read_bytes())
    newest, _ = newest_questions(source, 5)

    written = slice_dump(
        source, tmp_path / "out", question_ids=newest, files=("Posts", "Votes")
    )

    assert set(written) == {"Posts"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["Posts.xml"]


def test_progress_is_written_per_file(tmp_path):
    out = StringIO()
    newest, _ = newest_questions(DEMO, 5)
    slice_dump(DEMO, tmp_path / "cardano", question_ids=newest, out=out)
    assert "slicing Posts: 248 rows" in out.getvalue()
    assert "slicing Comments: " in out.getvalue()


@pytest.mark.django_db
def test_the_import_reads_a_slice(tmp_path):
    community = make_community(slug="cardano", title="Cardano")
    newest, _ = newest_questions(DEMO, 12)
    slice_dump(DEMO, tmp_path / "cardano", question_ids=newest)

    call_command(
        "import_stackexchange",
        str(tmp_path / "cardano"),
        community=community.slug,
        site="cardano",
    )

    assert Question.objects.count() == 12
    answers = sum(1 for r in read_rows(DEMO, "Posts") if r.get("ParentId") in newest)
    assert Answer.objects.count() == answers
