"""Wagtail's page API shows published, public knowledge pages and nothing else."""

from wagtail.models import PageViewRestriction

from kb.communities.services import knowledge_page_verify
from tests.communities.factories import make_page


def _titles(client, **params) -> set[str]:
    response = client.get("/api/v2/pages/", {"type": "communities.KnowledgePage"})
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_published_page_exposes_rendered_body_tags_and_verification(
    client, community, lead
):
    page = make_page(
        community,
        author=lead,
        title="Rollbacks",
        markdown="## Steps\n\n`make rollback`",
        tags=["deploy", "ops"],
    )
    knowledge_page_verify(page=page, by=lead)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["meta"]["type"] == "communities.KnowledgePage"
    assert data["summary"] == "About Rollbacks."
    assert '<h2 id="steps">Steps</h2>' in data["body_html"]
    assert sorted(data["tags"]) == ["deploy", "ops"]
    assert data["verification"]["verified"] is True
    assert data["verification"]["verified_by"] == "Lena Lead"
    assert data["needs_review"] is False


def test_community_is_exposed_with_goal(client, community):
    data = client.get(f"/api/v2/pages/{community.pk}/").json()
    assert data["goal"] == "Why Platform exists."


def test_drafts_and_private_pages_never_show(client, community, lead):
    make_page(community, author=lead, title="Public page")
    draft = make_page(community, author=lead, title="Draft page", publish=False)
    private = make_page(community, author=lead, title="Private page")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    unpublished = make_page(community, author=lead, title="Unpublished page")
    unpublished.unpublish()

    assert _titles(client) == {"Public page"}
    for hidden in (draft, private, unpublished):
        assert client.get(f"/api/v2/pages/{hidden.pk}/").status_code == 404


def test_unpublished_changes_of_a_live_page_do_not_leak(client, community, lead):
    page = make_page(community, author=lead, title="Live", markdown="Old text")
    draft = page.get_latest_revision_as_object()
    draft.body = [("markdown", "SECRET new text")]
    draft.title = "Draft title"
    draft.save_revision()
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["title"] == "Live"
    assert "SECRET" not in data["body_html"]


def _listed(client, **params) -> set[str]:
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_pages_of_an_unpublished_community_never_show(client, community, lead, member):
    """Unpublishing a community hides everything in it (as on its pages and in
    search): the API lists none of it, to anyone, in any filter."""
    page = make_page(community, author=lead, title="Inside a closed community")
    community.unpublish()
    for viewer in (None, member, lead):
        if viewer is not None:
            client.force_login(viewer)
        assert "Inside a closed community" not in _listed(client)
        assert "Inside a closed community" not in _titles(client)
        assert "Inside a closed community" not in _listed(client, search="closed")
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
        path = f"/knowledge/{community.slug}/{page.slug}/"
        found = client.get("/api/v2/pages/find/", {"html_path": path})
        assert found.status_code == 404
    # child_of / descendant_of an unpublished community: nothing under it.
    assert client.get("/api/v2/pages/", {"child_of": community.pk}).status_code in {
        400,
        404,
    }


def test_login_and_group_restricted_pages_never_show(client, community, lead, member):
    """A page restricted to signed-in people or to a group, or under such a page,
    is read only on the page itself, never through the API."""
    from django.contrib.auth.models import Group

    login_only = make_page(community, author=lead, title="Login only")
    PageViewRestriction.objects.create(
        page=login_only, restriction_type=PageViewRestriction.LOGIN
    )
    group_only = make_page(community, author=lead, title="Group only")
    restriction = PageViewRestriction.objects.create(
        page=group_only, restriction_type=PageViewRestriction.GROUPS
    )
    group = Group.objects.create(name="Insiders")
    restriction.groups.add(group)
    member.groups.add(group)
    make_page(community, author=lead, title="Open page")

    for viewer in (None, member):
        if viewer is not None:
            client.force_login(viewer)
        titles = _listed(client) | _titles(client)
        assert "Open page" in titles
        assert not titles & {"Login only", "Group only"}
        for hidden in (login_only, group_only):
            assert client.get(f"/api/v2/pages/{hidden.pk}/").status_code == 404
