"""A community's knowledge pages as a tree (#18): only what anyone may read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from kb.communities.models import KnowledgePage
from tests.communities.factories import knowledge_index, make_page


def child_page(parent, title, *, publish=True) -> KnowledgePage:
    """A knowledge page below another knowledge page."""
    page = KnowledgePage(title=title, slug=title.lower().replace(" ", "-"))
    page.summary = f"About {title}."
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


def tree_url(community) -> str:
    return reverse("communities:community-tree", args=[community.slug])


def test_tree_nests_pages_under_their_parents_and_is_linked(client, community, lead):
    guide = make_page(community, author=lead, title="Deploy guide")
    rollback = child_page(guide, "Rolling back")
    child_page(rollback, "Database rollbacks")
    make_page(community, author=lead, title="On call")

    html = client.get(tree_url(community)).content.decode()
    tree = html[html.index('class="kb-tree"') :]
    assert f'href="{guide.url}"' in tree and f'href="{rollback.url}"' in tree
    # Nested: the grandchild's list sits inside the child's item inside the guide's.
    assert (
        tree.index("Deploy guide")
        < tree.index("Rolling back")
        < tree.index("Database rollbacks")
        < tree.index("On call")
    )
    assert tree.count('<ul class="kb-tree-level">') == 3
    assert "1 page below" in tree

    index_html = client.get(knowledge_index().url).content.decode()
    assert tree_url(community) in index_html
    assert tree_url(community) in client.get(community.url).content.decode()
    assert tree_url(community) in client.get(guide.url).content.decode()


def test_tree_never_shows_what_a_reader_may_not_see(client, community, lead, member):
    make_page(community, author=lead, title="Visible handbook")
    restricted = make_page(community, author=lead, title="Salary bands")
    child_page(restricted, "Salary of the board")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.LOGIN
    )
    hidden = make_page(community, author=lead, title="Withdrawn policy")
    child_page(hidden, "Withdrawn appendix")
    hidden.unpublish()
    make_page(community, author=lead, title="Never published draft", publish=False)
    renamed = make_page(community, author=lead, title="Office hours")
    renamed.title = "Secret reorganisation plan"
    renamed.save_revision()  # a draft of a live page: its title is not published

    for viewer in (None, member, lead):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        response = client.get(tree_url(community))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Visible handbook" in html and "Office hours" in html
        for secret in (
            "Salary bands",
            "Salary of the board",
            "Withdrawn policy",
            "Withdrawn appendix",
            "Never published draft",
            "Secret reorganisation plan",
        ):
            assert secret not in html, (viewer, secret)


def test_tree_of_a_hidden_community_is_not_found(client, community, lead):
    make_page(community, author=lead, title="Inside a closed community")
    PageViewRestriction.objects.create(
        page=community, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(lead)
    assert client.get(tree_url(community)).status_code == 404
    PageViewRestriction.objects.filter(page=community).delete()
    community.unpublish()
    assert client.get(tree_url(community)).status_code == 404
    assert client.get("/communities/nowhere/pages/").status_code == 404


def test_tree_reads_a_constant_number_of_queries(client, community, lead, member):
    client.force_login(member)
    first = make_page(community, author=lead, title="First")
    child_page(first, "First child")
    client.get(tree_url(community))  # warm the site-root cache
    with CaptureQueriesContext(connection) as small:
        client.get(tree_url(community))

    for n in range(4):
        parent = make_page(community, author=lead, title=f"Section {n}")
        child = child_page(parent, f"Section {n} child")
        child_page(child, f"Section {n} grandchild")
    with CaptureQueriesContext(connection) as large:
        html = client.get(tree_url(community)).content.decode()
    assert "Section 3 grandchild" in html
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
