"""The disruption picture the tests share: the grading codes and the catalogue
of tactics loaded as a deployment loads them; Dean Moss ('Tiny'), an adult of
concern linked to three children; a place of concern; and helpers that give a
child screenings and missing episodes on chosen days."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from hoth.cases.models import MissingEpisode
from hoth.contexts.models import Context
from hoth.disruption import reference as tactics_reference
from hoth.disruption import services
from hoth.disruption.models import DisruptionPlan, Tactic
from hoth.intelligence import reference as grading_reference
from hoth.intelligence import services as intelligence
from hoth.people.models import Alias, Involvement, Person
from hoth.screening.models import Screening, ScreeningTool

TODAY = timezone.localdate()


def years_ago(years):
    return TODAY - timedelta(days=int(years * 365.25))


def moment(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture(autouse=True)
def reference_data(db):
    grading_reference.load()
    tactics_reference.load()


def tactic(code):
    return Tactic.objects.get(code=code)


def make_child(given, family, *, involved=()):
    person = Person.objects.create(given_names=given, family_name=family, date_of_birth=years_ago(14.5))
    for user in involved:
        Involvement.objects.create(person=person, user=user, kind=Involvement.Kind.ASSIGNED)
    return person


def screen(person, level, on, users):
    tool, _ = ScreeningTool.objects.get_or_create(
        version="test-1", defaults={"name": "Test tool", "definition": {"domains": []}, "is_current": True}
    )
    return Screening.objects.create(
        person=person,
        tool=tool,
        status=Screening.Status.COMPLETE,
        screened_by=users["coordinator"],
        screened_by_agency=users["coordinator"].agency,
        completed_at=moment(on),
        scored_level=level,
        level=level,
    )


def went_missing(person, on, users):
    return MissingEpisode.objects.create(
        person=person, started_at=moment(on), ended_at=moment(on) + timedelta(hours=8), recorded_by=users["coordinator"]
    )


@pytest.fixture
def adult(users):
    """Dean Moss, street name 'Tiny': an adult of concern."""
    person = Person.objects.create(given_names="Dean", family_name="Moss", date_of_birth=years_ago(27))
    Alias.objects.create(person=person, kind=Alias.Kind.STREET, name="Tiny")
    subject = intelligence.subject_for_person(users["coordinator"], person)
    return intelligence.flag_of_concern(users["analyst"], subject, of_concern=True, concern="Runs a county line")


@pytest.fixture
def place(users):
    context = Context.objects.create(
        kind=Context.Kind.PLACE, name="Mill Street Flats", place_type="house", town="Crewe", created_by=users["analyst"]
    )
    return intelligence.subject_for_context(users["analyst"], context)


@pytest.fixture
def children(users, adult):
    """Three children linked to Dean. The council practitioner works with
    Tyler only; all three are named in intelligence, so analysts see them."""
    tyler = make_child("Tyler", "Okafor", involved=[users["practitioner"]])
    amber = make_child("Amber", "Hughes")
    callum = make_child("Callum", "Reid")
    for child in (tyler, amber, callum):
        subject = intelligence.subject_for_person(users["coordinator"], child)
        intelligence.record_link(
            users["analyst"],
            source=subject,
            target=adult,
            type="seen_with",
            source_evaluation="2",
            intelligence_assessment="B",
        )
    return tyler, amber, callum


def record(users, subject, code="sexual-risk-order", who="analyst", **fields):
    """An activity recorded through the service, with a plan if it needs one."""
    fields.setdefault("status", "planned")
    if not DisruptionPlan.objects.filter(subject=subject).exists():
        fields.setdefault("plan_objective", "Stop him contacting the children linked to him")
        fields.setdefault("plan_next_review_on", TODAY + timedelta(days=28))
    return services.record_activity(users[who], subject, tactic=tactic(code), **fields)
