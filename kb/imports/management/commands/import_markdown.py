import time

from django.core.management.base import BaseCommand, CommandError

from kb.communities.selectors import community_get
from kb.imports.markdown_import import MarkdownImporter
from kb.imports.report import ImportAborted


class Command(BaseCommand):
    help = (
        "Import a folder tree of .md files (front matter: title, tags, summary; all "
        "optional) as DRAFT knowledge pages in a community. Folders become pages "
        "(from their index.md, else titled from the folder name) so the tree is "
        "kept; relatively linked images become Wagtail images. Idempotent per "
        "relative path and community."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="Folder with Markdown files.")
        parser.add_argument("--community", required=True, help="Community slug.")

    def handle(self, *args, **options) -> None:
        community = community_get(slug=options["community"])
        if community is None:
            raise CommandError(
                f"Unknown community {options['community']!r}. Nothing was imported."
            )
        quiet = options["verbosity"] == 0
        importer = MarkdownImporter(
            path=options["path"],
            community=community,
            progress=None if quiet else self.stdout._out,
        )
        started = time.monotonic()
        try:
            report = importer.run()
        except ImportAborted as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        if quiet:
            return
        self.stdout.write(
            f"Markdown import into {community.slug!r} "
            f"in {time.monotonic() - started:.1f}s (pages are drafts: review and "
            "publish them in the admin)."
        )
        for line in report.lines():
            self.stdout.write(line)
