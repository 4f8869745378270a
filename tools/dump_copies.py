"""Write a Stack Exchange dump folder that holds ``copies`` copies of another,
to time ``make eval`` on a site larger than the one at hand.

    python tools/dump_copies.py ../shared/data/stackexchange/cardano /tmp/big10 10
    make eval EVAL_DUMP=/tmp/big10

Copy k (from 0) adds k x 1,000,000 to every id (posts, users, comments,
votes, links) and " vk" to its titles (k > 0), so the copies import as
distinct questions by distinct people on the same dates. What it measures is
time: each question has near-twins in the other copies, so the relevance and
forecast figures of such a folder mean nothing.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from kb.imports.dump import find_file, read_rows, write_rows  # noqa: E402

OFFSET = 1_000_000
# The id attributes of each file the importer reads.
IDS = {
    "Posts": ("Id", "ParentId", "AcceptedAnswerId", "OwnerUserId", "LastEditorUserId"),
    "Users": ("Id", "AccountId"),
    "Comments": ("Id", "PostId", "UserId"),
    "Votes": ("Id", "PostId", "UserId"),
    "PostLinks": ("Id", "PostId", "RelatedPostId"),
    "Tags": (),  # one copy: tags are shared by name
}


def shifted(row: dict[str, str], keys: tuple[str, ...], copy: int) -> dict[str, str]:
    """``row`` with its positive ids moved into copy ``copy``'s range."""
    for key in keys:
        value = row.get(key, "")
        if value.isdigit() and int(value) > 0:
            row[key] = str(int(value) + copy * OFFSET)
    if copy and row.get("Title"):
        row["Title"] = f"{row['Title']} v{copy}"
    return row


def write_copies(source: Path, target: Path, copies: int) -> None:
    """``copies`` copies of ``source``'s files, gzipped, in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name, keys in IDS.items():
        if find_file(source, name) is None:
            continue
        times = copies if keys else 1
        rows = (
            shifted(row, keys, copy)
            for copy in range(times)
            for row in read_rows(source, name)
        )
        write_rows(target / f"{name}.xml.gz", name, rows)
        print(f"{name}: {times} copies", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="an unpacked dump folder")
    parser.add_argument("target", type=Path, help="the folder to write")
    parser.add_argument("copies", type=int, help="how many copies (2 or more)")
    args = parser.parse_args()
    if find_file(args.source, "Posts") is None:
        parser.error(f"no Posts.xml(.gz) in {args.source}")
    if args.copies < 2:
        parser.error("copies must be 2 or more")
    write_copies(args.source, args.target, args.copies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
