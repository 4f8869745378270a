import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from elasticsearch import helpers
from elasticsearch.exceptions import ApiError, TransportError
from tqdm import tqdm

from kb.communities.selectors import community_get
from kb.imports.dump import find_file
from people.services import api_token_create
from search.client import get_client
from search.index import compact, read_alias
from search.people import people_reindex
from search.queries import SearchParams, build_search
from search.reindex import reindex
from tools import bench
from tools import node as es_node

SURFACES = [
    # name, what it is (printed in the tables)
    ("search_page", "search page (HTML, signed in)"),
    ("search_api", "search API"),
    ("autocomplete", "autocomplete API"),
    ("similar", "similar questions API"),
    ("experts", "experts API"),
    ("question_page", "question page (HTML, signed in)"),
    ("related_list", "  its related questions (htmx, after the page)"),
    ("similar_raw", "our similar-questions query (a title) straight to ES"),
    ("similar_raw_three_fields", "  the same, floor across title, body, answers"),
    ("our_query_raw", "our search query straight to ES"),
    ("raw_no_fuzziness", "  the same without fuzziness"),
    ("raw_no_facets", "  the same without facets (aggregations)"),
    ("raw_permission_in_query", "  the same, permission filter inside the query"),
    ("raw_no_function_score", "  the same without function score / rescore"),
    ("raw_bare", "  the same without all of these, highlights, totals"),
    ("bm25_floor", "plain BM25 multi_match straight to ES"),
    ("pg_fts_and", "PostgreSQL FTS, Django default (all words)"),
    ("pg_fts_or", "PostgreSQL FTS, any word (like BM25)"),
]


# Question pages (and related lists) asked at each size.
PAGES = 60
# Titles drawn for the warm-up, of which those also measured are left out.
WARM_POOL = 400
# Surfaces measured once more at c=1 after all the others, on other titles.
AGAIN = (
    "search_api",
    "similar",
    "experts",
    "our_query_raw",
    "similar_raw",
    "bm25_floor",
)


