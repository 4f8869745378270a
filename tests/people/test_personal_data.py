"""People's data: a person downloads what they wrote; an administrator erases a
person (posts kept as a former colleague's, or removed); both, and moderation,
role and visibility changes, land in the audit log."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from wagtail.models import APIToken, ModelLogEntry, PageLogEntry

from journals.models import Entry
from journals.services import entry_update
from kb.communities.models import Membership
from kb.communities.services import membership_role_set
from kb.qa.models import Answer, Question
from kb.qa.services import answer_accept, question_close, vote_cast
from notifications.models import Kind, Notification
from notifications.services import notification_send
from people.models import Profile, User
from people.services import api_token_create, person_erase
from reputation.models import ReputationEvent
from search.client import get_client
from search.index import read_alias
from search.indexing import drain_all
from search.people import people_documents
from search.queries import SearchParams
from search.services import search_content
from tests.ideas.factories import make_campaign, make_idea
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(user, other_user, community, admin_user):
    """Alice asked, answered (accepted, upvoted), journaled and posted an idea."""
    question = make_question(
        community=community, author=user, title="Where is the lease template?"
    )
    theirs = make_question(
        community=community, author=other_user, title="Who signs lease contracts?"
    )
    answer = make_answer(question=theirs, author=user, body="The fleet desk signs.")
    vote_cast(user=other_user, target=answer, value=1)
    answer_accept(answer=answer, by=other_user)
    private = make_entry(
        user, body="Private: my salary talk went well.", visibility="private"
    )
    shared = make_entry(user, body="Learned how lease returns are priced.")
    campaign = make_campaign(by=admin_user)
    idea = make_idea(campaign=campaign, author=user)
    Profile.objects.create(user=user, office="Utrecht", bio="Lease nerd.")
    api_token_create(user=user)
    notification_send(
        recipient_ids=[user.pk],
        kind=Kind.MENTION,
        target_kind="question",
        target_id=theirs.pk,
        url=theirs.get_absolute_url(),
        title=theirs.title,
        email=False,
    )
    return {
        "question": question,
        "theirs": theirs,
        "answer": answer,
        "private": private,
        "shared": shared,
        "idea": idea,
    }


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_person_downloads_everything_they_wrote(client, user, other_user, written):
    make_question(
        community=written["question"].community,
        author=other_user,
        title="Bram's own question",
    )
    client.force_login(user)
    archive = _zip(client.get("/people/me/export/"))
    names = set(archive.namelist())
    assert {
        "profile.json",
        "questions.json",
        "answers.json",
        "journal-entries.json",
        "ideas.json",
        "votes.json",
        "memberships.json",
        "reputation.json",
    } <= names
    questions = json.loads(archive.read("questions.json"))
    assert [q["title"] for q in questions] == ["Where is the lease template?"]
    entries = json.loads(archive.read("journal-entries.json"))
    assert {e["visibility"] for e in entries} == {"private", "organisation"}
    private_md = archive.read(f"journal-entries/{written['private'].pk}.md").decode()
    assert "my salary talk went well" in private_md
    answer_md = archive.read(f"answers/{written['answer'].pk}.md").decode()
    assert answer_md.startswith("# Answer to: Who signs lease contracts?")
    profile = json.loads(archive.read("profile.json"))
    assert profile["office"] == "Utrecht" and profile["username"] == "alice"
    reputation = json.loads(archive.read("reputation.json"))
    assert sum(e["points"] for e in reputation) > 0


def test_the_export_holds_only_ones_own_data(client, other_user, written):
    client.force_login(other_user)
    archive = _zip(client.get("/people/me/export/"))
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert "salary" not in everything
    assert "Where is the lease template?" not in everything
    assert "Who signs lease contracts?" in everything


def test_signed_out_visitors_get_no_export(client):
    response = client.get("/people/me/export/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_erasing_keeps_posts_as_a_former_colleagues(
    client, user, other_user, admin_user, written
):
    alice_pk = user.pk
    client.force_login(admin_user)
    page = client.get(f"/people/{user.username}/erase/")
    assert page.status_code == 200
    response = client.post(
        f"/people/{user.username}/erase/", {"confirm": "alice", "content": "keep"}
    )
    assert response.status_code == 302
    erased = User.objects.get(pk=alice_pk)
    assert erased.username == f"former-{alice_pk}"
    assert erased.get_display_name() == "Former colleague"
    assert (erased.email, erased.display_name, erased.is_active) == ("", "", False)
    assert erased.erased_at is not None and not erased.has_usable_password()
    assert not Profile.objects.filter(user_id=alice_pk).exists()
    assert not APIToken.objects.filter(user_id=alice_pk).exists()
    assert not Membership.objects.filter(user_id=alice_pk).exists()
    assert not Notification.objects.filter(recipient_id=alice_pk).exists()
    assert not erased.groups.exists()
    # What others may read stays, under the new name; private notes are gone.
    assert not Entry.objects.filter(pk=written["private"].pk).exists()
    assert Entry.objects.filter(pk=written["shared"].pk).exists()
    question = Question.objects.get(pk=written["question"].pk)
    assert not question.is_deleted
    client.force_login(other_user)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Former colleague" in html and "Alice Andersen" not in html
    # The audit log names the action, never the erased name.
    entry = ModelLogEntry.objects.get(action="hallway.person.erase")
    assert entry.user_id == admin_user.pk and entry.object_id == str(alice_pk)
    assert "alice" not in json.dumps(entry.data).lower()
    assert "alice" not in entry.label.lower()
    for username in ("alice", erased.username):
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password="pw") is None


def test_erasing_with_removal_deletes_posts_and_keeps_the_ledger_exact(
    user, other_user, admin_user, written
):
    person_erase(user=user, by=admin_user, remove_content=True)
    assert Question.objects.get(pk=written["question"].pk).is_deleted
    answer = Answer.objects.get(pk=written["answer"].pk)
    assert answer.is_deleted
    theirs = Question.objects.get(pk=written["theirs"].pk)
    assert theirs.answer_count == 0 and theirs.accepted_answer_id is None
    assert not Entry.objects.filter(author=user).exists()
    written["idea"].refresh_from_db()
    assert written["idea"].is_hidden
    # The upvote and the acceptance no longer count for anyone.
    alice = ReputationEvent.objects.filter(user=user)
    assert sum(alice.values_list("points", flat=True)) == 0
    accepter = ReputationEvent.objects.filter(
        user=other_user, kind="accepted_an_answer"
    )
    assert sum(accepter.values_list("points", flat=True)) == 0


def test_only_administrators_erase_and_a_wrong_confirmation_changes_nothing(
    client, user, other_user, admin_user, written
):
    client.force_login(other_user)
    assert client.get("/people/alice/erase/").status_code == 403
    assert client.post("/people/alice/erase/", {"confirm": "alice"}).status_code == 403
    client.force_login(admin_user)
    response = client.post("/people/alice/erase/", {"confirm": "alicia"})
    assert response.status_code == 422
    assert "Type the username to confirm." in response.content.decode()
    user.refresh_from_db()
    assert user.erased_at is None and user.is_active
    with pytest.raises(Exception, match="erase yourself"):
        person_erase(user=admin_user, by=admin_user)


def test_the_command_erases_and_refuses_what_it_cannot_do(user, admin_user, written):
    with pytest.raises(CommandError, match="not an administrator"):
        call_command("people_erase", "alice", "--by", "alice", "--yes")
    with pytest.raises(CommandError, match="No person"):
        call_command("people_erase", "nobody", "--by", "admin", "--yes")
    out = io.StringIO()
    call_command("people_erase", "alice", "--by", "admin", "--yes", stdout=out)
    assert "Erased alice" in out.getvalue() and "posts kept" in out.getvalue()
    with pytest.raises(CommandError, match="already erased"):
        call_command("people_erase", f"former-{user.pk}", "--by", "admin", "--yes")


def test_moderation_and_role_changes_are_in_the_audit_log(
    client, lead, user, other_user, community, admin_user, written
):
    question_close(question=written["question"], by=lead, reason="off_topic")
    membership_role_set(community=community, user=user, role="lead", by=lead)
    role = PageLogEntry.objects.get(action="hallway.membership.role")
    assert role.page_id == community.pk and role.user_id == lead.pk
    assert role.data == {"person": user.pk, "role": "lead", "previous": "member"}
    close = ModelLogEntry.objects.get(action="hallway.question.close")
    assert close.object_id == str(written["question"].pk)
    assert close.data["reason"] == "off_topic"
    client.force_login(admin_user)
    report = client.get("/admin/reports/site-history/")
    assert report.status_code == 200
    html = report.content.decode()
    assert "Close a question" in html and "Change a community role" in html


def test_a_narrowed_entry_is_logged_by_id_not_by_its_title(user, written):
    entry = make_entry(user, title="Secret reorg plans", body="Body.")
    entry_update(entry=entry, by=user, visibility="private")
    log = ModelLogEntry.objects.get(action="hallway.entry.visibility")
    assert log.label == f"Journal entry {entry.pk}"
    assert (log.data["before"], log.data["after"]) == ("organisation", "private")


@pytest.mark.elasticsearch
@pytest.mark.django_db(transaction=True)
def test_search_shows_the_former_colleague_and_drops_the_expert(
    elasticsearch, user, other_user, admin_user, written
):
    from django.contrib.auth.models import AnonymousUser

    assert user.pk in {d["user_id"] for d in people_documents()}
    drain_all()
    person_erase(user=user, by=admin_user)
    assert drain_all().failed == 0
    get_client().indices.refresh(index=read_alias())
    found = search_content(
        SearchParams(q="lease template"), viewer=AnonymousUser()
    ).results
    hit = next(r for r in found if r["id"] == written["question"].pk)
    assert hit["author_name"] == "Former colleague"
    assert user.pk not in {d["user_id"] for d in people_documents()}
