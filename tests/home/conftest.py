import pytest

from home.demo import load as home_load


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Rate limits are tested on their own; these tests post freely."""
    settings.HALLWAY_RATE_LIMITS = {}


@pytest.fixture
def home(db):
    return home_load()
