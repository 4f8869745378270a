"""The demo campaign tells the story: a dozen ideas, votes, answers."""

import pytest
from django.core.management import call_command

from kb.ideas.demo import CAMPAIGN_TITLE
from kb.ideas.models import Campaign, IdeaVote

pytestmark = pytest.mark.django_db


def test_demo_campaign():
    call_command("load_demo", verbosity=0)
    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    ideas = list(campaign.ideas.all())
    assert len(ideas) == 12
    assert IdeaVote.objects.filter(idea__campaign=campaign).count() >= 15
    declined = [i for i in ideas if i.status == "declined"]
    assert len(declined) == 1 and len(declined[0].status_note) > 20
    done = [i for i in ideas if i.status == "done"]
    assert len(done) == 1 and done[0].knowledge_page is not None
    assert all(i.vote_count == i.votes.count() for i in ideas)
    assert Campaign.objects.filter(is_idea_box=True).exists()
