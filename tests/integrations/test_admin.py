"""Administrators manage webhooks in the Wagtail admin; nobody else sees them."""

import pytest

from integrations.models import Webhook

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_webhook_in_the_admin(client, admin_user, allow_private):
    client.force_login(admin_user)
    assert client.get("/admin/webhooks/").status_code == 200
    response = client.post(
        "/admin/webhooks/new/",
        {
            "kind": "hallway",
            "url": "http://127.0.0.1:9/hook",
            "events": ["question.created", "page.published"],
            "secret": "a-secret-long-enough",
            "language": "en",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    webhook = Webhook.objects.get()
    assert webhook.events == ["question.created", "page.published"]


def test_the_admin_form_refuses_loopback_when_not_allowed(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/webhooks/new/",
        {
            "kind": "hallway",
            "url": "http://127.0.0.1:9/hook",
            "events": ["question.created"],
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert b"private or loopback" in response.content
    assert not Webhook.objects.exists()


def test_leads_cannot_open_the_webhook_admin(client, lead, community):
    from django.contrib.auth.models import Permission

    lead.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(lead)
    response = client.get("/admin/webhooks/")
    assert response.status_code in {302, 403}
