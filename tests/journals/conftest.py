import pytest
from django.core.cache import cache

from journals.models import Entry
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.journals.factories import make_entry


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def author(user):
    return user


@pytest.fixture
def member(db):
    return UserFactory(username="chen", display_name="Chen Li")


@pytest.fixture
def outsider(other_user):
    """Someone else in the organisation, not in the community."""
    return other_user


@pytest.fixture
def community(author, member):
    lead = UserFactory(username="lena", display_name="Lena Lead")
    return make_community(lead=lead, members=[author, member])


@pytest.fixture
def other_community(db):
    return make_community(slug="data", title="Data")


@pytest.fixture
def entries(author, community):
    """One entry per visibility, each with a marker in its title."""
    return {
        "private": make_entry(
            author, title="PRIVATE-ENTRY", visibility=Entry.Visibility.PRIVATE
        ),
        "community": make_entry(
            author,
            title="COMMUNITY-ENTRY",
            visibility=Entry.Visibility.COMMUNITY,
            community=community,
        ),
        "organisation": make_entry(
            author, title="ORG-ENTRY", visibility=Entry.Visibility.ORGANISATION
        ),
    }
