"""A webhook never carries what its scope may not read."""

import pytest

from integrations import services
from integrations.events import Occurrence
from integrations.models import Delivery, Webhook
from journals.services import entry_create, entry_update
from tests.communities.factories import make_page

pytestmark = pytest.mark.django_db

EVENT = "journal.entry.published"


@pytest.fixture
def hooks(allow_private, receiver, community, other_community):
    def make(scope):
        return Webhook.objects.create(
            url=receiver.url,
            events=[EVENT, "page.published", "question.created"],
            community=scope,
        )

    return {
        "organisation": make(None),
        "community": make(community),
        "other": make(other_community),
    }


def _publish(user, community, visibility, capture):
    with capture(execute=True):
        return entry_create(
            author=user,
            body=f"Notes about the {visibility} rollout.",
            visibility=visibility,
            community=community if visibility == "community" else None,
        )


def _reached(hooks, run_tasks, receiver):
    run_tasks()
    names = {hook.pk: name for name, hook in hooks.items()}
    return sorted(
        names[d.webhook_id] for d in Delivery.objects.filter(event=EVENT)
    ), receiver.requests


def test_a_private_entry_reaches_no_webhook(
    hooks, user, community, run_tasks, receiver, django_capture_on_commit_callbacks
):
    entry = _publish(user, community, "private", django_capture_on_commit_callbacks)
    reached, requests = _reached(hooks, run_tasks, receiver)
    assert reached == []
    assert requests == []
    # Even dispatched by hand, it builds nothing.
    assert services.event_dispatch(event=EVENT, object_id=entry.pk) == []


def test_a_community_entry_reaches_only_that_communitys_webhook(
    hooks, user, community, run_tasks, receiver, django_capture_on_commit_callbacks
):
    entry = _publish(user, community, "community", django_capture_on_commit_callbacks)
    reached, requests = _reached(hooks, run_tasks, receiver)
    assert reached == ["community"]
    assert [r.json()["data"]["entry"]["id"] for r in requests] == [entry.pk]


def test_an_organisation_entry_reaches_the_organisation_webhook(
    hooks, user, community, run_tasks, receiver, django_capture_on_commit_callbacks
):
    _publish(user, community, "organisation", django_capture_on_commit_callbacks)
    reached, _requests = _reached(hooks, run_tasks, receiver)
    assert reached == ["organisation"]


def test_an_entry_shared_later_is_published_then(
    hooks, user, community, run_tasks, receiver, django_capture_on_commit_callbacks
):
    entry = _publish(user, community, "private", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, by=user, visibility="organisation")
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, by=user, body="Edited notes, still shared.")
    reached, _requests = _reached(hooks, run_tasks, receiver)
    assert reached == ["organisation"]


def test_an_entry_made_private_before_dispatch_is_not_sent(
    hooks, user, community, run_tasks, receiver, django_capture_on_commit_callbacks
):
    entry = _publish(
        user, community, "organisation", django_capture_on_commit_callbacks
    )
    entry_update(entry=entry, by=user, visibility="private")
    reached, requests = _reached(hooks, run_tasks, receiver)
    assert reached == []
    assert requests == []


def test_pages_reach_organisation_and_own_community_webhooks_only(
    hooks, lead, community, run_tasks, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(community, author=lead, title="Rotating keys")
    run_tasks()
    names = {hook.pk: name for name, hook in hooks.items()}
    reached = sorted(
        names[d.webhook_id] for d in Delivery.objects.filter(event="page.published")
    )
    assert reached == ["community", "organisation"]
    assert receiver.requests[0].json()["data"]["page"]["id"] == page.pk


def test_a_page_behind_a_view_restriction_reaches_no_webhook(
    hooks, lead, community, run_tasks, receiver, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    page = make_page(community, author=lead, title="Salaries", publish=False)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    run_tasks()
    assert not Delivery.objects.filter(event="page.published").exists()
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("everyone", "communities", "scope", "expected"),
    [
        (True, set(), None, True),
        (False, {1}, None, False),
        (False, set(), None, False),
        (True, set(), 1, True),
        (True, set(), 2, False),
        (False, {1}, 1, True),
        (False, {1}, 2, False),
        (False, set(), 1, False),
    ],
)
def test_who_may_receive_truth_table(everyone, communities, scope, expected):
    occurrence = Occurrence(
        data={},
        title="t",
        url="u",
        community_id=1,
        everyone=everyone,
        community_ids=frozenset(communities),
    )
    assert occurrence.may_reach(community_id=scope) is expected
