"""Contexts as subjects (Contextual Safeguarding, Level 2): a context is
referred, assessed, planned for with actions for partners, reviewed, and its
page lists the children it affects as far as the viewer may see them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoth.cases.models import AssessedContext, Case, ContextualAssessment
from hoth.contexts import services
from hoth.contexts.models import Context, ContextReview, Incident
from hoth.contexts.picture import children_affected, history
from hoth.people.models import Address, Involvement, Person
from hoth.referrals.models import Referral
from hoth.tasks.models import Task

pytestmark = pytest.mark.django_db

ASSESSMENT = {
    "who_uses": "Year 9 and 10 pupils after school; two adult males in a hatchback",
    "when_used": "Weekdays 3pm to 6pm, more in the holidays",
    "dynamics": "Free vapes, then errands",
    "risks": "Recruitment into drug running",
    "protective_factors": "CCTV at the entrance",
    "guardians": "The park warden; the shop opposite",
    "concern": "high",
}


@pytest.fixture
def park(users):
    return services.create_context(
        users["practitioner"],
        {"kind": "place", "name": "Queens Park skate area", "place_type": "park", "town": "Crewe"},
    )


@pytest.fixture
def child(users):
    person = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2011, 5, 1))
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    return person


def test_a_postcode_is_placed_where_the_registers_addresses_with_it_are(users, child):
    Address.objects.create(
        person=child, line1="1 Mill Street", town="Crewe", postcode="CW1 2AB", latitude=53.1, longitude=-2.44
    )
    Address.objects.create(
        person=child, line1="3 Mill Street", town="Crewe", postcode="CW1 2AB", latitude=53.2, longitude=-2.46
    )
    flats = services.create_context(users["practitioner"], {"kind": "place", "name": "Flats", "postcode": "CW1 2AB"})
    assert (round(flats.latitude, 3), round(flats.longitude, 3)) == (53.15, -2.45)
    sector = services.create_context(users["practitioner"], {"kind": "place", "name": "Shop", "postcode": "CW1 2ZZ"})
    assert round(sector.latitude, 2) == 53.15, "a postcode nobody has is placed by its sector"
    nowhere = services.create_context(users["practitioner"], {"kind": "place", "name": "Far", "postcode": "TR1 1AA"})
    assert nowhere.latitude is None


def test_a_coordinator_takes_a_context_referral_off_the_queue_as_work_on_the_context(users, park):
    referral = Referral.objects.create(
        subject="context",
        context=park,
        referrer=users["practitioner"],
        referrer_agency=users["practitioner"].agency,
        status="submitted",
        submitted_at=timezone.now(),
    )
    with pytest.raises(PermissionDenied):
        services.take_on_referral(users["practitioner"], referral)
    services.take_on_referral(users["coordinator"], referral)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECIDED and referral.screened_at
    with pytest.raises(ValidationError):
        services.take_on_referral(users["coordinator"], referral)


def test_an_assessment_is_versioned_and_an_incomplete_one_changes_nothing(users, park):
    with pytest.raises(ValidationError) as error:
        services.assess_context(users["coordinator"], park, {"who_uses": "Pupils", "concern": "extreme"})
    assert set(error.value.message_dict) == {"dynamics", "risks", "concern"}
    assert not park.assessments.exists()
    first = services.assess_context(users["coordinator"], park, ASSESSMENT)
    second = services.assess_context(users["analyst"], park, {**ASSESSMENT, "concern": "medium"})
    assert (first.number, second.number) == (1, 2)
    assert park.assessments.first() == second


def test_an_action_for_a_partner_becomes_their_task_without_a_childs_name(users, park):
    action = services.add_action(
        users["coordinator"],
        park,
        kind="guardianship",
        owner=users["analyst"],
        description="Train the staff of the shop opposite",
        due_date=date.today() + timedelta(7),
    )
    task = Task.objects.get()
    assert action.task == task and task.owner == users["analyst"]
    assert task.title == "Guardianship training for staff at Queens Park skate area"
    with pytest.raises(ValidationError) as error:
        services.add_action(
            users["coordinator"],
            park,
            kind="",
            owner=users["analyst"],
            description=" ",
            due_date=date.today() - timedelta(1),
        )
    assert set(error.value.message_dict) == {"kind", "description", "due_date"}
    assert Task.objects.count() == 1


def test_a_review_that_closes_the_work_closes_the_context_and_a_new_assessment_reopens_it(users, park):
    services.assess_context(users["coordinator"], park, ASSESSMENT)
    with pytest.raises(ValidationError) as error:
        services.review_context(
            users["panel_chair"],
            park,
            reviewed_on=date.today(),
            summary="Better",
            outcome=ContextReview.Outcome.CONTINUE,
        )
    assert "next_review_on" in error.value.message_dict
    services.review_context(
        users["panel_chair"],
        park,
        reviewed_on=date.today(),
        summary="No more sightings",
        outcome=ContextReview.Outcome.CLOSE,
    )
    park.refresh_from_db()
    assert park.closed_on == date.today()
    services.assess_context(users["coordinator"], park, ASSESSMENT)
    park.refresh_from_db()
    assert park.closed_on is None


def test_an_incident_at_a_place_is_placed_where_the_place_is(users, park):
    park.latitude, park.longitude = 53.09, -2.43
    park.save()
    incident = services.record_incident(users["practitioner"], park, occurred_on=date.today(), kind="drugs")
    assert (incident.latitude, incident.longitude) == (53.09, -2.43)
    with pytest.raises(ValidationError):
        services.record_incident(users["practitioner"], park, occurred_on=date.today() + timedelta(1), kind="drugs")
    chat = services.create_context(users["practitioner"], {"kind": "online", "name": "Chat", "platform": "Snapchat"})
    with pytest.raises(PermissionDenied):
        services.record_incident(users["practitioner"], chat, occurred_on=date.today(), kind="drugs")
    assert Incident.objects.count() == 1


def test_the_page_lists_the_children_it_affects_only_as_far_as_the_viewer_may_see(users, park, child):
    case = Case.objects.create(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    assessment = ContextualAssessment.objects.create(
        case=case,
        number=1,
        primary_context="neighbourhood",
        primary_reason="The park",
        written_by=users["practitioner"],
    )
    AssessedContext.objects.create(assessment=assessment, kind="neighbourhood").contexts.set([park])
    assert [a.person for a in children_affected(users["practitioner"], park)] == [child]
    assert [a.person for a in children_affected(users["coordinator"], park)] == [child]
    park_for_school = Context.objects.get(pk=park.pk)
    assert children_affected(users["school_practitioner"], park_for_school) == []


def test_an_analyst_is_not_told_of_a_childs_case_but_sees_a_link_from_the_place_to_the_child(users, park, child):
    from hoth.intelligence import reference
    from hoth.intelligence import services as intelligence

    reference.load()
    case = Case.objects.create(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    assessment = ContextualAssessment.objects.create(
        case=case,
        number=1,
        primary_context="neighbourhood",
        primary_reason="The park",
        written_by=users["practitioner"],
    )
    AssessedContext.objects.create(assessment=assessment, kind="neighbourhood").contexts.set([park])
    child_subject = intelligence.subject_for_person(users["coordinator"], child)
    assert children_affected(users["analyst"], park) == [], "the assessment is casework the analyst does not read"
    intelligence.record_link(
        users["analyst"],
        source=intelligence.subject_for_context(users["analyst"], park),
        target=child_subject,
        type="frequents",
        source_evaluation="2",
        intelligence_assessment="B",
    )
    (affected,) = children_affected(users["analyst"], Context.objects.get(pk=park.pk))
    assert affected.person == child and affected.how == ["frequents (graded link)"]
    (coordinator,) = children_affected(users["coordinator"], Context.objects.get(pk=park.pk))
    assert coordinator.how == ["named in their case's contextual assessment (neighbourhood)", "frequents (graded link)"]


def test_the_history_tells_the_contexts_story_newest_first_and_counts_incidents_apart(users, park, verified_client):
    services.record_incident(users["practitioner"], park, occurred_on=date.today() - timedelta(30), kind="asb")
    services.assess_context(users["coordinator"], park, ASSESSMENT)
    services.review_context(
        users["coordinator"],
        park,
        reviewed_on=date.today(),
        summary="Patrols started",
        outcome="continue",
        next_review_on=date.today() + timedelta(60),
    )
    titles = [e.title for e in history(users["coordinator"], park)]
    assert titles == ["Review: Continue the plan", "Assessment, version 1"]
    for days in range(12):
        services.record_incident(users["practitioner"], park, occurred_on=date.today() - timedelta(days), kind="drugs")
    page = verified_client(users["coordinator"]).get(f"/contexts/{park.reference}/").content.decode()
    assert "13 incidents recorded here; the latest 10" in page


def test_the_context_page_shows_its_plan_and_children(users, park, child, verified_client):
    services.assess_context(users["coordinator"], park, ASSESSMENT)
    client = verified_client(users["coordinator"])
    page = client.get(f"/contexts/{park.reference}/").content.decode()
    assert "High concern" in page and "Recruitment into drug running" in page
    bad = client.post(f"/contexts/{park.reference}/actions/new/", {"kind": "patrols"}).content.decode()
    assert "There is a problem" in bad and "Say what is to be done" in bad
    response = client.post(
        f"/contexts/{park.reference}/actions/new/",
        {
            "kind": "patrols",
            "description": "Evening patrols, 3pm to 6pm",
            "owner": users["analyst"].pk,
            "due_date_0": "1",
            "due_date_1": "1",
            "due_date_2": str(date.today().year + 1),
        },
    )
    assert response.status_code == 302
    assert "Evening patrols, 3pm to 6pm" in client.get(f"/contexts/{park.reference}/").content.decode()
    task = Task.objects.get()
    task_page = verified_client(users["analyst"]).get(f"/tasks/{task.pk}/").content.decode()
    assert "Queens Park skate area" in task_page and f"/contexts/{park.reference}/" in task_page


def test_the_towns_are_reference_data_loaded_again_without_losing_a_town_added_by_hand(db):
    from hoth.contexts import reference
    from hoth.contexts.models import Town

    assert reference.load().startswith("18 towns")
    Town.objects.filter(name="Crewe").update(latitude=0, longitude=0)
    Town.objects.create(name="Bollington", latitude=53.2980, longitude=-2.0960)
    reference.load()
    crewe = Town.objects.get(name="Crewe")
    assert (round(crewe.latitude, 2), round(crewe.longitude, 2)) == (53.09, -2.44)
    assert Town.objects.filter(name="Bollington").exists()
    assert Town.objects.filter(in_partnership=False).count() == 6
