"""Demo communities: the Knowledge index and communities with goals and leads."""

from home.models import HomePage
from people.models import User

from .models import CommunityIndexPage, CommunityPage, Membership
from .services import membership_join

DEMO_COMMUNITIES = [
    {
        "slug": "platform",
        "title": "Platform engineering",
        "goal": "Every team ships safely on a shared platform without waiting for us.",
        "description": "Deployments, CI, observability and the paved road.",
        "lead": "lead",
        "members": ["alice", "bram"],
    },
    {
        "slug": "data",
        "title": "Data and analytics",
        "goal": "Decisions across offices are made with trustworthy, findable data.",
        "description": "Pipelines, dashboards, metrics definitions and data quality.",
        "lead": "lead",
        "members": ["chen", "alice"],
    },
    {
        "slug": "cardano",
        "title": "Cardano",
        "goal": "Answer questions about building on and running Cardano.",
        "description": "Questions imported from the Cardano Stack Exchange (CC BY-SA).",
        "lead": "lead",
        "members": ["bram", "chen"],
    },
]


def load() -> list[CommunityPage]:
    """Create the Knowledge index and demo communities once."""
    home = HomePage.objects.first()
    index = CommunityIndexPage.objects.first()
    if index is None:
        index = CommunityIndexPage(
            title="Knowledge",
            slug="knowledge",
            intro="Communities of practice and the knowledge pages they curate.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    communities = []
    for spec in DEMO_COMMUNITIES:
        community = CommunityPage.objects.filter(slug=spec["slug"]).first()
        if community is None:
            community = CommunityPage(
                title=spec["title"],
                slug=spec["slug"],
                goal=spec["goal"],
                description=spec["description"],
            )
            index.add_child(instance=community)
            community.save_revision().publish()
        membership_join(
            community=community,
            user=User.objects.get(username=spec["lead"]),
            role=Membership.Role.LEAD,
        )
        for username in spec["members"]:
            membership_join(
                community=community, user=User.objects.get(username=username)
            )
        communities.append(community)
    return communities
