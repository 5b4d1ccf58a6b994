"""A case with a lead professional, a team member from another agency, and a
published service in the directory."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoth.accounts.models import Role
from hoth.cases.models import Case, CaseMember
from hoth.directory.models import Service
from hoth.people.models import Involvement, Person
from tests.conftest import make_user


@pytest.fixture
def child(users):
    person = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    return person


@pytest.fixture
def case(child, users):
    opened = Case.objects.create(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    Case.objects.filter(pk=opened.pk).update(opened_at=timezone.now() - timedelta(days=60))
    opened.refresh_from_db()
    return opened


@pytest.fixture
def youth_worker(case, agencies, users):
    """A health practitioner on the case team."""
    user = make_user("youth@health.example", agencies["health"], Role.PRACTITIONER, full_name="Sam Patel")
    involvement = Involvement.objects.create(person=case.person, user=user, kind=Involvement.Kind.TEAM)
    CaseMember.objects.create(
        case=case,
        user=user,
        agency=agencies["health"],
        role="Youth worker",
        added_by=users["practitioner"],
        involvement=involvement,
    )
    return user


@pytest.fixture
def service(db):
    return Service.objects.create(
        name="Crewe Youth Hub",
        provider="Cheshire East Youth Service",
        offers="Someone to talk to",
        description_adult="Mentoring for young people at risk of exploitation.",
        description_child="You can talk to a youth worker about anything.",
        needs=[],
        towns=["Crewe"],
        phone="01270 000000",
        email="hub@example.org",
        opening_hours="Monday to Friday, 3pm to 8pm",
        is_published=True,
    )
