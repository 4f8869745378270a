import pytest

from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea


@pytest.fixture
def lead(db):
    return UserFactory(username="lena", display_name="Lena Lead")


@pytest.fixture
def sponsor(db):
    return UserFactory(username="sam", display_name="Sam Sponsor")


@pytest.fixture
def outsider(db):
    return UserFactory(username="olga", display_name="Olga Outside")


@pytest.fixture
def community(lead, sponsor, user, other_user):
    return make_community(lead=lead, members=[sponsor, user, other_user])


@pytest.fixture
def campaign(community, lead, sponsor):
    return make_campaign(by=lead, community=community, sponsor=sponsor)


@pytest.fixture
def org_campaign(admin_user, sponsor):
    return make_campaign(
        by=admin_user,
        community=None,
        sponsor=sponsor,
        title="What should the whole company stop doing?",
    )


@pytest.fixture
def idea(campaign, user):
    return make_idea(campaign=campaign, author=user, tags=["lease", "paper"])
