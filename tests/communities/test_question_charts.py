"""Charts for leads (#18): questions per week and the median wait for a first
answer, drawn in the browser with Chart.js from data the server embeds, with
the numbers in a table."""

import json
import re
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hallway.charts import chart_data
from kb.curation.selectors import question_weeks
from kb.qa.models import Question
from tests.communities.factories import make_community
from tests.qa.factories import make_question

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday


def asked(community, author, *, days_ago: float, answered_after_h=None, **kwargs):
    question = make_question(community=community, author=author, **kwargs)
    created = NOW - timedelta(days=days_ago)
    first = created + timedelta(hours=answered_after_h) if answered_after_h else None
    Question.objects.filter(pk=question.pk).update(
        created_at=created, first_answer_at=first
    )
    return question


def test_weeks_count_asked_unanswered_and_median_wait(community, member, settings):
    settings.TIME_ZONE = "UTC"
    other = make_community(slug="other", title="Other")
    asked(community, member, days_ago=1, answered_after_h=2, title="This week one")
    asked(community, member, days_ago=2, answered_after_h=6, title="This week two")
    asked(community, member, days_ago=3, title="This week, no answer yet")
    asked(community, member, days_ago=8, answered_after_h=30, title="Last week one")
    gone = asked(community, member, days_ago=1, title="Deleted question here")
    Question.objects.filter(pk=gone.pk).update(is_deleted=True)
    asked(other, member, days_ago=1, title="In another community")
    asked(community, member, days_ago=200, title="Long ago, out of range")

    rows = question_weeks(community_ids={community.pk}, weeks=12, now=NOW)

    assert len(rows) == 12
    assert rows[-1]["week"].isoformat() == "2026-11-23"  # this week's Monday
    assert rows[-1] | {"week": None} == {
        "week": None,
        "asked": 3,
        "unanswered": 1,
        "median_hours": 4.0,
    }
    assert (rows[-2]["asked"], rows[-2]["median_hours"]) == (1, 30.0)
    assert sum(row["asked"] for row in rows) == 4
    assert rows[0]["median_hours"] is None


def test_chart_data_is_one_label_and_one_value_per_row():
    rows = [{"n": 3, "m": None, "l": "a"}, {"n": 0, "m": 2.5, "l": "b"}]
    data = chart_data(
        rows, label_key="l", series=[("n", "N"), ("m", "M")], stacked=True
    )
    assert data["labels"] == ["a", "b"]
    assert data["datasets"] == [
        {"key": "n", "label": "N", "data": [3, 0]},
        {"key": "m", "label": "M", "data": [None, 2.5]},
    ]
    assert data["stacked"] is True and data["legend"] is True


def test_dashboard_and_community_page_show_charts_with_their_numbers(
    client, community, lead, member
):
    question = make_question(
        community=community, author=member, title="A fresh question"
    )
    client.force_login(lead)
    html = client.get(reverse("curation:dashboard")).content.decode()
    assert "<canvas data-chart=" in html and 'role="img"' in html
    assert "Questions asked per week" in html
    table = html[html.index('<details class="chart-data">') :]
    assert "<td>1</td><td>1</td><td>–</td>" in table  # asked, unanswered, no median
    asked = json.loads(
        re.search(
            r'<script id="chart-[^"]*-asked" type="application/json">(.*?)</script>',
            html,
        ).group(1)
    )
    answered, unanswered = asked["datasets"]
    assert (answered["data"][-1], unanswered["data"][-1]) == (0, 1)

    page_html = client.get(community.url).content.decode()
    assert "<canvas data-chart=" in page_html
    assert question.title not in page_html[page_html.index("question-charts") :]


def test_charts_read_one_query_whatever_the_number_of_questions(
    client, community, lead, member
):
    client.force_login(lead)
    url = reverse("curation:dashboard")
    make_question(community=community, author=member, title="The first one")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        make_question(community=community, author=member, title=f"Another one {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
