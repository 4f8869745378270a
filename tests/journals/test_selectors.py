"""Pure helpers: who may read an entry, for the search index."""

import pytest

from journals.models import Entry
from journals.selectors import entry_principals
from kb.communities.selectors import community_ids_for
from tests.journals.factories import make_entry

pytestmark = pytest.mark.django_db


def test_principals_of_each_visibility(author, community, django_assert_num_queries):
    private = make_entry(author, visibility="private")
    shared = make_entry(author, visibility="community", community=community)
    public = make_entry(author, visibility="organisation")
    with django_assert_num_queries(0):
        assert entry_principals(private) == {
            "visibility": "private",
            "user_ids": [author.pk],
            "community_ids": [],
            "everyone": False,
        }
        assert entry_principals(shared)["community_ids"] == [community.pk]
        assert entry_principals(shared)["everyone"] is False
        assert entry_principals(public)["everyone"] is True


def test_principals_match_visible_to(author, member, outsider, community):
    """Anyone the principals admit is exactly who ``visible_to`` lets see it."""
    entries = [
        make_entry(author, visibility="private"),
        make_entry(author, visibility="community", community=community),
        make_entry(author, visibility="organisation"),
    ]
    for viewer in (author, member, outsider):
        for entry in entries:
            p = entry_principals(entry)
            admitted = (
                p["everyone"]
                or viewer.pk in p["user_ids"]
                or bool(set(p["community_ids"]) & community_ids_for(viewer))
            )
            visible = Entry.objects.visible_to(viewer).filter(pk=entry.pk).exists()
            assert admitted == visible
