"""The idea pages through HTTP: post, vote, status, hide, overdue, management."""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kb.ideas import services
from kb.ideas.models import Idea, IdeaVote
from tests.ideas.factories import make_idea


def test_anonymous_is_sent_to_login(client, campaign):
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_member_posts_an_idea_and_sees_it_at_once(client, user, campaign):
    client.force_login(user)
    form = client.get(campaign.get_absolute_url()).content.decode()
    # The same editor as questions and entries: toolbar and live preview.
    assert 'data-md-target="id_body"' in form and 'id="id_body-preview"' in form
    response = client.post(
        campaign.get_absolute_url(),
        {
            "title": "Scan old leases once",
            "body": "One scan, then shred.",
            "tags": "scan",
        },
    )
    idea = Idea.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    )
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Scan old leases once" in page and "Alice Andersen" in page


def test_bad_idea_shows_errors_and_saves_nothing(client, user, campaign):
    client.force_login(user)
    response = client.post(campaign.get_absolute_url(), {"title": "ab", "body": "x"})
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_outsider_gets_404_on_every_page(client, outsider, idea):
    client.force_login(outsider)
    for url in (
        idea.campaign.get_absolute_url(),
        idea.get_absolute_url(),
        f"/ideas/campaigns/{idea.campaign_id}/moderation/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ideas/{idea.pk}/vote/", {"value": "1"}).status_code == 404
    assert idea.title not in client.get("/ideas/").content.decode()
    assert not IdeaVote.objects.exists()


def test_vote_with_htmx_swaps_the_box(client, other_user, idea):
    client.force_login(other_user)
    response = client.post(
        f"/ideas/{idea.pk}/vote/", {"value": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'class="ideas-votes">1<' in response.content.decode()
    assert IdeaVote.objects.filter(idea=idea, user=other_user).exists()


def test_own_vote_message(client, user, idea):
    client.force_login(user)
    response = client.post(
        f"/ideas/{idea.pk}/vote/", {"value": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "cannot vote on your own idea" in response.content.decode()


def test_sponsor_sets_status_everyone_sees_it(client, sponsor, other_user, idea):
    client.force_login(sponsor)
    client.post(
        f"/ideas/{idea.pk}/status/",
        {"status": "declined", "note": "Legal needs paper originals."},
    )
    client.force_login(other_user)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Declined" in page and "Legal needs paper originals." in page
    assert "Set status" not in page  # members get no status form


def test_member_status_post_is_403(client, other_user, idea):
    client.force_login(other_user)
    response = client.post(f"/ideas/{idea.pk}/status/", {"status": "selected"})
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == "new"


def test_campaign_page_queries_do_not_grow_with_ideas(
    client, other_user, campaign, user
):
    client.force_login(other_user)
    make_idea(campaign=campaign, author=user, title="The first idea")
    client.get(campaign.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(campaign.get_absolute_url())
    for n in range(6):
        make_idea(campaign=campaign, author=user, title=f"More ideas number {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(campaign.get_absolute_url())
    assert len(many) == len(few)


def test_similar_fragment(client, other_user, idea):
    client.force_login(other_user)
    response = client.get(
        f"/ideas/similar/?campaign={idea.campaign_id}&title=digital+lease"
    )
    assert idea.title in response.content.decode()


def test_overdue_page_for_sponsor(client, sponsor, idea):
    Idea.objects.filter(pk=idea.pk).update(
        created_at=timezone.now() - timedelta(days=20)
    )
    client.force_login(sponsor)
    assert idea.title in client.get("/ideas/overdue/").content.decode()


def test_management_view_and_csv(client, sponsor, idea, other_user, lead):
    services.vote_cast(user=other_user, idea=idea, value=1)
    services.vote_cast(user=lead, idea=idea, value=1)
    client.force_login(sponsor)
    assert idea.title in client.get("/ideas/manage/").content.decode()
    response = client.get("/ideas/manage/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["title"] == idea.title and rows[0]["votes"] == "2"
    assert rows[0]["voter_communities"] == "1"


def test_management_csv_neutralises_formulas(client, sponsor, campaign, user):
    make_idea(campaign=campaign, author=user, title="=HYPERLINK(evil) idea")
    client.force_login(sponsor)
    body = client.get("/ideas/manage/?format=csv").content.decode()
    assert "'=HYPERLINK" in body


def test_hide_and_log_pages(client, lead, idea, other_user):
    client.force_login(lead)
    client.post(f"/ideas/{idea.pk}/hide/", {"reason": "Duplicate of a page."})
    idea.refresh_from_db()
    assert idea.is_hidden
    client.force_login(other_user)
    log = client.get(
        f"/ideas/campaigns/{idea.campaign_id}/moderation/"
    ).content.decode()
    assert "Duplicate of a page." in log and "Lena Lead" in log


def test_idea_box_redirects_members(client, user, community):
    client.force_login(user)
    response = client.get(f"/ideas/box/{community.slug}/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_lead_dashboard_shows_overdue_ideas(client, lead, idea):
    Idea.objects.filter(pk=idea.pk).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    client.force_login(lead)
    page = client.get("/communities/dashboard/").content.decode()
    assert "Ideas without an answer" in page and idea.title in page


def test_idea_pages_keep_the_sort(client, user, campaign):
    """The shared pagination partial: page 2 keeps the chosen sort."""
    for n in range(31):
        make_idea(campaign=campaign, author=user, title=f"Idea number {n}")
    client.force_login(user)
    html = client.get(campaign.get_absolute_url(), {"sort": "new"}).content.decode()
    assert 'rel="next" href="?sort=new&amp;page=2"' in html
    assert "Page 1 of 2" in html
