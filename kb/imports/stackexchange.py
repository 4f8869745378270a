"""Import a Stack Exchange data dump (streaming, chunked, idempotent).

Files are read with ``iterparse`` and every element is cleared once read, so
memory stays bounded by the chunk size plus two small id maps (questions with
an accepted answer, and the question ids kept by ``--limit``). Each chunk is
written in one transaction together with its ``ImportedObject`` keys, so an
interrupted import re-runs from the start, skips what is there and completes.

Bodies: the dump's HTML is sanitised (``sanitize_html``) and stored as
``body_html`` (what readers see, code blocks exactly as posted); ``body`` holds
the same post converted to Markdown so that editing an imported post works.

Scores come from the posts' ``Score`` attribute. ``Votes.xml`` is read and
counted, but per-user votes are not created: public dumps carry no voter for
up/down votes. Bulk inserts skip model signals, so run ``search_reindex`` after
an import.
"""

import gzip
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TextIO
from xml.etree.ElementTree import ParseError

from defusedxml.ElementTree import iterparse
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import reset_queries, transaction
from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from tqdm import tqdm

from hallway.markdown import render_plain_with_links, sanitize_html
from hallway.tags import tags_parse
from kb.communities.models import CommunityPage
from kb.qa.models import (
    RESERVED_SLUGS,
    Answer,
    Comment,
    Question,
    QuestionTag,
    Revision,
    TaggedQuestion,
)

from .html2md import html_to_markdown
from .models import Attribution, ImportedObject, RelatedQuestion

CHUNK = 500
ROW_POSITION = "_position"  # added to each row: its 1-based position in the file
OPTIONAL_FILES = ["Users", "Tags", "Comments", "PostLinks", "Votes"]
DEFAULT_LICENSE = "CC BY-SA 4.0"


class ImportAborted(Exception):
    """The dump cannot be imported at all (nothing was written)."""


@dataclass
class ImportReport:
    """Counts and problems of one import run."""

    imported: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, file: str, row_id: str | None, reason: str) -> None:
        self.errors.append((file, row_id or "", reason))

    def errors_by_kind(self) -> Counter:
        """Error counts by dump file and reason (by reason for Markdown files)."""
        return Counter(
            f"{file}: {reason.split(':')[0]}"
            if ".xml" in file
            else reason.split(":")[0]
            for file, _, reason in self.errors
        )

    def lines(self, *, max_errors: int = 50) -> list[str]:
        """The summary printed at the end."""
        out = ["Imported:"]
        out += [f"  {k}: {n}" for k, n in sorted(self.imported.items()) if n] or [
            "  nothing new"
        ]
        if self.skipped:
            out.append("Skipped:")
            out += [f"  {kind}: {n}" for kind, n in sorted(self.skipped.items()) if n]
        out.append(f"Errors: {len(self.errors)}")
        out += [f"  {kind}: {n}" for kind, n in sorted(self.errors_by_kind().items())]
        for file, row_id, reason in self.errors[:max_errors]:
            where = f"{file} row {row_id}" if row_id else file
            out.append(f"  - {where}: {reason}")
        if len(self.errors) > max_errors:
            out.append(f"  ... and {len(self.errors) - max_errors} more")
        out += self.notes
        return out


class RowError(Exception):
    """A malformed row: reported and skipped."""


# -- reading ------------------------------------------------------------------


def find_file(folder: Path, name: str) -> Path | None:
    """``<name>.xml`` or ``<name>.xml.gz`` in ``folder`` (any case), else ``None``."""
    wanted = {f"{name}.xml".lower(), f"{name}.xml.gz".lower()}
    for child in sorted(folder.iterdir()):
        if child.name.lower() in wanted and child.is_file():
            return child
    return None


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def iter_rows(path: Path) -> Iterator[dict[str, str]]:
    """Each ``<row>``'s attributes, streaming; elements are cleared as they go."""
    with _open(path) as handle:
        context = iterparse(handle, events=("start", "end"))
        _, root = next(context)
        position = 0
        for event, element in context:
            if event == "end" and element.tag == "row":
                position += 1
                yield {**element.attrib, ROW_POSITION: str(position)}
                element.clear()
                root.clear()


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


