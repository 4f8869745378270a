"""Demo journals: alice, bram, chen and lead writing with mixed visibility."""

from datetime import timedelta

from django.utils import timezone

from hallway.markdown import render_markdown, render_plain_with_links
from kb.communities.models import CommunityPage
from people.models import User

from .models import (
    Entry,
    EntryComment,
    JournalSettings,
    PersonFollow,
    Reaction,
    TagFollow,
)
from .services import entry_announce, entry_comment_announce

# author, days ago, title, body, tags, visibility, community slug, prompt
DEMO_ENTRIES = [
    (
        "alice",
        0,
        "Canary deploys for the billing service",
        "Working on moving billing to canary deploys: 5% of traffic for 10 minutes, "
        "then the rest. The rollback hook is the tricky part.",
        ["deploys", "billing"],
        "organisation",
        None,
        "working_on",
    ),
    (
        "alice",
        1,
        "EXPLAIN ANALYZE beats guessing",
        "Learned that `EXPLAIN (ANALYZE, BUFFERS)` shows the real row counts.\n\n"
        "```sql\nEXPLAIN (ANALYZE, BUFFERS)\n"
        "SELECT * FROM invoices WHERE due < now();\n```",
        ["postgres", "performance"],
        "organisation",
        None,
        "learned",
    ),
    (
        "alice",
        2,
        "Flaky integration tests on CI",
        "Stuck on integration tests that hang on CI but never locally. The runner "
        "seems to wait on a socket that never closes. Anyone seen this?",
        ["ci", "testing"],
        "organisation",
        None,
        "stuck",
    ),
    (
        "alice",
        3,
        "Platform office hours notes",
        "Notes from office hours: three teams asked about secrets rotation. We should "
        "write a knowledge page.",
        ["secrets"],
        "community",
        "platform",
        "",
    ),
    (
        "alice",
        4,
        "Personal: things to ask my lead",
        "- career ladder questions\n- conference budget",
        [],
        "private",
        None,
        "",
    ),
    (
        "alice",
        5,
        "Terraform plan in pull requests",
        "Learned to post `terraform plan` output as a PR comment; reviews got faster.",
        ["terraform", "ci"],
        "organisation",
        None,
        "learned",
    ),
    (
        "alice",
        6,
        "Dashboards for the data community",
        "Working on a dashboard of pipeline freshness per source.",
        ["dashboards"],
        "community",
        "data",
        "working_on",
    ),
    (
        "bram",
        0,
        "Node sync is slow after upgrade",
        "Stuck on a Cardano node that takes hours to sync after the upgrade.",
        ["cardano", "nodes"],
        "community",
        "cardano",
        "stuck",
    ),
    (
        "bram",
        2,
        "Helm chart linting",
        "Learned that `helm lint --strict` catches missing values early.",
        ["kubernetes", "helm"],
        "organisation",
        None,
        "learned",
    ),
    (
        "bram",
        5,
        "Draft: reorg thoughts",
        "Not ready to share yet.",
        [],
        "private",
        None,
        "",
    ),
    (
        "bram",
        9,
        "Rolling restarts without downtime",
        "Working on a PodDisruptionBudget for every service in the paved road.",
        ["kubernetes", "deploys"],
        "community",
        "platform",
        "working_on",
    ),
    (
        "chen",
        1,
        "Metric definitions live in one place",
        "Learned that our two revenue dashboards disagree because of different "
        "definitions of *active customer*. Writing one definition down.",
        ["metrics", "dashboards"],
        "organisation",
        None,
        "learned",
    ),
    (
        "chen",
        3,
        "dbt tests for freshness",
        "Working on `dbt source freshness` checks for the three biggest sources.",
        ["dbt", "data-quality"],
        "community",
        "data",
        "working_on",
    ),
    (
        "chen",
        8,
        "Stuck on timezone bugs in reports",
        "Stuck on weekly reports that shift by one day around DST changes.",
        ["timezones", "reports"],
        "organisation",
        None,
        "stuck",
    ),
    (
        "lead",
        1,
        "What I want from the platform community this quarter",
        "Fewer tickets, more paved road. I read your journals every Friday.",
        ["planning"],
        "organisation",
        None,
        "",
    ),
    (
        "lead",
        6,
        "Hiring notes",
        "Private notes on interviews.",
        [],
        "private",
        None,
        "",
    ),
]

