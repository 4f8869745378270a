"""Progress for long commands (imports, reindexing): counts and rate, tidy anywhere.

On a terminal it is a tqdm bar redrawn in place. When the output is a file or a
pipe (``make run`` under a supervisor, CI logs) redrawing leaves carriage
returns and escape codes behind, so it writes a plain line every few seconds
and one at the end instead.
"""

import time
from typing import Any, Protocol

from tqdm import tqdm


class Output(Protocol):
    """Where progress goes: a text stream or Django's ``OutputWrapper``."""

    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


class Progress(Protocol):
    """What commands call: the count done so far, then ``close()``."""

    n: int

    def update(self, n: int = 1) -> object: ...

    def close(self) -> None: ...


class LineProgress:
    """A progress report as whole lines: ``desc: done/total (rate/s)``."""

    def __init__(
        self, *, total: int | None, desc: str, unit: str, file: Output, every: float
    ) -> None:
        self.total, self.desc, self.unit, self.file = total, desc.strip(), unit, file
        self.every = every
        self.n = 0
        self._started = self._written = time.monotonic()
        self._closed = False

    def update(self, n: int = 1) -> None:
        """Count ``n`` more done; write a line when ``every`` seconds have passed."""
        self.n += n
        now = time.monotonic()
        if now - self._written >= self.every:
            self._written = now
            self._write(now)

    def close(self) -> None:
        """Write the final line once."""
        if not self._closed:
            self._closed = True
            self._write(time.monotonic())

    def _write(self, now: float) -> None:
        seconds = max(now - self._started, 1e-9)
        done = f"{self.n}/{self.total}" if self.total is not None else str(self.n)
        rate = self.n / seconds
        self.file.write(
            f"{self.desc}: {done} {self.unit}s in {seconds:.1f}s ({rate:.0f}/s)\n"
        )
        self.file.flush()

    def __enter__(self) -> "LineProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_bar(
    *, total: int | None, desc: str, unit: str = "doc", file: Output, every: float = 5.0
) -> Progress:
    """A bar on a terminal, plain lines every ``every`` seconds anywhere else."""
    if _is_terminal(file):
        return tqdm(total=total, desc=desc, unit=unit, file=file, dynamic_ncols=True)
    return LineProgress(total=total, desc=desc, unit=unit, file=file, every=every)


def _is_terminal(file: Output) -> bool:
    inner = getattr(file, "_out", file)  # Django's OutputWrapper keeps the stream
    isatty = getattr(inner, "isatty", None)
    return bool(isatty and isatty())


class ProgressBars:
    """One bar per kind of work, for the callbacks long work reports through,
    ``(what, done, total)`` (``search.reindex``, the relevance harness): each
    bar starts at its first report and ends, with its final line, when its
    work is done; ``close()`` ends any left (work stopped midway)."""

    def __init__(self, file: Output, *, width: int = 0) -> None:
        self.file, self.width = file, width
        self.bars: dict[str, Progress] = {}

    def __call__(self, what: str, done: int, total: int, unit: str = "doc") -> None:
        bar = self.bars.get(what)
        if bar is None:
            bar = self.bars[what] = progress_bar(
                total=total, desc=f"{what:>{self.width}}", unit=unit, file=self.file
            )
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
