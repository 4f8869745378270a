"""Search gaps over time (#18): searches that newly found nothing each week,
earlier ones that now find something, and how many stayed open."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from hallway.charts import chart_weeks
from search.analytics import search_gap_weeks
from search.models import SearchLog
from tests.communities.factories import make_community
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # this week's


def searched(query: str, found: int, at: datetime, **filters) -> None:
    SearchLog.objects.create(
        query=query, result_count=found, filters=filters, created_at=at
    )


def test_weeks_count_gaps_opened_closed_and_still_open(settings):
    settings.TIME_ZONE = "UTC"
    searched("holiday rules", 0, MONDAY - timedelta(days=40))  # the week of 12 Oct
    searched("vpn setup", 0, MONDAY - timedelta(days=12))  # week -3
    searched("vpn setup", 0, MONDAY - timedelta(days=11))  # still the same gap
    searched("vpn setup", 3, MONDAY - timedelta(days=5))  # closed in week -2
    searched("parking", 0, MONDAY - timedelta(days=5))  # opened in week -2
    searched("expenses", 0, MONDAY - timedelta(days=5), tag="travel")  # a filter
    searched("lunch", 4, MONDAY - timedelta(days=5))  # never a gap
    searched("holiday rules", 2, MONDAY + timedelta(days=1))  # closed this week
    searched("parking", 5, NOW + timedelta(hours=1))  # after the chart's end

    rows = search_gap_weeks(weeks=12, now=NOW)

    assert rows[-1]["week"].isoformat() == "2026-11-23"
    assert [row["opened"] for row in rows] == [0] * 5 + [1, 0, 0, 0, 1, 1, 0]
    assert [row["closed"] for row in rows] == [0] * 10 + [1, 1]
    assert [row["still_open"] for row in rows] == [0] * 5 + [1, 1, 1, 1, 2, 2, 1]


def _dashboard(client) -> str:
    """The lead dashboard's HTML, for a lead of a new community."""
    lead = UserFactory(username="gaplead")
    make_community(lead=lead)
    client.force_login(lead)
    return client.get(reverse("curation:dashboard")).content.decode()


def test_the_dashboard_draws_gaps_without_their_words(client):
    # At the start of the current week, so that it is this week's gap however
    # soon after midnight on a Monday the test runs (five minutes before it
    # was last week's).
    this_week = chart_weeks(1)[0].start
    searched("someone's private worry", 0, this_week)
    html = _dashboard(client)
    found = re.search(
        r'<script id="search-gaps" type="application/json">(.*?)</script>', html
    )
    data = json.loads(found.group(1))
    assert [d["key"] for d in data["datasets"]] == ["opened", "closed"]
    assert data["datasets"][0]["data"][-1] == 1
    # One person's query is counted, never shown (the report needs 3 people).
    assert "private worry" not in html


def test_twelve_quiet_weeks_say_so_instead_of_an_empty_chart(client):
    searched("found at once", 3, datetime.now(UTC) - timedelta(days=2))
    html = _dashboard(client)
    assert "No search came up empty in twelve weeks." in html
    assert 'id="search-gaps"' not in html


def test_a_gap_just_before_monday_midnight_is_last_weeks(settings):
    settings.TIME_ZONE = "UTC"
    monday_morning = MONDAY + timedelta(days=7, minutes=3)
    searched("late worry", 0, monday_morning - timedelta(minutes=5))

    rows = search_gap_weeks(weeks=2, now=monday_morning)

    assert [row["opened"] for row in rows] == [1, 0]
    assert [row["still_open"] for row in rows] == [1, 1]


def test_a_gap_at_monday_midnight_is_the_new_weeks(settings):
    settings.TIME_ZONE = "UTC"
    searched("midnight worry", 0, MONDAY)

    rows = search_gap_weeks(weeks=2, now=NOW)

    assert [row["opened"] for row in rows] == [0, 1]


def test_a_gap_at_the_very_moment_of_the_chart_is_counted(settings):
    settings.TIME_ZONE = "UTC"
    searched("just now", 0, NOW)

    rows = search_gap_weeks(weeks=2, now=NOW)

    assert [row["opened"] for row in rows] == [0, 1]
