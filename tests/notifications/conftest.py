import pytest

from tests.communities.factories import make_community
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def no_search_node(settings):
    """Expert finding runs on the database fallback unless a test says otherwise."""
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def lead(db):
    return UserFactory(username="lena", display_name="Lena Lead")


@pytest.fixture
def expert(db):
    return UserFactory(username="chen", display_name="Chen Li")


@pytest.fixture
def community(lead, user, other_user):
    return make_community(lead=lead, members=[user, other_user])
