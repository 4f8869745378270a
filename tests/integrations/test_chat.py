"""Team chat: a lead connects the community; posts arrive formatted, linked and
in the community's language, through the same delivery machinery."""

import json

import pytest

from integrations.models import Delivery, Webhook
from kb.qa.services import question_create
from tests.communities.factories import make_page

pytestmark = pytest.mark.django_db


def _connect(client, lead, community, receiver, kind, language="en"):
    client.force_login(lead)
    return client.post(
        f"/integrations/chat/{community.slug}/",
        {
            "kind": kind,
            "url": receiver.url,
            "language": language,
            "events": ["question.created", "question.unanswered", "page.published"],
        },
    )


def _ask(user, community, capture, title="Where do the staging logs go?"):
    with capture(execute=True):
        return question_create(
            author=user,
            title=title,
            body="Since the move the staging logs are nowhere to be found.",
            community=community,
        )


def test_a_lead_connects_slack_and_new_questions_arrive_linked(
    client,
    lead,
    user,
    community,
    receiver,
    allow_private,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    response = _connect(client, lead, community, receiver, "slack")
    assert response.status_code == 302
    channel = Webhook.objects.get()
    assert (channel.kind, channel.community) == ("slack", community)
    question = _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    [request] = receiver.requests
    text = request.json()["text"]
    assert text.startswith("New question in Platform: <http")
    assert f"{question.get_absolute_url()}|{question.title}>" in text
    assert request.headers["x-hallway-event"] == "question.created"
    assert request.headers["x-hallway-signature"].startswith("sha256=")


def test_messages_are_in_the_communitys_language(
    client,
    lead,
    user,
    community,
    receiver,
    allow_private,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    _connect(client, lead, community, receiver, "mattermost", language="nl")
    _ask(
        user,
        community,
        django_capture_on_commit_callbacks,
        title="Waar staan de logs [nu]?",
    )
    run_tasks()
    text = receiver.requests[0].json()["text"]
    assert text.startswith(
        "Nieuwe vraag in Platform: [Waar staan de logs \\[nu\\]?](http"
    )


def test_teams_gets_a_card_with_a_link(
    client,
    lead,
    user,
    community,
    receiver,
    allow_private,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    _connect(client, lead, community, receiver, "teams")
    question = _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    card = receiver.requests[0].json()["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["actions"][0]["url"].endswith(question.get_absolute_url())


def test_new_pages_reach_the_channel_but_not_other_communities(
    client,
    lead,
    community,
    other_community,
    receiver,
    allow_private,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    _connect(client, lead, community, receiver, "json")
    with django_capture_on_commit_callbacks(execute=True):
        make_page(other_community, title="Elsewhere")
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(community, author=lead, title="Logging guide")
    run_tasks()
    [request] = receiver.requests
    body = request.json()
    assert body["event"] == "page.published"
    assert body["data"]["page"]["id"] == page.pk
    assert body["text"].startswith("New knowledge page in Platform: Logging guide")


def test_a_failing_chat_is_retried_like_a_webhook(
    client,
    lead,
    user,
    community,
    receiver,
    allow_private,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    receiver.respond_with(502, 200)
    _connect(client, lead, community, receiver, "slack")
    _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    run_tasks(deferred=True)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.attempts == 2


def test_members_cannot_connect_a_channel(client, user, community, receiver):
    response = _connect(client, user, community, receiver, "slack")
    assert response.status_code == 403
    assert not Webhook.objects.exists()


def test_a_private_url_is_refused_with_a_message(client, lead, community, settings):
    settings.HALLWAY_WEBHOOKS_ALLOW_PRIVATE = False
    client.force_login(lead)
    response = client.post(
        f"/integrations/chat/{community.slug}/",
        {
            "kind": "slack",
            "url": "http://127.0.0.1:9/hook",
            "language": "en",
            "events": ["question.created"],
        },
    )
    assert response.status_code == 200
    assert "private or loopback" in response.content.decode()
    assert not Webhook.objects.exists()


def test_a_lead_disconnects_a_channel(client, lead, community, receiver, allow_private):
    _connect(client, lead, community, receiver, "slack")
    channel = Webhook.objects.get()
    page = client.get(f"/integrations/chat/{community.slug}/")
    assert "Slack" in page.content.decode()
    response = client.post(f"/integrations/chat/{community.slug}/{channel.pk}/remove/")
    assert response.status_code == 302
    assert not Webhook.objects.exists()


def test_bodies_are_valid_json_for_every_kind(
    client,
    lead,
    user,
    community,
    receiver,
    allow_private,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    for kind in ("slack", "teams", "mattermost", "json"):
        _connect(client, lead, community, receiver, kind)
    _ask(user, community, django_capture_on_commit_callbacks)
    run_tasks()
    assert len(receiver.requests) == 4
    for request in receiver.requests:
        json.loads(request.body)
