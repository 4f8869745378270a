"""Demo content: communities with goals, leads and published knowledge pages."""

from home.demo import load as home_load
from kb.communities import demo
from kb.communities.models import CommunityGroup, CommunityPage, KnowledgePage
from people.demo import load as people_load
from people.models import User


def test_demo_loads_pages_and_is_idempotent(db):
    people_load()
    home_load()
    demo.load()
    counts = (KnowledgePage.objects.count(), CommunityGroup.objects.count())
    demo.load()
    assert (KnowledgePage.objects.count(), CommunityGroup.objects.count()) == counts
    assert counts == (6, 12)
    assert KnowledgePage.objects.live().count() == 6
    page = KnowledgePage.objects.get(slug="deploying-to-production")
    assert "Rolling back" in page.body_html
    assert 'class="highlight"' in page.body_html


def test_demo_makes_the_general_community_everyone_can_ask_in(db, settings, client):
    settings.HALLWAY_GENERAL_COMMUNITY_SLUG = "algemeen"
    settings.HALLWAY_GENERAL_COMMUNITY_TITLE = "Algemeen / HR & facilities"
    people_load()
    home_load()
    demo.load()
    general = CommunityPage.objects.get(slug="algemeen")
    assert general.title == "Algemeen / HR & facilities"
    assert general.join_policy == "open"

    client.force_login(User.objects.get(username="alice"))
    html = client.get("/questions/ask/").content.decode()
    options = html[html.index('name="community"') :]
    first = options[options.index("<option") : options.index("</option>")]
    assert 'value="algemeen"' in first and "selected" in first
    assert "Algemeen / HR &amp; facilities (no specific community)" in first
