"""Revisions, rollback and scheduled publishing of knowledge pages (Wagtail's own)."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from kb.communities.models import KnowledgePage
from kb.communities.services import knowledge_page_verify
from tests.communities.factories import make_page


def test_rolling_back_to_an_older_revision_keeps_verification(community, lead):
    page = make_page(community, author=lead, markdown="First version")
    first = page.live_revision
    newer = page.get_latest_revision_as_object()
    newer.body = [("markdown", "Second version")]
    newer.save_revision(user=lead).publish(user=lead)
    knowledge_page_verify(page=KnowledgePage.objects.get(pk=page.pk), by=lead)

    Revision.objects.get(pk=first.pk).publish(user=lead)
    page = KnowledgePage.objects.get(pk=page.pk)
    assert "First version" in page.body_html
    assert page.verified_by == lead


def test_scheduled_publishing(client, community, lead):
    page = make_page(community, author=lead, title="Later", publish=False)
    draft = page.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + timedelta(days=1)
    draft.save_revision(user=lead).publish(user=lead)
    page = KnowledgePage.objects.get(pk=page.pk)
    assert not page.live
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404

    # Time passes: the scheduled moment is now in the past.
    past = timezone.now() - timedelta(minutes=1)
    scheduled = Revision.objects.get(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page = KnowledgePage.objects.get(pk=page.pk)
    assert page.live
    assert client.get(page.url).status_code == 200
