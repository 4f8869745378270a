"""Long commands report progress as a bar on a terminal and as lines elsewhere."""

import http.server
import io
import subprocess
import sys
import threading

from hallway.progress import LineProgress, progress_bar
from tools.management.commands.run_dev import _wait_until_answers


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_lines_when_not_a_terminal_with_counts_and_rate():
    out = io.StringIO()
    bar = progress_bar(total=4, desc="  question", file=out, every=0)
    assert isinstance(bar, LineProgress)
    bar.update(1)
    bar.update(3)
    bar.close()
    bar.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("question: 1/4 docs in ")
    assert lines[-1].startswith("question: 4/4 docs in ") and lines[-1].endswith("/s)")
    assert len(lines) == 3  # one per update, the last once on close
    assert "\r" not in out.getvalue()


def test_quiet_between_intervals():
    out = io.StringIO()
    bar = progress_bar(total=None, desc="rows", unit="row", file=out, every=3600)
    for _ in range(1000):
        bar.update()
    assert out.getvalue() == ""
    bar.close()
    assert out.getvalue().startswith("rows: 1000 rows in ")


def test_a_bar_on_a_terminal():
    out = _Terminal()
    bar = progress_bar(total=2, desc="page", file=out)
    assert not isinstance(bar, LineProgress)
    bar.update(2)
    bar.close()
    assert "2/2" in out.getvalue()


def test_make_run_waits_for_the_site_before_its_banner():
    """The banner is printed only once the site answers, even with a 503."""

    class Degraded(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(503)
            self.end_headers()

        def log_message(self, *args) -> None:
            """Keep the test output clean."""

    server = http.server.HTTPServer(("127.0.0.1", 0), Degraded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        assert _wait_until_answers(server.server_port, alive, timeout=5)
        server.shutdown()
        server.server_close()
        assert not _wait_until_answers(server.server_port, dead, timeout=5)
    finally:
        alive.kill()
