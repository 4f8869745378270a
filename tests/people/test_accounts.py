"""Accounts: log in and out, reset a password, and use the API with a token."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from people.services import user_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_new_accounts_join_the_members_group(user):
    assert list(user.groups.values_list("name", flat=True)) == ["Members"]


def test_login_and_logout(client, user):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "pw"}, follow=True
    )
    assert response.context["user"].is_authenticated
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_with_a_message(client, user):
    response = client.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, user):
    client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    )
    assert link
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "n3w-Secret-pass", "new_password2": "n3w-Secret-pass"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("n3w-Secret-pass")


def test_administrators_reach_the_wagtail_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_members_do_not_reach_the_wagtail_admin(client, user):
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_administrator_role_via_service():
    admin = user_create(username="root", password="pw", is_admin=True)
    assert admin.is_superuser
    assert set(admin.groups.values_list("name", flat=True)) == {
        "Members",
        "Administrators",
    }
    assert Group.objects.filter(name="Administrators").count() == 1


def test_token_for_username_and_password(client, user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "pw"},
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "alice"


def test_token_with_a_wrong_password_is_401(client, user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_token_request_without_fields_is_422_with_field_messages(client, db):
    response = client.post("/api/v1/auth/token", {}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"username", "password"}


def test_anonymous_api_calls_get_401(client, db):
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_bad_token_is_401(client, user):
    response = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer wagtail_nope")
    assert response.status_code == 401


def test_an_inactive_users_token_stops_working(client, bearer):
    person = UserFactory(username="leaver")
    headers = bearer(person)
    assert client.get("/api/v1/auth/me", **headers).status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get("/api/v1/auth/me", **headers).status_code == 401


def test_the_session_works_for_the_api(client, user):
    client.force_login(user)
    assert client.get("/api/v1/auth/me").json()["display_name"] == "Alice Andersen"


def test_openapi_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/auth/token" in response.json()["paths"]
