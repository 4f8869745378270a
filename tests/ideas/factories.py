"""Campaigns and ideas for tests, built through the services."""

from kb.ideas import services


def make_campaign(
    *, by, community=None, title="How do we halve lease paperwork?", **kwargs
):
    """A campaign opened by ``by`` (a lead of ``community`` or an admin)."""
    return services.campaign_create(
        by=by,
        title=title,
        description=kwargs.pop("description", "Tell us."),
        community=community,
        **kwargs,
    )


def make_idea(*, campaign, author, title="Sign lease contracts digitally", **kwargs):
    """An idea posted by ``author``."""
    return services.idea_create(
        campaign=campaign,
        author=author,
        title=title,
        body=kwargs.pop("body", "Use e-signatures for every lease contract."),
        **kwargs,
    )
