"""Referrals, screenings, meetings and panels for the queue, meeting and panel tests, built
straight on the lead's models so these tests do not wait on the intake and
screening pages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoth.cases.services import open_case
from hoth.contexts.models import Context
from hoth.panels import services
from hoth.panels.models import Decision, Meeting
from hoth.people.models import Address, Involvement, Person
from hoth.referrals.models import HarmType, Referral
from hoth.screening.models import Screening, ScreeningTool


@pytest.fixture
def harm_types(db):
    return {
        "cce": HarmType.objects.create(
            code="cce", name="Child criminal exploitation, including county lines", short_name="CCE", position=2
        ),
        "cse": HarmType.objects.create(code="cse", name="Child sexual exploitation", short_name="CSE", position=1),
    }


@pytest.fixture
def tool(db):
    return ScreeningTool.objects.create(
        version="test-1", name="Test screening tool", definition={"domains": []}, is_current=True
    )


@pytest.fixture
def make_child(db):
    def make(given="Kayleigh", family="Brennan", town="Crewe", involved=(), **fields):
        person = Person.objects.create(given_names=given, family_name=family, date_of_birth=date(2011, 4, 5), **fields)
        if town:
            Address.objects.create(person=person, line1="1 Mill Street", town=town, postcode="CW1 2AB")
        for user in involved:
            Involvement.objects.create(person=person, user=user, kind=Involvement.Kind.ASSIGNED)
        return person

    return make


@pytest.fixture
def make_referral(users, agencies):
    def make(
        person=None,
        *,
        context=None,
        harm=(),
        urgent=False,
        submitted_at=None,
        screen_by=None,
        status=Referral.Status.SUBMITTED,
        agency="school",
        referrer="school_practitioner",
    ):
        submitted_at = submitted_at or timezone.now() - timedelta(hours=2)
        referral = Referral.objects.create(
            subject=Referral.Subject.CHILD if person else Referral.Subject.CONTEXT,
            person=person,
            context=context,
            status=status,
            is_urgent=urgent,
            referrer=users[referrer],
            referrer_agency=agencies[agency],
            submitted_at=submitted_at,
            screen_by=screen_by if screen_by is not None else submitted_at + timedelta(days=1),
            what_happened="Seen getting into cars with older males after school",
        )
        referral.harm_types.set(harm)
        return referral

    return make


@pytest.fixture
def make_screening(users, agencies, tool):
    def make(person, referral=None, *, level="high", completed_at=None):
        completed_at = completed_at or timezone.now() - timedelta(hours=1)
        screening = Screening.objects.create(
            person=person,
            referral=referral,
            tool=tool,
            status=Screening.Status.COMPLETE,
            screened_by=users["coordinator"],
            screened_by_agency=agencies["council"],
            completed_at=completed_at,
            scored_level=level,
            level=level,
        )
        if referral is not None and referral.status == Referral.Status.SUBMITTED:
            Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.SCREENED, screened_at=completed_at)
            referral.refresh_from_db()
        return screening

    return make


@pytest.fixture
def make_meeting(users):
    def make(starts_at=None, location="Room 4", **fields):
        coordinator = users["coordinator"]
        return Meeting.objects.create(
            starts_at=starts_at or timezone.now() + timedelta(days=1),
            location=location,
            chair=coordinator,
            created_by=coordinator,
            **fields,
        )

    return make


# ---------------------------------------------------------------- the panel


@pytest.fixture
def make_panel(users):
    def make(starts_at=None, **fields):
        return Meeting.objects.create(
            kind=Meeting.Kind.PANEL,
            starts_at=starts_at or timezone.now() + timedelta(days=1),
            location="Delamere House",
            chair=users["panel_chair"],
            created_by=users["panel_chair"],
            **fields,
        )

    return make


@pytest.fixture
def high_child(users, make_child, make_screening):
    """A child at High level with an open case."""
    child = make_child("Kayleigh", "Brennan")
    make_screening(child, level="high")
    open_case(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    return child


@pytest.fixture
def referred_child(users, make_child, make_referral, make_screening, make_meeting):
    """A child the screening meeting referred to the panel yesterday."""
    child = make_child("Jade", "Pritchard")
    referral = make_referral(child)
    make_screening(child, referral, level="medium")
    screening_meeting = make_meeting(starts_at=timezone.now() - timedelta(days=1))
    item = services.add_referral(screening_meeting, referral, user=users["coordinator"])
    services.record_decision(
        item, user=users["coordinator"], decision=Decision.REFER_TO_PANEL, rationale="Needs multi-agency oversight"
    )
    services.confirm_meeting(screening_meeting, user=users["coordinator"])
    return child


@pytest.fixture
def person_of_concern(db):
    """Darren Holt, whom an analyst flagged of concern."""
    from hoth.intelligence.models import Subject

    person = Person.objects.create(
        given_names="Darren", family_name="Holt", date_of_birth=date(1990, 1, 2), intelligence_subject=True
    )
    Subject.objects.create(
        reference=person.reference,
        kind="person",
        person=person,
        of_concern=True,
        concern="Seen giving lifts to children",
    )
    return person


@pytest.fixture
def place(users):
    return Context.objects.create(
        kind=Context.Kind.PLACE,
        name="Crewe bus station",
        place_type="station",
        town="Crewe",
        created_by=users["analyst"],
    )
