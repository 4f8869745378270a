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

from kb.imports.dump import find_file
from people.models import User
from search.client import get_client
from search.evaluation.dataset import MAX_QUESTIONS, bounded
from search.evaluation.experts import (
    TUNE_WINDOWS,
    Dump,
    report,
    summary_lines,
    tuning_report,
)
from search.evaluation.runner import RunProgress, _eval_community
from search.expertise import DEFAULT_PARAMS, expert_evidence
from search.people import people_reindex
from search.reindex import reindex
from tools import node as es_node
from tools.management.commands.search_eval import (
    dump_argument,
    max_questions,
    scratch_database_name,
    slice_cache,
)


class Command(BaseCommand):
    help = (
        "Expert finding as a forecast on a Stack Exchange dump: import what was "
        "posted before a cut date, then check whether /api/v1/experts names the "
        "accepted answerer of each later question, against two baselines. "
        "--phase tune first forecasts from an earlier cut to choose the ranking's "
        "knobs (eval-results/<site>-experts-tune.json, read by the report phase). "
        "Run each phase on its own scratch database whose name contains 'eval' "
        "(make eval does)."
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
            "--phase",
            choices=("tune", "report"),
            default="report",
            help="tune: import up to each tuning window's origin in turn (40%% "
            "and 60%% of the questions) and tune on the questions of both windows; "
            "report (default): import up to T and forecast every later question",
        )
        parser.add_argument(
            "--max-questions",
            type=int,
            default=None,
            help="Forecast a larger site on its newest this many questions, 0 for "
            f"all (default: EVAL_MAX_QUESTIONS, else {MAX_QUESTIONS}).",
        )
        parser.add_argument(
            "--json",
            default="",
            help="Default: eval-results/<site>-experts.json "
            "(-experts-tune.json for --phase tune)",
        )

    def handle(self, *args, **options) -> None:
        if "eval" not in scratch_database_name():
            raise CommandError(
                "Run the evaluation on a scratch database (its name must contain "
                "'eval'), e.g. DATABASE_URL=sqlite:///var/eval-experts.sqlite3."
            )
        folder = dump_argument(options, self.stdout)
        if not folder.is_dir() or find_file(folder, "Posts") is None:
            raise CommandError(
                f"No Posts.xml(.gz) in {folder}: point --dump (or EVAL_DUMP) at a "
                "Stack Exchange dump folder or the site's .7z archive."
            )
        # A large site: its newest questions (the slice make eval's relevance
        # run made, when it is there), before the node starts.
        bound = bounded(
            folder, max_questions(options), cache=slice_cache(), out=self.stdout
        )
        node = None
        es_node.exit_on_sigterm()
        if not settings.ELASTICSEARCH_URL:
            missing = es_node.missing_tools()
            if missing:
                raise CommandError(f"The evaluation needs {' and '.join(missing)}.")
            base = Path(tempfile.mkdtemp(prefix="hallway-es-eval-"))
            node = es_node.Node(
                name="eval", port=es_node.free_port(), base_dir=base, heap="512m"
            )
            settings.ELASTICSEARCH_URL = es_node.start(node, quiet=True, timeout=600)
        settings.ELASTICSEARCH_INDEX_PREFIX = f"eval-experts-{uuid.uuid4().hex[:8]}"
        # The forecast reads no sentence vectors (``search.meaning``): encoding
        # every imported question for it took 15 of the 17 s Cardano's 833
        # questions took to index, and would take minutes on a larger site.
        settings.SEARCH_MEANING = False
        # A busy machine must not trip the client's breaker mid-run (as search_eval).
        settings.ELASTICSEARCH_TIMEOUT = max(settings.ELASTICSEARCH_TIMEOUT, 60)
        suffix = "-experts-tune.json" if options["phase"] == "tune" else "-experts.json"
        path = Path(options["json"] or f"eval-results/{folder.name}{suffix}")
        tune_path = path.with_name(f"{folder.name}-experts-tune.json")
        try:
            result = self._run(bound.path, options["phase"], tune_path)
        finally:
            client = get_client()
            if client is not None and node is None:
                # A node of our own goes whole; on a shared one, our indices.
                client.options(ignore_status=404).indices.delete(
                    index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"
                )
            if node is not None:
                es_node.stop(node)
                shutil.rmtree(node.base_dir, ignore_errors=True)
        if bound.sliced:
            result["slice"] = bound.as_dict(folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2))
        if options["phase"] == "report":
            for line in summary_lines(result):
                self.stdout.write(line)
        else:
            self.stdout.write(
                f"Tuning forecast: {result['cases']} cases; committed defaults "
                f"{result['defaults_on_tune']}, best {result['best_on_tune']}"
                + (" (the defaults)" if result["defaults_are_best"] else "")
            )
        self.stdout.write(self.style.SUCCESS(f"Written to {path}"))

    def _run(self, folder: Path, phase: str, tune_path: Path) -> dict:
        out = self.stdout.write
        dump = Dump(folder)
        cut = dump.cut()
        call_command("migrate", verbosity=0)
        community = _eval_community(f"{dump.site}-forecast")
        client = get_client()
        if client is None:
            raise CommandError("No search node: set ELASTICSEARCH_URL or install Java.")

        def prepare(at) -> None:
            """The site as it was at ``at``, imported (on top of an earlier
            import: the importer skips what is there) and indexed afresh."""
            out(f"• {dump.site}: importing what was posted before {at:%Y-%m-%d %H:%M}")
            progress = RunProgress(out)
            with tempfile.TemporaryDirectory(prefix="hallway-eval-dump-") as tmp:
                before = dump.write_before(at, Path(tmp) / dump.site)
                call_command(
                    "import_stackexchange",
                    str(before),
                    community=community.slug,
                    site=dump.site,
                    stdout=progress.stream,
                )
            out("• indexing")
            reindex(client, progress=progress)
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

        if phase == "tune":
            windows = [(dump.cut(a), dump.cut(b)) for a, b in TUNE_WINDOWS]
            return tuning_report(
                dump=dump,
                windows=windows,
                fetch=fetch,
                prepare=prepare,
                out=out,
                progress=RunProgress(out),
            )
        prepare(cut)
        tuning = None
        if tune_path.exists():
            tuning = json.loads(tune_path.read_text())
            if tuning.get("dump") != str(dump.folder) or tuning.get("cut") != (
                cut.isoformat()
            ):
                out(f"  {tune_path} is from another dump or cut: not shown")
                tuning = None
        result = report(
            dump=dump, cut=cut, api=api, tuning=tuning, fetch=fetch, out=out
        )
        result["api_ms"] = {
            "p50": round(statistics.median(timings), 1) if timings else None,
            "note": "in-process test client on a small index; see make bench",
        }
        return result
