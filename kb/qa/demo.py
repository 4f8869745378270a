"""Demo questions with answers, comments, votes, tags and accepted answers."""

from datetime import timedelta

from django.utils import timezone

from kb.communities.selectors import community_get
from people.models import User

from . import services
from .models import Answer, Comment, Question, QuestionTag

# Each question: community, asker, title, body, tags, answers (author, body,
# voters up, voters down), index of the accepted answer, comments, question voters.
DEMO_QUESTIONS = [
    {
        "community": "platform",
        "author": "alice",
        "title": "How do I roll back a bad deploy on the shared Kubernetes cluster?",
        "body": (
            "We shipped a release of `billing-api` that fails health checks on some "
            "pods. What is the fastest safe way to get back to the previous "
            "version?\n\nWe deploy with Helm from CI."
        ),
        "tags": ["kubernetes", "helm", "deploy"],
        "answers": [
            (
                "bram",
                "Use Helm's own history:\n\n```bash\nhelm history billing-api -n "
                "billing\nhelm rollback billing-api <REVISION> -n billing --wait\n"
                "```\n\n`--wait` blocks until the old pods are ready, so CI can tell "
                "you when it is done.",
                ["chen", "lead"],
                [],
            ),
            (
                "chen",
                "`kubectl rollout undo deployment/billing-api` also works, but Helm "
                "will not know about it and the next `helm upgrade` may surprise you.",
                ["alice"],
                [],
            ),
        ],
        "accepted": 0,
        "comments": [("lead", "Please also open an incident note in #platform.")],
        "voters": ["bram", "chen"],
    },
    {
        "community": "platform",
        "author": "bram",
        "title": "Why does our CI pipeline cache miss on every run?",
        "body": (
            "Our GitHub Actions workflow uses `actions/cache` keyed on "
            "`requirements.lock`, but every run reports a cache miss. The lock file "
            "has not changed in weeks."
        ),
        "tags": ["ci", "github-actions", "caching"],
        "answers": [
            (
                "alice",
                "Check that the key uses `hashFiles('**/requirements.lock')` and not "
                "the path of a file generated during the run. A file written before "
                "the cache step changes its hash every time.",
                ["bram", "lead"],
                [],
            ),
        ],
        "accepted": 0,
        "comments": [("chen", "Also check the branch: caches are scoped per branch.")],
        "voters": ["alice"],
    },
    {
        "community": "platform",
        "author": "chen",
        "title": "What is the paved-road way to add a new service to observability?",
        "body": (
            "I am adding a small worker service. Which labels and dashboards do I "
            "need so it shows up in Grafana and alerts route to my team?"
        ),
        "tags": ["observability", "grafana", "alerts"],
        "answers": [
            (
                "lead",
                "Add the `team` and `service` labels in your Helm values, then run "
                "`make dashboards` in the platform repo. Alerts route by the `team` "
                "label.\n\n| Label | Example |\n|---|---|\n| team | data |\n| service "
                "| ingest-worker |",
                ["chen", "alice", "bram"],
                [],
            ),
        ],
        "accepted": 0,
        "comments": [],
        "voters": ["alice", "lead"],
    },
    {
        "community": "platform",
        "author": "alice",
        "title": "Should staging share the production database cluster?",
        "body": (
            "Someone proposed pointing staging at a separate schema on the "
            "production PostgreSQL cluster to save money. Is that a good idea?"
        ),
        "tags": ["postgresql", "staging"],
        "answers": [
            (
                "bram",
                "No: a runaway staging query can starve production, and it blurs "
                "access control. Use a small separate instance restored nightly from "
                "an anonymised snapshot.",
                ["alice", "chen"],
                [],
            ),
            (
                "chen",
                "It can be fine for read-only reporting replicas, but not for a "
                "staging environment that runs migrations.",
                [],
                ["bram"],
            ),
        ],
        "accepted": None,
        "comments": [("lead", "We have a cost page about this; I will link it.")],
        "voters": ["chen"],
    },
    {
        "community": "data",
        "author": "chen",
        "title": "How do we define 'active customer' consistently across dashboards?",
        "body": (
            "Sales counts a customer as active after any login in 30 days; finance "
            "uses an invoice in the last quarter. The dashboards disagree. Where "
            "should the definition live?"
        ),
        "tags": ["metrics", "definitions", "dashboards"],
        "answers": [
            (
                "alice",
                "Put it in the semantic layer (dbt metrics) once, give it a name "
                "like `active_customer_30d`, and make dashboards use only that. "
                "Finance's number becomes a differently named metric.",
                ["chen", "lead"],
                [],
            ),
        ],
        "accepted": 0,
        "comments": [("bram", "Agree, and document it on the Data knowledge page.")],
        "voters": ["alice", "bram"],
    },
    {
        "community": "data",
        "author": "alice",
        "title": "Why is my dbt incremental model duplicating rows?",
        "body": (
            "My incremental model uses `is_incremental()` with a `where updated_at "
            "> (select max(updated_at) from {{ this }})` filter, but re-runs create "
            "duplicates."
        ),
        "tags": ["dbt", "sql"],
        "answers": [
            (
                "chen",
                "Set a `unique_key` so dbt merges instead of appending:\n\n```sql\n"
                "{{ config(materialized='incremental', unique_key='order_id') }}\n"
                "```\n\nAlso use `>=` with a small lookback to catch late rows.",
                ["alice", "bram", "lead"],
                [],
            ),
        ],
        "accepted": 0,
        "comments": [],
        "voters": ["chen"],
    },
    {
        "community": "data",
        "author": "bram",
        "title": "Where can I find the approved list of data sources for reports?",
        "body": (
            "I am building a quarterly report and want to use only trusted "
            "sources. Is there a catalogue of approved data sources?"
        ),
        "tags": ["catalogue", "governance"],
        "answers": [],
        "accepted": None,
        "comments": [("chen", "Good question: I think it lives in the data wiki.")],
        "voters": [],
    },
    {
        "community": "data",
        "author": "chen",
        "title": "How should we test data quality in the nightly pipeline?",
        "body": (
            "Which checks should block the nightly load and which should only "
            "warn? We have row counts and null checks today."
        ),
        "tags": ["data-quality", "dbt", "testing"],
        "answers": [
            (
                "lead",
                "Block on what breaks downstream contracts: primary-key uniqueness, "
                "not-null on keys, referential integrity. Warn on distribution "
                "shifts and freshness within a tolerance.",
                ["chen"],
                [],
            ),
        ],
        "accepted": None,
        "comments": [],
        "voters": ["alice"],
    },
    {
        "community": "cardano",
        "author": "bram",
        "title": "What is the difference between a stake pool's pledge and its stake?",
        "body": (
            "I see pools with a small pledge but a large total stake. How do the "
            "two relate, and does pledge affect rewards?"
        ),
        "tags": ["staking", "stake-pool"],
        "answers": [
            (
                "chen",
                "Pledge is the stake the operator commits themselves; total stake "
                "includes delegators. A higher pledge slightly increases rewards "
                "through the a0 parameter, which discourages splitting one operator "
                "into many pools.",
                ["bram", "alice"],
                [],
            ),
        ],
        "accepted": 0,
        "comments": [("alice", "The a0 part is what I was missing, thanks.")],
        "voters": ["alice", "chen"],
    },
    {
        "community": "cardano",
        "author": "alice",
        "title": "How do I query the UTxOs of an address with cardano-cli?",
        "body": (
            "I am running a node on preprod and want to list the UTxOs at my "
            "address from the command line."
        ),
        "tags": ["cardano-cli", "utxo"],
        "answers": [
            (
                "bram",
                "```bash\ncardano-cli query utxo --address $(cat payment.addr) "
                "--testnet-magic 1\n```\n\nThe node socket must be exported as "
                "`CARDANO_NODE_SOCKET_PATH`.",
                ["alice", "chen"],
                [],
            ),
        ],
        "accepted": 0,
        "comments": [],
        "voters": ["bram"],
    },
    {
        "community": "cardano",
        "author": "chen",
        "title": "Why does my Plutus script fail with 'ExBudget exceeded'?",
        "body": (
            "A validator that worked in the emulator fails on preprod with an "
            "execution budget error. How do I find what is expensive?"
        ),
        "tags": ["plutus", "smart-contracts"],
        "answers": [
            (
                "lead",
                "Profile the script with the evaluation in `cardano-cli transaction "
                "build` (it prints the budget), and avoid `length` over long lists "
                "in the validator: pass indices in the redeemer instead.",
                ["chen"],
                [],
            ),
        ],
        "accepted": None,
        "comments": [],
        "voters": ["bram"],
    },
    {
        "community": "cardano",
        "author": "bram",
        "title": "How long does it take for a new delegation to earn rewards?",
        "body": (
            "I delegated to a pool today. When will the first rewards show up in "
            "my wallet?"
        ),
        "tags": ["staking", "rewards"],
        "answers": [],
        "accepted": None,
        "comments": [],
        "voters": ["alice"],
    },
]


