"""Requests refused at the edge (before the session and locale middleware)
are answered in the visitor's language, from the cookie or the browser."""

import pytest

pytestmark = pytest.mark.django_db


def _bad_json(client, **headers):
    return client.post(
        "/api/v1/auth/token",
        data=b'{"username": "\xff"}',
        content_type="application/json",
        **headers,
    )


def test_a_dutch_browser_gets_the_refusal_in_dutch(client):
    response = _bad_json(client, HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")
    assert response.status_code == 400
    assert (
        response.json()["detail"]
        == "De inhoud van het verzoek is geen geldige UTF-8-JSON."
    )


def test_the_language_cookie_wins_over_the_browser(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = _bad_json(client, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        response.json()["detail"]
        == "De inhoud van het verzoek is geen geldige UTF-8-JSON."
    )


def test_an_english_browser_gets_english(client):
    response = _bad_json(client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "The request body is not valid UTF-8 JSON."


def test_a_control_character_in_the_address_is_refused_in_dutch(client):
    response = client.get("/search/%01", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "stuurtekens" in response.content.decode()
