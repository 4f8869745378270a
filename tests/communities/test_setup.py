"""Creating a community creates its groups, permissions and review workflow."""

from wagtail.models import GroupApprovalTask, WorkflowPage

from hallway.errors import ValidationFailed
from kb.communities.models import CommunityGroup, Membership
from kb.communities.services import (
    community_setup,
    membership_leave,
    membership_role_set,
)


def test_creating_a_community_creates_groups_and_workflow(community):
    groups = {link.role: link.group for link in CommunityGroup.objects.all()}
    assert {g.name for g in groups.values()} == {
        "Platform leads",
        "Platform team",
        "Platform members",
    }
    workflow = WorkflowPage.objects.get(page=community).workflow
    assert workflow.name == "Platform review"
    task = workflow.tasks.get().specific
    assert isinstance(task, GroupApprovalTask)
    assert set(task.groups.all()) == {groups["lead"], groups["team"]}


def test_setup_is_idempotent(community):
    before = (CommunityGroup.objects.count(), WorkflowPage.objects.count())
    community_setup(community=community)
    community_setup(community=community)
    assert (CommunityGroup.objects.count(), WorkflowPage.objects.count()) == before
    lead_group = CommunityGroup.objects.get(role="lead").group
    assert lead_group.page_permissions.count() == 5


def test_roles_and_groups_stay_in_sync(community, lead, member):
    groups = {link.role: link.group for link in CommunityGroup.objects.all()}
    assert set(lead.groups.filter(community_role__isnull=False)) == {groups["lead"]}
    assert set(member.groups.filter(community_role__isnull=False)) == {groups["member"]}

    membership_role_set(
        community=community, user=member, role=Membership.Role.TEAM, by=lead
    )
    assert set(member.groups.filter(community_role__isnull=False)) == {groups["team"]}

    membership_leave(community=community, user=member)
    assert not member.groups.filter(community_role__isnull=False).exists()
    assert not Membership.objects.filter(user=member).exists()


def test_only_a_lead_changes_roles(community, member, team_member):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        membership_role_set(
            community=community, user=member, role="lead", by=team_member
        )
    assert Membership.objects.get(user=member).role == "member"


def test_the_last_lead_cannot_step_down(community, lead):
    import pytest

    with pytest.raises(ValidationFailed):
        membership_role_set(community=community, user=lead, role="member", by=lead)
    assert Membership.objects.get(user=lead).role == "lead"


def test_renaming_a_community_renames_its_groups_and_workflow(community):
    from django.contrib.auth.models import Group

    community.title = "Platform engineering"
    community.save_revision().publish()
    names = set(
        Group.objects.filter(community_role__isnull=False).values_list(
            "name", flat=True
        )
    )
    assert names == {
        "Platform engineering leads",
        "Platform engineering team",
        "Platform engineering members",
    }
    assert WorkflowPage.objects.get(page=community).workflow.name == (
        "Platform engineering review"
    )


def test_deleting_a_community_deletes_its_groups(community):
    from django.contrib.auth.models import Group

    community.delete()
    assert not Group.objects.filter(name__startswith="Platform ").exists()
    assert not CommunityGroup.objects.exists()
