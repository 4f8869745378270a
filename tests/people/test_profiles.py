"""Profiles: editing one's own, what others see, imported accounts, the API."""

import io

import pytest
from PIL import Image

from hallway.errors import ValidationFailed
from journals.models import Entry
from kb.qa import services as qa
from people.models import Profile
from people.services import profile_update
from tests.factories import UserFactory
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(size=(300, 200)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    out.seek(0)
    out.name = "me.png"
    return out


def test_edit_profile_and_see_it(client, user):
    client.force_login(user)
    assert client.get("/people/me/edit/").status_code == 200
    response = client.post(
        "/people/me/edit/",
        {
            "display_name": "Alice A.",
            "office": "Utrecht",
            "department": "Platform",
            "languages": "English, Dutch, english",
            "bio": "I keep the deploy pipeline green.",
            "photo": png(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/people/alice/"
    profile = Profile.objects.get(user=user)
    assert profile.office == "Utrecht"
    assert profile.languages == ["English", "Dutch"]
    user.refresh_from_db()
    assert user.display_name == "Alice A."
    with Image.open(profile.photo.path) as image:
        assert image.size == (256, 256)

    page = client.get("/people/alice/").content.decode()
    for text in [
        "Alice A.",
        "Utrecht",
        "Platform",
        "English, Dutch",
        "deploy pipeline",
    ]:
        assert text in page
    assert "Your next step" in page
    assert "Answer a question in your tags" in page


def test_edit_errors_are_shown_and_nothing_is_saved(client, user):
    client.force_login(user)
    bad_photo = io.BytesIO(b"not an image")
    bad_photo.name = "x.png"
    response = client.post(
        "/people/me/edit/",
        {"display_name": "", "bio": "x" * 501, "photo": bad_photo},
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) >= {"display_name", "bio", "photo"}
    assert 'role="alert"' in response.content.decode()
    assert not Profile.objects.filter(user=user).exists()


def test_service_rejects_too_many_languages(user):
    with pytest.raises(ValidationFailed) as exc:
        profile_update(user=user, languages=[f"L{i}" for i in range(9)])
    assert "languages" in exc.value.errors


def test_profile_shows_activity_and_only_visible_entries(
    client, community, user, other_user, third_user
):
    question = make_question(community=community, author=other_user, tags=["k8s"])
    answer = make_answer(question=question, author=user)
    qa.vote_cast(user=other_user, target=answer, value=1)
    qa.answer_accept(answer=answer, by=other_user)
    make_entry(user, title="Shared with everyone")
    make_entry(user, title="My secret notes", visibility=Entry.Visibility.PRIVATE)

    client.force_login(third_user)
    response = client.get("/people/alice/")
    page = response.content.decode()
    assert "Shared with everyone" in page
    assert "My secret notes" not in page
    assert question.title in page
    assert response.context["reputation"] == 25
    assert response.context["top_tags"] == [{"tag": "k8s", "answers": 1, "accepted": 1}]
    assert [b.kind for b in response.context["badges"]] == [
        "first_answer",
        "first_accepted",
    ]
    assert response.context["participation"].level == "creator"  # shared entry
    assert "Platform" in page  # community membership
    assert "Your next step" not in page  # only for oneself
    assert "/journals/alice/" in page

    client.force_login(user)
    assert "My secret notes" in client.get("/people/alice/").content.decode()


def test_imported_account_has_a_simple_profile(client, community, user):
    ghost = UserFactory(
        username="se-cardano-7", display_name="Old Timer", is_active=False
    )
    question = make_question(community=community, author=ghost, title="Imported Q?")
    client.force_login(user)
    response = client.get("/people/se-cardano-7/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Old Timer" in page and question.title in page
    assert "mailto:" not in page and "Reputation" not in page
    assert "cannot be contacted" in page


def test_unknown_person_is_404_and_login_is_required(client, user):
    assert client.get("/people/alice/").status_code == 302
    client.force_login(user)
    assert client.get("/people/nobody/").status_code == 404


def test_profile_page_queries_do_not_grow(
    client, community, user, other_user, django_assert_max_num_queries
):
    client.force_login(other_user)
    make_entry(user)
    question = make_question(community=community, author=other_user, tags=["a"])
    make_answer(question=question, author=user)
    with django_assert_max_num_queries(40) as small:
        client.get("/people/alice/")
    for i in range(6):
        q = make_question(community=community, author=other_user, tags=[f"t{i}", "a"])
        make_answer(question=q, author=user)
        make_entry(user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/people/alice/")


def test_api_profile(client, community, user, other_user, bearer):
    profile_update(user=user, office="Utrecht", languages=["English"], bio="Hi")
    user.email = "alice@example.org"
    user.save()
    response = client.get("/api/v1/people/alice", **bearer(other_user))
    assert response.status_code == 200
    data = response.json()
    assert data["office"] == "Utrecht"
    assert data["languages"] == ["English"]
    assert data["reputation"] == 0
    assert data["participation_level"] == "consumer"
    assert data["communities"] == [
        {"slug": "platform", "title": "Platform", "role": "member"}
    ]
    assert "email" not in data and "alice@example.org" not in response.content.decode()
    assert client.get("/api/v1/people/nobody", **bearer(other_user)).status_code == 404
    assert client.get("/api/v1/people/alice").status_code == 401
