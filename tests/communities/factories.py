"""Communities and knowledge pages for tests, built through the services."""

from home.demo import load as home_load
from kb.communities.models import CommunityIndexPage, CommunityPage, Membership
from kb.communities.services import knowledge_page_create, membership_join


def knowledge_index() -> CommunityIndexPage:
    """The Knowledge section under the home page (created once)."""
    index = CommunityIndexPage.objects.first()
    if index is None:
        home = home_load()
        index = CommunityIndexPage(title="Knowledge", slug="knowledge")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def make_community(
    *,
    slug: str = "platform",
    title: str = "Platform",
    lead=None,
    team=(),
    members=(),
    join_policy: str = CommunityPage.JoinPolicy.REQUEST,
) -> CommunityPage:
    """A published community with its lead, team and members."""
    community = CommunityPage(
        title=title, slug=slug, goal=f"Why {title} exists.", join_policy=join_policy
    )
    knowledge_index().add_child(instance=community)
    community.save_revision().publish()
    community.refresh_from_db()
    if lead is not None:
        membership_join(community=community, user=lead, role=Membership.Role.LEAD)
    for user in team:
        membership_join(community=community, user=user, role=Membership.Role.TEAM)
    for user in members:
        membership_join(community=community, user=user)
    return community


def make_page(
    community,
    *,
    author=None,
    title="Deploying safely",
    markdown="Some text.",
    publish=True,
    **kwargs,
):
    """A knowledge page with one Markdown block."""
    return knowledge_page_create(
        community=community,
        author=author,
        title=title,
        summary=kwargs.pop("summary", f"About {title}."),
        body=[("markdown", markdown)],
        publish=publish,
        **kwargs,
    )
