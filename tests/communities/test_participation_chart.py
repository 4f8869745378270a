"""The participation chart for leads (#18): per week, how many members
created, contributed or only read, as stacked bars (Chart.js, drawn in the
browser: tests/e2e/test_layout.py) with a data table."""

import json
import re
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journals.models import Entry
from kb.communities.models import Membership
from kb.qa.models import Answer, Question, Vote
from reputation.selectors import participation_weeks
from tests.factories import UserFactory
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday


def at(model, obj, days_ago: float) -> None:
    model.objects.filter(pk=obj.pk).update(created_at=NOW - timedelta(days=days_ago))


def test_each_member_counts_once_a_week_at_their_highest_level(
    community, lead, team_member, member, settings
):
    settings.TIME_ZONE = "UTC"
    Membership.objects.filter(community=community).update(
        joined_at=NOW - timedelta(days=100)
    )
    outsider = UserFactory(username="olga")  # not a member: never counted
    question = make_question(
        community=community, author=member, title="Asked this week"
    )
    at(Question, question, 1)
    answer = make_answer(question=question, author=team_member)
    at(Answer, answer, 1)
    # The asker also answers: still one creator, not a contributor too.
    own = make_answer(question=question, author=member)
    at(Answer, own, 1)
    vote = Vote.objects.create(user=lead, answer=answer, value=1)
    at(Vote, vote, 9)
    private = make_entry(author=lead, visibility=Entry.Visibility.PRIVATE)
    at(Entry, private, 1)  # private writing is not shared: not creating
    theirs = make_question(
        community=community, author=outsider, title="Not our community"
    )
    at(Question, theirs, 1)

    rows = participation_weeks(community_ids={community.pk}, now=NOW)

    assert len(rows) == 12 and rows[-1]["week"].isoformat() == "2026-11-23"
    assert rows[-1] | {"week": None} == {
        "week": None,
        "members": 3,
        "creators": 1,
        "contributors": 1,
        "readers": 1,
    }
    assert rows[-2] | {"week": None} == {
        "week": None,
        "members": 3,
        "creators": 0,
        "contributors": 1,
        "readers": 2,
    }
    assert all(row["creators"] + row["contributors"] == 0 for row in rows[:-2])


def test_members_count_from_the_week_they_joined(community, member, settings):
    settings.TIME_ZONE = "UTC"
    Membership.objects.filter(community=community).update(
        joined_at=NOW - timedelta(days=100)
    )
    Membership.objects.filter(community=community, user=member).update(
        joined_at=NOW - timedelta(days=2)
    )
    rows = participation_weeks(community_ids={community.pk}, now=NOW)
    assert [rows[-2]["members"], rows[-1]["members"]] == [2, 3]


def test_leads_see_the_chart_members_do_not(client, community, lead, member):
    make_question(community=community, author=member, title="A fresh question")
    client.force_login(lead)
    html = client.get(reverse("curation:dashboard")).content.decode()
    chart = html[html.index("participation-chart") :]
    assert '<canvas data-chart="participation-' in chart and 'role="img"' in chart
    data = json.loads(
        re.search(
            r'<script id="participation-[^"]*" type="application/json">(.*?)</script>',
            chart,
        ).group(1)
    )
    assert data["stacked"] is True and len(data["labels"]) == 12
    assert [d["key"] for d in data["datasets"]] == [
        "creators",
        "contributors",
        "readers",
    ]
    assert data["datasets"][0]["data"][-1] == 1  # the member who asked this week
    assert "Participation per week" in chart
    assert (
        "Participation over the last twelve weeks"
        in client.get(community.url).content.decode()
    )

    client.force_login(member)
    assert "participation-chart" not in client.get(community.url).content.decode()


def test_the_chart_reads_a_constant_number_of_queries(client, community, lead, member):
    client.force_login(lead)
    url = reverse("curation:dashboard")
    make_question(community=community, author=member, title="The first one")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        someone = UserFactory(username=f"p{n}")
        Membership.objects.create(community=community, user=someone)
        question = make_question(
            community=community, author=someone, title=f"Question number {n}"
        )
        make_answer(question=question, author=member)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
