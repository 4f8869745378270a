"""Exact totals under concurrent voting (threads; SQLite here, PostgreSQL in CI)."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from kb.communities.services import membership_join
from kb.ideas import services
from kb.ideas.models import Idea, IdeaVote, VoteBudget
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea


def _run(calls):
    """Run each call in its own thread; SQLite refuses a locked table, so retry."""
    errors: list = []
    outcomes: list = []

    def run(call):
        try:
            for _attempt in range(100):
                try:
                    outcomes.append(call())
                    return
                except OperationalError:
                    time.sleep(0.02)
            errors.append(call)
        except Exception as error:  # noqa: BLE001 - collected and asserted on
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_keep_the_total_exact(community, lead, user):
    campaign = make_campaign(by=lead, community=community)
    idea = make_idea(campaign=campaign, author=user)
    voters = [UserFactory() for _ in range(10)]
    for voter in voters:
        membership_join(community=community, user=voter)
    _run([lambda v=v: services.vote_cast(user=v, idea=idea, value=1) for v in voters])
    idea.refresh_from_db()
    assert idea.vote_count == IdeaVote.objects.filter(idea=idea).count() == 10


@pytest.mark.django_db(transaction=True)
def test_double_click_counts_once(community, lead, user, other_user):
    campaign = make_campaign(by=lead, community=community)
    idea = make_idea(campaign=campaign, author=user)
    _run([lambda: services.vote_cast(user=other_user, idea=idea, value=1)] * 4)
    idea.refresh_from_db()
    assert idea.vote_count == IdeaVote.objects.filter(idea=idea).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_never_exceed_the_budget(community, lead, user, other_user):
    campaign = make_campaign(by=lead, community=community, votes_per_person=2)
    ideas = [
        make_idea(campaign=campaign, author=user, title=f"Idea number {n}")
        for n in range(6)
    ]
    _run(
        [
            lambda i=i: services.vote_cast(user=other_user, idea=i, value=1)
            for i in ideas
        ]
    )
    assert IdeaVote.objects.filter(user=other_user).count() == 2
    assert VoteBudget.objects.get(user=other_user, campaign=campaign).spent == 2
    assert sum(Idea.objects.values_list("vote_count", flat=True)) == 2
