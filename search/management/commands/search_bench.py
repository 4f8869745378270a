import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import bench
from search import node as es_node


class Command(BaseCommand):
    help = (
        "Benchmark search: reindex rate, save→searchable latency, API latency vs raw "
        "Elasticsearch at concurrency 1 and 8, and similar-questions relevance. "
        "Run it on a scratch database (make bench does)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--docs", type=int, default=200_000)
        parser.add_argument("--requests", type=int, default=400)
        parser.add_argument("--samples", type=int, default=30)
        parser.add_argument(
            "--dump",
            default=str(
                Path(settings.BASE_DIR).parent / "shared/data/stackexchange/cardano"
            ),
        )
        parser.add_argument("--json", default="bench-results/latest.json")

    def handle(self, *args, **options) -> None:
        if "bench" not in str(settings.DATABASES["default"]["NAME"]):
            raise CommandError(
                "Run the benchmark on a scratch database (its name must contain "
                "'bench'): make bench sets DATABASE_URL=sqlite:///var/bench.sqlite3."
            )
        out = self.stdout.write
        node = None
        started_at = time.monotonic()
        if not settings.ELASTICSEARCH_URL:
            missing = es_node.missing_tools()
            if missing:
                raise CommandError(f"The benchmark needs {' and '.join(missing)}.")
            base = Path(tempfile.mkdtemp(prefix="hallway-es-bench-"))
            node = es_node.Node(
                name="bench", port=es_node.free_port(), base_dir=base, heap="1g"
            )
            settings.ELASTICSEARCH_URL = es_node.start(node)
        processes: list[subprocess.Popen] = []
        try:
            report = self._run(options, out, processes)
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
            if node is not None:
                es_node.stop(node)
                shutil.rmtree(node.base_dir, ignore_errors=True)
        report["total_seconds"] = round(time.monotonic() - started_at, 1)
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2))
        out(json.dumps(report, indent=2))
        out(self.style.SUCCESS(f"Written to {path}"))

    def _run(self, options, out, processes) -> dict:
        from django.contrib.auth.models import AnonymousUser

        from kb.communities.selectors import community_get
        from people.models import User
        from people.services import api_token_create
        from search.client import get_client
        from search.index import read_alias
        from search.queries import SearchParams, build_search
        from search.reindex import reindex

        report: dict = {
            "machine": {"cpus": os.cpu_count()},
            "docs_target": options["docs"],
        }
        out("• database and demo content")
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        dump = Path(options["dump"])
        has_dump = (dump / "Posts.xml.gz").exists() or (dump / "Posts.xml").exists()
        if has_dump:
            out(f"• importing the real site from {dump}")
            with open(os.devnull, "w") as devnull:
                call_command(
                    "import_stackexchange", str(dump), community="cardano",
                    verbosity=0, stdout=devnull,
                )  # fmt: skip
        else:
            out(
                self.style.WARNING(
                    f"  {dump} is absent: relevance is skipped and the generator "
                    "learns from the committed demo slice instead."
                )
            )
            dump = Path(settings.BASE_DIR) / "kb/imports/demo_data/cardano"
        profile = bench.Profile(dump)
        community = community_get(slug="platform")
        authors = list(User.objects.filter(is_active=True))
        client = get_client()

        from journals.models import Entry
        from kb.qa.models import Question

        existing = Question.objects.count() + Entry.objects.count()
        wanted = max(0, options["docs"] - existing)
        out(f"• generating {wanted} documents (have {existing})")
        with tqdm(total=wanted, unit="doc", file=self.stdout) as bar:
            bench.generate(
                profile, total=wanted, community=community, authors=authors,
                progress=lambda n: bar.update(n - bar.n),
            )  # fmt: skip

        out("• full reindex")
        t0 = time.monotonic()
        counts = reindex(client)
        seconds = time.monotonic() - t0
        docs = sum(counts.values())
        report["reindex"] = {
            "documents": docs, "seconds": round(seconds, 1),
            "docs_per_second": round(docs / seconds), "per_kind": counts,
        }  # fmt: skip
        out(f"  {docs} documents in {seconds:.1f}s: {docs / seconds:.0f} docs/s")

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hallway.settings.local",
            "DEBUG": "false",
            "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "PYTHONPATH": f"{settings.BASE_DIR}:{settings.BASE_DIR / 'site'}",
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        processes.append(
            subprocess.Popen(
                [*manage, "db_worker", "--interval", "0.5", "--no-startup-delay"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
        port = es_node.free_port()
        processes.append(bench.start_gunicorn(port=port, env=env))
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise CommandError("gunicorn did not start; run it by hand to see why.")

        viewer = User.objects.get(username="alice")
        token = api_token_create(user=viewer, name="bench")
        queries = [" ".join(t.split()[:4]) for t in profile.titles[:60] if t.strip()]
        out(f"• search API latency ({options['requests']} requests per level)")
        report["api"] = bench.api_latency(
            base_url=base_url, token=token, queries=queries, count=options["requests"]
        )
        bodies = {
            q: build_search(SearchParams(q=q), viewer=viewer).to_dict() for q in queries
        }
        out("• the same queries straight to Elasticsearch")
        report["raw_elasticsearch"] = bench.raw_latency(
            es_url=settings.ELASTICSEARCH_URL, index=read_alias(), bodies=bodies,
            count=options["requests"],
        )  # fmt: skip
        report["overhead_ratio_p95"] = {
            level: round(
                report["api"][level]["p95_ms"]
                / max(report["raw_elasticsearch"][level]["p95_ms"], 0.1),
                2,
            )
            for level in ("c1", "c8")
        }
        out(f"• save→searchable ({options['samples']} saves, worker polling 0.5 s)")
        report["save_to_searchable"] = bench.save_to_searchable(
            author=viewer, community=community, samples=options["samples"]
        )
        if has_dump:
            pairs = bench.linked_pairs(Path(options["dump"]))
            out(f"• relevance over {len(pairs)} linked question pairs")
            report["relevance"] = bench.relevance(pairs, viewer=AnonymousUser())
        else:
            report["relevance"] = "skipped: the shared Stack Exchange dump is absent"
        return report
