"""Demo content: communities with goals, leads and published knowledge pages."""

from kb.communities import demo
from kb.communities.models import CommunityGroup, KnowledgePage


def test_demo_loads_pages_and_is_idempotent(db):
    from home.demo import load as home_load
    from people.demo import load as people_load

    people_load()
    home_load()
    demo.load()
    counts = (KnowledgePage.objects.count(), CommunityGroup.objects.count())
    demo.load()
    assert (KnowledgePage.objects.count(), CommunityGroup.objects.count()) == counts
    assert counts == (6, 9)
    assert KnowledgePage.objects.live().count() == 6
    page = KnowledgePage.objects.get(slug="deploying-to-production")
    assert "Rolling back" in page.body_html
    assert 'class="highlight"' in page.body_html
