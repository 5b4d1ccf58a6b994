"""A small screening tool, a child, and a submitted referral about them, for
the screening page and service tests (tests/screening/test_screening_*.py)."""

import copy
from datetime import date

import pytest
from django.utils import timezone

from hoth.people.models import Involvement, Person
from hoth.referrals.models import Referral
from hoth.screening.models import ScreeningTool

SMALL_TOOL = {
    "version": "test.1",
    "name": "Test screening tool",
    "thresholds": {"low": 3, "medium": 10, "high": 20},
    "earlier_factor": 0.5,
    "domains": [
        {
            "code": "missing",
            "name": "Going missing",
            "indicators": [
                {
                    "code": "missing_repeat",
                    "text": "Repeated missing episodes",
                    "hint": "Three or more in 90 days",
                    "tier": "significant",
                    "weight": 7,
                    "harm_types": ["cse", "cce"],
                    "required": True,
                },
                {
                    "code": "missing_episode",
                    "text": "Has been missing",
                    "hint": "",
                    "tier": "risk",
                    "weight": 4,
                    "harm_types": ["cse", "cce"],
                },
            ],
        },
        {
            "code": "associates",
            "name": "Associates and relationships",
            "indicators": [
                {
                    "code": "assoc_controlling_adult",
                    "text": "A controlling older person",
                    "hint": "",
                    "tier": "significant",
                    "weight": 8,
                    "harm_types": ["cse", "cce"],
                },
                {
                    "code": "assoc_unknown_adults",
                    "text": "Contact with unknown adults",
                    "hint": "",
                    "tier": "risk",
                    "weight": 4,
                    "harm_types": ["cse"],
                },
            ],
        },
        {
            "code": "disclosure",
            "name": "Disclosure",
            "indicators": [
                {
                    "code": "disclosure_exploitation",
                    "text": "The child has disclosed exploitation",
                    "hint": "",
                    "tier": "significant",
                    "weight": 10,
                    "harm_types": ["cse", "cce"],
                    "required": True,
                },
            ],
        },
    ],
    "rules": [
        {"code": "disclosure_is_high", "indicators": ["disclosure_exploitation"], "at_least": "high"},
        {"code": "young_child_significant", "max_age": 13, "at_least": "medium"},
        {"code": "protected_child_not_low", "under_age": 13, "learning_disability": True, "at_least": "medium"},
    ],
}


def years_ago(years):
    """A birthday already passed this year, so the child is `years` old today."""
    return date(timezone.localdate().year - years, 1, 1)


def make_tool(version="test.1", current=True, **changes):
    definition = copy.deepcopy(SMALL_TOOL)
    definition.update(version=version, **changes)
    if current:
        ScreeningTool.objects.filter(is_current=True).update(is_current=False)
    return ScreeningTool.objects.create(
        version=version, name=definition["name"], definition=definition, is_current=current
    )


@pytest.fixture
def tool(db):
    return make_tool()


@pytest.fixture
def child(users):
    """Fifteen this year; the council practitioner works with her."""
    person = Person.objects.create(given_names="Chloe", family_name="Ashworth", date_of_birth=years_ago(15))
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    return person


@pytest.fixture
def referral(users, agencies, child):
    now = timezone.now()
    return Referral.objects.create(
        status=Referral.Status.SUBMITTED,
        person=child,
        referrer=users["practitioner"],
        referrer_agency=agencies["council"],
        submitted_at=now,
        screen_by=now,
    )


@pytest.fixture
def second_coordinator(agencies):
    from hoth.accounts.models import Role
    from tests.conftest import make_user

    return make_user("manager@frontdoor.example", agencies["council"], Role.COORDINATOR, full_name="Front Door Manager")
