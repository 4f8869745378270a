"""Reading a Stack Exchange data dump: files, rows and typed posts.

Nothing here touches the database. ``iter_rows`` streams a file's ``<row>``
attributes (elements are cleared as they go); ``parse_question`` and friends
turn one row into a typed record or raise ``RowError`` (reported and skipped
by the importer, ``stackexchange.py``).
"""

import glob
import gzip
import hashlib
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

from defusedxml.ElementTree import ParseError, iterparse

from hallway.tags import tags_parse

ROW_POSITION = "_position"  # added to each row: its 1-based position in the file


class RowError(Exception):
    """A malformed row: reported and skipped."""


# The network's sites that are not ``<name>.stackexchange.com``.
OWN_DOMAINS = {
    "stackoverflow": "stackoverflow.com",
    "superuser": "superuser.com",
    "serverfault": "serverfault.com",
    "askubuntu": "askubuntu.com",
    "mathoverflow": "mathoverflow.net",
    "stackapps": "stackapps.com",
}


def site_host(site: str) -> str:
    """The host a dump's site name stands for (``cardano`` ->
    ``cardano.stackexchange.com``, ``superuser`` -> ``superuser.com``; a name
    with a dot is a host already)."""
    if "." in site:
        return site
    return OWN_DOMAINS.get(site.lower(), f"{site}.stackexchange.com")


def find_file(folder: Path, name: str) -> Path | None:
    """``<name>.xml`` or ``<name>.xml.gz`` in ``folder`` (any case), else ``None``."""
    wanted = {f"{name}.xml".lower(), f"{name}.xml.gz".lower()}
    for child in sorted(folder.iterdir()):
        if child.name.lower() in wanted and child.is_file():
            return child
    return None


def derived_home(cache: Path, name: str, files: Iterable[Path], *extra: object) -> Path:
    """Where a folder made from ``files`` (an archive's unpacked files, a large
    dump's slice) is kept under ``cache``: ``<name>-<hash>`` of the files'
    paths, sizes and times and ``extra``, so a changed file gets a new one."""
    parts: list[object] = []
    for path in files:
        stat = path.stat()
        parts += [path.resolve(), stat.st_size, stat.st_mtime_ns]
    key = "\0".join(str(part) for part in [*parts, *extra])
    return cache / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def remove_derived(cache: Path, name: str) -> None:
    """The folders ``derived_home`` gave ``name`` under ``cache`` (earlier
    versions, their files changed since)."""
    for stale in cache.glob(f"{glob.escape(name)}-{'[0-9a-f]' * 12}"):
        shutil.rmtree(stale, ignore_errors=True)


