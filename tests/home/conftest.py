import pytest

from home.demo import load as home_load


@pytest.fixture
def home(db):
    return home_load()
