import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.communities.selectors import community_get, default_community
from kb.imports.archives import DumpArchiveError, dump_folder
from kb.imports.report import ImportAborted
from kb.imports.stackexchange import StackExchangeImporter


class Command(BaseCommand):
    help = (
        "Import a Stack Exchange data dump folder (Posts.xml, Users.xml, Tags.xml, "
        "PostLinks.xml, Comments.xml, Votes.xml; each may be .xml.gz), or the "
        "site's .7z archive as published (unpacked once under var/dumps), into a "
        "community. Authors become inactive users se-<site>-<id> without e-mail. "
        "Bodies: the dump's HTML is kept sanitised as the rendered body (code blocks "
        "exactly as posted) and converted to Markdown for editing. Scores come from "
        "Score; per-user votes are not imported. Duplicate links close questions as "
        "duplicates, related links become related questions. Idempotent: re-running "
        "skips what was imported and completes an interrupted run. Bulk inserts skip "
        "signals: run search_reindex afterwards."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            help="Folder with the dump's XML files, or the site's .7z archive "
            "(or a folder holding it).",
        )
        parser.add_argument(
            "--community", help="Slug of the target community (default: the first)."
        )
        parser.add_argument(
            "--limit", type=int, help="Import only the first N questions of the dump."
        )
        parser.add_argument(
            "--site",
            help="Site name for attribution and user names (default: folder name), "
            "e.g. cardano -> https://cardano.stackexchange.com.",
        )

    def handle(self, *args, **options) -> None:
        slug = options["community"]
        community = community_get(slug=slug) if slug else default_community()
        if community is None:
            raise CommandError(
                f"Unknown community {slug!r}." if slug else "No community exists yet."
            )
        if options["limit"] is not None and options["limit"] < 0:
            raise CommandError("--limit must be zero or more.")
        quiet = options["verbosity"] == 0
        try:
            folder = dump_folder(
                Path(options["path"]), out=None if quiet else self.stdout
            )
        except DumpArchiveError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        importer = StackExchangeImporter(
            path=folder,
            community=community,
            site=options["site"],
            limit=options["limit"],
            progress=None if quiet else self.stdout._out,
        )
        started = time.monotonic()
        try:
            report = importer.run()
        except ImportAborted as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        elapsed = time.monotonic() - started
        rows = sum(report.imported.values()) + sum(report.skipped.values())
        if quiet:
            return
        self.stdout.write(
            f"Stack Exchange import of {importer.site} into {community.slug!r}: "
            f"{rows} rows in {elapsed:.1f}s ({rows / max(elapsed, 1e-9):.0f} rows/s)"
        )
        for line in report.lines():
            self.stdout.write(line)
        if getattr(settings, "ELASTICSEARCH_URL", ""):
            self.stdout.write(
                "Bulk inserts skip the search outbox: run "
                "`python manage.py search_reindex` now."
            )
        else:
            self.stdout.write(
                "Search is not enabled (ELASTICSEARCH_URL unset); run "
                "`python manage.py search_reindex` once it is."
            )
