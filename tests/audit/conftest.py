import pytest

from hoth.people.models import Involvement, Person


@pytest.fixture
def child(db):
    return Person.objects.create(given_names="Tyler", family_name="Okafor")


@pytest.fixture
def lead_professional(users, child):
    Involvement.objects.create(person=child, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    return users["practitioner"]
