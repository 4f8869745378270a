"""Files added in the editor but never posted go after a grace period; files a
post linked once, or a page's unpublished draft links, stay."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from journals.models import Entry
from journals.services import entry_create, entry_update
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.uploads.test_attachments import _page_post, _upload_as, docx
from uploads.models import Attachment
from uploads.services import unused_uploads_delete
from uploads.tasks import delete_unused_uploads_task, schedule_clean_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.HALLWAY_UPLOADS_ROOT = tmp_path
    settings.HALLWAY_UNUSED_UPLOAD_DAYS = 7
    return tmp_path


def _key(url: str) -> str:
    return url.split("/")[2]


def _files(media) -> int:
    return len([p for p in media.rglob("*") if p.is_file()])


def test_files_never_posted_go_after_the_grace_period_with_their_bytes(
    client, user, media, django_capture_on_commit_callbacks
):
    abandoned, posted, unlinked = (_upload_as(client, user) for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        entry = entry_create(
            author=user,
            body=f"Board ![a]({posted}) ![b]({unlinked})",
            visibility=Entry.Visibility.ORGANISATION,
        )
    with django_capture_on_commit_callbacks(execute=True):
        # Linked once, then edited out: it stays (a revert finds it again).
        entry_update(entry=entry, by=user, body=f"Board ![a]({posted})")
    assert Attachment.objects.get(key=_key(unlinked)).used_at is not None
    assert _files(media) == 3

    # Within the grace period nothing goes, not even the abandoned file.
    with django_capture_on_commit_callbacks(execute=True):
        assert unused_uploads_delete(now=timezone.now() + timedelta(days=6)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert unused_uploads_delete(now=timezone.now() + timedelta(days=8)) == 1

    left = {a.key.hex for a in Attachment.objects.all()}
    assert left == {_key(posted), _key(unlinked)}
    assert _files(media) == 2
    assert client.get(abandoned).status_code == 404


def test_a_file_in_a_knowledge_pages_unpublished_draft_stays(
    client, django_capture_on_commit_callbacks
):
    lead = UserFactory(username="lena")
    community = make_community(lead=lead)
    plan = _upload_as(client, lead, docx())
    with django_capture_on_commit_callbacks(execute=True):
        response = _page_post(
            client,
            reverse("communities:knowledge-page-new", args=[community.slug]),
            title="Lease forms",
            **{"section-0": f"The form, soon: [plan]({plan}).", "action": "draft"},
        )
    assert response.status_code == 302
    stray = _upload_as(client, lead, docx())

    with django_capture_on_commit_callbacks(execute=True):
        deleted = unused_uploads_delete(now=timezone.now() + timedelta(days=30))

    assert deleted == 1
    assert {a.key.hex for a in Attachment.objects.all()} == {_key(plan)}
    assert _key(stray) not in {a.key.hex for a in Attachment.objects.all()}


def test_the_clean_up_runs_daily_once_scheduled(client, user):
    _upload_as(client, user)
    Attachment.objects.update(created_at=timezone.now() - timedelta(days=8))

    call_command("schedule_uploads")
    assert schedule_clean_up() is False  # one run waits already

    assert delete_unused_uploads_task.call() == 1
    assert not Attachment.objects.exists()