def _stop(processes: list[subprocess.Popen]) -> None:
    """Stop gunicorn and the worker: politely, then for good after 15 s."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def _levels(options) -> list[int]:
    curve = (options.get("curve") or "").strip()
    if curve:
        try:
            levels = sorted({int(x.replace("_", "")) for x in curve.split(",") if x})
        except ValueError as error:
            raise CommandError(
                f"--curve takes sizes like 50000,200000: {error}"
            ) from None
        return levels
    return [options["docs"]]


class Command(BaseCommand):
    help = (
        "Benchmark every search surface (search page and API, autocomplete, similar "
        "questions, experts, question page) at concurrency 1 and 8 next to a plain "
        "BM25 query and PostgreSQL full-text search on the same documents, at one "
        "size (--docs) or along a cost curve (--curve). Run it on a scratch "
        "database (make bench does)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--docs", type=int, default=200_000)
        parser.add_argument(
            "--curve", default="", help="sizes to measure in turn, e.g. 50000,200000"
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=150,
            help="requests per surface at concurrency 1 (twice that at 8)",
        )
        parser.add_argument(
            "--seconds",
            type=float,
            default=20.0,
            help="at most this long per surface and concurrency",
        )
        parser.add_argument("--samples", type=int, default=20)
        parser.add_argument(
            "--warmup",
            type=int,
            default=40,
            help="requests per surface before measuring, on titles never measured",
        )
        parser.add_argument(
            "--compact",
            action="store_true",
            help="merge the index after each load as search_reindex merges a "
            "rebuilt one (measures a site just reindexed, not one written to)",
        )
        parser.add_argument("--heap", default="1g")
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
        options["levels"] = _levels(options)
        # Stopping the run (kill PID) still stops the node, gunicorn and worker.
        es_node.exit_on_sigterm()
        out = self.stdout.write
        node = None
        started_at = time.monotonic()
        if not settings.ELASTICSEARCH_URL:
            missing = es_node.missing_tools()
            if missing:
                raise CommandError(f"The benchmark needs {' and '.join(missing)}.")
            base = Path(tempfile.mkdtemp(prefix="hallway-es-bench-"))
            node = es_node.Node(
                name="bench",
                port=es_node.free_port(),
                base_dir=base,
                heap=options["heap"],
            )
            settings.ELASTICSEARCH_URL = es_node.start(node, timeout=600)
        processes: list[subprocess.Popen] = []
        report: dict = {}
        try:
            report = self._run(options, out, processes, started_at)
        finally:
            _stop(processes)
            if node is not None:
                es_node.stop(node)
                shutil.rmtree(node.base_dir, ignore_errors=True)
        text = self._save(report, options, started_at)
        out(text)
        path = options["json"]
        out(self.style.SUCCESS(f"Written to {path} (and .txt, .md beside it)"))

    def _save(self, report: dict, options, started_at: float) -> str:
        """Write the figures so far (after every size, so a long curve that is
        stopped early still leaves its finished sizes)."""
        report["total_seconds"] = round(time.monotonic() - started_at, 1)
        report["load_average_end"] = bench.load_average()
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str))
        text = self._tables(report)
        path.with_suffix(".txt").write_text(text)
        path.with_suffix(".md").write_text(markdown(report))
        return text

    # -- the run ---------------------------------------------------------------------

    def _run(self, options, out, processes, started_at: float) -> dict:
        user_model = apps.get_model("people.User")
        question_model = apps.get_model("qa.Question")
        levels = options["levels"]
        report: dict = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": shlex.join(["manage.py", *sys.argv[1:]]),
            "machine": bench.machine(),
            "load_average_start": bench.load_average(),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "elasticsearch_heap": options["heap"],
            "levels": levels,
            "notes": [],
        }
        out("• database and demo content")
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        dump = Path(options["dump"])
        has_dump = find_file(dump, "Posts") is not None
        if has_dump:
            out(f"• importing the real site from {dump}")
            with open(os.devnull, "w") as devnull:
                call_command(
                    "import_stackexchange",
                    str(dump),
                    community="cardano",
                    verbosity=0,
                    stdout=devnull,
                )
            report["queries_from"] = f"question titles of {dump}"
        else:
            message = (
                f"{dump} is absent: queries and the corpus profile come from the "
                "committed demo slice (kb/imports/demo_data/cardano), relevance is "
                "skipped."
            )
            out(self.style.WARNING(f"  {message}"))
            report["notes"].append(message)
            dump = Path(settings.BASE_DIR) / "kb/imports/demo_data/cardano"
            report["queries_from"] = f"question titles of {dump} (demo slice)"
        profile = bench.Profile(dump)
        report["corpus_profile"] = profile.summary()
        out(
            f"  profile: {profile.real_vocabulary:,} distinct words, Zipf exponent "
            f"{profile.zipf_s:.2f}, generator vocabulary {len(profile.vocabulary):,}"
        )
        client = get_client()

        out("• full reindex of the database content (the real pipeline)")
        t0 = time.monotonic()
        counts = reindex(client)
        seconds = time.monotonic() - t0
        real_docs = sum(counts.values())
        report["reindex"] = {
            "documents": real_docs,
            "seconds": round(seconds, 1),
            "docs_per_second": round(real_docs / seconds),
            "per_kind": counts,
        }
        out(
            f"  {real_docs} documents in {seconds:.1f}s: "
            f"{real_docs / seconds:.0f} docs/s"
        )
        people_reindex(client)
        alias = read_alias()
        index = client.indices.get_alias(name=alias).popitem()[0]

        pg = bench.PgCorpus() if bench.PgCorpus.available() else None
        if pg is None:
            message = (
                "PostgreSQL full-text search skipped: the database is "
                f"{report['database']}, not PostgreSQL (make bench-pg starts a "
                "throw-away PostgreSQL for it)."
            )
            out(self.style.WARNING(f"  {message}"))
            report["notes"].append(message)
        else:
            out("• PostgreSQL full-text table (same documents: title and body)")
            pg.create()
            rows = [
                (i, hit["_source"].get("title") or "", hit["_source"].get("body") or "")
                for i, hit in enumerate(
                    helpers.scan(client, index=alias, _source=["title", "body"]), 1
                )
            ]
            pg.copy(rows)

        community = community_get(slug="platform")
        authors = list(user_model.objects.filter(is_active=True).order_by("pk"))
        people = bench.People(authors, community)

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
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        port = es_node.free_port()
        processes.append(bench.start_gunicorn(port=port, env=env))
        report["web"] = "gunicorn, 4 workers × 2 threads, DEBUG off"
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise CommandError("gunicorn did not start; run it by hand to see why.")

        viewer = user_model.objects.get(username="alice")
        token = api_token_create(user=viewer, name="bench")
        browser = Client()
        browser.force_login(viewer)
        cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
        web = bench.Http(
            base_url, {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        )
        # What the question page's htmx asks once the page is shown.
        fragment = bench.Http(
            base_url,
            {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
                "HX-Request": "true",
            },
        )
        api = bench.Http(base_url, {"Authorization": f"Bearer {token}"})
        es = bench.Http(settings.ELASTICSEARCH_URL)
        es_send = bench.es_search(es, alias)

        queries = profile.queries(200)
        prefixes = profile.prefixes(200)
        # A node answers its first requests of a kind several times slower (the
        # JVM compiles, caches fill); production nodes are warm. The warm-up
        # asks other titles than those measured, so that no answer it leaves in
        # a cache (the node's request cache, a process's related lists) is what
        # gets measured.
        warm_queries = bench.warm_inputs(
            profile.queries(WARM_POOL, seed=11), avoid=queries, n=options["warmup"]
        )
        warm_prefixes = bench.warm_inputs(
            profile.prefixes(WARM_POOL, seed=13), avoid=prefixes, n=options["warmup"]
        )
        # Titles for the second pass at the end (``AGAIN``), asked nowhere else.
        again_queries = bench.warm_inputs(
            profile.queries(WARM_POOL, seed=17),
            avoid=queries + warm_queries,
            n=options["requests"],
        )
        answered = list(
            question_model.objects.filter(is_deleted=False)
            .exclude(answer_count=0)
            .order_by("-answer_count", "pk")[: PAGES * len(levels)]
        )
        shown = answered[:PAGES]
        question_paths = [q.get_absolute_url() for q in shown]
        # Each size asks the related lists of other questions: gunicorn's
        # processes keep a list 5 minutes, so the same ones at the next size
        # would be read from what they kept, not measured.
        related_paths = [
            [
                reverse("qa:question-related", args=[q.pk])
                for q in bench.nth_share(answered, step, PAGES)
            ]
            for step in range(len(levels))
        ]
        # What the search API sends by default (no facets), so the raw query and
        # the API compare like for like ("without facets" then equals it).
        bodies = {
            q: build_search(SearchParams(q=q), viewer=viewer, facets=False).to_dict()
            for q in queries + warm_queries + again_queries
        }
        report["inputs"] = {
            "queries": len(queries),
            "query_examples": queries[:5],
            "autocomplete_examples": prefixes[:5],
            "question_pages": len(question_paths),
        }

        def pg_finish() -> None:
            connection.close()

        surfaces = {
            "search_page": (
                lambda q: web.get(bench.search_path(q)),
                queries,
                web.close,
            ),
            "search_api": (
                lambda q: api.get(bench.api_path("search", q=q)),
                queries,
                api.close,
            ),
            "autocomplete": (
                lambda q: api.get(bench.api_path("search/autocomplete", q=q)),
                prefixes,
                api.close,
            ),
            "similar": (
                lambda q: api.get(bench.api_path("questions/similar", title=q)),
                queries,
                api.close,
            ),
            "experts": (
                lambda q: api.get(bench.api_path("experts", q=q)),
                queries,
                api.close,
            ),
            "question_page": (web.get, question_paths, web.close),
            "related_list": (fragment.get, related_paths[0], fragment.close),
            "our_query_raw": (lambda q: es_send(bodies[q]), queries, es.close),
            "bm25_floor": (lambda q: es_send(bench.bm25_body(q)), queries, es.close),
        }
        similar = {
            q: bench.similar_bodies(q, viewer=viewer)
            for q in queries + warm_queries + again_queries
        }
        for name in ("similar_raw", "similar_raw_three_fields"):
            surfaces[name] = (
                lambda q, name=name: es_send(similar[q][name]),
                queries,
                es.close,
            )
        variants = {q: bench.query_variants(body) for q, body in bodies.items()}
        for variant in next(iter(variants.values()), {}):
            surfaces[variant] = (
                lambda q, v=variant: es_send(variants[q][v]),
                queries,
                es.close,
            )
        if pg is not None:
            surfaces["pg_fts_and"] = (
                lambda q: pg.search(q, mode="and"),
                queries,
                pg_finish,
            )
            surfaces["pg_fts_or"] = (
                lambda q: pg.search(q, mode="or"),
                queries,
                pg_finish,
            )

        curve: list[dict] = []
        loaded = 0  # synthetic documents so far
        detail_level = 200_000 if 200_000 in levels else levels[-1]
        for step, docs in enumerate(levels):
            surfaces["related_list"] = (
                fragment.get,
                related_paths[step],
                fragment.close,
            )
            wanted = max(0, docs - real_docs)
            level: dict = {
                "documents_target": docs,
                "load_average_start": bench.load_average(),
            }
            if wanted > loaded:
                out(f"• generating and bulk-loading {wanted - loaded:,} documents")
                t0 = time.monotonic()
                with tqdm(total=wanted - loaded, unit="doc", file=self.stdout) as bar:
                    n = bench.bulk_load(
                        client,
                        index,
                        profile,
                        people,
                        start=loaded,
                        stop=wanted,
                        pg=pg,
                        progress=lambda n: bar.update(n - bar.n),
                    )
                load_seconds = time.monotonic() - t0
                level["bulk_load"] = {
                    "documents": n,
                    "seconds": round(load_seconds, 1),
                    "docs_per_second": round(n / load_seconds),
                }
                out(
                    f"  {n:,} documents in {load_seconds:.0f}s: "
                    f"{n / load_seconds:,.0f} docs/s"
                )
                loaded = wanted
            level["settle_seconds"] = bench.settle(client, alias)
            if options["compact"]:
                out("• merging the index as search_reindex merges a rebuilt one")
                t0 = time.monotonic()
                level["compacted_into"] = compact(client, index)
                level["compact_seconds"] = round(time.monotonic() - t0, 1)
            level["index"] = bench.index_figures(client, alias)
            level["documents"] = level["index"]["documents"]
            if pg is not None:
                t0 = time.monotonic()
                level["postgres"] = pg.settle()
                level["postgres"]["vacuum_seconds"] = round(time.monotonic() - t0, 1)
            out(
                f"• latency at {level['documents']:,} documents "
                f"(load average {level['load_average_start']})"
            )
            warm_started = time.monotonic()
            for send, inputs, _ in surfaces.values():
                # Pages and related lists have no others: a few of their own.
                if inputs is queries:
                    warm = warm_queries
                elif inputs is prefixes:
                    warm = warm_prefixes
                else:
                    warm = inputs[:5]
                for item in warm:
                    # Errors show in the measurement.
                    with contextlib.suppress(Exception):
                        send(item)
            level["warmup"] = {
                "requests_per_surface": len(warm_queries),
                "seconds": round(time.monotonic() - warm_started, 1),
            }
            latency: dict = {name: {} for name in surfaces}
            for concurrency in (1, 8):
                for name, (send, inputs, finish) in surfaces.items():
                    figures = bench.timed(
                        send,
                        inputs,
                        concurrency=concurrency,
                        count=options["requests"] * (1 if concurrency == 1 else 2),
                        max_seconds=options["seconds"],
                        finish=finish,
                    )
                    latency[name][f"c{concurrency}"] = figures
                    errors = (
                        f", {figures['errors']} errors" if figures["errors"] else ""
                    )
                    out(
                        f"  {name:<14} c={concurrency}: p50 {figures.get('p50_ms')} ms,"
                        f" p95 {figures.get('p95_ms')} ms ({figures['requests']} "
                        f"requests{errors})"
                    )
            level["latency"] = latency
            # The surfaces above run one after the other; the API and the raw
            # query it sends are also measured in turn per title, so their
            # difference is the app's and not the minute's.
            pair = ("search_api", "our_query_raw", "bm25_floor")
            level["side_by_side"] = bench.side_by_side(
                {name: surfaces[name][0] for name in pair},
                queries,
                count=options["requests"],
                max_seconds=options["seconds"] * len(pair),
            )
            for name in pair:
                surfaces[name][2]()
            out(
                "  side by side c=1 p50: "
                + ", ".join(
                    f"{name} {figures.get('p50_ms')} ms"
                    for name, figures in level["side_by_side"].items()
                )
            )
            if again_queries:
                # The same node some minutes older, on titles not asked before:
                # a node fresh from a bulk load answers some kinds much slower
                # than it does later (2026-11-30), and this shows by how much.
                level["again"] = {
                    name: bench.timed(
                        surfaces[name][0],
                        again_queries,
                        concurrency=1,
                        count=options["requests"],
                        max_seconds=options["seconds"],
                        finish=surfaces[name][2],
                    )
                    for name in AGAIN
                }
                out(
                    "  again at the end, c=1 p50: "
                    + ", ".join(
                        f"{name} {figures.get('p50_ms')} ms"
                        for name, figures in level["again"].items()
                    )
                )
            level["index_after"] = bench.index_figures(client, alias)
            level["load_average_end"] = bench.load_average()
            if docs == detail_level:
                out(
                    f"• save→searchable ({options['samples']} saves, "
                    "worker polling 0.5 s)"
                )
                report["save_to_searchable"] = bench.save_to_searchable(
                    author=viewer, community=community, samples=options["samples"]
                )
                if has_dump:
                    pairs = bench.linked_pairs(Path(options["dump"]))
                    out(f"• relevance over {len(pairs)} linked question pairs")
                    try:
                        report["relevance"] = bench.relevance(
                            pairs, viewer=AnonymousUser()
                        )
                    except (TransportError, ApiError) as error:
                        # A node too busy to answer in time must not cost the
                        # latency figures measured before it (it did at 200k).
                        report["relevance"] = f"failed: {error}"
                        out(self.style.WARNING(f"  relevance failed: {error}"))
                else:
                    report["relevance"] = (
                        "skipped: the shared Stack Exchange dump is absent"
                    )
            curve.append(level)
            report["curve"] = curve
            detail = next(
                (lv for lv in curve if lv["documents_target"] == detail_level),
                curve[-1],
            )
            report["targets_at"] = detail["documents"]
            report["targets"] = bench.check_targets(detail, curve)
            self._save(report, options, started_at)
        return report

    # -- printing ----------------------------------------------------------------------

    def _tables(self, report: dict) -> str:
        lines = [
            "",
            f"Search benchmark {report.get('date')} — {report.get('machine')}, "
            f"{report.get('database')}, ES heap {report.get('elasticsearch_heap')}",
            f"load average at start {report.get('load_average_start')}, at end "
            f"{report.get('load_average_end')}; {report.get('total_seconds')} s in all",
            f"queries: {report.get('queries_from')}",
        ]
        lines += [f"note: {n}" for n in report.get("notes", [])]
        curve = report.get("curve", [])
        for level in curve:
            lines.append("")
            index = level["index"]
            loaded = level.get("bulk_load", {})
            lines.append(
                f"{level['documents']:,} documents — index "
                f"{index['store_bytes'] / 2**20:,.0f}"
                f" MiB on disk, {index['segments']} segments, heap "
                f"{level['index_after']['heap_used_bytes'] / 2**20:,.0f}/"
                f"{index['heap_max_bytes'] / 2**20:,.0f} MiB"
                + (
                    f"; bulk load {loaded['docs_per_second']:,} docs/s"
                    if loaded
                    else ""
                )
                + (
                    f"; merged after the load in {level['compact_seconds']} s"
                    if "compact_seconds" in level
                    else ""
                )
                + (
                    "; PostgreSQL table+GIN "
                    f"{level['postgres']['size_bytes'] / 2**20:,.0f} MiB"
                    if "postgres" in level
                    else ""
                )
                + (
                    f"; warm-up {level['warmup']['requests_per_surface']} requests"
                    f" per surface ({level['warmup']['seconds']} s)"
                    if "warmup" in level
                    else ""
                )
                + f"; load average {level['load_average_start']}"
            )
            lines.append(
                f"  {'surface':<44} {'c=1 p50':>8} {'p95':>7} {'c=8 p50':>8} {'p95':>7}"
                f" {'rps c=8':>8}"
            )
            for name, label in SURFACES:
                row = level["latency"].get(name)
                if row is None:
                    continue
                c1, c8 = row.get("c1", {}), row.get("c8", {})
                errors = (c1.get("errors") or 0) + (c8.get("errors") or 0)
                lines.append(
                    f"  {label:<44} {c1.get('p50_ms', '-'):>8}"
                    f" {c1.get('p95_ms', '-'):>7}"
                    f" {c8.get('p50_ms', '-'):>8} {c8.get('p95_ms', '-'):>7}"
                    f" {c8.get('throughput_rps', '-'):>8}"
                    + (f"  ({errors} errors)" if errors else "")
                )
            again = level.get("again")
            if again:
                lines.append(
                    "  measured again after all the others, on other titles (c=1):"
                )
                labels = dict(SURFACES)
                for name, figures in again.items():
                    lines.append(
                        f"    {labels[name].strip():<42} "
                        f"{figures.get('p50_ms', '-'):>8}"
                        f" {figures.get('p95_ms', '-'):>7}"
                    )
        if len(curve) > 1:
            lines += ["", "Cost curve (p50 ms at c=1)"]
            header = (
                "  "
                + f"{'surface':<44}"
                + "".join(f"{lv['documents']:>12,}" for lv in curve)
            )
            lines.append(header)
            for name, label in SURFACES:
                if name not in curve[0]["latency"]:
                    continue
                lines.append(
                    f"  {label:<44}"
                    + "".join(
                        f"{lv['latency'][name].get('c1', {}).get('p50_ms', '-'):>12}"
                        for lv in curve
                    )
                )
            lines.append(
                f"  {'index on disk (MiB)':<44}"
                + "".join(
                    f"{lv['index']['store_bytes'] / 2**20:>12,.0f}" for lv in curve
                )
            )
            lines.append(
                f"  {'load average (1 min) at start':<44}"
                + "".join(f"{lv['load_average_start'][0]:>12}" for lv in curve)
            )
            lines.append(
                f"  {'node heap used (MiB)':<44}"
                + "".join(
                    f"{lv['index_after']['heap_used_bytes'] / 2**20:>12,.0f}"
                    for lv in curve
                )
            )
        if report.get("reindex"):
            r = report["reindex"]
            lines += [
                "",
                f"Full reindex of the database content: {r['documents']:,} documents, "
                f"{r['docs_per_second']:,} docs/s",
            ]
        if report.get("save_to_searchable"):
            s = report["save_to_searchable"]
            lines.append(
                f"Save → searchable: p50 {s.get('p50_ms')} ms, p95 {s.get('p95_ms')} ms"
            )
        rel = report.get("relevance")
        if isinstance(rel, dict):
            lines.append(
                f"Similar questions on {rel['similar_questions']['queries']} "
                "linked pairs: "
                f"MRR {rel['similar_questions']['mrr']} vs plain BM25 "
                f"{rel['bm25_baseline']['mrr']} ({rel['mrr_gain']}×)"
            )
        elif rel:
            lines.append(f"Relevance: {rel}")
        if report.get("targets"):
            at = report["targets_at"]
            lines += [
                "",
                f"Targets (issue #12; set for 200,000 documents, measured at {at:,})",
            ]
            for row in report["targets"]:
                lines.append(
                    f"  {row['result']:<5} {row['target']:<58} {row['measured']:<24} "
                    f"target {row['limit']}"
                )
        return "\n".join(lines) + "\n"


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _c1_table(title: str, figures_by_name: dict[str, dict]) -> list[str]:
    """Markdown lines of a c=1 table: p50, p95 and requests per surface."""
    labels = dict(SURFACES)
    lines = [
        "",
        title,
        "",
        "| surface | p50 | p95 | requests |",
        "|---|---:|---:|---:|",
    ]
    for name, figures in figures_by_name.items():
        lines.append(
            f"| {labels[name].strip()} | {figures.get('p50_ms', '–')} "
            f"| {figures.get('p95_ms', '–')} | {figures.get('requests', 0)} |"
        )
    return lines


def markdown(report: dict) -> str:
    """The figures as Markdown tables, for the README."""
    curve = report.get("curve", [])
    lines = [
        f"`{report.get('command')}`, {report.get('date')}, "
        f"{report['machine']['cpus']} cores / {report['machine']['memory_gib']} GiB, "
        f"{report.get('database')}, one local node with a "
        f"{report.get('elasticsearch_heap')} heap, {report.get('web')}; load average "
        f"{report.get('load_average_start')} at start, "
        f"{report.get('load_average_end')} at end; "
        f"{report.get('total_seconds', 0) / 60:.0f} min in all.",
        "",
    ]
    lines += [f"- {note}" for note in report.get("notes", [])]
    for level in curve:
        latency = level["latency"]
        lines += [
            "",
            f"**{level['documents']:,} documents** (load average "
            f"{level['load_average_start']}):",
            "",
            "| surface | c=1 p50 | c=1 p95 | c=8 p50 | c=8 p95 |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, label in SURFACES:
            if name not in latency:
                continue
            c1, c8 = latency[name].get("c1", {}), latency[name].get("c8", {})
            lines.append(
                f"| {label} | {c1.get('p50_ms', '–')} | {c1.get('p95_ms', '–')} "
                f"| {c8.get('p50_ms', '–')} | {c8.get('p95_ms', '–')} |"
            )
        for key, title in (
            ("side_by_side", "The same titles sent in turn to each (c=1, ms):"),
            (
                "again",
                "Measured again after all the others, on other titles (c=1, ms):",
            ),
        ):
            if level.get(key):
                lines += _c1_table(title, level[key])
    if curve:
        lines += [
            "",
            "| documents | index on disk | segments | heap used / max | bulk load "
            "| PostgreSQL table + GIN |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for level in curve:
            load = level.get("bulk_load")
            rate = f"{load['docs_per_second']:,} docs/s" if load else "–"
            pg = level.get("postgres")
            lines.append(
                f"| {level['documents']:,} | {_mib(level['index']['store_bytes'])} "
                f"| {level['index']['segments']} "
                f"| {_mib(level['index_after']['heap_used_bytes'])} / "
                f"{_mib(level['index']['heap_max_bytes'])} "
                f"| {rate} "
                f"| {_mib(pg['size_bytes']) if pg else 'skipped'} |"
            )
    if len(curve) > 1:
        lines += [
            "",
            "Cost curve (p50 at c=1, ms):",
            "",
            "| surface | " + " | ".join(f"{lv['documents']:,}" for lv in curve) + " |",
            "|---|" + "---:|" * len(curve),
        ]
        for name, label in SURFACES:
            if name not in curve[0]["latency"]:
                continue
            lines.append(
                f"| {label.strip()} | "
                + " | ".join(
                    str(lv["latency"].get(name, {}).get("c1", {}).get("p50_ms", "–"))
                    for lv in curve
                )
                + " |"
            )
    rel = report.get("relevance")
    if isinstance(rel, dict):
        lines += [
            "",
            f"Similar questions on {rel['similar_questions']['queries']} linked "
            f"pairs: MRR {rel['similar_questions']['mrr']} vs plain BM25 "
            f"{rel['bm25_baseline']['mrr']} ({rel['mrr_gain']}×).",
        ]
    if report.get("save_to_searchable"):
        s = report["save_to_searchable"]
        lines.append(
            f"Save → searchable: p50 {s.get('p50_ms')} ms, p95 {s.get('p95_ms')} ms."
        )
    if report.get("targets"):
        lines += [
            "",
            f"Targets (measured at {report['targets_at']:,} documents):",
            "",
            "| target | measured | limit | |",
            "|---|---|---|---|",
        ]
        for row in report["targets"]:
            lines.append(
                f"| {row['target']} | {row['measured']} | {row['limit']} "
                f"| {row['result']} |"
            )
    return "\n".join(lines) + "\n"
