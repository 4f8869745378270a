"""Cut a small, self-consistent slice out of a Stack Exchange dump (demo, tests)."""

import gzip
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .dump import ROW_POSITION, find_file, iter_rows

FILES = {
    "Posts": "posts",
    "Users": "users",
    "Tags": "tags",
    "PostLinks": "postlinks",
    "Comments": "comments",
    "Votes": "votes",
}


def _write(path: Path, root: str, rows: Iterable[dict], *, compress: bool) -> int:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    count = 0
    for row in rows:
        attrs = " ".join(
            f"{k}={quoteattr(v)}" for k, v in row.items() if k != ROW_POSITION
        )
        lines.append(f"  <row {attrs} />")
        count += 1
    lines.append(f"</{root}>\n")
    data = "\n".join(lines).encode("utf-8")
    target = path.with_name(path.name + ".gz") if compress else path
    if compress:
        with gzip.GzipFile(target, "wb", mtime=0) as handle:
            handle.write(data)
    else:
        target.write_bytes(data)
    return count


def slice_dump(
    source: Path | str,
    target: Path | str,
    *,
    question_ids: Iterable[int],
    compress: bool = True,
) -> dict[str, int]:
    """Copy ``question_ids`` with their answers, comments, links, tags and users."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    wanted = {str(i) for i in question_ids}
    posts = [
        row
        for row in iter_rows(find_file(source, "Posts"))
        if row.get("Id") in wanted
        or (row.get("PostTypeId") == "2" and row.get("ParentId") in wanted)
    ]
    post_ids = {row["Id"] for row in posts}
    comments = [
        r for r in iter_rows(find_file(source, "Comments")) if r["PostId"] in post_ids
    ]
    links = [
        r
        for r in iter_rows(find_file(source, "PostLinks"))
        if r["PostId"] in wanted and r["RelatedPostId"] in wanted
    ]
    votes = [
        r for r in iter_rows(find_file(source, "Votes")) if r["PostId"] in post_ids
    ]
    user_ids = {r.get("OwnerUserId") for r in posts} | {
        r.get("UserId") for r in comments
    }
    users = [r for r in iter_rows(find_file(source, "Users")) if r["Id"] in user_ids]
    for user in users:
        user.pop("AboutMe", None)  # profiles are not imported; keep the slice small
    tag_names = "".join(r.get("Tags", "") for r in posts)
    tags = [
        r
        for r in iter_rows(find_file(source, "Tags"))
        if f"<{r['TagName']}>" in tag_names or f"|{r['TagName']}|" in tag_names
    ]
    rows = {
        "Posts": posts,
        "Users": users,
        "Tags": tags,
        "PostLinks": links,
        "Comments": comments,
        "Votes": votes,
    }
    return {
        name: _write(target / f"{name}.xml", FILES[name], rows[name], compress=compress)
        for name in FILES
    }
