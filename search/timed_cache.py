"""A small per-process cache whose entries expire, for answers worth keeping a
little while in each web process (a question's related list, the live index's
mapping)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class TimedCache:
    """Entries kept ``seconds`` each; the least recently used go first when it
    holds more than ``size``. ``copy`` makes what is stored and what is handed
    out independent (for values a caller may change)."""

    def __init__(
        self, *, size: int, copy: Callable[[Any], Any] = lambda value: value
    ) -> None:
        self.size = size
        self.copy = copy
        self.entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] < time.monotonic():
                self.entries.pop(key, None)
                return None
            self.entries.move_to_end(key)
            return self.copy(found[1])

    def put(self, key: Hashable, value: Any, *, seconds: float) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + seconds, self.copy(value))
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
