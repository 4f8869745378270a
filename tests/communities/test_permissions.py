"""Who may write, publish, approve and verify under a community (truth tables)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kb.communities.models import KnowledgePage
from kb.communities.services import knowledge_page_verify
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory


def _page_form(title: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "summary": f"About {title}.",
            "body": streamfield([("markdown", f"# {title}\n\nText.")]),
            "review_interval_days": 182,
            "tags": "",
            "comments": inline_formset([]),
            **extra,
        }
    )


def _add_url(community) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=["communities", "knowledgepage", community.pk],
    )


@pytest.fixture
def people(lead, team_member, member, outsider, admin_user):
    return {
        "lead": lead,
        "team": team_member,
        "member": member,
        "outsider": outsider,
        "admin": admin_user,
    }


@pytest.mark.parametrize(
    ("who", "can_add", "can_publish"),
    [
        ("admin", True, True),
        ("lead", True, True),
        ("team", True, True),
        ("member", False, False),
        ("outsider", False, False),
    ],
)
def test_who_may_write_and_publish_through_the_admin(
    client, community, people, who, can_add, can_publish
):
    client.force_login(people[who])
    response = client.post(
        _add_url(community), _page_form(f"Page by {who}", **{"action-publish": "1"})
    )
    page = KnowledgePage.objects.filter(title=f"Page by {who}").first()
    if not can_add:
        assert page is None
        assert response.status_code in (302, 403)
        return
    assert page is not None, response.content[:2000]
    assert page.live is can_publish


@pytest.mark.parametrize(
    ("who", "can_approve"),
    [("admin", True), ("lead", True), ("team", True), ("member", False)],
)
def test_workflow_submit_then_approve(client, community, people, who, can_approve):
    # A member an administrator made an editor: they may write, not publish.
    people["member"].user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    client.force_login(people["member"])
    client.post(
        _add_url(community), _page_form("Reviewed page", **{"action-submit": "1"})
    )
    page = KnowledgePage.objects.get(title="Reviewed page")
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(people[who])
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    client.post(url, {"comment": "Looks good"})
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live is can_approve
    expected = (
        WorkflowState.STATUS_APPROVED
        if can_approve
        else WorkflowState.STATUS_IN_PROGRESS
    )
    assert state.status == expected


@pytest.mark.parametrize(
    ("who", "can_verify"),
    [
        ("admin", True),
        ("lead", True),
        ("team", True),
        ("member", False),
        ("outsider", False),
    ],
)
def test_who_may_verify(client, community, people, who, can_verify):
    page = make_page(community, author=people["lead"])
    client.force_login(people[who])
    response = client.post(reverse("communities:knowledge-page-verify", args=[page.pk]))
    page.refresh_from_db()
    if can_verify:
        assert response.status_code == 302
        assert page.verified_by == people[who]
        assert page.verified_at is not None
    else:
        assert response.status_code == 403
        assert page.verified_at is None


def test_verify_service_refuses_members(community, member):
    page = make_page(community)
    with pytest.raises(PermissionDenied):
        knowledge_page_verify(page=page, by=member)


def test_a_lead_of_another_community_has_no_rights_here(client, community):
    other_lead = UserFactory(username="olga")
    make_community(slug="data", title="Data", lead=other_lead)
    client.force_login(other_lead)
    client.post(_add_url(community), _page_form("Intruder", **{"action-publish": "1"}))
    assert not KnowledgePage.objects.filter(title="Intruder").exists()
    page = make_page(community)
    response = client.post(reverse("communities:knowledge-page-verify", args=[page.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("who", "sees_wagtail"),
    [("admin", True), ("lead", True), ("team", True), ("member", False)],
)
def test_only_page_editors_see_wagtail(client, community, people, who, sees_wagtail):
    client.force_login(people[who])
    admin = client.get("/admin/")
    home = client.get("/")
    assert home.status_code == 200
    assert (b"wagtail-userbar" in home.content) is sees_wagtail
    if sees_wagtail:
        assert admin.status_code == 200
    else:
        assert admin.status_code == 302
        assert "/login/" in admin.url
