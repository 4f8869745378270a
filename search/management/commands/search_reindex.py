import time
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from hallway.progress import ProgressBars
from search.client import get_client, node_status
from search.people import people_reindex, people_status
from search.reindex import reindex
from search.tasks import schedule_people_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database into a fresh index and swap the "
        "alias atomically (searches keep working meanwhile)."
    )

    def handle(self, *args, **options) -> None:
        client = get_client()
        if client is None:
            raise CommandError(
                "ELASTICSEARCH_URL is not set. Start a node (make run does) or point "
                "ELASTICSEARCH_URL at a cluster, then run this again."
            )
        status = node_status()
        if status["status"] != "ok":
            raise CommandError(
                f"Elasticsearch at the configured URL is not healthy: {status}. "
                "Check that the node runs (python -m tools.node status)."
            )
        progress = ProgressBars(cast(TextIO, self.stdout), width=9)
        started = time.monotonic()
        skipped: list[str] = []
        try:
            counts = reindex(
                client,
                progress=progress,
                on_skip=skipped.append,
                on_step=self.stdout.write,
            )
        finally:
            progress.close()
        people_reindex(client)
        schedule_people_refresh()
        report = people_status(client)
        line = (
            f"People index: {report['people']} people with contributions "
            f"({report['reachable']} can be asked; the others are imported or "
            "former accounts, counted as evidence only)."
        )
        if report["state"] in ("ok", "nobody"):
            self.stdout.write(line)
        else:
            self.stdout.write(self.style.WARNING(f"{line} {report['reason']}"))
        if report["state"] == "nobody":
            self.stdout.write(self.style.WARNING(report["reason"]))
        seconds = time.monotonic() - started
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} documents in {seconds:.1f}s "
                f"({total / seconds if seconds else 0:.0f} docs/s): "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        )
        if skipped:
            self.stdout.write(
                self.style.WARNING(f"Skipped {len(skipped)} document(s) it refused:")
            )
            for line in skipped[:20]:
                self.stdout.write(f"  {line}")
