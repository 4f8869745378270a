"""API writes without valid credentials get 401 with a Bearer challenge, never
"403 CSRF check Failed"; a signed-in browser session still needs its CSRF
token (issue 16)."""

import json

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRITES = [
    ("post", "/api/v1/questions"),
    ("post", "/api/v1/journal/entries"),
    ("patch", "/api/v1/questions/1"),
    ("delete", "/api/v1/journal/entries/1"),
    ("post", "/api/v1/notifications/read-all"),
]


def _send(client, method, url, **extra):
    return getattr(client, method)(
        url, json.dumps({"title": "x"}), content_type="application/json", **extra
    )


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_unauthenticated_write_is_401_with_a_bearer_challenge(method, url):
    client = Client(enforce_csrf_checks=True)
    response = _send(client, method, url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "CSRF" not in response.content.decode()


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_a_deactivated_accounts_token_is_401_invalid_token(method, url, bearer):
    person = UserFactory(username="leaver")
    headers = bearer(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    client = Client(enforce_csrf_checks=True)
    response = _send(client, method, url, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'


def test_an_unknown_token_on_a_read_is_401_invalid_token(client):
    response = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_signed_in_session_still_needs_csrf_for_writes(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = _send(client, "post", "/api/v1/notifications/read-all")
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
