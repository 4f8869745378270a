import pytest

from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_question


@pytest.fixture
def lead(db):
    return UserFactory(username="lena", display_name="Lena Lead")


@pytest.fixture
def third_user(db):
    return UserFactory(username="chen", display_name="Chen Li")


@pytest.fixture
def community(lead, user, other_user):
    return make_community(lead=lead, members=[user, other_user])


@pytest.fixture
def other_community(db):
    return make_community(slug="data", title="Data")


@pytest.fixture
def question(community, user):
    return make_question(
        community=community, author=user, tags=["deploy", "kubernetes"]
    )
