"""tools/dump_copies.py: a larger dump for timing ``make eval``."""

from pathlib import Path

from kb.imports.dump import read_rows
from tools.dump_copies import OFFSET, write_copies

FIXTURE = Path(__file__).resolve().parents[1] / "imports" / "fixtures" / "cardano"


def test_copies_shift_every_id_and_keep_the_text(tmp_path):
    write_copies(FIXTURE, tmp_path, 3)
    posts = list(read_rows(FIXTURE, "Posts"))
    copied = list(read_rows(tmp_path, "Posts"))
    assert len(copied) == 3 * len(posts)
    first, last = posts[0], copied[2 * len(posts)]
    assert int(last["Id"]) == int(first["Id"]) + 2 * OFFSET
    if first.get("Title"):
        assert last["Title"] == f"{first['Title']} v2"
    assert last["Body"] == first["Body"]  # line breaks and markup intact
    links = list(read_rows(tmp_path, "PostLinks"))
    assert {int(r["PostId"]) // OFFSET for r in links} == {0, 1, 2}
    # Tags are shared by name: one copy.
    assert len(list(read_rows(tmp_path, "Tags"))) == len(
        list(read_rows(FIXTURE, "Tags"))
    )
