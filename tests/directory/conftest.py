import pytest
from django.core.cache import cache

from hoth.directory.models import Service


@pytest.fixture(autouse=True)
def _fresh_town_list():
    # known_towns() is cached; each test builds its own directory.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_service(db):
    def make(name="Crewe Youth Club", **fields):
        values = {
            "provider": "Cheshire East Youth Service",
            "offers": "Youth club with games and sport",
            "description_adult": "An open-access youth club run by qualified youth workers.",
            "description_child": "This is a club for you. You can play games and meet friends.",
            "needs": ["youth-club", "someone-to-talk-to"],
            "towns": ["Crewe"],
            "age_min": 11,
            "age_max": 19,
            "is_published": True,
            "phone": "01632 960001",
        }
        values.update(fields)
        return Service.objects.create(name=name, **values)

    return make
