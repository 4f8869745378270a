"""Demo campaign: a dozen ideas, votes from the demo people, one declined with a
reason, one done and linked to the knowledge page that describes it."""

from datetime import timedelta

from django.utils import timezone

from kb.communities.models import KnowledgePage
from kb.communities.selectors import community_get
from people.models import User

from . import services
from .models import Campaign, Idea

CAMPAIGN_TITLE = "How do we halve the paperwork of shipping a new service?"

# title, author, body, tags, voters, days ago
DEMO_IDEAS = [
    (
        "One checklist page instead of five forms",
        "alice",
        "Put every step a new service needs on **one** knowledge page with links, "
        "and retire the five separate request forms.",
        ["paved-road", "forms"],
        ["bram", "chen", "lead"],
        20,
    ),
    (
        "Pre-approved service templates",
        "bram",
        "A repository template with CI, alerts and the runbook skeleton already "
        "approved by security, so nobody fills in the same questions twice.",
        ["templates", "security"],
        ["alice", "chen"],
        18,
    ),
    (
        "Sign off production access in the chat tool",
        "chen",
        "Approvals for production access take days by e-mail; a button in the "
        "team chat would take minutes.",
        ["access", "chat"],
        ["alice"],
        16,
    ),
    (
        "Generate the architecture diagram from code",
        "alice",
        "Draw the diagram from the deployment manifests instead of by hand for "
        "every review.",
        ["diagrams"],
        ["bram"],
        15,
    ),
    (
        "A 'paperwork budget' per team",
        "lead",
        "Each team gets an hour a week of paperwork; anything above is a bug "
        "report against the process.",
        ["process"],
        ["alice", "bram", "chen"],
        14,
    ),
    (
        "Skip the review board for low-risk changes",
        "bram",
        "Changes that only touch configuration behind a feature flag could skip "
        "the weekly change advisory board.",
        ["process", "change"],
        ["chen"],
        12,
    ),
    (
        "Print every form on paper and archive it",
        "chen",
        "Keep a paper archive of all service forms for the auditors.",
        ["audit"],
        [],
        11,
    ),
    (
        "Shared glossary for service names",
        "alice",
        "Half the forms ask for the same service under a different name.",
        ["naming"],
        ["lead"],
        9,
    ),
    (
        "Office hours with security every Tuesday",
        "bram",
        "Thirty minutes where anyone can get a security question answered "
        "instead of filing a ticket.",
        ["security"],
        ["alice", "chen", "lead"],
        7,
    ),
    (
        "Cost estimate from the manifest",
        "chen",
        "Estimate the monthly cost from the resource requests, so finance needs "
        "no spreadsheet.",
        ["finance"],
        ["bram"],
        5,
    ),
    (
        "Auto-fill the on-call rota from the team page",
        "alice",
        "The on-call form asks for names the team page already lists.",
        ["on-call"],
        [],
        3,
    ),
    (
        "Retire forms nobody read last year",
        "lead",
        "Count how often each form was opened by its reviewers; remove the ones "
        "nobody opened.",
        ["forms", "process"],
        ["chen"],
        1,
    ),
]


def load() -> Campaign:
    """Create the demo campaign once (running again adds nothing)."""
    existing = Campaign.objects.filter(title=CAMPAIGN_TITLE).first()
    if existing is not None:
        return existing
    people = {u.username: u for u in User.objects.filter(is_active=True)}
    admin, lead = people["admin"], people["lead"]
    campaign = services.campaign_create(
        by=admin,
        title=CAMPAIGN_TITLE,
        description=(
            "Shipping a new service takes five forms, three approvals and two "
            "weeks. Every idea counts the same: vote for the ones you would use. "
            "Lena Lead sponsors this campaign and answers every idea."
        ),
        community=None,
        sponsor=lead,
        votes_per_person=10,
    )
    now = timezone.now()
    ideas: dict[str, Idea] = {}
    for title, author, body, tags, voters, days in DEMO_IDEAS:
        idea = services.idea_create(
            campaign=campaign,
            author=people[author],
            title=title,
            body=body,
            tags=tags,
        )
        posted = now - timedelta(days=days)
        Idea.objects.filter(pk=idea.pk).update(created_at=posted)
        idea.credits.update(first_posted_at=posted)
        for voter in voters:
            services.vote_cast(user=people[voter], idea=idea, value=1)
        ideas[title] = idea
    services.idea_status_set(
        idea=ideas["Print every form on paper and archive it"],
        by=lead,
        status=Idea.Status.DECLINED,
        note=(
            "The auditors accept the digital archive since last year, and paper "
            "copies would add work rather than remove it. Thank you for raising "
            "the audit angle: it is now a line on the checklist page."
        ),
    )
    page = KnowledgePage.objects.live().filter(slug="service-checklist").first()
    first = ideas["One checklist page instead of five forms"]
    for status in (Idea.Status.SELECTED, Idea.Status.IN_PROGRESS):
        services.idea_status_set(idea=first, by=lead, status=status)
    services.idea_status_set(
        idea=first,
        by=lead,
        status=Idea.Status.DONE,
        note="Live: the new service checklist replaces the five forms.",
        knowledge_page=page,
    )
    services.idea_status_set(
        idea=ideas["Office hours with security every Tuesday"],
        by=lead,
        status=Idea.Status.UNDER_REVIEW,
        note="Asking the security team which day suits them.",
    )
    services.comment_create(
        idea=ideas["Pre-approved service templates"],
        author=people["chen"],
        body="Yes please, and include the alert rules.",
    )
    platform = community_get(slug="platform")
    if platform is not None:
        box = services.idea_box_for(community=platform)
        services.idea_create(
            campaign=box,
            author=people["bram"],
            title="Quiet hours for deploy notifications",
            body="Batch non-urgent deploy notifications into one message per hour.",
            tags=["deploy"],
        )
    return campaign
