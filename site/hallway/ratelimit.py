"""Per-user rate limits for writes (settings.HALLWAY_RATE_LIMITS, e.g. ``"30/h"``)."""

import time

from django.conf import settings
from django.core.cache import cache

from .errors import RateLimited

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/h"`` → ``(30, 3600)``; a clear error for anything else."""
    try:
        count, period = rate.split("/")
        return int(count), _PERIODS[period.strip()]
    except (ValueError, KeyError):
        raise ValueError(
            f"Rate {rate!r} is not of the form N/s, N/m, N/h or N/d."
        ) from None


def rate_limit_check(*, user, action: str) -> None:
    """Count one ``action`` by ``user``; raise ``RateLimited`` when over the limit.

    A fixed window per period, kept in the shared cache so every process counts.
    """
    rate = settings.HALLWAY_RATE_LIMITS.get(action)
    if not rate or user.is_superuser:
        return
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    key = f"ratelimit:{action}:{user.pk}:{window}"
    cache.add(key, 0, timeout=period + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period + 5)
        count = 1
    if count > limit:
        retry_after = int(period - (time.time() % period)) + 1
        raise RateLimited(action, retry_after)
