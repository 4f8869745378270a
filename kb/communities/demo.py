"""Demo communities: the Knowledge index and communities with goals and leads."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.models import PageLogEntry, Site

from people.models import User

from .models import CommunityIndexPage, CommunityPage, KnowledgePage, Membership
from .services import (
    community_setup,
    knowledge_page_create,
    knowledge_page_verify,
    membership_join,
)

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
        # The imported Stack Exchange sample: labelled as such, and not led by the
        # demo's community lead, so her dashboard shows the company's own content.
        "slug": "cardano",
        "title": "Cardano (imported sample)",
        "goal": "Show how an imported Stack Exchange site reads inside Hallway.",
        "description": (
            "A sample of the Cardano Stack Exchange, imported with its authors "
            "and votes (CC BY-SA 4.0, attributed on every post)."
        ),
        "lead": "admin",
        "members": ["bram", "chen"],
    },
]


def _general_spec() -> dict:
    """The general community for everyday questions; everyone in the demo is in it."""
    return {
        "slug": settings.HALLWAY_GENERAL_COMMUNITY_SLUG,
        "title": settings.HALLWAY_GENERAL_COMMUNITY_TITLE,
        "goal": "Everyday questions get an answer, whoever and wherever you are.",
        "description": "HR, facilities, travel, tools: anything without a community.",
        "lead": "lead",
        "members": ["alice", "bram", "chen"],
        "join_policy": "open",
    }


def load() -> list[CommunityPage]:
    """Create the Knowledge index and demo communities once."""
    home = Site.objects.get(is_default_site=True).root_page  # home.demo made it
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
    for spec in [*DEMO_COMMUNITIES, _general_spec()]:
        community = CommunityPage.objects.filter(slug=spec["slug"]).first()
        if community is None:
            community = CommunityPage(
                title=spec["title"],
                slug=spec["slug"],
                goal=spec["goal"],
                description=spec["description"],
                join_policy=spec.get("join_policy", "request"),
            )
            index.add_child(instance=community)
            community.save_revision().publish()
        community_setup(community=community)
        membership_join(
            community=community,
            user=User.objects.get(username=spec["lead"]),
            role=Membership.Role.LEAD,
        )
        for username in spec["members"]:
            membership_join(
                community=community, user=User.objects.get(username=username)
            )
        _load_pages(community, author=User.objects.get(username=spec["lead"]))
        communities.append(community)
    return communities


def _load_pages(community: CommunityPage, *, author) -> None:
    existing = set(
        KnowledgePage.objects.child_of(community).values_list("slug", flat=True)
    )
    for spec in DEMO_PAGES.get(community.slug, []):
        if spec["slug"] in existing:
            continue
        page = knowledge_page_create(
            community=community,
            author=author,
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"],
            tags=spec["tags"],
            publish=True,
        )
        if page.slug != spec["slug"]:
            page.slug = spec["slug"]
            page.save_revision(user=author).publish(user=author)
        if spec["slug"] in DEMO_HISTORY:
            _backdate(page, *DEMO_HISTORY[spec["slug"]], lead=author)


# A past for some demo pages, so the lead dashboard's review chart and "Due for
# review" list tell a story: (published days ago, review interval in days,
# verified days ago or None).
DEMO_HISTORY = {
    "deploying-to-production": (150, 90, 20),  # was overdue for weeks, verified
    "service-checklist": (100, 90, None),  # overdue since 10 days
    "metric-definitions": (60, 182, None),
    "data-quality-checks": (30, 182, 9),
}


def _backdate(page: KnowledgePage, published: int, interval: int, verified, *, lead):
    """Move a new demo page's publication (and a verification) into the past,
    in its own dates and in its history (Wagtail's log)."""
    now = timezone.now()
    at = now - timedelta(days=published)
    fields: dict = {
        "first_published_at": at,
        "last_published_at": at,
        "review_interval_days": interval,
    }
    PageLogEntry.objects.filter(page=page, action="wagtail.publish").update(
        timestamp=at
    )
    if verified is not None:
        knowledge_page_verify(page=page, by=lead)
        checked = now - timedelta(days=verified)
        fields["verified_at"] = checked
        PageLogEntry.objects.filter(page=page, action="hallway.page.verify").update(
            timestamp=checked
        )
    KnowledgePage.objects.filter(pk=page.pk).update(**fields)


DEMO_PAGES = {
    "platform": [
        {
            "slug": "deploying-to-production",
            "title": "Deploying to production",
            "summary": "How a change gets from a merged pull request to production, "
            "and how to roll it back.",
            "tags": ["deploy", "ci"],
            "body": [
                (
                    "markdown",
                    "## Before you deploy\n\n"
                    "- The pipeline on `main` is green.\n"
                    "- Database migrations are backwards compatible "
                    "(add columns, never rename in one step).\n"
                    "- Someone from your team is around for the next hour.\n\n"
                    "## Deploying\n\n"
                    "Deploys run from the pipeline. To start one by hand:\n\n"
                    "```bash\ndeployctl release --service billing --env prod\n```\n",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": "No deploys after 15:00 on Fridays unless you are "
                        "fixing an incident.",
                    },
                ),
                (
                    "markdown",
                    "## Rolling back\n\n"
                    "Rolling back is always safe for stateless services:\n\n"
                    "```bash\ndeployctl rollback --service billing --env prod\n```\n\n"
                    "## After the deploy\n\n"
                    "Watch the service dashboard for ten minutes: error rate, "
                    "p95 latency and saturation.",
                ),
            ],
        },
        {
            "slug": "service-checklist",
            "title": "New service checklist",
            "summary": "Everything a new service needs before it takes traffic.",
            "tags": ["paved-road"],
            "body": [
                (
                    "markdown",
                    "## The checklist\n\n"
                    "| Item | Why |\n|---|---|\n"
                    "| Health endpoint `/healthz` | The load balancer needs it |\n"
                    "| Structured logs | Searchable in one place |\n"
                    "| An owner team in the catalogue | Someone gets paged |\n"
                    "| A runbook | The person paged at 3am is not you |\n",
                ),
                (
                    "code",
                    {
                        "language": "yaml",
                        "code": "service:\n  name: billing\n  owner: payments\n"
                        "  healthcheck: /healthz\n  replicas: 3\n",
                        "caption": "service.yaml",
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": "Start from the **service template**: it ticks half "
                        "of this list for you.",
                    },
                ),
            ],
        },
    ],
    "data": [
        {
            "slug": "metric-definitions",
            "title": "Where metric definitions live",
            "summary": "One definition per metric, versioned with the code that "
            "computes it.",
            "tags": ["metrics", "dbt"],
            "body": [
                (
                    "markdown",
                    "## One source of truth\n\n"
                    "Every company metric is defined once, in the `metrics/` folder "
                    "of the analytics repository, next to the model computing it.\n\n"
                    "## Adding a metric\n\n"
                    "1. Write the SQL model.\n2. Add the definition.\n"
                    "3. Ask a lead of this community for review.\n",
                ),
                (
                    "code",
                    {
                        "language": "sql",
                        "code": "select date_trunc('week', created_at) as week,\n"
                        "       count(distinct user_id) as weekly_active_users\n"
                        "from events\ngroup by 1",
                        "caption": "weekly_active_users.sql",
                    },
                ),
            ],
        },
        {
            "slug": "data-quality-checks",
            "title": "Data quality checks",
            "summary": "Which checks every pipeline runs and what to do when "
            "one fails.",
            "tags": ["data-quality"],
            "body": [
                (
                    "markdown",
                    "## Checks on every table\n\n"
                    "- Freshness: loaded within its SLA.\n"
                    "- Row counts within 3 standard deviations of last week.\n"
                    "- Primary keys unique and not null.\n",
                ),
                (
                    "callout",
                    {
                        "kind": "note",
                        "text": "A failed check blocks downstream dashboards; it "
                        "does not delete data.",
                    },
                ),
            ],
        },
    ],
    "cardano": [
        {
            "slug": "running-a-node",
            "title": "Running a Cardano node",
            "summary": "Start a relay node, check that it syncs, and keep it healthy.",
            "tags": ["cardano-node"],
            "body": [
                (
                    "markdown",
                    "## Starting the node\n\n"
                    "The node needs its configuration and topology files for the "
                    "network you join.\n",
                ),
                (
                    "code",
                    {
                        "language": "bash",
                        "code": "cardano-node run \\\n"
                        "  --config config.json \\\n"
                        "  --topology topology.json \\\n"
                        "  --database-path db \\\n"
                        "  --socket-path db/node.socket \\\n"
                        "  --port 3001",
                        "caption": "",
                    },
                ),
                (
                    "markdown",
                    "## Checking sync progress\n\n"
                    "```bash\ncardano-cli query tip --mainnet\n```\n\n"
                    "`syncProgress` reaches `100.00` when the node has caught up.",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": "Keep block-producer keys off relay nodes.",
                    },
                ),
            ],
        },
        {
            "slug": "plutus-basics",
            "title": "Plutus validator basics",
            "summary": "What a validator script receives and how it decides.",
            "tags": ["plutus", "smart-contracts"],
            "body": [
                (
                    "markdown",
                    "## Datum, redeemer, context\n\n"
                    "A validator gets the **datum** locked with the output, the "
                    "**redeemer** supplied by the spender, and the **script "
                    "context** describing the transaction.\n",
                ),
                (
                    "code",
                    {
                        "language": "haskell",
                        "code": "mkValidator :: Datum -> Redeemer -> ScriptContext"
                        " -> Bool\nmkValidator _ _ _ = True",
                        "caption": "The simplest (and least safe) validator",
                    },
                ),
            ],
        },
    ],
}
