import pytest

from tests.communities.factories import make_community
from tests.factories import UserFactory


@pytest.fixture
def lead(db):
    return UserFactory(username="lena", display_name="Lena Lead")


@pytest.fixture
def team_member(db):
    return UserFactory(username="tom", display_name="Tom Team")


@pytest.fixture
def member(user):
    return user


@pytest.fixture
def outsider(other_user):
    return other_user


@pytest.fixture
def community(lead, team_member, member):
    return make_community(lead=lead, team=[team_member], members=[member])
