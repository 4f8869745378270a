"""Who knows about X, against a real node: imported people count as evidence but
are never asked, specialists surface next to prolific people, every expert
comes with evidence the reader may see, and operators hear when the people
index is empty or stale."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from journals.services import entry_create
from kb.qa.models import Answer
from kb.qa.services import answer_accept
from notifications.models import Kind, Notification
from search.client import get_client
from search.documents import analysis_level
from search.expertise import expert_list
from search.index import read_alias
from search.indexing import drain_all
from search.people import people_alias, people_reindex, people_status
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.notifications.factories import ask
from tests.qa.factories import make_answer, make_question

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.elasticsearch]


def _settle(client) -> None:
    drain_all()
    client.indices.refresh(index=read_alias())
    people_reindex(client)


def _accepted(*, community, asker, author, title, tags=("terraform",)):
    question = make_question(
        community=community, author=asker, title=title, tags=list(tags)
    )
    answer = make_answer(
        question=question, author=author, body=f"Here is how: {title.lower()}"
    )
    answer_accept(answer=answer, by=asker)
    return question


@pytest.fixture
def site(elasticsearch):
    asker = UserFactory(username="asker")
    reader = UserFactory(username="reader")
    community = make_community(members=[asker, reader])
    return {
        "client": elasticsearch,
        "asker": asker,
        "reader": reader,
        "community": community,
    }


def test_imported_people_are_experts_but_cannot_be_asked(site):
    imported = UserFactory(username="se-demo-7", display_name="Imported Ilse")
    for n in range(2):
        _accepted(
            community=site["community"],
            asker=site["asker"],
            author=imported,
            title=f"Terraform state locking question {n}",
        )
    imported.is_active = False
    imported.save(update_fields=["is_active"])
    _settle(site["client"])

    found = expert_list(q="terraform state", viewer=site["reader"])
    assert [p["username"] for p in found] == ["se-demo-7"]
    assert found[0]["reachable"] is False
    assert found[0]["evidence"]["accepted"] == 2
    assert (
        expert_list(q="terraform state", viewer=site["reader"], reachable_only=True)
        == []
    )
    doc = site["client"].get(index=people_alias(), id="se-demo-7")["_source"]
    assert doc["reachable"] is False and doc["accepted"] == 2


def test_routing_asks_active_experts_only(site):
    imported = UserFactory(username="se-demo-8")
    active = UserFactory(username="helper")
    for n in range(3):
        _accepted(
            community=site["community"],
            asker=site["asker"],
            author=imported,
            title=f"Helm chart rollback number {n}",
            tags=["helm"],
        )
    _accepted(
        community=site["community"],
        asker=site["asker"],
        author=active,
        title="Helm chart rollback with hooks",
        tags=["helm"],
    )
    imported.is_active = False
    imported.save(update_fields=["is_active"])
    _settle(site["client"])
    ranked = expert_list(q="helm chart rollback", viewer=site["reader"])
    assert {p["username"] for p in ranked} == {"se-demo-8", "helper"}

    question = ask(
        community=site["community"],
        author=site["reader"],
        title="Helm chart rollback keeps failing",
        tags=["helm"],
    )

    asked = Notification.objects.filter(kind=Kind.CAN_YOU_HELP, target_id=question.pk)
    assert set(asked.values_list("recipient__username", flat=True)) == {"helper"}


def test_a_specialist_outranks_a_prolific_generalist(site):
    generalist = UserFactory(username="generalist")
    specialist = UserFactory(username="specialist")
    topics = ["kafka", "postgres", "react", "gradle", "nginx", "redis", "ansible"]
    for topic in topics:
        _accepted(
            community=site["community"],
            asker=site["asker"],
            author=generalist,
            title=f"Tuning {topic} for production",
            tags=[topic],
        )
    # Same recent activity: the generalist's other work is a year old.
    Answer.objects.filter(author=generalist).update(
        created_at=timezone.now() - timedelta(days=365)
    )
    for n in range(2):
        for author in (generalist, specialist):
            _accepted(
                community=site["community"],
                asker=site["asker"],
                author=author,
                title=f"Terraform module layout {author} {n}",
            )
    _settle(site["client"])

    found = expert_list(q="terraform module layout", viewer=site["reader"])
    assert [p["username"] for p in found[:2]] == ["specialist", "generalist"]
    assert found[0]["evidence"]["accepted"] == found[1]["evidence"]["accepted"] == 2


def test_someone_whose_answers_are_accepted_outranks_someone_who_only_answers(site):
    # The same two matching answers each, ten answers each, all this week: only
    # the accepted-answer rate tells them apart (a tie would go to "alex").
    alex = UserFactory(username="alex")
    zoe = UserFactory(username="zoe")
    for n in range(2):
        question = make_question(
            community=site["community"],
            author=site["asker"],
            title=f"Terraform state locking {n}",
            tags=["terraform"],
        )
        for author in (alex, zoe):
            make_answer(
                question=question,
                author=author,
                body="Use a DynamoDB table for the lock.",
            )
    for n in range(8):
        other = make_question(
            community=site["community"],
            author=site["asker"],
            title=f"Kafka consumer lag {n}",
            tags=["kafka"],
        )
        make_answer(question=other, author=alex, body="Add partitions to the topic.")
        _accepted(
            community=site["community"],
            asker=site["asker"],
            author=zoe,
            title=f"Gradle cache misses {n}",
            tags=["gradle"],
        )
    Answer.objects.update(created_at=timezone.now())  # equally recent
    _settle(site["client"])

    found = expert_list(q="terraform state locking", viewer=site["reader"])

    assert [p["username"] for p in found[:2]] == ["zoe", "alex"]
    assert found[0]["evidence"]["answers"] == found[1]["evidence"]["answers"] == 2


def test_evidence_lists_what_made_someone_an_expert(site):
    author = UserFactory(username="writer")
    question = _accepted(
        community=site["community"],
        asker=site["asker"],
        author=author,
        title="Terraform drift detection",
    )
    _settle(site["client"])

    found = expert_list(q="terraform drift", viewer=site["reader"])
    assert found[0]["evidence"]["items"] == [
        {
            "role": "accepted",
            "kind": "question",
            "title": question.title,
            "url": question.get_absolute_url(),
        }
    ]


def test_community_entries_are_evidence_only_for_their_members(site, client):
    author = UserFactory(username="teamwriter")
    outsider = UserFactory(username="outsider")
    community = make_community(
        slug="team", title="Team", members=[author, site["reader"]]
    )
    entry_create(
        author=author,
        title="Quokkafrobnicator rollout notes",
        body="How we run the quokkafrobnicator.",
        visibility="community",
        community=community,
    )
    entry_create(
        author=author,
        title="Private quokkafrobnicator diary",
        body="quokkafrobnicator secrets",
        visibility="private",
    )
    _settle(site["client"])

    seen = expert_list(q="quokkafrobnicator", viewer=site["reader"])
    assert [p["username"] for p in seen] == ["teamwriter"]
    assert [i["title"] for i in seen[0]["evidence"]["items"]] == [
        "Quokkafrobnicator rollout notes"
    ]
    assert expert_list(q="quokkafrobnicator", viewer=outsider) == []
    assert expert_list(q="quokkafrobnicator", viewer=AnonymousUser()) == []
    client.force_login(outsider)
    response = client.get("/api/v1/experts", {"q": "quokkafrobnicator"})
    assert response.status_code == 200 and response.json() == {"results": []}
    # Nothing everyone may read: no people-index document at all.
    assert not site["client"].exists(index=people_alias(), id="teamwriter")


def test_the_api_shows_reachability_and_evidence(site, client):
    author = UserFactory(username="apiexpert")
    _accepted(
        community=site["community"],
        asker=site["asker"],
        author=author,
        title="Terraform provider pinning",
    )
    _settle(site["client"])
    client.force_login(site["reader"])

    body = client.get("/api/v1/experts", {"q": "terraform provider"}).json()

    person = body["results"][0]
    assert person["username"] == "apiexpert" and person["reachable"] is True
    assert person["evidence"]["items"][0]["title"] == "Terraform provider pinning"
    page = client.get("/search/experts/", {"q": "terraform provider"})
    assert "Terraform provider pinning" in page.content.decode()


def test_reindex_and_status_report_the_people_index(site):
    author = UserFactory(username="statusexpert")
    _accepted(
        community=site["community"],
        asker=site["asker"],
        author=author,
        title="Terraform workspaces",
    )
    author.is_active = False
    author.save(update_fields=["is_active"])
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "People index: 1 people with contributions (0 can be asked" in (
        out.getvalue()
    )
    assert people_status(site["client"])["state"] == "ok"

    site["client"].delete(index=people_alias(), id="statusexpert", refresh=True)
    text = StringIO()
    call_command("search_status", stdout=text)
    assert "empty: 1 people contributed but the people index holds none" in (
        text.getvalue()
    )
    make_answer(
        question=make_question(community=site["community"]),
        author=UserFactory(username="newcomer"),
    )
    people_reindex(site["client"])
    report = people_status(get_client())
    assert report["state"] == "ok" and report["people"] == 2


def test_status_says_when_nobody_has_contributed(site):
    people_reindex(site["client"])
    report = people_status(site["client"])
    assert report["state"] == "nobody" and "Nobody has answered" in report["reason"]
    site["client"].indices.delete_alias(index="_all", name=people_alias())
    assert people_status(site["client"])["state"] == "missing"


@pytest.mark.parametrize(
    ("title", "body", "query"),
    [
        (
            "Hoeveel vakantiedagen en verloven heb ik per jaar?",
            "Ik werk vier dagen per week. Hoeveel verlof krijg ik dan?",
            "annual leave",
        ),
        (
            "How much annual leave do I get per year?",
            "I work four days a week. How many holidays do I get?",
            "verlof",
        ),
    ],
    ids=["english-query-dutch-answer", "dutch-query-english-answer"],
)
def test_who_knows_crosses_the_language(site, title, body, query):
    """Whoever answered a question in one language is found by a query in the
    other (the Dutch–English equivalents), above someone who answered off topic."""
    if analysis_level(site["client"]) != "plugin":
        pytest.skip("needs the hallway-analysis plugin (a JDK on this machine)")
    knows = UserFactory(username="hr-expert")
    other = UserFactory(username="printer-expert")
    question = make_question(
        community=site["community"], author=site["asker"], title=title, body=body
    )
    answer = make_answer(
        question=question, author=knows, body="Vier weken per jaar: zie het handboek."
    )
    answer_accept(answer=answer, by=site["asker"])
    _accepted(
        community=site["community"],
        asker=site["asker"],
        author=other,
        title="Which printer is on the third floor?",
    )
    _settle(site["client"])

    found = expert_list(q=query, viewer=site["reader"])
    assert [person["username"] for person in found][:1] == ["hr-expert"]
