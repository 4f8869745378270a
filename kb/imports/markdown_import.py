"""Import a folder tree of Markdown files as draft knowledge pages.

Every ``.md`` file becomes a draft ``KnowledgePage`` (one Markdown block) and
every folder a draft page too (from its ``index.md``, else titled from the
folder name), so the folder tree becomes the page tree under the community.
Front matter: ``title``, ``tags``, ``summary`` (all optional). Images linked
with a relative path are imported as Wagtail images and the link is rewritten
to the image file's URL. Keys are relative paths per community
(``ImportedObject`` site ``markdown:<slug>``): re-running imports only what is
new; pages already imported are left alone (edits made since are kept).
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TextIO

import frontmatter
import yaml
from django.core.files import File
from django.db import transaction
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import Page

from hallway.progress import progress_bar
from kb.communities.models import CommunityPage, KnowledgePage

from .models import ImportedObject
from .report import ImportAborted, ImportReport

IMAGE_RE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?P<src><[^>]+>|[^)\s]+)(?P<rest>[^)]*)\)"
)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
SUMMARY_MAX = 300


@dataclass
class Entry:
    """One page to create: a folder (``is_dir``) or a Markdown file."""

    rel: str
    path: Path
    is_dir: bool


def _title_from_name(name: str) -> str:
    stem = re.sub(r"^\d+[-_ ]+", "", name)  # "01-intro" -> "intro"
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or name


def _first_paragraph(text: str) -> str:
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if block and not block.startswith(("#", "```", "![", "<", "|", "---")):
            plain = re.sub(r"[*_`>\[\]]|\(.*?\)", "", " ".join(block.split()))
            return plain[:SUMMARY_MAX]
    return ""


class MarkdownImporter:
    """Imports one folder tree into one community; see the module docstring."""

    def __init__(
        self,
        *,
        path: Path | str,
        community: CommunityPage,
        progress: TextIO | None = None,
    ):
        self.root = Path(path)
        self.community = community
        self.site = f"markdown:{community.slug}"
        self.progress = progress
        self.report = ImportReport()

    def check(self) -> None:
        """Raise ``ImportAborted`` when the folder cannot be read."""
        if not self.root.is_dir():
            raise ImportAborted(f"Folder not found: {self.root}")
        try:
            list(self.root.iterdir())
        except OSError as exc:
            raise ImportAborted(f"Cannot read folder {self.root}: {exc}") from exc

    def entries(self) -> Iterator[Entry]:
        """Folders before their contents, in name order; hidden files skipped."""

        def walk(folder: Path) -> Iterator[Entry]:
            children = sorted(folder.iterdir(), key=lambda p: p.name.lower())
            for child in children:
                if child.name.startswith("."):
                    continue
                rel = child.relative_to(self.root).as_posix()
                if child.is_dir():
                    if any(child.rglob("*.md")):
                        yield Entry(rel=rel + "/", path=child, is_dir=True)
                        yield from walk(child)
                elif child.suffix.lower() == ".md" and child.name.lower() != "index.md":
                    yield Entry(rel=rel, path=child, is_dir=False)

        yield from walk(self.root)

    def run(self) -> ImportReport:
        """Check, then create every page not imported before (parents first)."""
        self.check()
        entries = list(self.entries())
        # Nowhere to report (tests, the demo): the lines go to a throwaway buffer.
        bar = progress_bar(
            total=len(entries),
            desc="Markdown",
            unit="file",
            file=self.progress or io.StringIO(),
        )
        try:
            for entry in entries:
                try:
                    with transaction.atomic():
                        self._import(entry)
                except (OSError, UnicodeDecodeError, ValueError) as exc:
                    self.report.error(entry.rel, None, f"unreadable: {exc}")
                except yaml.YAMLError as exc:
                    problem = str(exc).splitlines()[0]
                    self.report.error(entry.rel, None, f"bad front matter: {problem}")
                bar.update(1)
        finally:
            bar.close()
        return self.report

    # -- one entry ------------------------------------------------------------

    def _key(self, kind: str, rel: str) -> ImportedObject | None:
        return ImportedObject.objects.filter(
            site=self.site, kind=kind, external_id=rel
        ).first()

    def _parent(self, rel: str) -> Page | None:
        parent_rel = PurePosixPath(rel.rstrip("/")).parent.as_posix()
        if parent_rel == ".":
            return self.community
        key = self._key("page", parent_rel + "/")
        page = Page.objects.filter(pk=key.local_id).first() if key else None
        return page.specific if page else None

    def _import(self, entry: Entry) -> None:
        if self._key("page", entry.rel):
            self.report.skipped["pages already imported"] += 1
            return
        parent = self._parent(entry.rel)
        if parent is None:
            self.report.error(entry.rel, None, "parent folder was not imported")
            return
        source = entry.path / "index.md" if entry.is_dir else entry.path
        if entry.is_dir and not source.exists():
            post = frontmatter.Post("")
            base = entry.path
        else:
            post = frontmatter.loads(source.read_text(encoding="utf-8"))
            base = source.parent
        name = entry.path.name if entry.is_dir else entry.path.stem
        title = str(post.get("title") or _title_from_name(name)).strip()[:255]
        text = self._rewrite_images(post.content, base=base, rel=entry.rel)
        summary = str(post.get("summary") or "").strip() or _first_paragraph(text)
        if not summary:
            summary = (
                f"Pages about {title}." if entry.is_dir else f"Imported from {name}.md."
            )
        tags = post.get("tags") or []
        if isinstance(tags, str):
            tags = [t for t in re.split(r"[,\s]+", tags) if t]
        page = KnowledgePage(
            title=title,
            slug=self._unique_slug(parent, title),
            summary=summary,
            body=[("markdown", text)] if text.strip() else [],
            live=False,
        )
        if tags:
            page.tags.add(*[str(t).strip().lower()[:100] for t in tags])
        # A folder's pages nest under the folder's page (created programmatically,
        # so KnowledgePage.subpage_types does not apply).
        parent.add_child(instance=page)
        page.save_revision(log_action=True)
        ImportedObject.objects.create(
            site=self.site, kind="page", external_id=entry.rel, local_id=page.pk
        )
        self.report.imported["folders" if entry.is_dir else "pages"] += 1

    def _unique_slug(self, parent: Page, title: str) -> str:
        base = slugify(title)[:200] or "page"
        taken = set(
            parent.get_children()
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _rewrite_images(self, text: str, *, base: Path, rel: str) -> str:
        def replace(match: re.Match) -> str:
            src = match.group("src").strip("<>")
            if re.match(r"^[a-z][a-z0-9+.-]*:|^/|^#", src, re.IGNORECASE):
                return match.group(0)  # absolute URL, site path or anchor
            path = (base / src.split("#")[0].split("?")[0]).resolve()
            try:
                image_rel = path.relative_to(self.root.resolve()).as_posix()
            except ValueError:
                self.report.error(rel, None, f"image outside the folder: {src}")
                return match.group(0)
            if not path.is_file() or path.suffix.lower() not in IMAGE_SUFFIXES:
                self.report.error(rel, None, f"missing image: {src}")
                return match.group(0)
            image = self._image(path, image_rel, alt=match.group("alt"))
            return f"![{match.group('alt')}]({image.file.url}{match.group('rest')})"

        return IMAGE_RE.sub(replace, text)

    def _image(self, path: Path, image_rel: str, *, alt: str) -> Image:
        key = self._key("image", image_rel)
        image = Image.objects.filter(pk=key.local_id).first() if key else None
        if image is not None:
            return image
        with path.open("rb") as handle:
            image = Image(title=(alt or path.stem)[:255])
            image.file.save(path.name, File(handle), save=False)
            image.save()
        if key:
            key.local_id = image.pk
            key.save(update_fields=["local_id"])
        else:
            ImportedObject.objects.create(
                site=self.site, kind="image", external_id=image_rel, local_id=image.pk
            )
        self.report.imported["images"] += 1
        return image
