"""A child the council practitioner works with, and a small screening tool."""

from datetime import date

import pytest

from hoth.accounts.models import Role
from hoth.people.models import Involvement, Person
from hoth.screening.models import ScreeningTool
from tests.conftest import make_user

TOOL = {
    "version": "test-1",
    "name": "Test screening tool",
    "thresholds": {"low": 1, "medium": 4, "high": 8},
    "earlier_factor": 0.5,
    "domains": [
        {
            "code": "missing",
            "name": "Missing",
            "indicators": [
                {
                    "code": "repeat_missing",
                    "text": "Repeated missing episodes",
                    "hint": "",
                    "tier": "significant",
                    "weight": 4,
                    "harm_types": ["cce"],
                    "required": False,
                },
                {
                    "code": "found_out_of_area",
                    "text": "Found out of area",
                    "hint": "",
                    "tier": "significant",
                    "weight": 4,
                    "harm_types": ["cce"],
                    "required": False,
                },
            ],
        },
        {
            "code": "money",
            "name": "Money and possessions",
            "indicators": [
                {
                    "code": "unexplained_money",
                    "text": "Unexplained money, phones or clothes",
                    "hint": "",
                    "tier": "significant",
                    "weight": 4,
                    "harm_types": ["cce", "cse"],
                    "required": False,
                },
            ],
        },
    ],
    "rules": [],
}


@pytest.fixture
def child(users):
    """Tyler: the council practitioner is assigned to work with him."""
    person = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    return person


@pytest.fixture
def lead(child, agencies):
    """A police practitioner who is Tyler's lead professional."""
    user = make_user("lead@police.example", agencies["police"], Role.PRACTITIONER, full_name="Lena Shah")
    Involvement.objects.create(person=child, user=user, kind=Involvement.Kind.LEAD_PROFESSIONAL)
    return user


@pytest.fixture
def stranger(db):
    """A child nobody in the tests works with."""
    return Person.objects.create(given_names="Jade", family_name="Pritchard", date_of_birth=date(2009, 2, 2))


@pytest.fixture
def tool(db):
    return ScreeningTool.objects.create(version=TOOL["version"], name=TOOL["name"], definition=TOOL, is_current=True)
