"""The intelligence picture the tests share: grading codes loaded, a child
the council practitioner leads on, an adult of concern known as 'Tiny', and
a place of concern."""

from datetime import date

import pytest

from hoth.cases.models import Case
from hoth.contexts.models import Context
from hoth.intelligence import reference, services
from hoth.people.models import Alias, Involvement, Person
from hoth.referrals import reference as harm_reference
from hoth.referrals.models import HarmType


@pytest.fixture(autouse=True)
def grading_codes(db):
    """Every test here grades something: the codes are reference data, loaded as a deployment loads them."""
    reference.load()


@pytest.fixture
def harm_types(db):
    harm_reference.load()
    return {h.code: h for h in HarmType.objects.all()}


@pytest.fixture
def child(users):
    """Tyler: the council practitioner is his lead professional on an open case."""
    person = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    Case.objects.create(person=person, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    return person


@pytest.fixture
def stranger(db):
    """A child nobody in the tests works with."""
    return Person.objects.create(given_names="Jade", family_name="Pritchard", date_of_birth=date(2009, 2, 2))


@pytest.fixture
def adult(users, grading_codes):
    """Dean Moss, street name 'Tiny': an adult of concern."""
    person = Person.objects.create(given_names="Dean", family_name="Moss", date_of_birth=date(1999, 3, 3))
    Alias.objects.create(person=person, kind=Alias.Kind.STREET, name="Tiny")
    subject = services.subject_for_person(users["coordinator"], person)
    return services.flag_of_concern(users["analyst"], subject, of_concern=True, concern="Runs a county line")


@pytest.fixture
def place(users, grading_codes):
    context = Context.objects.create(
        kind=Context.Kind.PLACE,
        name="Mill Street Flats",
        place_type="house",
        town="Crewe",
        latitude=53.0950,
        longitude=-2.4400,
        created_by=users["analyst"],
    )
    return services.subject_for_context(users["analyst"], context)


def graded_link(users, source, target, type="seen_with", **fields):
    link, alert = services.record_link(
        users["analyst"],
        source=source,
        target=target,
        type=type,
        source_evaluation=fields.pop("source_evaluation", "2"),
        intelligence_assessment=fields.pop("intelligence_assessment", "B"),
        **fields,
    )
    return link, alert


@pytest.fixture
def nurse(child, agencies):
    """A school nurse who works with Tyler: a third party who gives intelligence."""
    from hoth.accounts.models import Role
    from tests.conftest import make_user

    user = make_user("nurse@health.example", agencies["health"], Role.PRACTITIONER)
    Involvement.objects.create(person=child, user=user, kind=Involvement.Kind.ASSIGNED)
    return user
