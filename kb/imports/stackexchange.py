"""Import a Stack Exchange data dump (streaming, chunked, idempotent).

Reading the dump (files, rows, typed posts) is ``dump.py``; this module writes.

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

import io
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from xml.etree.ElementTree import ParseError

from defusedxml.ElementTree import iterparse
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import reset_queries, transaction
from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from hallway.markdown import render_plain_with_links, sanitize_html
from hallway.progress import progress_bar
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

from .dump import (
    AnswerRow,
    CommentRow,
    PostLinkRow,
    QuestionRow,
    RowError,
    UserRow,
    find_file,
    iter_rows,
    link_host,
    open_dump_file,
    parse_answer,
    parse_comment,
    parse_postlink,
    parse_question,
    parse_tag,
    parse_user,
    row_id,
    site_host,
)
from .html2md import html_to_markdown
from .models import Attribution, ImportedObject, RelatedQuestion
from .report import ImportAborted, ImportReport

CHUNK = 500
OPTIONAL_FILES = ["Users", "Tags", "Comments", "PostLinks", "Votes"]
DEFAULT_LICENSE = "CC BY-SA 4.0"


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
        # Attribution links to the site named, else to the host the dump's own
        # posts link at (its folder may have any name), else the folder's.
        host = site_host(site) if site else link_host(self.folder)
        self.site_url = f"https://{host or site_host(self.site)}"
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
            with open_dump_file(posts) as handle:
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
        # A dump without an optional file is a smaller dump, not a broken one.
        absent = [f"{name}.xml" for name in OPTIONAL_FILES if self.files[name] is None]
        if absent:
            self.report.notes.append(
                f"Not in the dump, so not imported: {', '.join(absent)}."
            )
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
        # Nowhere to report (tests, the demo): the lines go to a throwaway buffer.
        bar = progress_bar(
            total=None, desc=label, unit="row", file=self.progress or io.StringIO()
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
        return self._alive(kind, found) if alive else found

    def _alive(self, kind: str, found: dict[str, int]) -> dict[str, int]:
        """``found`` (external id -> local id) less the rows deleted locally."""
        model = {"question": Question, "answer": Answer, "user": self.User}.get(kind)
        if model is None or not found:
            return found
        present = set(
            model.objects.filter(pk__in=found.values()).values_list("pk", flat=True)
        )
        return {ext: local for ext, local in found.items() if local in present}

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
        """Dump user id -> (local user id, display name) for the rows' authors
        (``key``: the attribute naming them). An author the dump's Users.xml
        does not list (or a dump without one) gets an inactive account of
        their own, so who wrote what stays apart: a person's answers are the
        evidence of what they know. One imported before and deleted here since
        is not made again."""
        ids = {r[key] for r in rows if (r.get(key) or "").lstrip("-").isdigit()}
        known = self._existing("user", ids)
        unlisted = ids - set(known)
        if unlisted:
            known |= self._unlisted_users(rows, key, unlisted)
        found = self._alive("user", known)
        names = dict(
            self.User.objects.filter(pk__in=found.values()).values_list(
                "pk", "display_name"
            )
        )
        return {int(ext): (local, names.get(local, "")) for ext, local in found.items()}

    def _unlisted_users(
        self, rows: list[dict], key: str, ids: set[str]
    ) -> dict[str, int]:
        """Inactive accounts for authors ``ids`` that Users.xml does not list,
        named as their posts name them (``OwnerDisplayName``): external id ->
        local id."""
        names: dict[str, str] = {}
        for row in rows:
            ext = row.get(key)
            if ext in ids and not names.get(ext):
                names[ext] = row.get("OwnerDisplayName") or row.get("UserDisplayName")
        made = self._make_users(
            {
                int(ext): UserRow(
                    ext=int(ext),
                    display_name=(names.get(ext) or f"{self.site} user {ext}")[:150],
                    created=None,
                )
                for ext in ids
            }
        )
        self.report.imported["users not in Users.xml (made from their posts)"] += len(
            ids
        )
        return made

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
        valid: dict[int, UserRow] = {}
        for row in rows:
            try:
                user = parse_user(row)
            except RowError as exc:
                self.report.error(file, row_id(row), str(exc))
                continue
            valid[user.ext] = user
        existing = self._existing("user", valid)
        new = {ext: user for ext, user in valid.items() if str(ext) not in existing}
        self.report.skipped["users already imported"] += len(valid) - len(new)
        self._make_users(new)
        self.report.imported["users"] += len(new)

    def _make_users(self, new: dict[int, UserRow]) -> dict[str, int]:
        """Inactive accounts (``se-<site>-<id>``) for the dump's users ``new``,
        and their keys (returned: external id -> local id); a username already
        taken keeps its account."""
        if not new:
            return {}
        usernames = {ext: f"se-{self.site}-{ext}"[:150] for ext in new}
        taken = dict(
            self.User.objects.filter(username__in=usernames.values()).values_list(
                "username", "pk"
            )
        )
        users = []
        for ext, user in new.items():
            if usernames[ext] in taken:
                continue
            users.append(
                self.User(
                    username=usernames[ext],
                    display_name=user.display_name,
                    is_active=False,
                    email="",
                    password=make_password(None),
                    date_joined=user.created or datetime.now(UTC),
                )
            )
        self.User.objects.bulk_create(users)
        created = dict(
            self.User.objects.filter(username__in=usernames.values()).values_list(
                "username", "pk"
            )
        )
        keys = {str(ext): created[usernames[ext]] for ext in new}
        self._keys("user", keys.items())
        return keys

    def _tags(self, file: str, rows: list[dict]) -> None:
        names = []
        for row in rows:
            try:
                names.append(parse_tag(row))
            except RowError as exc:
                self.report.error(file, row_id(row), str(exc))
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
        parsed: list[QuestionRow] = []
        for row in rows:
            if row.get("PostTypeId") not in ("1", "2"):
                self.report.skipped["posts of other types (tag wikis...)"] += 1
                continue
            if row.get("PostTypeId") != "1":
                continue
            try:
                post = parse_question(row)
            except RowError as exc:
                self.report.error(file, row_id(row), str(exc))
                continue
            if self.kept_questions is not None:
                if len(self.kept_questions) >= self.limit:
                    self.report.skipped["questions beyond --limit"] += 1
                    continue
                self.kept_questions.add(post.ext)
            if post.accepted:
                self.accepted[post.ext] = post.accepted
            parsed.append(post)
        existing = self._existing("question", [post.ext for post in parsed])
        new = [post for post in parsed if str(post.ext) not in existing]
        self.report.skipped["questions already imported"] += len(parsed) - len(new)
        if not new:
            return
        authors = self._authors(file, [post.row for post in new], "OwnerUserId")
        questions, names = [], []
        for post in new:
            author_id, author_name = self._author_of(post.row, "OwnerUserId", authors)
            html = post.row.get("Body") or ""
            questions.append(
                Question(
                    title=post.title[:200],
                    slug=_question_slug(post.title),
                    body=html_to_markdown(html),
                    body_html=sanitize_html(html),
                    author_id=author_id,
                    community=self.community,
                    score=post.score,
                    view_count=post.views,
                    created_at=post.created,
                    last_activity_at=post.activity,
                )
            )
            names.append(author_name)
        Question.objects.bulk_create(questions)
        tag_ids = self._tag_ids(name for post in new for name in post.tags)
        tagged, revisions, attributions = [], [], []
        for question, post, author_name in zip(questions, new, names, strict=True):
            tags = post.tags
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
                    post.row,
                    kind="question",
                    ext=post.ext,
                    local=question.pk,
                    name=author_name,
                )
            )
        TaggedQuestion.objects.bulk_create(tagged)
        Revision.objects.bulk_create(revisions)
        Attribution.objects.bulk_create(attributions)
        self._keys(
            "question", [(p.ext, q.pk) for q, p in zip(questions, new, strict=True)]
        )
        self.report.imported["questions"] += len(questions)

    def _answers(self, file: str, rows: list[dict]) -> None:
        parsed: list[AnswerRow] = []
        for row in rows:
            if row.get("PostTypeId") != "2":
                continue
            try:
                parsed.append(parse_answer(row))
            except RowError as exc:
                self.report.error(file, row_id(row), str(exc))
        existing = self._existing("answer", [post.ext for post in parsed])
        questions = self._existing(
            "question", [post.parent for post in parsed], alive=True
        )
        new = []
        for item in parsed:
            ext, parent = item.ext, item.parent
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
        authors = self._authors(file, [post.row for post in new], "OwnerUserId")
        answers, names = [], []
        for post in new:
            author_id, author_name = self._author_of(post.row, "OwnerUserId", authors)
            html = post.row.get("Body") or ""
            answers.append(
                Answer(
                    question_id=questions[str(post.parent)],
                    body=html_to_markdown(html),
                    body_html=sanitize_html(html),
                    author_id=author_id,
                    score=post.score,
                    created_at=post.created,
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
            self._attribution(post.row, kind="answer", ext=post.ext, local=a.pk, name=n)
            for a, post, n in zip(answers, new, names, strict=True)
        )
        self._keys(
            "answer", [(post.ext, a.pk) for a, post in zip(answers, new, strict=True)]
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
        parsed: list[CommentRow] = []
        for row in rows:
            try:
                parsed.append(parse_comment(row))
            except RowError as exc:
                self.report.error(file, row_id(row), str(exc))
        existing = self._existing("comment", [item.ext for item in parsed])
        posts = self._existing_kinds(item.post for item in parsed)
        new = []
        for item in parsed:
            if str(item.ext) in existing:
                self.report.skipped["comments already imported"] += 1
            elif str(item.post) not in posts:
                if self.kept_questions is not None:
                    self.report.skipped["comments beyond --limit"] += 1
                else:
                    self.report.error(file, str(item.ext), f"unknown post: {item.post}")
            else:
                new.append(item)
        if not new:
            return
        authors = self._authors(file, [item.row for item in new], "UserId")
        comments = []
        for item in new:
            kind, local = posts[str(item.post)]
            author_id, _name = self._author_of(item.row, "UserId", authors)
            comments.append(
                Comment(
                    question_id=local if kind == "question" else None,
                    answer_id=local if kind == "answer" else None,
                    author_id=author_id,
                    body=item.text,
                    body_html=render_plain_with_links(item.text),
                    created_at=item.created,
                )
            )
        Comment.objects.bulk_create(comments)
        self._keys(
            "comment", [(item.ext, c.pk) for c, item in zip(comments, new, strict=True)]
        )
        self.report.imported["comments"] += len(comments)

    def _postlinks(self, file: str, rows: list[dict]) -> None:
        parsed: list[PostLinkRow] = []
        for row in rows:
            try:
                link = parse_postlink(row)
            except RowError as exc:
                self.report.error(file, row_id(row), str(exc))
                continue
            if link.kind not in (1, 3):
                self.report.skipped[f"post links of type {link.kind}"] += 1
                continue
            parsed.append(link)
        existing = self._existing("postlink", [link.ext for link in parsed])
        questions = self._existing(
            "question",
            [link.source for link in parsed] + [link.target for link in parsed],
            alive=True,
        )
        done = []
        related = []
        for link in parsed:
            ext, source, target = link.ext, link.source, link.target
            kind, created = link.kind, link.created
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
