"""The judged pairs: a Stack Exchange dump's duplicate and related links, imported
into a scratch database, split deterministically into a tune and a report part."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hallway.progress import Output
from kb.imports.dump import (
    derived_home,
    find_file,
    link_host,
    read_rows,
    remove_derived,
    site_host,
    write_rows,
)
from kb.imports.slicing import newest_questions, slice_dump

DUMP_FILES = ("Posts", "Users", "Tags", "Comments", "Votes", "PostLinks")
DUPLICATE, RELATED = 3, 1
SPLITS = ("tune", "report")


# make eval's bound on a site's size (``EVAL_MAX_QUESTIONS``, 0: none): a larger
# site is evaluated on its newest this many questions. The run grows with the
# questions, most of it encoding vectors and importing: twenty copies of
# Cardano bounded to 20,000 questions took 21 minutes on a 2-core machine
# (README), so a site of a million questions would take a day whole.
MAX_QUESTIONS = 20_000


@dataclass(frozen=True)
class Bounded:
    """The dump folder a run reads (``path``): the dump itself, or a slice of
    its ``kept`` newest of ``questions`` questions."""

    path: Path
    questions: int
    kept: int

    @property
    def sliced(self) -> bool:
        return self.kept < self.questions

    def as_dict(self, dump: Path) -> dict[str, object]:
        return {"dump": str(dump), "questions": self.questions, "kept": self.kept}


def bounded(
    dump: Path, max_questions: int, *, cache: Path, out: Output | None = None
) -> Bounded:
    """``dump``, or when it holds more than ``max_questions`` questions (0: no
    bound) a slice of its newest ones with their answers, comments, links and
    people, written under ``cache`` in a folder named like the dump (so the
    site's name and results' file stay) and reused by the next command of the
    same run (the relevance and both experts' phases) while the dump's Posts
    file is unchanged. Links between a kept and a dropped question are not
    judged: the dropped one is not there to find."""
    posts = find_file(dump, "Posts")
    if posts is None or max_questions <= 0:
        return Bounded(path=dump, questions=0, kept=0)
    home = derived_home(cache, dump.name, [posts], max_questions)
    marker = home / "slice.json"
    if marker.exists():
        known = json.loads(marker.read_text())
        path = home / dump.name if known["kept"] < known["questions"] else dump
        return Bounded(path=path, questions=known["questions"], kept=known["kept"])
    remove_derived(cache, dump.name)  # an earlier version's slice of the dump
    wanted, questions = newest_questions(dump, max_questions)
    kept = len(wanted)
    if kept < questions:
        if out is not None:
            out.write(
                f"  {dump.name} has {questions} questions: evaluating on its newest "
                f"{kept} (EVAL_MAX_QUESTIONS; 0 for all), sliced into {home}\n"
            )
        # Votes too: the experts' forecast dates acceptances by their votes.
        slice_dump(dump, home / dump.name, question_ids=wanted, out=out)
    home.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"questions": questions, "kept": kept}))
    path = home / dump.name if kept < questions else dump
    return Bounded(path=path, questions=questions, kept=kept)


def missing_files(folder: Path) -> list[str]:
    """What a dump folder lacks for an evaluation (Posts and PostLinks)."""
    return [name for name in ("Posts", "PostLinks") if find_file(folder, name) is None]


@dataclass(frozen=True)
class Link:
    """A judged pair: ``query`` should find ``target`` (dump post ids)."""

    query: int
    target: int
    kind: int  # 3 duplicate, 1 related
    link: str  # the undirected link, shared by both directions

    @property
    def split(self) -> str:
        """``tune`` or ``report``, by a hash of the undirected link (≈ 50/50)."""
        digest = hashlib.sha256(self.link.encode()).digest()
        return "tune" if digest[0] % 2 == 0 else "report"


def read_links(folder: Path) -> list[Link]:
    """Duplicate links (duplicate → original) and related links in both directions
    (relatedness is symmetric); each undirected link once."""
    links: dict[tuple[int, int], Link] = {}
    for row in read_rows(folder, "PostLinks"):
        kind = int(row.get("LinkTypeId", 0) or 0)
        if kind not in (DUPLICATE, RELATED):
            continue
        a, b = int(row["PostId"]), int(row["RelatedPostId"])
        if a == b:
            continue
        key = f"{min(a, b)}-{max(a, b)}"
        directions = [(a, b)] if kind == DUPLICATE else [(a, b), (b, a)]
        for q, t in directions:
            existing = links.get((q, t))
            # A duplicate link wins over a related one between the same questions.
            if existing is None or (kind == DUPLICATE and existing.kind != DUPLICATE):
                links[(q, t)] = Link(query=q, target=t, kind=kind, link=key)
    return sorted(links.values(), key=lambda link: (link.query, link.target))


# A link to one of the site's posts: ``/questions/12/slug``, ``/q/12``, ``/a/34/5``.
_POST_PATH = r"/(?:questions|q|a)/\d+"


def _link_patterns(host: str) -> tuple[re.Pattern[str], ...]:
    site = rf"(?:(?:https?:)?//{re.escape(host)})"
    return (
        # An HTML anchor (bodies), with its text: often the linked title.
        re.compile(
            rf"<a\s[^>]*href=\"{site}?{_POST_PATH}[^\"]*\"[^>]*>.*?</a>", re.I | re.S
        ),
        # A Markdown link (comments), with its text.
        re.compile(rf"\[[^\]]*\]\(\s*<?{site}?{_POST_PATH}[^)]*\)", re.I),
        # A bare address.
        re.compile(rf"{site}{_POST_PATH}\S*", re.I),
    )


def strip_site_links(text: str, host: str) -> tuple[str, int]:
    """``text`` without its links to ``host``'s posts (address and link text),
    and how many were removed."""
    removed = 0
    for pattern in _link_patterns(host):
        text, n = pattern.subn(" ", text)
        removed += n
    return text, removed


# The text attribute of each rewritten file.
_TEXT_ATTRIBUTE = {"Posts": "Body", "Comments": "Text"}


@dataclass
class HiddenLinks:
    """A scratch copy of a dump folder that the import reads (``path``), and how
    many in-text links it hid; ``cleanup()`` removes it."""

    scratch: tempfile.TemporaryDirectory
    host: str
    in_text: int = 0

    @property
    def path(self) -> str:
        return self.scratch.name

    def cleanup(self) -> None:
        self.scratch.cleanup()


def folder_without_links(folder: Path, *, site: str | None = None) -> HiddenLinks:
    """A temporary copy of the dump without its judged links, so the import
    cannot close duplicates, store related links or index the links' words: no
    PostLinks, and bodies and comments without their links to the site's own
    posts. Stack Exchange records a related link when a post, answer or comment
    links to another question, and the link's text is often that question's
    title: left in, a question's own body would name what it is judged to find.
    The other files are symlinked. The site's host is the one its posts link
    their linked questions at (a folder need not be named after its site),
    else ``site``'s or the folder's name's."""
    host = link_host(folder) or site_host(site or folder.name)
    hidden = HiddenLinks(
        tempfile.TemporaryDirectory(prefix="hallway-eval-dump-"), host=host
    )
    for name in DUMP_FILES:
        path = find_file(folder, name)
        if path is None or name == "PostLinks":
            continue
        target = Path(hidden.path) / path.name
        if name not in _TEXT_ATTRIBUTE:
            target.symlink_to(path.resolve())
            continue
        hidden.in_text += _rewrite(folder, name, target, host)
    return hidden


def _rewrite(folder: Path, name: str, target: Path, host: str) -> int:
    """Copy ``name``'s rows to ``target`` with the site's links stripped from
    their text; how many links were removed."""
    attribute, removed = _TEXT_ATTRIBUTE[name], 0

    def stripped() -> Iterator[dict[str, str]]:
        nonlocal removed
        for row in read_rows(folder, name):
            if attribute in row:
                row[attribute], n = strip_site_links(row[attribute], host)
                removed += n
            yield row

    write_rows(target, name, stripped())
    return removed


def sample(ids: list[int], size: int) -> list[int]:
    """A deterministic sample (by hash, not by database order)."""
    return sorted(ids, key=lambda pk: hashlib.sha256(str(pk).encode()).hexdigest())[
        :size
    ]
