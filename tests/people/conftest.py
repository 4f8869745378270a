import pytest

from tests.communities.factories import make_community
from tests.factories import UserFactory


@pytest.fixture
def lead(db):
    return UserFactory(username="lena", display_name="Lena Lead")


@pytest.fixture
def third_user(db):
    return UserFactory(username="chen", display_name="Chen Wei")


@pytest.fixture
def community(lead, user, other_user):
    return make_community(lead=lead, members=[user, other_user])
