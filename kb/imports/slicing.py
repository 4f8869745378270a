"""Cut a self-consistent slice out of a Stack Exchange dump: chosen questions
with their answers, comments, links, tags and people. The relevance harness
bounds a large site this way (``make eval``'s ``EVAL_MAX_QUESTIONS``).

Streaming, like the import: a site of millions of posts is read a row at a
time and never held whole; only the ids that decide what is kept are.
"""

import heapq
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from hallway.progress import Output, progress_bar

from .dump import find_file, parse_tags, read_rows, write_rows

# What a slice holds, in the order written: each file's rows are chosen by the
# ids the files before it kept (posts, then who wrote them and their tags).
FILES = ("Posts", "Comments", "PostLinks", "Votes", "Users", "Tags")


def newest_questions(source: Path, count: int) -> tuple[set[str], int]:
    """The ids of the ``count`` newest questions of the dump ``source`` (by
    creation date; ties by id) and how many questions it holds."""
    questions = [
        (row.get("CreationDate") or "", int(row["Id"]))
        for row in read_rows(source, "Posts")
        if row.get("PostTypeId") == "1" and (row.get("Id") or "").isdigit()
    ]
    return {str(pk) for _, pk in heapq.nlargest(count, questions)}, len(questions)


def slice_dump(
    source: Path | str,
    target: Path | str,
    *,
    question_ids: Iterable[int | str],
    files: Iterable[str] = FILES,
    out: Output | None = None,
) -> dict[str, int]:
    """Write to ``target`` the questions ``question_ids`` of the dump ``source``
    with their answers, the comments on them, the links between them, the
    people who wrote any of it and their tags (of ``files``; a file the dump
    lacks is left out). Returns the rows written per file; ``out``: a progress
    line per file while it is read."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    wanted = {str(pk) for pk in question_ids}
    posts: set[str] = set()
    people: set[str] = set()
    tags: set[str] = set()

    def keep_post(row: dict[str, str]) -> bool:
        if row.get("Id") in wanted or (
            row.get("PostTypeId") == "2" and row.get("ParentId") in wanted
        ):
            posts.add(row["Id"])
            people.add(row.get("OwnerUserId") or "")
            tags.update(parse_tags(row.get("Tags")))
            return True
        return False

    def keep_comment(row: dict[str, str]) -> bool:
        if row.get("PostId") in posts:
            people.add(row.get("UserId") or "")
            return True
        return False

    def keep_tag(row: dict[str, str]) -> bool:
        # Named as the import names them (``parse_tags``), as the posts' are.
        return bool(tags.intersection(parse_tags(f"|{row.get('TagName') or ''}|")))

    rules = {
        "Posts": keep_post,
        "Comments": keep_comment,
        "PostLinks": lambda r: (
            r.get("PostId") in wanted and r.get("RelatedPostId") in wanted
        ),
        "Votes": lambda r: r.get("PostId") in posts,
        "Users": lambda r: r.get("Id") in people,
        "Tags": keep_tag,
    }
    written: dict[str, int] = {}
    for name in [n for n in FILES if n in set(files)]:
        path = find_file(source, name)
        if path is None:
            continue
        written[name] = 0

        def kept(rows: Iterator[dict[str, str]], name: str = name):
            # Nowhere to report: the lines go to a throwaway buffer (as the import).
            bar = progress_bar(
                total=None,
                desc=f"slicing {name}",
                unit="row",
                file=out or io.StringIO(),
            )
            try:
                for row in rows:
                    bar.update()
                    if rules[name](row):
                        written[name] += 1
                        yield row
            finally:
                bar.close()

        # Plain XML: a slice is read once or twice, and gzip would cost more
        # to write than it saves to read.
        write_rows(target / f"{name}.xml", name, kept(read_rows(source, name)))
    return written
