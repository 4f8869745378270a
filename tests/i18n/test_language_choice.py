"""Choosing the interface language: a person's choice, then the switcher's cookie
or the browser's Accept-Language, then the site default; the Wagtail admin and the
API follow the same choice."""

import pytest
from wagtail.users.models import UserProfile

from people.models import User

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    text = response.content.decode()
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_signed_out_visitor_gets_the_browser_language(client):
    response = client.get("/questions/", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5")
    assert html_lang(response) == "nl"
    assert response["Content-Language"] == "nl"
    assert "Vragen" in response.content.decode()


def test_without_a_preference_the_site_default_applies(client, settings):
    assert html_lang(client.get("/questions/")) == "en"
    settings.LANGUAGE_CODE = "nl"
    assert html_lang(client.get("/questions/")) == "nl"


def test_a_persons_choice_wins_over_the_browser(client, user):
    user.language = "nl"
    user.save()
    client.force_login(user)
    response = client.get("/questions/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response) == "nl"
    assert response["Content-Language"] == "nl"


def test_switcher_sets_a_cookie_for_signed_out_visitors(client):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/questions/"})
    assert response.status_code == 302
    assert response["Location"] == "/questions/"
    assert html_lang(client.get("/questions/", HTTP_ACCEPT_LANGUAGE="en")) == "nl"


def test_switcher_saves_a_signed_in_persons_choice_and_the_admins(client, user):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    user.refresh_from_db()
    assert user.language == "nl"
    assert UserProfile.objects.get(user=user).preferred_language == "nl"


def test_switcher_ignores_an_unknown_language(client, user):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""


def test_switcher_offers_the_other_language_without_inline_script(client):
    page = client.get("/questions/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'name="language" value="nl"' in page
    assert 'aria-label="Nederlands (NL)" title="Show Hallway in Dutch">' in page
    assert ">Nederlands</span>" in page and ">NL</abbr></button>" in page
    assert "onclick" not in page and "onchange" not in page


def test_profile_form_saves_the_language(client, user):
    client.force_login(user)
    response = client.post(
        "/people/me/edit/", {"display_name": "Alice", "language": "nl"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "nl"
    assert html_lang(client.get(response["Location"])) == "nl"


def test_language_chosen_in_the_wagtail_admin_is_the_interface_language(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "nl"
    profile.save()
    assert User.objects.get(pk=user.pk).language == "nl"


def test_wagtail_admin_speaks_the_chosen_language(client, admin_user):
    admin_user.language = "nl"
    admin_user.save()
    client.force_login(admin_user)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


def test_api_me_reads_and_changes_the_language(client, user, bearer):
    headers = bearer(user)
    assert client.get("/api/v1/auth/me", **headers).json()["language"] == ""
    response = client.patch(
        "/api/v1/auth/me",
        {"language": "nl"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json()["language"] == "nl"
    assert response["Content-Language"] == "nl"
    user.refresh_from_db()
    assert user.language == "nl"
    assert UserProfile.objects.get(user=user).preferred_language == "nl"


def test_api_me_refuses_an_unknown_language_and_changes_nothing(client, user, bearer):
    response = client.patch(
        "/api/v1/auth/me",
        {"language": "klingon"},
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 422
    assert "language" in response.json()["errors"]
    user.refresh_from_db()
    assert user.language == ""


def test_api_answers_in_a_token_owners_language(client, user, bearer):
    user.language = "nl"
    user.save()
    response = client.get("/api/v1/people/nobody-here", **bearer(user))
    assert response.status_code == 404
    assert response.json()["detail"] == "Deze persoon bestaat niet."


def test_api_errors_follow_accept_language(client):
    response = client.get("/api/v1/auth/me", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Je moet inloggen")
    response = client.post(
        "/api/v1/auth/token",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Ongeldige invoer."
    assert response.json()["errors"]["username"] == ["Dit veld is verplicht."]
