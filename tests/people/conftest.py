"""People for the register tests, and the involvement that lets a user see them."""

from datetime import date

import pytest

from hoth.people import reference
from hoth.people.models import Involvement, Person
from hoth.people.search import forget_variants


@pytest.fixture(autouse=True)
def _fresh_variant_cache():
    forget_variants()
    yield
    forget_variants()


@pytest.fixture
def name_variants(db):
    reference.load()


@pytest.fixture
def make_person(db):
    def make(given, family, dob=date(2010, 3, 4), *, involved=None, kind=Involvement.Kind.ASSIGNED, **fields):
        person = Person.objects.create(given_names=given, family_name=family, date_of_birth=dob, **fields)
        for user in involved or ():
            Involvement.objects.create(person=person, user=user, kind=kind)
        return person

    return make
