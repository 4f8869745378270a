"""Knowledge pages kept fresh over time (#18): how many pages were due for
review at each week's end and how many were reviewed in it, rebuilt from the
page history (publications and the verify action), no snapshots needed."""

import json
import re
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from hallway.demo import load_demo
from kb.communities.models import KnowledgePage, KnowledgeSource
from kb.communities.selectors import knowledge_pages_due_for_review, review_weeks
from kb.communities.services import knowledge_page_verify
from people.models import User
from tests.communities.factories import make_community, make_page

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # this week's


def published(page, at: datetime) -> KnowledgePage:
    """Move a page's publication (its dates and its log entry) back to ``at``."""
    KnowledgePage.objects.filter(pk=page.pk).update(
        first_published_at=at, last_published_at=at
    )
    PageLogEntry.objects.filter(page=page, action="wagtail.publish").update(
        timestamp=at
    )
    return page


def test_weeks_count_pages_due_and_reviewed(community, lead, settings):
    settings.TIME_ZONE = "UTC"
    # Due 18 days before this week (182-day interval), verified yesterday.
    stale = published(
        make_page(community, title="Old but verified"), MONDAY - timedelta(days=200)
    )
    knowledge_page_verify(page=stale, by=lead)
    PageLogEntry.objects.filter(page=stale, action="hallway.page.verify").update(
        timestamp=NOW - timedelta(days=1)
    )
    KnowledgePage.objects.filter(pk=stale.pk).update(
        verified_at=NOW - timedelta(days=1)
    )
    # Fresh: published last week, never due.
    published(make_page(community, title="Fresh page"), MONDAY - timedelta(days=5))
    # A source it was curated from changed this week.
    moved = published(
        make_page(community, title="Source moved"), MONDAY - timedelta(days=30)
    )
    KnowledgeSource.objects.create(
        page=moved,
        kind="url",
        url="https://example.org/x",
        title="X",
        changed_at=MONDAY + timedelta(days=1),
    )
    # Another community's page and a draft are not counted.
    other = make_community(slug="other", title="Other")
    published(make_page(other, title="Elsewhere"), MONDAY - timedelta(days=300))
    make_page(community, title="Draft only", publish=False)

    rows = review_weeks(community_ids={community.pk}, weeks=12, now=NOW)

    assert [row["week"].isoformat() for row in rows[-2:]] == [
        "2026-11-16",
        "2026-11-23",
    ]
    assert [row["due"] for row in rows] == [0] * 8 + [1, 1, 1, 1]
    assert [row["reviewed"] for row in rows] == [0] * 6 + [1, 0, 0, 0, 1, 1]


def test_verifying_is_in_the_page_history(community, lead):
    page = make_page(community, title="Checked page")
    knowledge_page_verify(page=page, by=lead)
    entry = PageLogEntry.objects.get(page=page, action="hallway.page.verify")
    assert entry.user == lead


def test_dashboard_draws_the_review_chart_in_constant_queries(client, community, lead):
    make_page(community, title="First page")
    client.force_login(lead)
    url = reverse("curation:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    data = json.loads(
        re.search(
            r'<script id="review-[^"]*-data" type="application/json">(.*?)</script>',
            html,
        ).group(1)
    )
    assert [d["key"] for d in data["datasets"]] == ["due", "reviewed"]
    assert data["datasets"][1]["data"][-1] == 1  # published this week
    for n in range(4):
        make_page(community, title=f"Another page {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_only_leads_see_the_review_chart_on_the_community_page(
    client, community, lead, member
):
    make_page(community, title="Some page")
    client.force_login(member)
    assert "review-chart" not in client.get(community.url).content.decode()
    client.force_login(lead)
    assert "review-chart" in client.get(community.url).content.decode()


def test_the_demo_tells_a_review_story(db):
    """The demo backdates some pages: one overdue now, one verified after weeks
    overdue, so the chart and the "Due for review" list have something to show."""
    load_demo(log=lambda line: None)
    lead = User.objects.get(username="lead")
    due = [page.slug for page in knowledge_pages_due_for_review(user=lead)]
    assert "service-checklist" in due and "deploying-to-production" not in due
    platform = KnowledgePage.objects.get(slug="deploying-to-production").get_parent()
    rows = review_weeks(community_ids={platform.pk})
    assert any(row["due"] for row in rows[:-3])  # overdue weeks ago
    assert sum(row["reviewed"] for row in rows) >= 1
