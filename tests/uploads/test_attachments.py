"""Files added in the editor: limits checked on the server from the bytes, safe
serving, and access that follows the posts linking them (#14, #18)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from journals.models import Entry
from journals.services import entry_create, entry_update
from kb.communities.models import KnowledgePage
from kb.qa.services import answer_create, answer_delete
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea
from tests.people.test_photo_limits import png_bomb
from tests.qa.factories import make_question
from uploads.models import Attachment, AttachmentUse

UPLOAD = "/uploads/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.HALLWAY_UPLOADS_ROOT = tmp_path
    return tmp_path


def png(name="screen shot.png", size=(4, 3)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def docx() -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("plan.docx", out.getvalue(), content_type="text/html")


def upload(client, file):
    return client.post(UPLOAD, {"file": file})


def test_an_image_is_stored_under_a_key_and_shown_inline(client, user, media):
    client.force_login(user)
    response = upload(client, png())
    assert response.status_code == 201
    data = response.json()
    attachment = Attachment.objects.get()
    assert data["name"] == "screen-shot.png" and data["is_image"] is True
    assert data["markdown"] == f"![screen-shot.png]({data['url']})"
    assert data["url"] == f"/uploads/{attachment.key.hex}/screen-shot.png"
    assert attachment.file.name == f"{attachment.key.hex[:2]}/{attachment.key.hex}.png"
    served = client.get(data["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert not served.get("Content-Disposition", "").startswith("attachment")
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_documents_always_download_with_their_checked_type(client, user):
    client.force_login(user)
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n...", content_type="text/html")
    data = upload(client, pdf).json()
    served = client.get(data["url"])
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")
    assert data["markdown"].startswith("[report.pdf](")
    word = client.get(upload(client, docx()).json()["url"])
    assert word["Content-Type"].endswith("wordprocessingml.document")
    notes = SimpleUploadedFile("notes.md", b"# Notities\n", "text/html")
    served = client.get(upload(client, notes).json()["url"])
    assert served["Content-Type"] == "text/markdown; charset=utf-8"
    assert served["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
            "cannot be attached",
        ),
        ("page.html", b"<html><script>alert(1)</script></html>", "cannot be attached"),
        ("photo.png", b"<html><script>alert(1)</script></html>", "cannot be attached"),
        ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 100, "cannot be attached"),
        ("fake.pdf", b"<script>alert(1)</script>", "cannot be attached"),
        ("fake.docx", b"PK\x03\x04 not really", "cannot be attached"),
        ("binary.txt", b"abc\x00def", "cannot be attached"),
        ("empty.txt", b"", ""),  # "The file is empty." or "Choose a file."
    ],
)
def test_refused_files_leave_nothing_behind(client, user, media, name, content, why):
    client.force_login(user)
    response = upload(client, SimpleUploadedFile(name, content, "image/png"))
    assert response.status_code == 422
    assert why in response.json()["detail"]
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_size_and_pixel_limits(client, user, settings, media):
    settings.HALLWAY_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(user)
    big = SimpleUploadedFile("big.txt", b"a" * 1025, "text/plain")
    response = upload(client, big)
    assert response.status_code == 422 and "at most" in response.json()["detail"]
    settings.HALLWAY_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    response = upload(client, SimpleUploadedFile("bomb.png", png_bomb().getvalue()))
    assert response.status_code == 422 and "megapixels" in response.json()["detail"]
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_uploading_needs_a_sign_in_a_post_and_keeps_to_the_rate(client, user, settings):
    assert upload(client, png()).status_code == 401
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 405
    assert client.post(UPLOAD, {}).status_code == 422
    settings.HALLWAY_RATE_LIMITS = {"upload": "1/h"}
    assert upload(client, png()).status_code == 201
    assert upload(client, png()).status_code == 429
    assert Attachment.objects.count() == 1


def _upload_as(client, person, file=None) -> str:
    client.force_login(person)
    return upload(client, file or png()).json()["url"]


def test_an_unused_upload_reaches_only_its_uploader(client, user, other_user):
    url = _upload_as(client, user)
    assert client.get(url).status_code == 200
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    wrong_name = url.rsplit("/", 1)[0] + "/other.png"
    client.force_login(user)
    assert client.get(wrong_name).status_code == 404


def test_access_follows_the_entry_that_links_it(
    client, user, other_user, django_capture_on_commit_callbacks
):
    url = _upload_as(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        entry = entry_create(
            author=user,
            body=f"Today ![screen]({url})",
            visibility=Entry.Visibility.PRIVATE,
        )
    assert AttachmentUse.objects.filter(source=f"entry:{entry.pk}").count() == 1
    client.force_login(other_user)
    assert client.get(url).status_code == 404  # a private entry's image stays private

    with django_capture_on_commit_callbacks(execute=True):
        entry_update(
            entry=entry,
            by=user,
            body=entry.body,
            visibility=Entry.Visibility.ORGANISATION,
        )
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, by=user, body="No picture any more.")
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, by=user, body=f"Back: ![screen]({url})")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    assert client.get(url).status_code == 404


def test_linking_someone_elses_file_does_not_widen_access(
    client, user, other_user, django_capture_on_commit_callbacks
):
    url = _upload_as(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        entry_create(
            author=user, body=f"![x]({url})", visibility=Entry.Visibility.PRIVATE
        )
        # Bram saw the address somewhere and links it in a public post of his own.
        entry_create(
            author=other_user,
            body=f"![x]({url})",
            visibility=Entry.Visibility.ORGANISATION,
        )
    assert AttachmentUse.objects.count() == 1
    third = UserFactory(username="chen")
    client.force_login(third)
    assert client.get(url).status_code == 404


def test_an_answers_file_follows_its_question_and_goes_with_the_answer(
    client, user, other_user, django_capture_on_commit_callbacks
):
    community = make_community()
    question = make_question(community=community, author=other_user)
    url = _upload_as(client, user, docx())
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_create(
            question=question, author=user, body=f"See [plan]({url})."
        )
    reader = UserFactory(username="chen")
    client.force_login(reader)
    assert client.get(url).status_code == 200
    community.unpublish()
    assert client.get(url).status_code == 404  # the question is no longer readable
    community.save_revision().publish()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer_delete(answer=answer, by=user)
    assert client.get(url).status_code == 404


def test_an_ideas_file_reaches_the_campaigns_scope_only(
    client, user, other_user, django_capture_on_commit_callbacks
):
    lead = UserFactory(username="lena")
    community = make_community(lead=lead, members=[user, other_user])
    campaign = make_campaign(by=lead, community=community)
    url = _upload_as(client, user, docx())
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(campaign=campaign, author=user, body=f"Our draft: [plan]({url})")
    client.force_login(other_user)
    assert client.get(url).status_code == 200  # a member of the community
    client.force_login(UserFactory(username="chen"))
    assert client.get(url).status_code == 404  # not in the campaign's scope


def _page_post(client, url, **fields):
    data = {"summary": "Where the forms are.", "tags": "", "language": ""}
    return client.post(url, {**data, **fields})


def test_a_knowledge_pages_files_reach_its_readers_once_published(
    client, user, other_user, django_capture_on_commit_callbacks
):
    lead = UserFactory(username="lena")
    community = make_community(lead=lead, members=[user])
    reader = UserFactory(username="chen")
    # The editor offers the paperclip on knowledge pages too.
    client.force_login(lead)
    new_url = reverse("communities:knowledge-page-new", args=[community.slug])
    assert "data-md-attach" in client.get(new_url).content.decode()

    plan = _upload_as(client, lead, docx())
    with django_capture_on_commit_callbacks(execute=True):
        response = _page_post(
            client,
            new_url,
            title="Lease forms",
            **{"section-0": f"The form: [plan]({plan}).", "action": "publish"},
        )
    assert response.status_code == 302
    page = KnowledgePage.objects.get(title="Lease forms")
    client.force_login(reader)
    assert client.get(plan).status_code == 200

    # A member's file in a draft waiting for review stays the member's ...
    photo = _upload_as(client, user)
    edit_url = reverse("communities:knowledge-page-edit", args=[page.pk])
    text = f"The form: [plan]({plan}). The desk: ![desk]({photo})"
    with django_capture_on_commit_callbacks(execute=True):
        _page_post(
            client,
            edit_url,
            title=page.title,
            base_revision=page.latest_revision_id,
            **{"section-0": text, "action": "draft"},
        )
    client.force_login(reader)
    assert client.get(photo).status_code == 404
    # ... until a version linking it is published; an outsider's file the lead
    # links is not widened (its uploader never wrote a version of the page).
    outsider_file = _upload_as(client, other_user)
    client.force_login(lead)
    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _page_post(
            client,
            edit_url,
            title=page.title,
            base_revision=page.latest_revision_id,
            **{
                "section-0": f"{text} ![x]({outsider_file})",
                "action": "publish",
            },
        )
    client.force_login(reader)
    assert client.get(photo).status_code == 200
    assert client.get(outsider_file).status_code == 404

    page.refresh_from_db()
    page.unpublish()
    assert client.get(plan).status_code == 404
    assert client.get(photo).status_code == 404


def test_api_clients_attach_a_file_to_an_idea(
    client, user, other_user, bearer, media, django_capture_on_commit_callbacks
):
    """The API uploads the same way the editor does (token, multipart ``file``);
    an idea posted over the API that links it opens the file to its scope."""
    lead = UserFactory(username="lena")
    community = make_community(lead=lead, members=[user, other_user])
    campaign = make_campaign(by=lead, community=community)
    client.logout()
    refused = client.post("/api/v1/uploads", {"file": png()})
    assert refused.status_code == 401 and not Attachment.objects.exists()
    bad = client.post("/api/v1/uploads", {"file": png_bomb()}, **bearer(user))
    assert bad.status_code == 422 and not Attachment.objects.exists()
    assert client.post("/api/v1/uploads", {}, **bearer(user)).status_code == 422
    sent = client.post("/api/v1/uploads", {"file": docx()}, **bearer(user))
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["name"] == "plan.docx" and not body["is_image"]
    assert body["markdown"] == f"[plan.docx]({body['url']})"
    client.force_login(other_user)
    assert client.get(body["url"]).status_code == 404  # not linked yet
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            f"/api/v1/campaigns/{campaign.pk}/ideas",
            {"title": "Share the lease plan", "body": f"Draft: {body['markdown']}"},
            content_type="application/json",
            **bearer(user),
        )
    assert posted.status_code == 201, posted.content
    client.force_login(other_user)
    assert client.get(body["url"]).status_code == 200  # in the campaign's scope
    client.force_login(UserFactory(username="chen"))
    assert client.get(body["url"]).status_code == 404