def open_dump_file(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def iter_rows(path: Path) -> Iterator[dict[str, str]]:
    """Each ``<row>``'s attributes, streaming; elements are cleared as they go."""
    with open_dump_file(path) as handle:
        context = iterparse(handle, events=("start", "end"))
        _, root = next(context)
        position = 0
        for event, element in context:
            if event == "end" and element.tag == "row":
                position += 1
                yield {**element.attrib, ROW_POSITION: str(position)}
                element.clear()
                root.clear()


# An absolute address of a site's post: ``//host/questions/12``, ``//host/q/12``,
# ``//host/a/34`` (with or without the scheme).
_POST_ADDRESS = re.compile(
    r"//([a-z0-9][a-z0-9.-]*\.[a-z]+)/(?:questions|q|a)/(\d+)", re.I
)
LINKS_ENOUGH = 25  # links at one host that settle which host is the site's


def link_host(folder: Path) -> str | None:
    """The host a dump's posts link their linked questions at (``PostLinks``):
    the site's own, whatever the folder is called; ``None`` when its posts
    hold no such link. A folder's name says the site only by convention
    (``cardano``), and a wrong host would keep the site's links in the text."""
    hosts: Counter[str] = Counter()
    try:
        targets = {row.get("RelatedPostId") for row in read_rows(folder, "PostLinks")}
        targets.discard(None)
        for row in read_rows(folder, "Posts") if targets else ():
            for host, post in _POST_ADDRESS.findall(row.get("Body") or ""):
                if post in targets:
                    hosts[host.lower()] += 1
                    if hosts[host.lower()] >= LINKS_ENOUGH:
                        return host.lower()  # a large dump is not read twice
    except (OSError, EOFError, ParseError):
        # A guess only: the import's own checks report a missing folder or
        # an unreadable file with what to do about it.
        pass
    return hosts.most_common(1)[0][0] if hosts else None


def read_rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    """Each row's attributes of ``<name>.xml[.gz]`` in ``folder`` as the dump has
    them (no position added); nothing when the file is absent. For readers of a
    dump other than the import: the relevance harness, the benchmark."""
    path = find_file(folder, name)
    if path is None:
        return
    for row in iter_rows(path):
        row.pop(ROW_POSITION, None)
        yield row


# Line breaks written as references: a parser turns literal ones into spaces.
_KEEP_BREAKS = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def write_rows(path: Path, name: str, rows: Iterable[dict[str, str]]) -> None:
    """Write ``rows`` as the dump file ``<name>`` at ``path`` (gzipped when its
    name ends in ``.gz``), streaming, so ``read_rows`` reads them back as they
    were. For the tools that write a dump: the relevance harness, the scale copy."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{name.lower()}>\n')
        for row in rows:
            fields = " ".join(
                f"{k}={quoteattr(v, _KEEP_BREAKS)}" for k, v in row.items()
            )
            out.write(f"  <row {fields} />\n")
        out.write(f"</{name.lower()}>\n")


def parse_date(value: str | None, *, required: bool = True) -> datetime | None:
    """A dump timestamp (``2021-04-27T15:06:44.553``, UTC) as an aware datetime."""
    if not value:
        if required:
            raise RowError("bad date: missing")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise RowError(f"bad date: {value!r}") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def parse_tags(raw: str | None) -> list[str]:
    """Tag names from ``<a><b>`` or ``|a|b|``, normalised like the Q&A service."""
    if not raw:
        return []
    names = re.findall(r"<([^<>]+)>", raw) if "<" in raw else raw.split("|")
    return tags_parse([n for n in names if n.strip()])


def row_id(row: dict) -> str:
    """The row's Id for error reports, else its position in the file."""
    return row.get("Id") or f"#{row.get(ROW_POSITION, '?')} (no Id)"


def row_int(row: dict, key: str, *, required: bool = False) -> int | None:
    value = row.get(key)
    if value in (None, ""):
        if required:
            raise RowError(f"missing {key}")
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise RowError(f"bad {key}: {value!r}") from exc


# -- typed posts --------------------------------------------------------------
# Each keeps ``row``, the raw attributes, for what the importer reads as is
# (bodies, owners' names, the licence).


@dataclass(frozen=True, slots=True)
class UserRow:
    """A user of ``Users.xml`` (imported as an inactive account)."""

    ext: int
    display_name: str
    created: datetime | None


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """A question (``PostTypeId`` 1) of ``Posts.xml``."""

    ext: int
    row: dict[str, str]
    created: datetime
    activity: datetime
    score: int
    views: int
    title: str
    accepted: int | None
    tags: list[str]


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """An answer (``PostTypeId`` 2) of ``Posts.xml``."""

    ext: int
    parent: int
    row: dict[str, str]
    created: datetime
    score: int


@dataclass(frozen=True, slots=True)
class CommentRow:
    """A comment of ``Comments.xml`` on a question or an answer (``post``)."""

    ext: int
    post: int
    row: dict[str, str]
    created: datetime
    text: str


@dataclass(frozen=True, slots=True)
class PostLinkRow:
    """A link of ``PostLinks.xml``: ``kind`` 1 related, 3 duplicate."""

    ext: int
    source: int
    target: int
    kind: int
    created: datetime


def _required_int(row: dict, key: str) -> int:
    value = row_int(row, key, required=True)
    if value is None:  # never: required=True raises first
        raise RowError(f"missing {key}")
    return value


def _required_date(row: dict, key: str) -> datetime:
    value = parse_date(row.get(key))
    if value is None:  # never: a required date raises first
        raise RowError(f"bad date: missing {key}")
    return value


def parse_user(row: dict[str, str]) -> UserRow:
    """A user row as a record; ``RowError`` when malformed."""
    return UserRow(
        ext=_required_int(row, "Id"),
        created=parse_date(row.get("CreationDate"), required=False),
        display_name=(row.get("DisplayName") or "")[:150],
    )


def parse_tag(row: dict[str, str]) -> str:
    """A tag row of ``Tags.xml`` as a normalised tag name; ``RowError`` when it has
    none."""
    names = parse_tags(f"|{row.get('TagName') or ''}|")
    if not names:
        raise RowError("missing TagName")
    return names[0]


def parse_question(row: dict[str, str]) -> QuestionRow:
    """A question row as a record; ``RowError`` when malformed."""
    ext = _required_int(row, "Id")
    created = _required_date(row, "CreationDate")
    activity = parse_date(row.get("LastActivityDate"), required=False)
    accepted = row_int(row, "AcceptedAnswerId")
    score = row_int(row, "Score") or 0
    views = max(row_int(row, "ViewCount") or 0, 0)
    title = " ".join((row.get("Title") or "").split())
    if not title:
        raise RowError("missing Title")
    return QuestionRow(
        ext=ext,
        row=row,
        created=created,
        activity=activity or created,
        score=score,
        views=views,
        title=title,
        accepted=accepted,
        tags=parse_tags(row.get("Tags")),
    )


def parse_answer(row: dict[str, str]) -> AnswerRow:
    """An answer row as a record; ``RowError`` when malformed."""
    return AnswerRow(
        ext=_required_int(row, "Id"),
        parent=_required_int(row, "ParentId"),
        row=row,
        created=_required_date(row, "CreationDate"),
        score=row_int(row, "Score") or 0,
    )


def parse_comment(row: dict[str, str]) -> CommentRow:
    """A comment row as a record; ``RowError`` when malformed."""
    ext = _required_int(row, "Id")
    post = _required_int(row, "PostId")
    created = _required_date(row, "CreationDate")
    text = (row.get("Text") or "").strip()
    if not text:
        raise RowError("missing Text")
    return CommentRow(ext=ext, post=post, row=row, created=created, text=text)


def parse_postlink(row: dict[str, str]) -> PostLinkRow:
    """A post link row as a record; ``RowError`` when malformed."""
    return PostLinkRow(
        ext=_required_int(row, "Id"),
        source=_required_int(row, "PostId"),
        target=_required_int(row, "RelatedPostId"),
        kind=_required_int(row, "LinkTypeId"),
        created=_required_date(row, "CreationDate"),
    )
