import json
import os
import shutil
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from people.models import User
from search import node as es_node
from search.client import get_client
from search.evaluation.experts import Dump, report, summary_lines
from search.evaluation.runner import _eval_community
from search.expertise import DEFAULT_PARAMS, expert_evidence
from search.management.commands.search_eval import scratch_database_name
from search.people import people_reindex
from search.reindex import reindex


class Command(BaseCommand):
    help = (
        "Expert finding as a forecast on a Stack Exchange dump: import what was "
        "posted before a cut date, then check whether /api/v1/experts names the "
        "accepted answerer of each later question, against two baselines. Run it "
        "on a scratch database whose name contains 'eval' (make eval does)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dump",
            default=os.environ.get("EVAL_DUMP")
            or str(
                Path(settings.BASE_DIR).parent / "shared/data/stackexchange/cardano"
            ),
        )
        parser.add_argument(
            "--json", default="", help="Default: eval-results/<site>-experts.json"
        )

    def handle(self, *args, **options) -> None:
        if "eval" not in scratch_database_name():
            raise CommandError(
                "Run the evaluation on a scratch database (its name must contain "
                "'eval'), e.g. DATABASE_URL=sqlite:///var/eval-experts.sqlite3."
            )
        folder = Path(options["dump"]).expanduser().resolve()
        if not any((folder / f"Posts.xml{s}").exists() for s in ("", ".gz")):
            raise CommandError(f"No Posts.xml(.gz) in {folder}.")
        node = None
        if not settings.ELASTICSEARCH_URL:
            missing = es_node.missing_tools()
            if missing:
                raise CommandError(f"The evaluation needs {' and '.join(missing)}.")
            base = Path(tempfile.mkdtemp(prefix="hallway-es-eval-"))
            node = es_node.Node(
                name="eval", port=es_node.free_port(), base_dir=base, heap="512m"
            )
            settings.ELASTICSEARCH_URL = es_node.start(node)
        settings.ELASTICSEARCH_INDEX_PREFIX = f"eval-experts-{uuid.uuid4().hex[:8]}"
        try:
            result = self._run(folder)
        finally:
            client = get_client()
            if client is not None:
                client.options(ignore_status=404).indices.delete(
                    index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"
                )
            if node is not None:
                es_node.stop(node)
                shutil.rmtree(node.base_dir, ignore_errors=True)
        path = Path(options["json"] or f"eval-results/{folder.name}-experts.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2))
        for line in summary_lines(result):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Written to {path}"))

    def _run(self, folder: Path) -> dict:
        out = self.stdout.write
        dump = Dump(folder)
        cut = dump.cut()
        out(f"• {dump.site}: cut at {cut:%Y-%m-%d %H:%M}, importing what came before")
        call_command("migrate", verbosity=0)
        community = _eval_community(f"{dump.site}-forecast")
        with tempfile.TemporaryDirectory(prefix="hallway-eval-dump-") as tmp:
            before = dump.write_before(cut, Path(tmp) / dump.site)
            with open(os.devnull, "w") as devnull:
                call_command(
                    "import_stackexchange",
                    str(before),
                    community=community.slug,
                    site=dump.site,
                    verbosity=0,
                    stdout=devnull,
                )
        client = get_client()
        if client is None:
            raise CommandError("No search node: set ELASTICSEARCH_URL or install Java.")
        out("• indexing")
        reindex(client)
        people_reindex(client)
        reader, _ = User.objects.get_or_create(
            username="eval-reader", defaults={"display_name": "Eval reader"}
        )
        http = Client(SERVER_NAME="localhost")
        http.force_login(reader)
        timings: list[float] = []

        def api(title: str) -> list[str]:
            started = time.monotonic()
            response = http.get("/api/v1/experts", {"q": title[:200], "limit": "10"})
            timings.append((time.monotonic() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"/api/v1/experts answered {response.status_code}")
            return [person["username"] for person in response.json()["results"]]

        def fetch(title: str, docs: int):
            return expert_evidence(
                client,
                q=title[:200],
                viewer=reader,
                params=replace(DEFAULT_PARAMS, docs=docs),
            )

        result = report(dump=dump, cut=cut, api=api, fetch=fetch, out=out)
        result["api_ms"] = {
            "p50": round(statistics.median(timings), 1) if timings else None,
            "note": "in-process test client on a small index; see make bench",
        }
        return result
