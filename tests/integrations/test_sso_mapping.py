"""Claims → profile and group → community role rules (the browser test covers the
protocol against a real provider; these cover the rules one at a time)."""

import pytest
from django.contrib.auth.models import Permission

from integrations.models import SsoGroupMapping
from integrations.oidc import OIDCBackend, sso_profile_sync, sso_roles_sync
from kb.communities.models import Membership
from people.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _role(user, community):
    row = Membership.objects.filter(user=user, community=community).first()
    return row.role if row else None


def test_the_highest_mapped_role_wins(user, community):
    SsoGroupMapping.objects.create(group="eng", community=community, role="member")
    SsoGroupMapping.objects.create(group="eng-leads", community=community, role="lead")
    sso_roles_sync(user=user, groups=["eng", "eng-leads"])
    assert _role(user, community) == "lead"


def test_leaving_the_lead_group_demotes_but_keeps_membership(user, lead, community):
    SsoGroupMapping.objects.create(group="eng-leads", community=community, role="lead")
    sso_roles_sync(user=user, groups=["eng-leads"])
    sso_roles_sync(user=user, groups=[])
    assert _role(user, community) == "member"


def test_communities_without_mappings_are_left_alone(user, lead, other_community):
    Membership.objects.create(user=user, community=other_community, role="team")
    sso_roles_sync(user=user, groups=[])
    assert _role(user, other_community) == "team"


def test_empty_claims_never_wipe_profile_fields(user):
    Profile.objects.create(user=user, department="Finance", office="Utrecht")
    sso_profile_sync(user=user, claims={"sub": "1", "email": user.email})
    profile = Profile.objects.get(user=user)
    assert (profile.department, profile.office) == ("Finance", "Utrecht")
    user.refresh_from_db()
    assert user.display_name == "Alice Andersen"


def test_an_unverified_e_mail_does_not_adopt_an_existing_account(user, settings):
    settings.OIDC_ISSUER = "https://login.example.org"
    backend = OIDCBackend()
    claims = {"sub": "x1", "email": user.email, "email_verified": False}
    assert not backend.filter_users_by_claims(claims).exists()
    claims["email_verified"] = True
    assert list(backend.filter_users_by_claims(claims)) == [user]


def test_password_forms_never_reach_the_oidc_backend(user, settings, rf):
    settings.OIDC_ISSUER = "https://login.example.org"
    settings.OIDC_RP_CLIENT_ID = "hallway"
    request = rf.get("/oidc/callback/?code=c&state=s")
    assert OIDCBackend().authenticate(request, username="alice", password="pw") is None


def test_admins_edit_the_mapping_and_leads_only_see_their_rows(
    client, admin_user, lead, community, other_community
):
    # Hyphenated names: "g2" was once found inside the page's random CSRF token.
    mine = SsoGroupMapping.objects.create(group="sso-platform", community=community)
    SsoGroupMapping.objects.create(group="sso-data", community=other_community)
    client.force_login(admin_user)
    page = client.get("/admin/sso_groups/").content.decode()
    assert "sso-platform" in page and "sso-data" in page
    lead.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(lead)
    page = client.get("/admin/sso_groups/").content.decode()
    assert "sso-platform" in page and "sso-data" not in page
    assert client.get(f"/admin/sso_groups/edit/{mine.pk}/").status_code in {302, 403}


def test_members_do_not_see_the_mapping(client, community):
    member = UserFactory(username="mia")
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)
    assert client.get("/admin/sso_groups/").status_code in {302, 403}
