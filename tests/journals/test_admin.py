"""Moderation in the Wagtail admin: curators see shared entries, never private ones."""

import pytest

from journals.models import Entry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(community):
    lead = UserFactory(username="lena")
    lead.user_permissions.add(_admin_access())
    return lead


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename="access_admin")


def test_curator_lists_shared_entries_only(client, lead, entries):
    client.force_login(lead)
    html = client.get("/admin/journal_entries/").content.decode()
    assert "ORG-ENTRY" in html and "COMMUNITY-ENTRY" in html
    assert "PRIVATE-ENTRY" not in html


def test_curator_cannot_open_or_delete_a_private_entry(client, lead, entries):
    client.force_login(lead)
    private = entries["private"]
    inspect = client.get(f"/admin/journal_entries/inspect/{private.pk}/")
    delete = client.post(f"/admin/journal_entries/delete/{private.pk}/")
    assert inspect.status_code in (302, 403, 404)
    assert delete.status_code in (302, 403, 404)
    assert Entry.objects.filter(pk=private.pk).exists()
    assert "PRIVATE-ENTRY" not in inspect.content.decode()


def test_curator_deletes_an_organisation_entry(client, lead, entries):
    client.force_login(lead)
    entry = entries["organisation"]
    response = client.post(f"/admin/journal_entries/delete/{entry.pk}/")
    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_members_have_no_moderation(client, member, entries):
    member.user_permissions.add(_admin_access())
    client.force_login(member)
    response = client.get("/admin/journal_entries/")
    assert response.status_code in (302, 403)
