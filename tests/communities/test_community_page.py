"""The community page, joining and leaving, the lead dashboard, admin creation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data

from kb.communities.models import (
    CommunityGroup,
    CommunityPage,
    KnowledgePage,
    Membership,
)
from kb.qa import models as qa
from search import models as search_models
from tests.communities.factories import knowledge_index, make_page
from tests.factories import UserFactory


def test_community_page_shows_goal_leads_pages_and_members(
    client, community, lead, member
):
    make_page(community, author=lead, title="Paved road")
    make_page(community, author=lead, title="Hidden draft", publish=False)
    html = client.get(community.url).content.decode()
    assert "Why Platform exists." in html
    assert "Lena Lead" in html and "Tom Team" in html and "Alice Andersen" in html
    assert "Paved road" in html and "Hidden draft" not in html
    assert "3 members" in html
    assert html.index("Lena Lead") < html.index("Tom Team")  # leads before team
    assert f"/questions/?community={community.slug}" in html


def test_join_and_leave(client, community, outsider):
    community.join_policy = "open"
    community.save(update_fields=["join_policy"])
    client.force_login(outsider)
    join = reverse("communities:community-join", args=[community.slug])
    leave = reverse("communities:community-leave", args=[community.slug])
    assert "Join community" in client.get(community.url).content.decode()

    assert client.post(join).status_code == 302
    membership = Membership.objects.get(user=outsider)
    assert membership.role == "member"
    members_group = CommunityGroup.objects.get(role="member").group
    assert members_group in outsider.groups.all()
    assert "Leave community" in client.get(community.url).content.decode()

    client.post(leave)
    assert not Membership.objects.filter(user=outsider).exists()
    assert members_group not in outsider.groups.all()


def test_join_needs_post_and_login(client, community):
    join = reverse("communities:community-join", args=[community.slug])
    assert client.get(join).status_code in (302, 405)
    response = client.post(join)
    assert "/accounts/login/" in response["Location"]
    assert Membership.objects.count() == 3


def test_community_page_query_count_is_constant(client, community, lead, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_page(community, author=lead, title="First")
    client.force_login(member)
    client.get(community.url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(community.url).status_code == 200
        return len(ctx)

    one = count()
    for n in range(4):
        make_page(community, author=lead, title=f"Page {n}")
        Membership.objects.create(community=community, user=UserFactory())
    assert count() == one


def test_dashboard_is_for_curators_only(client, community, member, lead):
    client.force_login(member)
    assert client.get(reverse("curation:dashboard")).status_code == 403
    client.force_login(lead)
    assert client.get(reverse("curation:dashboard")).status_code == 200


def test_dashboard_lists_pages_awaiting_approval(client, community, lead, member):
    page = make_page(community, author=member, title="Please review", publish=False)
    workflow = page.get_workflow()
    workflow.start(page, member)
    assert WorkflowState.objects.get().status == "in_progress"
    client.force_login(lead)
    html = client.get(reverse("curation:dashboard")).content.decode()
    section = html[html.index("approval-heading") :]
    assert "Please review" in section


def test_dashboard_lists_old_unanswered_questions(client, community, lead, outsider):
    old = qa.Question.objects.create(
        title="Old and unanswered",
        body="?",
        author=outsider,
        community=community,
        created_at=timezone.now() - timedelta(hours=13),
    )
    qa.Question.objects.create(
        title="Fresh question", body="?", author=outsider, community=community
    )
    client.force_login(lead)
    html = client.get(reverse("curation:dashboard")).content.decode()
    assert old.title in html and "Fresh question" not in html


def test_admin_creating_a_community_sets_it_up(client, admin_user):
    index = knowledge_index()
    client.force_login(admin_user)
    url = reverse(
        "wagtailadmin_pages:add", args=["communities", "communitypage", index.pk]
    )
    data = nested_form_data(
        {
            "title": "Security",
            "slug": "security",
            "goal": "Nobody gets breached through us.",
            "description": "",
            "join_policy": "invite",
            "comments-TOTAL_FORMS": 0,
            "comments-INITIAL_FORMS": 0,
            "comments-MIN_NUM_FORMS": 0,
            "comments-MAX_NUM_FORMS": 1000,
            "action-publish": "1",
        }
    )
    client.post(url, data)
    community = CommunityPage.objects.get(slug="security")
    assert community.live
    assert community.join_policy == "invite"  # chosen in the admin
    assert CommunityGroup.objects.filter(community=community).count() == 3
    assert Membership.objects.get(community=community).user == admin_user
    assert Membership.objects.get(community=community).role == "lead"


def test_community_page_lists_open_questions(client, community, outsider):
    qa.Question.objects.create(
        title="Open one", body="?", author=outsider, community=community
    )
    qa.Question.objects.create(
        title="Closed one",
        body="?",
        author=outsider,
        community=community,
        status=qa.Question.Status.CLOSED,
    )
    html = client.get(community.url).content.decode()
    section = html[html.index('id="oq-heading"') :]
    assert "Open one" in section and "Closed one" not in section


def test_dashboard_query_count_is_constant(client, community, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make_due(title):
        page = make_page(community, author=lead, title=title)
        KnowledgePage.objects.filter(pk=page.pk).update(
            last_published_at=timezone.now() - timedelta(days=400)
        )

    make_due("Due 0")
    client.force_login(lead)
    client.get(reverse("curation:dashboard"))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("curation:dashboard"))
        assert response.status_code == 200
        return len(ctx)

    one = count()
    for n in range(1, 5):
        make_due(f"Due {n}")
    assert count() == one
    assert "Due 4" in client.get(reverse("curation:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("who", "allowed"), [("lead", True), ("team", False), ("member", False)]
)
def test_only_leads_change_roles_from_the_page(
    client, community, lead, team_member, member, who, allowed
):
    actor = {"lead": lead, "team": team_member, "member": member}[who]
    client.force_login(actor)
    url = reverse("communities:membership-role", args=[community.slug, member.pk])
    response = client.post(url, {"role": "team"})
    membership = Membership.objects.get(user=member)
    team_group = CommunityGroup.objects.get(role="team").group
    if allowed:
        assert response.status_code == 302
        assert membership.role == "team"
        assert team_group in member.groups.all()
        assert "Manage roles" in client.get(community.url).content.decode()
    else:
        assert response.status_code == 403
        assert membership.role == "member"
        assert team_group not in member.groups.all()


def test_dashboard_shows_top_searches_without_results(client, community, lead):
    for person in range(3):  # the report shows queries several people made
        search_models.SearchLog.objects.create(
            query="kubernetes quota", result_count=0, user_hash=f"person-{person}"
        )
    search_models.SearchLog.objects.create(query="deploy", result_count=4)
    client.force_login(lead)
    html = client.get(reverse("curation:dashboard")).content.decode()
    section = html[html.index('id="failed-heading"') :]
    assert "kubernetes quota" in section and "3 searches" in section
    assert ">deploy<" not in section


def test_knowledge_index_lists_live_communities(client, community):
    draft = CommunityPage(title="Secret club", slug="secret", goal="Hidden")
    knowledge_index().add_child(instance=draft)
    draft.unpublish()
    html = client.get("/knowledge/").content.decode()
    assert "Platform" in html and "Why Platform exists." in html
    assert "Secret club" not in html


def test_community_page_lists_only_unanswered_questions_and_links_members(
    client, community, lead, member
):
    waiting = qa.Question.objects.create(
        title="Nobody answered me", body="Help.", author=member, community=community
    )
    answered = qa.Question.objects.create(
        title="Already answered", body="Help.", author=member, community=community
    )
    qa.Answer.objects.create(question=answered, body="Like this.", author=lead)
    qa.Question.objects.filter(pk=answered.pk).update(answer_count=1)
    html = client.get(community.url).content.decode()
    section = html[html.index('id="oq-heading"') : html.index('id="kp-heading"')]
    assert waiting.title in section
    assert answered.title not in section
    assert f'href="/people/{member.username}/"' in html
    assert f'href="/people/{lead.username}/"' in html


def test_join_is_the_primary_action_and_membership_reads_plainly(
    client, community, outsider, member
):
    community.join_policy = "open"
    community.save(update_fields=["join_policy"])
    client.force_login(outsider)
    html = client.get(community.url).content.decode()
    assert '<button type="submit" class="button">Join community</button>' in html
    client.force_login(member)
    html = client.get(community.url).content.decode()
    assert "You are a member" in html
    assert 'button-secondary button-small">Leave community' in html
