"""Keep a child process running: restart it when it dies, with a growing pause.

``make run`` uses it for the task worker, so a killed or crashed worker is
replaced (and the task it was running recovered) instead of taking the whole
stack down."""

import os
import signal
import subprocess
import time
from collections.abc import Callable
from uuid import uuid4


class Supervised:
    """One child started by ``start(worker_id)``; ``poll()`` restarts it when dead."""

    def __init__(
        self,
        start: Callable[[str], subprocess.Popen],
        *,
        on_death: Callable[[str, int], None] = lambda worker_id, code: None,
        min_pause: float = 1.0,
        max_pause: float = 30.0,
        healthy_after: float = 60.0,
    ) -> None:
        self._start = start
        self._on_death = on_death
        self.min_pause, self.max_pause = min_pause, max_pause
        self.healthy_after = healthy_after
        self.pause = min_pause
        self.restarts = 0
        self.worker_id = ""
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self._restart_at: float | None = None
        self._spawn()

    def _spawn(self) -> None:
        self.worker_id = f"run-{uuid4().hex[:12]}"
        self.process = self._start(self.worker_id)
        self.started_at = time.monotonic()
        self._restart_at = None

    def poll(self) -> str | None:
        """Check the child; return a line for people when it died or restarted."""
        now = time.monotonic()
        if self._restart_at is not None:
            if now < self._restart_at:
                return None
            self._spawn()
            self.restarts += 1
            return f"worker restarted (restart {self.restarts})"
        assert self.process is not None
        code = self.process.poll()
        if code is None:
            if now - self.started_at > self.healthy_after:
                self.pause = self.min_pause
            return None
        self._on_death(self.worker_id, code)
        self._restart_at = now + self.pause
        message = f"worker stopped with code {code}; restarting in {self.pause:.0f}s"
        self.pause = min(self.pause * 2, self.max_pause)
        return message

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def stop_process_groups(children: list[subprocess.Popen], timeout: float = 15) -> None:
    """Stop child process groups: SIGTERM to all, then SIGKILL any that linger."""
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