TAG_DESCRIPTIONS = {
    "kubernetes": "Running services on the shared clusters: pods, probes, limits.",
    "helm": "Charts, releases and rollbacks on the platform.",
    "deploy": "Getting a change to production safely, and back out again.",
    "ci": "Pipelines that build, test and ship every change.",
    "github-actions": "Workflows, runners and caching in GitHub Actions.",
    "observability": "Logs, metrics and traces: knowing what a service does.",
    "alerts": "Who gets paged, when, and how to keep alerts actionable.",
    "grafana": "Dashboards on the shared Grafana.",
    "dbt": "Models, tests and documentation in the dbt project.",
    "sql": "Queries, joins and performance in the warehouse.",
    "postgresql": "Our operational databases: migrations, locks, tuning.",
    "data-quality": "Checks that keep the numbers trustworthy.",
    "metrics": "Where each metric is defined and who owns it.",
    "dashboards": "Reports people rely on, and how to keep them right.",
    "staking": "Delegating ada and running stake pools.",
    "plutus": "Smart contracts on Cardano in Plutus.",
}


def load() -> list[Question]:
    """Create the demo questions once (keyed on title), through the services."""
    users = {u.username: u for u in User.objects.all()}
    created = []
    total = len(DEMO_QUESTIONS)
    for n, spec in enumerate(DEMO_QUESTIONS):
        if Question.objects.filter(title=spec["title"]).exists():
            continue
        community = community_get(slug=spec["community"])
        if community is None:
            continue
        question = services.question_create(
            author=users[spec["author"]],
            title=spec["title"],
            body=spec["body"],
            tags=spec["tags"],
            community=community,
        )
        # Spread the demo over the past weeks so sorting by date means something.
        asked = timezone.now() - timedelta(days=(total - n) * 2, hours=n)
        Question.objects.filter(pk=question.pk).update(
            created_at=asked, last_activity_at=asked
        )
        question.refresh_from_db()
        answers: list[Answer] = []
        for offset, (author, body, ups, downs) in enumerate(spec["answers"], start=1):
            answer = services.answer_create(
                question=question, author=users[author], body=body
            )
            answered = asked + timedelta(hours=offset * 3)
            Answer.objects.filter(pk=answer.pk).update(created_at=answered)
            Question.objects.filter(pk=question.pk).update(last_activity_at=answered)
            if offset == 1:
                Question.objects.filter(pk=question.pk).update(first_answer_at=answered)
            for voter in ups:
                services.vote_cast(user=users[voter], target=answer, value=1)
            for voter in downs:
                services.vote_cast(user=users[voter], target=answer, value=-1)
            answers.append(answer)
        question.refresh_from_db()
        if spec["accepted"] is not None:
            services.answer_accept(
                answer=answers[spec["accepted"]], by=users[spec["author"]]
            )
        for author, body in spec["comments"]:
            comment = services.comment_create(
                author=users[author], target=question, body=body
            )
            Comment.objects.filter(pk=comment.pk).update(
                created_at=asked + timedelta(hours=1)
            )
        for voter in spec["voters"]:
            services.vote_cast(user=users[voter], target=question, value=1)
        last = asked + timedelta(hours=3 * len(answers) + 1)
        Question.objects.filter(pk=question.pk).update(last_activity_at=last)
        created.append(question)
    for tag in QuestionTag.objects.filter(
        name__in=TAG_DESCRIPTIONS, description=""
    ).only("pk", "name"):
        tag.description = TAG_DESCRIPTIONS[tag.name]
        tag.save(update_fields=["description"])
    return created
