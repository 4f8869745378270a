"""A restricted knowledge page's title shows on the page only (for those Wagtail
lets in), never on its author's profile (issue 16, leak 5)."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("restriction", ["login", "groups", "password"])
def test_profile_lists_only_pages_everyone_may_read(client, restriction):
    author = UserFactory(username="pagewriter")
    community = make_community(lead=author)
    make_page(community, author=author, title="Open handbook")
    secret = make_page(community, author=author, title="Salary bands 2027")
    view = PageViewRestriction.objects.create(
        page=secret, restriction_type=restriction, password="pw"
    )
    if restriction == "groups":
        view.groups.add(Group.objects.create(name="Payroll"))
    reader = UserFactory(username="reader")
    client.force_login(reader)
    html = client.get("/people/pagewriter/").content.decode()
    assert "Open handbook" in html
    assert "Salary bands 2027" not in html


def test_profile_leaves_out_pages_of_an_unpublished_community(client):
    author = UserFactory(username="pagewriter")
    community = make_community(lead=author)
    make_page(community, author=author, title="Paused community page")
    community.unpublish()
    client.force_login(UserFactory(username="reader"))
    html = client.get("/people/pagewriter/").content.decode()
    assert "Paused community page" not in html
