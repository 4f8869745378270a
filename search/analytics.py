"""Search analytics: what people looked for, found, clicked, and did not find."""

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from hallway.charts import chart_weeks

from .models import SearchLog


def user_hash(user) -> str:
    """A salted, one-way hash of the user id (lets us count people, not name them)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    salt = f"hallway-search-log:{settings.SECRET_KEY}"
    return hashlib.sha256(f"{salt}:{user.pk}".encode()).hexdigest()


def search_log_record(
    *, query: str, filters: dict, results: list[dict], total: int, backend: str, viewer
) -> SearchLog:
    """Log one search with the results as shown (kind, id, url) for click tracking."""
    shown = [
        {"kind": r["kind"], "id": str(r["id"]), "url": r["url"]} for r in results[:50]
    ]
    return SearchLog.objects.create(
        query=" ".join(query.lower().split())[:200],
        filters={k: v for k, v in filters.items() if v},
        result_count=total,
        backend=backend,
        user_hash=user_hash(viewer),
        shown=shown,
    )


def search_log_response(*, params, response, viewer) -> SearchLog | None:
    """Log a first page of results for a real query (what the page and API show)."""
    if not params.q or params.page != 1:
        return None
    return search_log_record(
        query=params.q,
        filters={"kind": params.kind, "tag": params.tag, "community": params.community},
        results=response.results,
        total=response.total,
        backend=response.backend,
        viewer=viewer,
    )


def search_log_click(*, log: SearchLog, rank: int) -> str | None:
    """Record a click on result ``rank`` and return its URL (only URLs we showed)."""
    if not 0 <= rank < len(log.shown):
        return None
    item = log.shown[rank]
    if log.clicked_rank is None:
        SearchLog.objects.filter(pk=log.pk).update(
            clicked_rank=rank, clicked_kind=item["kind"], clicked_id=item["id"]
        )
    url = item["url"]
    return url if url.startswith("/") and not url.startswith("//") else None


# A query is shown in the report only once this many different signed-in people
# searched for it: rarer queries could name or describe one person.
REPORT_MIN_PEOPLE = 3


def search_report(
    *, days: int = 30, limit: int = 20
) -> dict[str, list[dict[str, Any]]]:
    """Top queries, queries with no results, and queries nobody clicked; only
    queries at least ``SEARCH_REPORT_MIN_PEOPLE`` different people searched for."""
    since = timezone.now() - timedelta(days=days)
    min_people = getattr(settings, "SEARCH_REPORT_MIN_PEOPLE", REPORT_MIN_PEOPLE)
    logs = SearchLog.objects.filter(created_at__gte=since).exclude(query="")
    grouped = (
        logs.values("query")
        .annotate(
            searches=Count("pk"),
            # Signed-out searches carry no hash: they never make a query "common".
            people=Count("user_hash", distinct=True, filter=~Q(user_hash="")),
            clicks=Count("pk", filter=Q(clicked_rank__isnull=False)),
            empty=Count("pk", filter=Q(result_count=0)),
        )
        .filter(people__gte=max(min_people, 1))
    )
    return {
        "top": list(grouped.order_by("-searches", "query")[:limit]),  # type: ignore[arg-type]
        "no_results": list(
            grouped.filter(empty__gt=0).order_by("-empty", "query")[:limit]  # type: ignore[arg-type]
        ),
        "no_clicks": list(
            grouped.filter(clicks=0, empty=0).order_by("-searches", "query")[:limit]  # type: ignore[arg-type]
        ),
    }


def search_gap_weeks(*, weeks: int = 12, now=None) -> list[dict]:
    """Per week (oldest first, Monday to Sunday): how many searches newly found
    nothing (gaps opened), how many such searches found something later (gaps
    closed: a page, an answer or a synonym arrived), and how many were still
    open at the week's end. A gap is a query as typed, without filters (a
    filter that matches nothing is not missing content); only counts, never
    the words. One query."""
    window = chart_weeks(weeks, now)
    logs = (
        SearchLog.objects.filter(
            created_at__gte=window[0].start, created_at__lte=window[-1].end
        )
        .exclude(query="")
        .order_by("created_at", "pk")
        .values_list("query", "filters", "result_count", "created_at")
    )
    opened = [0] * weeks
    closed = [0] * weeks
    still_open = [0] * weeks
    open_gaps: set[str] = set()
    index = 0
    for query, filters, result_count, moment in logs.iterator(chunk_size=2000):
        # Weeks are half-open: a search at Monday 00:00 is the new week's.
        while index < weeks - 1 and moment >= window[index].end:
            still_open[index] = len(open_gaps)
            index += 1
        if filters:
            continue
        if result_count == 0 and query not in open_gaps:
            open_gaps.add(query)
            opened[index] += 1
        elif result_count > 0 and query in open_gaps:
            open_gaps.discard(query)
            closed[index] += 1
    for rest in range(index, weeks):
        still_open[rest] = len(open_gaps)
    return [
        {
            "week": week.monday,
            "opened": opened[i],
            "closed": closed[i],
            "still_open": still_open[i],
        }
        for i, week in enumerate(window)
    ]
