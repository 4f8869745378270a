"""The judged pairs: a Stack Exchange dump's duplicate and related links, imported
into a scratch database, split deterministically into a tune and a report part."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kb.imports.dump import find_file, read_rows

DUMP_FILES = ("Posts", "Users", "Tags", "Comments", "Votes", "PostLinks")
DUPLICATE, RELATED = 3, 1
SPLITS = ("tune", "report")


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


def folder_without_links(folder: Path) -> tempfile.TemporaryDirectory:
    """A temporary folder with the dump's files except PostLinks (symlinked), so the
    import cannot close duplicates or store related links: the judged pairs never
    leak into what the ranking sees."""
    scratch = tempfile.TemporaryDirectory(prefix="hallway-eval-dump-")
    for name in DUMP_FILES:
        if name == "PostLinks":
            continue
        path = find_file(folder, name)
        if path is not None:
            (Path(scratch.name) / path.name).symlink_to(path.resolve())
    return scratch


def sample(ids: list[int], size: int) -> list[int]:
    """A deterministic sample (by hash, not by database order)."""
    return sorted(ids, key=lambda pk: hashlib.sha256(str(pk).encode()).hexdigest())[
        :size
    ]
