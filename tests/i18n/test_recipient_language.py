"""Notifications and e-mails are written in the recipient's language, not in the
language of whoever caused them; digests too."""

import pytest
from django.core import mail
from django.utils import translation

from integrations import services as integrations
from integrations.models import Webhook
from journals.models import TagFollow
from kb.communities.models import Membership
from notifications.models import Notification
from notifications.services import digest_send
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.notifications.factories import answer, ask

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_search_node(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def bram(db):
    return UserFactory(username="bram", display_name="Bram de Vries", language="nl")


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", display_name="Alice Andersen", language="en")


@pytest.fixture
def community(alice, bram):
    lead = UserFactory(username="lena", display_name="Lena Lead")
    return make_community(lead=lead, members=[alice, bram])


def test_a_dutch_asker_is_told_in_dutch_by_an_english_answerer(community, alice, bram):
    question = ask(community=community, author=bram, title="Hoe vraag ik verlof aan?")
    mail.outbox.clear()
    with translation.override("en"):  # the answerer's request is in English
        answer(question=question, author=alice)
    row = Notification.objects.get(recipient=bram)
    assert (
        row.text
        == "Alice Andersen heeft je vraag “Hoe vraag ik verlof aan?” beantwoord"
    )
    [message] = [m for m in mail.outbox if m.to == [bram.email]]
    assert message.subject == row.text
    assert "Stop deze e-mails (Antwoord op mijn vraag)" in message.body


def test_an_english_asker_is_told_in_english_by_a_dutch_answerer(
    community, alice, bram
):
    question = ask(community=community, author=alice, title="How do I book leave?")
    with translation.override("nl"):
        answer(question=question, author=bram)
    row = Notification.objects.get(recipient=alice)
    assert row.text == "Bram de Vries answered your question “How do I book leave?”"


def test_a_digest_comes_in_the_recipients_language(community, alice, bram):
    TagFollow.objects.create(follower=bram, tag_name="helm")
    with translation.override("en"):
        ask(
            community=community, author=alice, tags=["helm"], title="Helm upgrade hangs"
        )
    mail.outbox.clear()
    with translation.override("en"):  # the worker runs in the site default
        assert digest_send(period="daily") >= 1
    [digest] = [m for m in mail.outbox if m.to == [bram.email]]
    assert digest.subject == "Hallway: 1 dingen die je misschien hebt gemist"
    assert "Nieuwe vraag met tag helm: “Helm upgrade hangs”" in digest.body
    assert "Stop e-mails van één soort:" in digest.body


def test_without_a_choice_people_are_written_to_in_the_site_default(
    settings, community, alice
):
    settings.LANGUAGE_CODE = "nl"
    carol = UserFactory(username="carol", display_name="Carol", language="")
    question = ask(community=community, author=carol, title="Where is the key?")
    with translation.override("en"):
        answer(question=question, author=alice)
    assert Notification.objects.get(recipient=carol).text.startswith(
        "Alice Andersen heeft je vraag"
    )


def test_a_switched_off_webhook_notice_reaches_each_lead_in_their_language(
    community, bram
):
    admin = UserFactory(
        username="root", is_superuser=True, is_staff=True, language="en"
    )
    Membership.objects.filter(community=community, user=bram).update(role="lead")
    webhook = Webhook.objects.create(
        url="https://chat.example.org/hook",
        community=community,
        disabled_reason="HTTP 503",
        is_active=False,
    )
    mail.outbox.clear()
    with translation.override("en"):
        integrations._notify_disabled(webhook)
    by_recipient = {address: m for m in mail.outbox for address in m.to}
    assert by_recipient[bram.email].subject.startswith("Hallway heeft een webhook")
    assert by_recipient[admin.email].subject.startswith("Hallway switched off")


def test_a_reader_who_switches_language_reads_old_notifications_in_the_new_one(
    client, community, alice, bram
):
    question = ask(community=community, author=bram, title="Hoe vraag ik verlof aan?")
    answer(question=question, author=alice)
    client.force_login(bram)
    page = client.get("/notifications/").content.decode()
    assert "Alice Andersen heeft je vraag “Hoe vraag ik verlof aan?” beantwoord" in page

    bram.language = "en"
    bram.save(update_fields=["language"])
    page = client.get("/notifications/").content.decode()
    assert "Alice Andersen answered your question “Hoe vraag ik verlof aan?”" in page
    api = client.get("/api/v1/notifications").json()
    texts = [item["text"] for item in api["results"]]
    assert "Alice Andersen answered your question “Hoe vraag ik verlof aan?”" in texts
