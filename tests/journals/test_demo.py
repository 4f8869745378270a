"""Demo journals: mixed visibility, and loading twice creates nothing new."""

import pytest

from home.demo import load as home
from journals import demo
from journals.models import Entry, EntryComment, PersonFollow, Reaction
from kb.communities.demo import load as communities
from people.demo import load as people

pytestmark = pytest.mark.django_db


def _load_all():
    people()
    home()
    communities()
    return demo.load()


def _counts():
    return tuple(
        m.objects.count() for m in (Entry, Reaction, EntryComment, PersonFollow)
    )


def test_demo_journals_are_idempotent_and_mixed():
    _load_all()
    first = _counts()
    _load_all()
    assert _counts() == first
    assert first[0] > 30
    visibilities = set(Entry.objects.values_list("visibility", flat=True))
    assert visibilities == {"private", "community", "organisation"}
    assert set(Entry.objects.values_list("author__username", flat=True)) == {
        "alice",
        "bram",
        "chen",
        "lead",
    }
    assert not Entry.objects.filter(visibility="community", community=None).exists()
