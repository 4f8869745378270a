"""The webhook API: administrators only; clear errors, nothing saved on bad input."""

import pytest

from integrations.models import Webhook

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks"


def _post(client, headers, **payload):
    return client.post(URL, payload, content_type="application/json", **headers)


def test_an_admin_creates_a_webhook_and_gets_its_secret_once(
    client, admin_user, bearer, allow_private, receiver
):
    response = _post(
        client, bearer(admin_user), url=receiver.url, events=["question.created"]
    )
    assert response.status_code == 201
    body = response.json()
    assert body["url"] == receiver.url
    assert body["events"] == ["question.created"]
    assert len(body["secret"]) >= 32
    assert Webhook.objects.get(pk=body["id"]).secret == body["secret"]
    listed = client.get(URL, **bearer(admin_user)).json()
    assert [row["id"] for row in listed] == [body["id"]]
    assert "secret" not in listed[0]


def test_a_given_secret_is_kept(client, admin_user, bearer, allow_private, receiver):
    secret = "s3cret-s3cret-s3cret"
    response = _post(
        client,
        bearer(admin_user),
        url=receiver.url,
        events=["answer.created"],
        secret=secret,
    )
    assert response.json()["secret"] == secret


def test_members_get_403_everywhere(client, user, admin_user, bearer, allow_private):
    webhook = Webhook.objects.create(url="http://127.0.0.1:9/x", events=["x"])
    headers = bearer(user)
    assert (
        _post(client, headers, url="http://127.0.0.1:9/", events=[]).status_code == 403
    )
    assert client.get(URL, **headers).status_code == 403
    assert client.delete(f"{URL}/{webhook.pk}", **headers).status_code == 403
    assert client.get(f"{URL}/{webhook.pk}/deliveries", **headers).status_code == 403
    assert Webhook.objects.count() == 1


def test_anonymous_gets_401(client):
    assert client.get(URL).status_code == 401


def test_unknown_events_and_bad_urls_are_refused(client, admin_user, bearer):
    response = _post(
        client, bearer(admin_user), url="ftp://example.org/x", events=["nope"]
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"url", "events"}
    assert "nope" in errors["events"][0]
    assert not Webhook.objects.exists()


def test_loopback_is_refused_unless_allowed(client, admin_user, bearer, settings):
    settings.HALLWAY_WEBHOOKS_ALLOW_PRIVATE = False
    response = _post(
        client,
        bearer(admin_user),
        url="http://127.0.0.1:8080/hook",
        events=["question.created"],
    )
    assert response.status_code == 422
    assert "private or loopback" in response.json()["errors"]["url"][0]
    assert not Webhook.objects.exists()


def test_an_allow_listed_private_network_is_accepted(
    client, admin_user, bearer, settings
):
    settings.HALLWAY_WEBHOOKS_ALLOW_PRIVATE = False
    settings.HALLWAY_WEBHOOKS_ALLOWLIST = ["127.0.0.0/8"]
    response = _post(
        client,
        bearer(admin_user),
        url="http://127.0.0.1:8080/hook",
        events=["question.created"],
    )
    assert response.status_code == 201


def test_delete_removes_the_webhook(client, admin_user, bearer, allow_private):
    webhook = Webhook.objects.create(url="http://127.0.0.1:9/x", events=["x"])
    response = client.delete(f"{URL}/{webhook.pk}", **bearer(admin_user))
    assert response.status_code == 204
    assert not Webhook.objects.exists()
    assert client.delete(f"{URL}/{webhook.pk}", **bearer(admin_user)).status_code == 404


def test_chat_channels_are_not_webhooks_in_the_api(
    client, admin_user, bearer, community
):
    channel = Webhook.objects.create(
        kind=Webhook.Kind.SLACK, url="https://hooks.example.org/x", community=community
    )
    assert client.get(URL, **bearer(admin_user)).json() == []
    response = client.get(f"{URL}/{channel.pk}/deliveries", **bearer(admin_user))
    assert response.status_code == 404
