"""The per-process cache of related lists and the live mapping (pure unit)."""

from search import timed_cache
from search.timed_cache import TimedCache


def test_entries_expire_and_the_least_recently_used_go_first(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(timed_cache.time, "monotonic", lambda: now[0])
    cache = TimedCache(size=2)
    cache.put("a", 1, seconds=10)
    cache.put("b", 2, seconds=10)
    assert cache.get("a") == 1  # now "b" is the least recently used
    cache.put("c", 3, seconds=10)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    now[0] = 111.0
    assert cache.get("a") is None


def test_a_copy_keeps_what_is_stored_apart_from_what_is_handed_out():
    cache = TimedCache(size=4, copy=lambda rows: [dict(row) for row in rows])
    rows = [{"id": 1}]
    cache.put("k", rows, seconds=60)
    rows[0]["id"] = 2
    got = cache.get("k")
    got[0]["id"] = 3
    assert cache.get("k") == [{"id": 1}]
