import hashlib

import pytest

from hoth.people.models import Involvement, Person

# Fixed test keys, so that a test can name the key an event was signed with.
KEY_1 = hashlib.sha256(b"audit key 1 for tests").digest()
KEY_2 = hashlib.sha256(b"audit key 2 for tests").digest()


@pytest.fixture
def child(db):
    return Person.objects.create(given_names="Tyler", family_name="Okafor")


@pytest.fixture
def lead_professional(users, child):
    Involvement.objects.create(person=child, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    return users["practitioner"]


@pytest.fixture
def key_1(settings):
    """The chain signed with one known key, k1."""
    settings.AUDIT_KEYS = {"k1": KEY_1}
