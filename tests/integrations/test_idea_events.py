"""Ideas reach webhooks and chat like questions do: a new idea and the sponsor's
answer (status change), each only to endpoints whose scope may read the idea."""

import pytest

from integrations import services
from integrations.models import Delivery, Webhook
from kb.ideas.services import idea_hide, idea_status_set
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea

pytestmark = pytest.mark.django_db

EVENTS = ["idea.created", "idea.status_changed"]


@pytest.fixture
def hooks(allow_private, receiver, community, other_community):
    def make(scope):
        return Webhook.objects.create(url=receiver.url, events=EVENTS, community=scope)

    return {
        "organisation": make(None),
        "community": make(community),
        "other": make(other_community),
    }


def _reached(hooks, run_tasks, event):
    run_tasks()
    names = {hook.pk: name for name, hook in hooks.items()}
    return sorted(names[d.webhook_id] for d in Delivery.objects.filter(event=event))


def test_a_community_idea_reaches_only_that_communitys_webhook(
    hooks,
    lead,
    user,
    community,
    run_tasks,
    receiver,
    django_capture_on_commit_callbacks,
):
    campaign = make_campaign(by=lead, community=community)
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(campaign=campaign, author=user)
    assert _reached(hooks, run_tasks, "idea.created") == ["community"]
    body = receiver.requests[-1].json()
    assert body["data"]["idea"]["id"] == idea.pk
    assert body["data"]["campaign"]["community"]["id"] == community.pk

    with django_capture_on_commit_callbacks(execute=True):
        idea_status_set(idea=idea, by=lead, status="selected", note="We try it in Q1.")
    assert _reached(hooks, run_tasks, "idea.status_changed") == ["community"]
    answer = receiver.requests[-1].json()["data"]["idea"]
    assert (
        answer["status"] == "selected" and answer["status_note"] == "We try it in Q1."
    )


def test_an_organisation_wide_idea_reaches_the_organisation_webhook(
    hooks, user, run_tasks, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="ada", is_superuser=True, is_staff=True)
    campaign = make_campaign(by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(campaign=campaign, author=user)
    assert _reached(hooks, run_tasks, "idea.created") == ["organisation"]


def test_a_hidden_idea_builds_no_event(lead, user, community):
    campaign = make_campaign(by=lead, community=community)
    idea = make_idea(campaign=campaign, author=user)
    idea_hide(idea=idea, by=lead, reason="Off topic.")
    assert services.event_dispatch(event="idea.created", object_id=idea.pk) == []