def _rid(row: dict) -> str:
    """The row's Id for error reports, else its position in the file."""
    return row.get("Id") or f"#{row.get(ROW_POSITION, '?')} (no Id)"


def _int(row: dict, key: str, *, required: bool = False) -> int | None:
    value = row.get(key)
    if value in (None, ""):
        if required:
            raise RowError(f"missing {key}")
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise RowError(f"bad {key}: {value!r}") from exc


def _chunks(rows: Iterable, size: int = CHUNK) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _question_slug(title: str) -> str:
    slug = slugify(title)[:80].strip("-") or "question"
    return slug + "-question" if slug in RESERVED_SLUGS else slug


# -- the importer -------------------------------------------------------------


class StackExchangeImporter:
    """Imports one dump folder into one community; see the module docstring."""

    def __init__(
        self,
        *,
        path: Path | str,
        community: CommunityPage,
        site: str | None = None,
        limit: int | None = None,
        progress: TextIO | None = None,
        log: Callable[[str], None] | None = None,
    ):
        self.folder = Path(path)
        self.community = community
        self.site = site or self.folder.name
        self.limit = limit
        self.progress = progress
        self.log = log or (lambda message: None)
        self.report = ImportReport()
        host = self.site if "." in self.site else f"{self.site}.stackexchange.com"
        self.site_url = f"https://{host}"
        self.files: dict[str, Path | None] = {}
        self.accepted: dict[int, int] = {}  # question external id -> answer ext id
        self.kept_questions: set[int] | None = set() if limit is not None else None
        self.User = get_user_model()

    # -- checks before anything is written --------------------------------

    def check(self) -> None:
        """Raise ``ImportAborted`` when the folder or ``Posts.xml`` is unusable."""
        folder = self.folder
        if not folder.exists():
            raise ImportAborted(f"Folder not found: {folder}")
        if not folder.is_dir():
            raise ImportAborted(f"Not a folder: {folder}")
        try:
            list(folder.iterdir())
        except OSError as exc:
            raise ImportAborted(f"Cannot read folder {folder}: {exc}") from exc
        posts = find_file(folder, "Posts")
        if posts is None:
            raise ImportAborted(
                f"No Posts.xml or Posts.xml.gz in {folder}: is this a Stack Exchange "
                "dump folder?"
            )
        try:
            with _open(posts) as handle:
                iterparse(handle, events=("start",)).__next__()
        except (OSError, ParseError, EOFError, StopIteration) as exc:
            raise ImportAborted(f"Cannot read {posts.name}: {exc}") from exc
        self.files = {"Posts": posts}
        for name in OPTIONAL_FILES:
            self.files[name] = find_file(folder, name)

    # -- running ------------------------------------------------------------

    def run(self) -> ImportReport:
        """Check, then import every file in dependency order."""
        self.check()
        for name in OPTIONAL_FILES:
            if self.files[name] is None:
                self.report.error(f"{name}.xml", None, "missing file: skipped")
        self.fallback_user = self._fallback_user()
        steps = [
            ("Users", "Users", self._users),
            ("Tags", "Tags", self._tags),
            ("Posts", "Posts (questions)", self._questions),
            ("Posts", "Posts (answers)", self._answers),
            ("Comments", "Comments", self._comments),
            ("PostLinks", "PostLinks", self._postlinks),
            ("Votes", "Votes", self._votes),
        ]
        for name, label, handler in steps:
            path = self.files.get(name)
            if path is not None:
                self._read(path, label, handler)
            if label == "Posts (answers)":
                self._finish_questions()
        self.report.notes.append(
            "Votes: scores come from Posts.xml Score; per-user votes are not "
            "imported (the dump has no voters)."
        )
        return self.report

    def _read(self, path: Path, label: str, handler) -> None:
        file = path.name
        bar = tqdm(
            desc=label,
            unit=" rows",
            file=self.progress,
            disable=self.progress is None,
            mininterval=0.5,
            dynamic_ncols=False,
            ncols=90,
        )
        try:
            for chunk in _chunks(iter_rows(path)):
                with transaction.atomic():
                    handler(file, chunk)
                reset_queries()  # with DEBUG on, the query log would hold every body
                bar.update(len(chunk))
        except (ParseError, OSError, EOFError) as exc:
            self.report.error(file, None, f"unreadable file: {exc} (rest skipped)")
        finally:
            bar.close()

    # -- helpers -------------------------------------------------------------

    def _existing(
        self, kind: str, ids: Iterable, *, alive: bool = False
    ) -> dict[str, int]:
        """External id -> local id of what was imported before.

        With ``alive``, rows deleted locally since are left out, so that nothing
        new refers to them (used for parents, targets and authors).
        """
        ids = {str(i) for i in ids if i is not None}
        if not ids:
            return {}
        found = dict(
            ImportedObject.objects.filter(
                site=self.site, kind=kind, external_id__in=ids
            ).values_list("external_id", "local_id")
        )
        model = {"question": Question, "answer": Answer, "user": self.User}.get(kind)
        if alive and model is not None and found:
            present = set(
                model.objects.filter(pk__in=found.values()).values_list("pk", flat=True)
            )
            found = {ext: local for ext, local in found.items() if local in present}
        return found

    def _existing_kinds(self, ids: Iterable) -> dict[str, tuple[str, int]]:
        ids = {str(i) for i in ids if i is not None}
        questions = self._existing("question", ids, alive=True)
        answers = self._existing("answer", ids, alive=True)
        return {
            **{ext: ("question", local) for ext, local in questions.items()},
            **{ext: ("answer", local) for ext, local in answers.items()},
        }

    def _keys(self, kind: str, pairs: Iterable[tuple[object, int]]) -> None:
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    site=self.site, kind=kind, external_id=str(ext), local_id=local
                )
                for ext, local in pairs
            ]
        )

    def _fallback_user(self):
        """The inactive author of rows whose user is gone from the dump."""
        username = f"se-{self.site}-unknown"[:150]
        user = self.User.objects.filter(username=username).first()
        if user is None:
            user = self.User(
                username=username,
                display_name=f"Unknown ({self.site} Stack Exchange)"[:150],
                is_active=False,
                password=make_password(None),
            )
            user.save()
        return user

    def _authors(self, file: str, rows: list[dict], key: str) -> dict[int, tuple]:
        """Dump user id -> (local user id, display name) for the rows' authors."""
        ids = {r.get(key) for r in rows if r.get(key)}
        found = self._existing("user", ids, alive=True)
        names = dict(
            self.User.objects.filter(pk__in=found.values()).values_list(
                "pk", "display_name"
            )
        )
        return {int(ext): (local, names.get(local, "")) for ext, local in found.items()}

    def _author_of(self, row: dict, key: str, authors: dict) -> tuple[int, str]:
        ext = row.get(key)
        if ext and ext.lstrip("-").isdigit() and int(ext) in authors:
            return authors[int(ext)]
        self.report.skipped["authors not in Users.xml (unknown user used)"] += 1
        name = row.get("OwnerDisplayName") or row.get("UserDisplayName") or ""
        return self.fallback_user.pk, name

    def _attribution(self, row: dict, *, kind: str, ext: int, local: int, name: str):
        letter = "q" if kind == "question" else "a"
        return Attribution(
            question_id=local if kind == "question" else None,
            answer_id=local if kind == "answer" else None,
            site=self.site,
            site_url=self.site_url,
            license=row.get("ContentLicense") or DEFAULT_LICENSE,
            url=f"{self.site_url}/{letter}/{ext}",
            author_name=name[:150],
        )

    # -- files -----------------------------------------------------------------

    def _users(self, file: str, rows: list[dict]) -> None:
        valid: dict[int, dict] = {}
        for row in rows:
            try:
                ext = _int(row, "Id", required=True)
                parse_date(row.get("CreationDate"), required=False)
            except RowError as exc:
                self.report.error(file, _rid(row), str(exc))
                continue
            valid[ext] = row
        existing = self._existing("user", valid)
        new = [(ext, row) for ext, row in valid.items() if str(ext) not in existing]
        self.report.skipped["users already imported"] += len(valid) - len(new)
        if not new:
            return
        usernames = {ext: f"se-{self.site}-{ext}"[:150] for ext, _ in new}
        taken = dict(
            self.User.objects.filter(username__in=usernames.values()).values_list(
                "username", "pk"
            )
        )
        users = []
        for ext, row in new:
            if usernames[ext] in taken:
                continue
            users.append(
                self.User(
                    username=usernames[ext],
                    display_name=(row.get("DisplayName") or "")[:150],
                    is_active=False,
                    email="",
                    password=make_password(None),
                    date_joined=parse_date(row.get("CreationDate"), required=False)
                    or datetime.now(UTC),
                )
            )
        self.User.objects.bulk_create(users)
        created = dict(
            self.User.objects.filter(username__in=usernames.values()).values_list(
                "username", "pk"
            )
        )
        self._keys("user", [(ext, created[usernames[ext]]) for ext, _ in new])
        self.report.imported["users"] += len(new)

    def _tags(self, file: str, rows: list[dict]) -> None:
        names = []
        for row in rows:
            name = parse_tags(f"|{row.get('TagName') or ''}|")
            if not name:
                self.report.error(file, _rid(row), "missing TagName")
                continue
            names.append(name[0])
        before = QuestionTag.objects.filter(name__in=names).count()
        self._tag_ids(names)
        self.report.imported["tags"] += len(set(names)) - before
        self.report.skipped["tags already present"] += before

    def _tag_ids(self, names: Iterable[str]) -> dict[str, int]:
        names = set(names)
        found = dict(
            QuestionTag.objects.filter(name__in=names).values_list("name", "pk")
        )
        for name in names - set(found):
            # One by one: taggit's save() makes slugs unique ("c" vs "c#").
            found[name] = QuestionTag.objects.create(name=name).pk
        return found

    def _questions(self, file: str, rows: list[dict]) -> None:
        parsed = []
        for row in rows:
            if row.get("PostTypeId") not in ("1", "2"):
                self.report.skipped["posts of other types (tag wikis...)"] += 1
                continue
            if row.get("PostTypeId") != "1":
                continue
            try:
                ext = _int(row, "Id", required=True)
                created = parse_date(row.get("CreationDate"))
                activity = parse_date(row.get("LastActivityDate"), required=False)
                accepted = _int(row, "AcceptedAnswerId")
                score = _int(row, "Score") or 0
                views = max(_int(row, "ViewCount") or 0, 0)
                title = " ".join((row.get("Title") or "").split())
                if not title:
                    raise RowError("missing Title")
            except RowError as exc:
                self.report.error(file, _rid(row), str(exc))
                continue
            if self.kept_questions is not None:
                if len(self.kept_questions) >= self.limit:
                    self.report.skipped["questions beyond --limit"] += 1
                    continue
                self.kept_questions.add(ext)
            if accepted:
                self.accepted[ext] = accepted
            parsed.append((ext, row, created, activity or created, score, views, title))
        existing = self._existing("question", [p[0] for p in parsed])
        new = [p for p in parsed if str(p[0]) not in existing]
        self.report.skipped["questions already imported"] += len(parsed) - len(new)
        if not new:
            return
        authors = self._authors(file, [p[1] for p in new], "OwnerUserId")
        questions, extra = [], []
        for ext, row, created, activity, score, views, title in new:
            author_id, author_name = self._author_of(row, "OwnerUserId", authors)
            html = row.get("Body") or ""
            questions.append(
                Question(
                    title=title[:200],
                    slug=_question_slug(title),
                    body=html_to_markdown(html),
                    body_html=sanitize_html(html),
                    author_id=author_id,
                    community=self.community,
                    score=score,
                    view_count=views,
                    created_at=created,
                    last_activity_at=activity,
                )
            )
            extra.append((ext, row, author_name, parse_tags(row.get("Tags"))))
        Question.objects.bulk_create(questions)
        tag_ids = self._tag_ids(name for *_, tags in extra for name in tags)
        tagged, revisions, attributions = [], [], []
        for question, (ext, row, author_name, tags) in zip(
            questions, extra, strict=True
        ):
            tagged += [
                TaggedQuestion(content_object_id=question.pk, tag_id=tag_ids[name])
                for name in tags
            ]
            revisions.append(
                Revision(
                    question_id=question.pk,
                    author_id=question.author_id,
                    title=question.title,
                    body=question.body,
                    tags=" ".join(sorted(tags)),
                    created_at=question.created_at,
                )
            )
            attributions.append(
                self._attribution(
                    row, kind="question", ext=ext, local=question.pk, name=author_name
                )
            )
        TaggedQuestion.objects.bulk_create(tagged)
        Revision.objects.bulk_create(revisions)
        Attribution.objects.bulk_create(attributions)
        self._keys(
            "question", [(e[0], q.pk) for q, e in zip(questions, extra, strict=True)]
        )
        self.report.imported["questions"] += len(questions)

    def _answers(self, file: str, rows: list[dict]) -> None:
        parsed = []
        for row in rows:
            if row.get("PostTypeId") != "2":
                continue
            try:
                ext = _int(row, "Id", required=True)
                parent = _int(row, "ParentId", required=True)
                created = parse_date(row.get("CreationDate"))
                score = _int(row, "Score") or 0
            except RowError as exc:
                self.report.error(file, _rid(row), str(exc))
                continue
            parsed.append((ext, parent, row, created, score))
        existing = self._existing("answer", [p[0] for p in parsed])
        questions = self._existing("question", [p[1] for p in parsed], alive=True)
        new = []
        for item in parsed:
            ext, parent = item[0], item[1]
            if str(ext) in existing:
                self.report.skipped["answers already imported"] += 1
            elif str(parent) not in questions:
                if (
                    self.kept_questions is not None
                    and parent not in self.kept_questions
                ):
                    self.report.skipped["answers beyond --limit"] += 1
                else:
                    self.report.error(file, str(ext), f"unknown parent: {parent}")
            else:
                new.append(item)
        if not new:
            return
        authors = self._authors(file, [p[2] for p in new], "OwnerUserId")
        answers, names = [], []
        for _ext, parent, row, created, score in new:
            author_id, author_name = self._author_of(row, "OwnerUserId", authors)
            html = row.get("Body") or ""
            answers.append(
                Answer(
                    question_id=questions[str(parent)],
                    body=html_to_markdown(html),
                    body_html=sanitize_html(html),
                    author_id=author_id,
                    score=score,
                    created_at=created,
                )
            )
            names.append(author_name)
        Answer.objects.bulk_create(answers)
        Revision.objects.bulk_create(
            Revision(
                answer_id=a.pk,
                author_id=a.author_id,
                body=a.body,
                created_at=a.created_at,
            )
            for a in answers
        )
        Attribution.objects.bulk_create(
            self._attribution(item[2], kind="answer", ext=item[0], local=a.pk, name=n)
            for a, item, n in zip(answers, new, names, strict=True)
        )
        self._keys(
            "answer", [(item[0], a.pk) for a, item in zip(answers, new, strict=True)]
        )
        self.report.imported["answers"] += len(answers)

    def _finish_questions(self) -> None:
        """Accepted answers, answer counts and first-answer times (idempotent)."""
        for chunk in _chunks(sorted(self.accepted.items())):
            questions = self._existing("question", [q for q, _ in chunk], alive=True)
            answers = self._existing("answer", [a for _, a in chunk], alive=True)
            with transaction.atomic():
                for q_ext, a_ext in chunk:
                    q_id, a_id = questions.get(str(q_ext)), answers.get(str(a_ext))
                    if q_id and a_id:
                        Question.objects.filter(pk=q_id).exclude(
                            accepted_answer_id=a_id
                        ).update(accepted_answer_id=a_id)
        imported = ImportedObject.objects.filter(site=self.site, kind="question")
        ids = imported.values_list("local_id", flat=True).order_by("local_id")
        answers = Answer.objects.filter(question=OuterRef("pk"), is_deleted=False)
        count = answers.values("question").annotate(n=Count("pk")).values("n")[:1]
        first = answers.values("question").annotate(t=Min("created_at")).values("t")[:1]
        for chunk in _chunks(ids.iterator(chunk_size=2000), 2000):
            with transaction.atomic():
                Question.objects.filter(pk__in=chunk).update(
                    answer_count=Coalesce(Subquery(count), 0),
                    first_answer_at=Subquery(first),
                )

    def _comments(self, file: str, rows: list[dict]) -> None:
        parsed = []
        for row in rows:
            try:
                ext = _int(row, "Id", required=True)
                post = _int(row, "PostId", required=True)
                created = parse_date(row.get("CreationDate"))
                text = (row.get("Text") or "").strip()
                if not text:
                    raise RowError("missing Text")
            except RowError as exc:
                self.report.error(file, _rid(row), str(exc))
                continue
            parsed.append((ext, post, row, created, text))
        existing = self._existing("comment", [p[0] for p in parsed])
        posts = self._existing_kinds(p[1] for p in parsed)
        new = []
        for item in parsed:
            if str(item[0]) in existing:
                self.report.skipped["comments already imported"] += 1
            elif str(item[1]) not in posts:
                if self.kept_questions is not None:
                    self.report.skipped["comments beyond --limit"] += 1
                else:
                    self.report.error(file, str(item[0]), f"unknown post: {item[1]}")
            else:
                new.append(item)
        if not new:
            return
        authors = self._authors(file, [p[2] for p in new], "UserId")
        comments = []
        for _ext, post, row, created, text in new:
            kind, local = posts[str(post)]
            author_id, _name = self._author_of(row, "UserId", authors)
            comments.append(
                Comment(
                    question_id=local if kind == "question" else None,
                    answer_id=local if kind == "answer" else None,
                    author_id=author_id,
                    body=text,
                    body_html=render_plain_with_links(text),
                    created_at=created,
                )
            )
        Comment.objects.bulk_create(comments)
        self._keys(
            "comment", [(item[0], c.pk) for c, item in zip(comments, new, strict=True)]
        )
        self.report.imported["comments"] += len(comments)

    def _postlinks(self, file: str, rows: list[dict]) -> None:
        parsed = []
        for row in rows:
            try:
                ext = _int(row, "Id", required=True)
                source = _int(row, "PostId", required=True)
                target = _int(row, "RelatedPostId", required=True)
                kind = _int(row, "LinkTypeId", required=True)
                created = parse_date(row.get("CreationDate"))
            except RowError as exc:
                self.report.error(file, _rid(row), str(exc))
                continue
            if kind not in (1, 3):
                self.report.skipped[f"post links of type {kind}"] += 1
                continue
            parsed.append((ext, source, target, kind, created))
        existing = self._existing("postlink", [p[0] for p in parsed])
        questions = self._existing(
            "question", [p[1] for p in parsed] + [p[2] for p in parsed], alive=True
        )
        done = []
        related = []
        for ext, source, target, kind, created in parsed:
            if str(ext) in existing:
                self.report.skipped["post links already imported"] += 1
                continue
            missing = [p for p in (source, target) if str(p) not in questions]
            if missing:
                if self.kept_questions is not None:
                    self.report.skipped["post links beyond --limit"] += 1
                else:
                    self.report.error(file, str(ext), f"unknown question: {missing[0]}")
                continue
            src, dst = questions[str(source)], questions[str(target)]
            if src == dst:
                self.report.error(file, str(ext), "links a question to itself")
                continue
            if kind == 3:
                # question_close() needs a curator; an import closes directly.
                Question.objects.filter(pk=src, status=Question.Status.OPEN).update(
                    status=Question.Status.CLOSED,
                    close_reason=Question.CloseReason.DUPLICATE,
                    duplicate_of_id=dst,
                    closed_at=created,
                )
                self.report.imported["duplicates (closed)"] += 1
            else:
                related.append(
                    RelatedQuestion(
                        from_question_id=src, to_question_id=dst, created_at=created
                    )
                )
                self.report.imported["related links"] += 1
            done.append((ext, None))
        RelatedQuestion.objects.bulk_create(related, ignore_conflicts=True)
        self._keys("postlink", done)

    def _votes(self, file: str, rows: list[dict]) -> None:
        self.report.skipped["votes (not imported; scores come from Score)"] += len(rows)
