"""`make load`: rising numbers of simulated people against the production stack.

Starts what production runs (gunicorn with production settings, a task worker,
an Elasticsearch node) on the database in ``DATABASE_URL`` (``make load`` gives
it a throw-away PostgreSQL cluster), loads the demo content, then runs the
locust scenario in ``tests/load/locustfile.py`` at each user count and prints
throughput and latency per step, and the highest throughput at which the 95th
percentile stays under the target with no errors.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hallway.supervise import stop_process_groups
from kb.qa.models import Question
from people.demo import DEMO_PASSWORD, DEMO_PEOPLE
from tools import node as es_node

P95_TARGET_MS = 300


def _wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.5)
    raise CommandError(f"{url} did not answer within {timeout:.0f} s.")


class Command(BaseCommand):
    help = (
        "Load test (make load): gunicorn + worker + Elasticsearch on DATABASE_URL, "
        "locust at rising user counts; prints throughput, p50/p95 and errors."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--users",
            default="4,8,16,32",
            help="Comma-separated simulated user counts, one step each.",
        )
        parser.add_argument("--seconds", type=int, default=30, help="Length of a step.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument("--output", default="", help="JSON results file.")

    def handle(self, *args, **options) -> None:
        try:
            steps = [int(n) for n in options["users"].split(",") if n.strip()]
        except ValueError:
            raise CommandError("--users takes numbers: --users 4,8,16") from None
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            self.stderr.write(
                self.style.WARNING(
                    "DATABASE_URL is not PostgreSQL: figures on SQLite say little "
                    "about production. `make load` starts a throw-away PostgreSQL "
                    "for you."
                )
            )
        root = Path(settings.BASE_DIR)
        bin_dir = Path(sys.executable).parent
        manage = [sys.executable, str(root / "manage.py")]
        node = None
        es_url = settings.ELASTICSEARCH_URL
        if not es_url:
            missing = es_node.missing_tools()
            if missing:
                raise CommandError(
                    f"{' and '.join(missing)} not found: the load test needs a local "
                    "Elasticsearch node (Debian: apt-get install "
                    "openjdk-17-jdk-headless maven), or set ELASTICSEARCH_URL."
                )
            node = es_node.Node(
                name="load",
                port=es_node.free_port(),
                base_dir=Path(settings.VAR_DIR) / "load-node",
            )
            self.stdout.write("• starting a throw-away Elasticsearch node ...")
            es_url = es_node.start(node, quiet=True) or node.url
        port = es_node.free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hallway.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "false",
            "ELASTICSEARCH_URL": es_url,
            # Plain HTTP on loopback, and five demo accounts standing in for many
            # people: per-person posting limits would only measure the limiter.
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "HALLWAY_RATE_LIMIT_POST": "1000000/h",
            "HALLWAY_RATE_LIMIT_COMMENT": "1000000/h",
            "HALLWAY_RATE_LIMIT_VOTE": "1000000/h",
        }
        log_dir = Path(settings.VAR_DIR) / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        children: list[subprocess.Popen] = []
        results: list[dict] = []
        load_before = os.getloadavg()
        try:
            for step in (
                ["migrate", "--noinput", "-v", "0"],
                ["load_demo"],
                ["collectstatic", "--noinput", "-v", "0"],
                ["createcachetable"],
                ["search_reindex"],
            ):
                self.stdout.write(f"• {step[0]} ...")
                subprocess.run(
                    [*manage, *step], env=env, check=True, stdout=subprocess.DEVNULL
                )
            titles = list(Question.objects.values_list("title", flat=True)[:2000])
            if not titles:
                raise CommandError("The demo has no questions to search for.")
            queries = Path(settings.VAR_DIR) / "load-queries.txt"
            queries.write_text("\n".join(titles) + "\n", encoding="utf-8")
            log = open(log_dir / "load.log", "ab")  # noqa: SIM115
            children.append(
                subprocess.Popen(
                    [*manage, "db_worker", "--interval", "0.5", "--no-startup-delay"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            children.append(
                subprocess.Popen(
                    [
                        str(bin_dir / "gunicorn"),
                        "hallway.wsgi",
                        "--pythonpath",
                        "site",
                        "-b",
                        f"127.0.0.1:{port}",
                        "-w",
                        str(options["workers"]),
                        "--timeout",
                        "60",
                        "--access-logfile",
                        "-",
                    ],
                    cwd=root,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    start_new_session=True,
                )
            )
            host = f"http://127.0.0.1:{port}"
            _wait_for(f"{host}/healthz", 90)
            members = [u for u, _name, admin in DEMO_PEOPLE if not admin]
            locust_env = {
                **env,
                "LOAD_USERS": ",".join(members),
                "LOAD_PASSWORD": DEMO_PASSWORD,
                "LOAD_QUERIES": str(queries),
            }
            self.stdout.write(
                f"{'users':>5} {'requests':>8} {'req/s':>7} {'p50 ms':>7} "
                f"{'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
            )
            for users in steps:
                step = subprocess.run(
                    [
                        str(bin_dir / "python"),
                        str(root / "tests/load/run.py"),
                        "--users",
                        str(users),
                        "--seconds",
                        str(options["seconds"]),
                        "--host",
                        host,
                    ],
                    env=locust_env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if step.returncode != 0 or not step.stdout.strip():
                    log.write(step.stderr.encode())
                    raise CommandError(
                        f"The load step with {users} users failed; see {log.name}."
                    )
                row = json.loads(step.stdout.strip().splitlines()[-1])
                results.append(row)
                self.stdout.write(
                    f"{users:>5} {row['requests']:>8} {row['rps']:>7} "
                    f"{row['p50_ms']:>7} {row['p95_ms']:>7} {row['p99_ms']:>7} "
                    f"{row['errors']:>6}   (sign-in p95 {row['sign_in']['p95_ms']} ms, "
                    f"{row['sign_in']['errors']} errors)"
                )
        except subprocess.CalledProcessError as error:
            raise CommandError(
                f"Set-up step failed: {' '.join(error.cmd[2:])}"
            ) from None
        finally:
            stop_process_groups(children)
            if node is not None:
                es_node.stop(node)
        good = [
            r
            for r in results
            if r["errors"] == 0
            and r["sign_in"]["errors"] == 0
            and r["p95_ms"] <= P95_TARGET_MS
        ]
        best = max(good, key=lambda r: r["rps"], default=None)
        if best:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Highest throughput with p95 under {P95_TARGET_MS} ms and no "
                    f"errors: {best['rps']} requests/s "
                    f"({best['users']} simulated people)."
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"No step kept p95 under {P95_TARGET_MS} ms with no errors."
                )
            )
        if results and results[-1]["by_request"]:
            worst = max(
                results[-1]["by_request"].items(), key=lambda kv: kv[1]["p95_ms"]
            )
            self.stdout.write(
                f"Slowest request at the last step: {worst[0]} "
                f"(p95 {worst[1]['p95_ms']} ms)."
            )
        report = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cores": os.cpu_count(), "load_average_before": load_before},
            "database": engine.rsplit(".", 1)[-1],
            "gunicorn_workers": options["workers"],
            "step_seconds": options["seconds"],
            "p95_target_ms": P95_TARGET_MS,
            "best": best,
            "steps": results,
        }
        output = Path(
            options["output"]
            or root / "bench-results" / f"load-{datetime.now(UTC):%Y-%m-%d}.json"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"Results: {output}")
