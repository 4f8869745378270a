"""Demo searches for `make run`: a few weeks of what people looked for, so the
lead dashboard's search gaps (opened and closed per week) and "top searches
with no results" show what they are for. Marked ``backend="demo"``."""

from datetime import timedelta

from django.utils import timezone

from people.models import User

from .analytics import user_hash
from .models import SearchLog

# (query, who searched, days ago, results found)
DEMO_SEARCHES = [
    ("vpn on linux", ["alice"], 60, 0),
    ("vpn on linux", ["chen"], 30, 4),  # a page was written in between
    ("parkeerpas utrecht", ["bram", "alice"], 40, 0),
    ("parkeerpas utrecht", ["bram"], 18, 2),  # answered since
    ("rollback database migration", ["chen"], 25, 0),
    ("rollback database migration", ["alice"], 10, 0),
    ("dbt snapshot", ["chen"], 12, 0),
    ("dbt snapshot", ["alice"], 4, 3),
    ("kilometervergoeding", ["bram", "alice", "chen"], 5, 0),  # still open
    ("deploy", ["alice", "bram", "chen"], 3, 12),
    ("metric definitions", ["chen", "lead", "alice"], 2, 5),
]


def load() -> int:
    """Record the demo searches once; return how many were recorded."""
    if SearchLog.objects.filter(backend="demo").exists():
        return 0
    people = {u.username: u for u in User.objects.filter(is_active=True)}
    now = timezone.now()
    rows = []
    for query, who, days_ago, found in DEMO_SEARCHES:
        for n, username in enumerate(who):
            rows.append(
                SearchLog(
                    query=query,
                    result_count=found,
                    backend="demo",
                    user_hash=user_hash(people[username]) if username in people else "",
                    created_at=now - timedelta(days=days_ago, hours=n),
                )
            )
    SearchLog.objects.bulk_create(rows)
    return len(rows)