# Older, shorter entries so the heatmap and streak look lived in.
ROUTINE = [
    ("alice", [10, 11, 13, 16, 17, 20, 24, 27, 31, 33, 38, 41, 45, 52, 60, 75, 90]),
    ("bram", [12, 15, 19, 26, 33, 40, 47]),
    ("chen", [4, 5, 6, 11, 14, 18, 22, 29, 36]),
    ("lead", [13, 20, 27, 34]),
]
ROUTINE_NOTES = [
    ("Reviewed pull requests for the {}", ["review"], "working_on"),
    ("Paired on a tricky migration in the {}", ["postgres"], "learned"),
    ("Wrote runbook notes for the {}", ["runbooks"], "working_on"),
    ("Tried feature flags in the {}", ["deploys"], "learned"),
]
# Crossed with the notes (4 x 7 combinations) so every routine title is distinct.
ROUTINE_TOPICS = [
    "lease calculator",
    "contract archive",
    "customer portal",
    "fleet data pipeline",
    "payments service",
    "onboarding flow",
    "damage claims app",
]

FOLLOWS = [
    ("bram", "alice"),
    ("chen", "alice"),
    ("lead", "alice"),
    ("lead", "bram"),
    ("lead", "chen"),
    ("alice", "chen"),
    ("alice", "bram"),
]
TAG_FOLLOWS = [("bram", "postgres"), ("chen", "deploys"), ("alice", "dashboards")]
REACTIONS = [
    ("bram", "alice", "EXPLAIN ANALYZE beats guessing", "helpful"),
    ("chen", "alice", "EXPLAIN ANALYZE beats guessing", "thanks"),
    ("lead", "alice", "EXPLAIN ANALYZE beats guessing", "helpful"),
    ("bram", "alice", "Flaky integration tests on CI", "me_too"),
    ("chen", "alice", "Flaky integration tests on CI", "me_too"),
    ("alice", "chen", "Metric definitions live in one place", "helpful"),
    ("lead", "bram", "Helm chart linting", "thanks"),
]
COMMENTS = [
    (
        "bram",
        "alice",
        "Flaky integration tests on CI",
        "Same here: it went away when we set a socket timeout in the test client.",
    ),
    (
        "lead",
        "alice",
        "Canary deploys for the billing service",
        "Let's demo this at the next platform meeting.",
    ),
    (
        "alice",
        "chen",
        "Metric definitions live in one place",
        "Can this become a knowledge page in the data community?",
    ),
]


def _at(days_ago: int, hour: int = 10):
    moment = timezone.localtime() - timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=15, second=0, microsecond=0)


def _entry(people, communities, author, days_ago, title, body, tags, vis, slug, prompt):
    existing = Entry.objects.filter(author=people[author], title=title).first()
    if existing:
        return existing
    entry = Entry.objects.create(
        author=people[author],
        title=title,
        body=body,
        body_html=render_markdown(body),
        visibility=vis,
        community=communities.get(slug) if slug else None,
        prompt=prompt,
        created_at=min(_at(days_ago), timezone.now()),
    )
    entry.tags.set(tags)
    entry_announce(entry.pk, "created", visibility=entry.visibility)
    return entry


def load() -> list[Entry]:
    """Create the demo journals once; later runs change nothing."""
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["alice", "bram", "chen", "lead"])
    }
    if len(people) < 4:
        return []
    communities = {c.slug: c for c in CommunityPage.objects.all()}
    entries = {}
    for spec in DEMO_ENTRIES:
        entry = _entry(people, communities, *spec)
        entries[(spec[0], spec[2])] = entry
    for author, days in ROUTINE:
        for n, days_ago in enumerate(days):
            note, tags, prompt = ROUTINE_NOTES[n % len(ROUTINE_NOTES)]
            title = note.format(ROUTINE_TOPICS[n % len(ROUTINE_TOPICS)])
            body = f"{title}. Short note to keep the habit going."
            vis = "organisation" if n % 3 else "private"
            _entry(
                people,
                communities,
                author,
                days_ago,
                title,
                body,
                tags,
                vis,
                None,
                prompt,
            )
    for follower, followed in FOLLOWS:
        PersonFollow.objects.get_or_create(
            follower=people[follower], followed=people[followed]
        )
    for follower, tag in TAG_FOLLOWS:
        TagFollow.objects.get_or_create(follower=people[follower], tag_name=tag)
    for user, author, title, kind in REACTIONS:
        Reaction.objects.get_or_create(
            entry=entries[(author, title)], user=people[user], kind=kind
        )
    for user, author, title, body in COMMENTS:
        comment, created = EntryComment.objects.get_or_create(
            entry=entries[(author, title)],
            author=people[user],
            body=body,
            defaults={"body_html": render_plain_with_links(body)},
        )
        if created:
            entry_comment_announce(comment.pk, comment.entry_id, "created")
    for person in people.values():
        JournalSettings.objects.get_or_create(user=person)
    return list(entries.values())
