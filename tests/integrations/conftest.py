"""A real HTTP receiver on a free loopback port, and a runner for queued tasks."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.communities.factories import make_community
from tests.factories import UserFactory


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next planned status (the last one repeats)."""

    url: str = ""
    plan: list[int] = field(default_factory=lambda: [200])
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)

    def respond_with(self, *statuses: int, delay: float = 0.0) -> None:
        self.plan, self.delay = list(statuses), delay


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            state.requests.append(
                Received(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )
            status = state.plan.pop(0) if len(state.plan) > 1 else state.plan[0]
            if state.delay:
                time.sleep(state.delay)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            """Keep the test output free of the server's access log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_search_node(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def allow_private(settings):
    """The receiver listens on loopback, which production refuses."""
    settings.HALLWAY_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run this app's queued tasks in this process, as the worker would (deferred
    ones too when asked), until none is left; returns how many ran."""
    from django_tasks_db.models import DBTaskResult

    def run(*, deferred: bool = False, limit: int = 50) -> int:
        ran = 0
        while ran < limit:
            rows = DBTaskResult.objects.filter(
                status="READY", task_path__startswith="integrations."
            )
            row = (rows if deferred else rows.ready()).first()
            if row is None:
                break
            row.status = "RUNNING"
            row.save(update_fields=["status"])
            args, kwargs = row.args_kwargs["args"], row.args_kwargs["kwargs"]
            with django_capture_on_commit_callbacks(execute=True):
                result = row.task.call(*args, **kwargs)
            row.set_successful(result)
            ran += 1
        return ran

    return run


@pytest.fixture
def lead(db):
    return UserFactory(username="lena", display_name="Lena Lead")


@pytest.fixture
def community(lead, user):
    return make_community(lead=lead, members=[user])


@pytest.fixture
def other_community(db):
    return make_community(slug="data", title="Data")
