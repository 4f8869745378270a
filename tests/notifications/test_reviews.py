"""Owners hear once when their knowledge page is due for review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.communities.models import KnowledgePage
from notifications.fanout import reviews_due_notify
from notifications.models import Kind, Notification
from tests.communities.factories import make_page

pytestmark = pytest.mark.django_db


def test_owner_of_an_overdue_page_is_reminded_once(community, lead):
    due = make_page(community, author=lead, title="Deploying safely")
    make_page(community, author=lead, title="Fresh page")
    past = timezone.now() - timedelta(days=400)
    KnowledgePage.objects.filter(pk=due.pk).update(
        last_published_at=past, verified_at=None
    )

    assert reviews_due_notify() == 1
    row = Notification.objects.get()
    assert (row.recipient, row.kind) == (lead, Kind.MY_PAGE_DUE_FOR_REVIEW)
    assert "Deploying safely" in row.text

    Notification.objects.update(read_at=timezone.now())
    assert reviews_due_notify() == 0
