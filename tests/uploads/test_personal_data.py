"""A person's uploads are in their data download and go when they are erased."""

import io
import json
import zipfile

import pytest

from journals.models import Entry
from journals.services import entry_create
from people.selectors import personal_data_export
from people.services import person_erase
from tests.factories import UserFactory
from tests.uploads.test_attachments import _upload_as
from uploads.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.HALLWAY_UPLOADS_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def uploads(client, user, django_capture_on_commit_callbacks):
    """Three files: one in a shared entry, one in a private note, one never posted."""
    shared, private, unused = (_upload_as(client, user) for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        entry_create(
            author=user,
            body=f"Our board ![x]({shared})",
            visibility=Entry.Visibility.ORGANISATION,
        )
        entry_create(
            author=user,
            body=f"Just for me ![x]({private})",
            visibility=Entry.Visibility.PRIVATE,
        )
    return {"shared": shared, "private": private, "unused": unused}


def _key(url: str) -> str:
    return url.split("/")[2]


def test_the_download_lists_every_upload_with_its_bytes(user, uploads):
    archive = zipfile.ZipFile(personal_data_export(user=user))
    listed = json.loads(archive.read("uploads.json"))
    assert {item["id"] for item in listed} == {_key(u) for u in uploads.values()}
    used = {item["id"]: item["used_in"] for item in listed}
    assert used[_key(uploads["unused"])] == []
    assert used[_key(uploads["shared"])][0].startswith("entry:")
    image = archive.read(f"uploads/{_key(uploads['shared'])}.png")
    assert image.startswith(b"\x89PNG")


def test_erasing_keeps_only_files_shared_posts_still_show(
    client, user, admin_user, uploads, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=user, by=admin_user)
    left = {a.key.hex for a in Attachment.objects.all()}
    assert left == {_key(uploads["shared"])}
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1
    client.force_login(UserFactory(username="reader"))
    assert client.get(uploads["shared"]).status_code == 200


def test_erasing_with_the_posts_removes_every_file(
    user, admin_user, uploads, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=user, by=admin_user, remove_content=True)
    assert not Attachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_a_person_deleted_outright_leaves_no_file_behind(
    user, uploads, media, django_capture_on_commit_callbacks
):
    """Not through erasure: the admin's delete, say. The rows cascade and their
    bytes go with them once committed."""
    assert len([p for p in media.rglob("*") if p.is_file()]) == 3
    with django_capture_on_commit_callbacks(execute=True):
        user.delete()
    assert not Attachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_a_rolled_back_deletion_keeps_the_file(user, uploads, media):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        Attachment.objects.filter(uploaded_by=user).delete()
        raise RuntimeError("rolled back")
    assert Attachment.objects.count() == 3
    assert len([p for p in media.rglob("*") if p.is_file()]) == 3


def test_a_file_gone_from_disk_is_left_out_of_the_download_not_its_list(
    user, uploads, media
):
    gone = Attachment.objects.get(key=_key(uploads["unused"]))
    (media / gone.file.name).unlink()

    archive = zipfile.ZipFile(personal_data_export(user=user))

    listed = {item["id"] for item in json.loads(archive.read("uploads.json"))}
    assert gone.key.hex in listed
    files = [n for n in archive.namelist() if n.startswith("uploads/")]
    assert len(files) == 2 and not any(gone.key.hex in n for n in files)


def test_a_large_download_is_spooled_to_disk_and_streamed(
    client, user, uploads, monkeypatch
):
    # Past the in-memory limit the archive is a file on disk, sent in chunks.
    monkeypatch.setattr("people.selectors.EXPORT_IN_MEMORY", 1024)
    export = personal_data_export(user=user)
    assert export._rolled  # type: ignore[attr-defined]
    client.force_login(user)

    response = client.get("/people/me/export/")

    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert f"uploads/{_key(uploads['shared'])}.png" in archive.namelist()
