"""Brute-force protection: after too many wrong passwords the login form, the
admin login and the token API refuse that account from that address, with a
clear message, even with the right password (issue 16, abuse)."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _login(client, password):
    return client.post("/accounts/login/", {"username": "alice", "password": password})


def _token(client, password):
    return client.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": password},
        content_type="application/json",
    )


def test_login_form_locks_out_after_the_limit(client, user):
    for _ in range(LIMIT - 1):
        response = _login(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    response = _login(client, "wrong")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # The right password is refused too while locked out.
    response = _login(client, "pw")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_token_api_locks_out_after_the_limit(client, user):
    for _ in range(LIMIT - 1):
        assert _token(client, "wrong").status_code == 401
    response = _token(client, "wrong")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert _token(client, "pw").status_code == 429


def test_failures_are_counted_in_the_database_for_every_process(client, user):
    """Another web process shares nothing with this one but the database."""
    for _ in range(LIMIT - 1):
        _token(client, "wrong")
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.failures_since_start == LIMIT - 1
    # A fresh client (another process, no cookies) is still refused.
    from django.test import Client

    _login(Client(), "wrong")
    assert _login(Client(), "pw").status_code == 429


def test_a_success_before_the_limit_resets_the_count(client, user):
    for _ in range(LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, "pw").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert _login(client, "wrong").status_code == 200


def test_another_account_is_not_locked(client, user, other_user):
    for _ in range(LIMIT):
        _login(client, "wrong")
    response = client.post("/accounts/login/", {"username": "bram", "password": "pw"})
    assert response.status_code == 302
