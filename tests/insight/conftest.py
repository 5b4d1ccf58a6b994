import pytest

from hoth.insight import reference


@pytest.fixture
def measures(db):
    reference.load()
