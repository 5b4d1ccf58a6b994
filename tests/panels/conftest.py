"""Referrals, screenings and meetings for the queue and meeting tests, built
straight on the lead's models so these tests do not wait on the intake and
screening pages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoth.panels.models import Meeting
from hoth.people.models import Address, Involvement, Person
from hoth.referrals.models import HarmType, Referral
from hoth.screening.models import Screening, ScreeningTool


@pytest.fixture
def harm_types(db):
    return {
        "cce": HarmType.objects.create(code="cce", name="Child criminal exploitation, including county lines",
                                       short_name="CCE", position=2),
        "cse": HarmType.objects.create(code="cse", name="Child sexual exploitation", short_name="CSE", position=1),
    }


@pytest.fixture
def tool(db):
    return ScreeningTool.objects.create(version="test-1", name="Test screening tool", definition={"domains": []},
                                        is_current=True)


@pytest.fixture
def make_child(db):
    def make(given="Kayleigh", family="Brennan", town="Crewe", involved=(), **fields):
        person = Person.objects.create(given_names=given, family_name=family, date_of_birth=date(2011, 4, 5),
                                       **fields)
        if town:
            Address.objects.create(person=person, line1="1 Mill Street", town=town, postcode="CW1 2AB")
        for user in involved:
            Involvement.objects.create(person=person, user=user, kind=Involvement.Kind.ASSIGNED)
        return person

    return make


@pytest.fixture
def make_referral(users, agencies):
    def make(person=None, *, context=None, harm=(), urgent=False, submitted_at=None, screen_by=None,
             status=Referral.Status.SUBMITTED, agency="school", referrer="school_practitioner"):
        submitted_at = submitted_at or timezone.now() - timedelta(hours=2)
        referral = Referral.objects.create(
            subject=Referral.Subject.CHILD if person else Referral.Subject.CONTEXT, person=person, context=context,
            status=status, is_urgent=urgent, referrer=users[referrer], referrer_agency=agencies[agency],
            submitted_at=submitted_at,
            screen_by=screen_by if screen_by is not None else submitted_at + timedelta(days=1),
            what_happened="Seen getting into cars with older males after school")
        referral.harm_types.set(harm)
        return referral

    return make


@pytest.fixture
def make_screening(users, agencies, tool):
    def make(person, referral=None, *, level="high", completed_at=None):
        completed_at = completed_at or timezone.now() - timedelta(hours=1)
        screening = Screening.objects.create(
            person=person, referral=referral, tool=tool, status=Screening.Status.COMPLETE,
            screened_by=users["coordinator"], screened_by_agency=agencies["council"], completed_at=completed_at,
            scored_level=level, level=level)
        if referral is not None and referral.status == Referral.Status.SUBMITTED:
            Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.SCREENED, screened_at=completed_at)
            referral.refresh_from_db()
        return screening

    return make


@pytest.fixture
def make_meeting(users):
    def make(starts_at=None, location="Room 4", **fields):
        coordinator = users["coordinator"]
        return Meeting.objects.create(starts_at=starts_at or timezone.now() + timedelta(days=1), location=location,
                                      chair=coordinator, created_by=coordinator, **fields)

    return make
