"""`make run`: everything a developer needs, started in one go and stopped by Ctrl-C.

Starts (or reuses) a local Elasticsearch node, migrates, loads demo content,
starts a task worker and serves the site. Without Java/Maven it still serves,
with search on its database fallback and a notice saying how to enable it.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hallway.supervise import Supervised, stop_process_groups
from hallway.worker import recover_stale_tasks
from people.demo import DEMO_PASSWORD, DEMO_PEOPLE
from tools import node as es_node


def _port_taken(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_until_answers(
    port: int, server: subprocess.Popen, timeout: float = 60.0
) -> bool:
    """Wait until the site answers HTTP (so the banner never promises too early)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answered, even if something is degraded
        except OSError:
            time.sleep(0.2)
    return False


def _recover_tasks_of(worker_id: str, code: int) -> None:
    """A dead worker's RUNNING task is marked failed; its outbox rows are redrained."""
    try:
        recover_stale_tasks(worker_id=worker_id)
    except Exception as error:  # noqa: BLE001 - the next worker recovers it by age
        sys.stderr.write(f"Could not recover the worker's task: {error}\n")


def _interrupt(signum, frame) -> None:
    """Treat SIGTERM like Ctrl-C so everything started is stopped."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Set up and serve Hallway for development (used by `make run`)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", 8000))
        )
        parser.add_argument(
            "--es-port", type=int, default=int(os.environ.get("ES_PORT", 9200))
        )
        parser.add_argument("--no-elasticsearch", action="store_true")

    def handle(self, *args, **options) -> None:
        port = options["port"]
        if _port_taken(port):
            raise CommandError(
                f"Port {port} is already in use. Stop what runs there, or choose "
                f"another port: PORT=8001 make run"
            )
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        log_dir = Path(settings.VAR_DIR) / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        started_node: es_node.Node | None = None
        es_url, notice = self._elasticsearch(options)
        if isinstance(es_url, es_node.Node):
            started_node, es_url = es_url, es_url.url
        env["ELASTICSEARCH_URL"] = es_url or ""

        children: list[subprocess.Popen] = []
        worker: Supervised | None = None
        try:
            steps = [
                ["migrate", "--noinput", "-v", "0"],
                ["load_demo"],
                ["schedule_notifications"],
                ["schedule_integrations"],
                ["schedule_uploads"],
            ]
            if es_url and not notice:
                # Bulk-imported demo content bypasses the outbox; a rebuild is cheap.
                steps.append(["search_reindex"])
            for step in steps:
                self.stdout.write(f"• {step[0]} ...")
                subprocess.run([*manage, *step], env=env, check=True)
            worker_log = open(log_dir / "worker.log", "ab")  # noqa: SIM115

            def start_worker(worker_id: str) -> subprocess.Popen:
                return subprocess.Popen(
                    [
                        *manage,
                        "db_worker",
                        "--interval",
                        "0.5",
                        "--no-startup-delay",
                        "--worker-id",
                        worker_id,
                    ],
                    env=env,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

            worker = Supervised(start_worker, on_death=_recover_tasks_of)
            self.stdout.write("• starting the web server ...")
            server = subprocess.Popen(
                [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                start_new_session=True,
            )
            children.append(server)
            signal.signal(signal.SIGTERM, _interrupt)
            if _wait_until_answers(port, server):
                self._banner(port, es_url, notice, log_dir, started_node)
            elif server.poll() is None:
                late = f"• the web server has not answered on port {port} after 60 s"
                self.stdout.write(self.style.WARNING(f"{late}; its output is above"))
            while server.poll() is None:
                message = worker.poll()
                if message:
                    self.stdout.write(self.style.WARNING(f"• {message}"))
                time.sleep(0.5)
            raise CommandError(
                f"The web server stopped with code {server.returncode}; "
                f"see {log_dir} for the worker's log."
            )
        except KeyboardInterrupt:
            self.stdout.write("\nStopping ...")
        except subprocess.CalledProcessError as error:
            raise CommandError(
                f"Set-up step failed: {' '.join(error.cmd[2:])}"
            ) from None
        finally:
            if worker is not None and worker.process is not None:
                children.append(worker.process)
            stop_process_groups(children)
            if started_node is not None:
                es_node.stop(started_node)
                self.stdout.write("Elasticsearch stopped.")

    def _elasticsearch(self, options) -> tuple[object, str]:
        """The node to use (a started Node, a URL, or None) and a notice for people."""
        if settings.ELASTICSEARCH_URL:
            if es_node.health(settings.ELASTICSEARCH_URL):
                return settings.ELASTICSEARCH_URL, ""
            return settings.ELASTICSEARCH_URL, (
                f"ELASTICSEARCH_URL={settings.ELASTICSEARCH_URL} does not answer; "
                "search uses its database fallback until it does."
            )
        if options["no_elasticsearch"]:
            return None, "Elasticsearch disabled (--no-elasticsearch)."
        missing = es_node.missing_tools()
        if missing:
            return None, (
                f"{' and '.join(missing)} not found, so no local Elasticsearch node: "
                "search uses its database fallback. To enable Elasticsearch install "
                "Java 17 and Maven (Debian: apt-get install openjdk-17-jdk-headless "
                "maven) and run `make run` again, or set ELASTICSEARCH_URL."
            )
        node = es_node.default_node("dev", options["es_port"])
        try:
            es_node.start(node)
        except es_node.NodeError as error:
            return (
                None,
                f"Elasticsearch did not start: {error}\nSearch uses its fallback.",
            )
        return node, ""

    def _banner(self, port, es_url, notice, log_dir, node) -> None:
        line = "─" * 64
        out = self.stdout.write
        out(line)
        out(self.style.SUCCESS(f"Hallway is running at http://127.0.0.1:{port}/"))
        out(f"  Admin:          http://127.0.0.1:{port}/admin/")
        out(f"  Health:         http://127.0.0.1:{port}/healthz")
        out(f"  Demo logins (password: {DEMO_PASSWORD}):")
        for username, name, is_admin in DEMO_PEOPLE:
            role = (
                "administrator"
                if is_admin
                else ("community lead" if username == "lead" else "member")
            )
            out(f"    {username:<8} {name} ({role})")
        out(f"  Elasticsearch:  {es_url or 'not running'}")
        if node is not None:
            out(f"  Node logs:      {node.logs_dir}")
        out(f"  Worker log:     {log_dir / 'worker.log'}")
        if notice:
            out(self.style.WARNING(f"  Notice: {notice}"))
        out("  Press Ctrl-C to stop everything.")
        out(line)
