"""People and partner-system tokens for the API tests."""

import secrets
from datetime import date

import pytest

from hoth.accounts.models import ApiToken, Role
from hoth.api.authentication import hash_secret
from hoth.people.models import Address, Identifier, Involvement, Person
from tests.conftest import make_user


@pytest.fixture
def register(users, team):
    """A child the council practitioner works with, a child nobody in the
    tests works with, and an adult of concern named in intelligence."""
    mine = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 3, 27))
    Involvement.objects.create(person=mine, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    Address.objects.create(person=mine, line1="1 Market Street", town="Crewe", postcode="CW1 2AB")
    Identifier.objects.create(person=mine, scheme=Identifier.Scheme.NHS, value="9434765919")
    other = Person.objects.create(given_names="Tyler", family_name="Okafor-Hughes", date_of_birth=date(2010, 3, 27))
    Address.objects.create(person=other, line1="9 Nantwich Road", town="Crewe", postcode="CW2 6AA")
    adult = Person.objects.create(
        given_names="Dwayne", family_name="Marsh", date_of_birth=date(1995, 6, 1), intelligence_subject=True
    )
    return {"mine": mine, "other": other, "adult": adult}


@pytest.fixture
def service_account(agencies):
    """A council case-management system acting as a practitioner would."""
    return make_user(
        "casesystem@council.example",
        agencies["council"],
        Role.PRACTITIONER,
        is_service_account=True,
        enrol=False,
        full_name="Council case system",
    )


@pytest.fixture
def issue_token(service_account):
    """issue_token(scopes, **fields) -> (ApiToken, the Authorization header value)."""

    def issue(scopes, account=None, **fields):
        prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(24)
        token = ApiToken.objects.create(
            account=account or service_account,
            name="Case system",
            prefix=prefix,
            secret_hash=hash_secret(secret),
            scopes=list(scopes),
            **fields,
        )
        return token, f"Bearer {prefix}.{secret}"

    return issue
