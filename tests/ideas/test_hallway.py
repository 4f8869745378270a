"""The hallway shows new ideas of my communities' campaigns, never others'."""

from home.feed import hallway_sections
from tests.communities.factories import make_community
from tests.ideas.factories import make_idea


def test_ideas_in_my_communities_reach_my_hallway(campaign, user, other_user, lead):
    idea = make_idea(campaign=campaign, author=user)
    [item] = hallway_sections(viewer=other_user)["idea"]
    assert item.key == idea.pk and item.url == idea.get_absolute_url()
    assert "Platform" in item.reason
    assert hallway_sections(viewer=user)["idea"] == []  # not my own


def test_ideas_of_other_communities_stay_out(campaign, user, outsider, lead):
    make_idea(campaign=campaign, author=user)
    make_community(slug="data", title="Data", members=[outsider])
    assert hallway_sections(viewer=outsider)["idea"] == []


def test_organisation_wide_ideas_are_not_community_news(org_campaign, user, other_user):
    make_idea(campaign=org_campaign, author=user)
    assert hallway_sections(viewer=other_user)["idea"] == []
