"""The retention process on a few hand-made records: the job proposes and
never erases, holds keep records back with their reason (and are asked again
when the review is carried out), only the data protection officer decides,
with a reason, and routine technical records are purged daily."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from hoth.access.models import BreakGlass
from hoth.api.models import IdempotentRequest
from hoth.audit.log import verify
from hoth.audit.models import AuditEvent
from hoth.cases.models import Case
from hoth.information_governance.models import RetentionItem, RetentionReview, SubjectAccessRequest
from hoth.information_governance.services import approve, propose_due, purge_routine, reject
from hoth.intelligence.models import IntelligenceReport
from hoth.notifications.models import Notification
from hoth.people.models import Address, Alias, Identifier, Involvement, Person
from hoth.referrals.models import Referral
from tests.conftest import run_queued_jobs

from .conftest import moment

pytestmark = pytest.mark.usefixtures("schedule")

NOW = moment(2040, 6, 1)


@pytest.fixture
def grown_up(users):
    """Known as a child in 2012, 25 in 2030: due by 2040."""
    person = Person.objects.create(
        given_names="Tyler", family_name="Okafor", date_of_birth=date(2005, 3, 1), created_at=moment(2012, 4, 1)
    )
    Alias.objects.create(person=person, kind="street", name="Tee")
    Address.objects.create(person=person, line1="14 Acacia Avenue", town="Crewe", postcode="CW1 2AB")
    Identifier.objects.create(person=person, scheme="nhs", value="4857773456")
    Involvement.objects.create(person=person, user=users["practitioner"], kind=Involvement.Kind.ASSIGNED)
    return person


def item_for(review, person):
    return review.items.get(model="people.Person", object_id=person.pk)


def test_proposing_finds_a_record_past_its_trigger_and_erases_nothing(grown_up):
    assert propose_due(moment(2029, 6, 1)) is None  # before the 25th birthday: nothing is due
    review = propose_due(NOW)
    item = item_for(review, grown_up)
    assert (item.rule.code, item.status, item.due_on, item.reference) == (
        "child",
        "due",
        date(2030, 3, 1),
        grown_up.reference,
    )
    grown_up.refresh_from_db()
    assert grown_up.family_name == "Okafor" and grown_up.aliases.exists()
    assert AuditEvent.objects.filter(action="create", object_type="information_governance.RetentionReview").exists()


def test_dpo_approval_is_needed_before_anything_is_deleted(grown_up, users):
    review = propose_due(NOW)
    # Proposing again lists nothing new: the record is already waiting for a decision.
    assert propose_due(NOW) is None
    approve(users["auditor"], review, reason="Checked with the council's records manager")
    run_queued_jobs()
    grown_up.refresh_from_db()
    assert grown_up.full_name == "Anonymised person"
    assert grown_up.date_of_birth == date(2005, 1, 1) and grown_up.dob_precision == "year"
    assert not grown_up.aliases.exists() and not grown_up.addresses.exists() and not grown_up.identifiers.exists()
    assert item_for(review, grown_up).status == "done"
    review.refresh_from_db()
    assert review.status == RetentionReview.Status.CARRIED_OUT and review.decided_by == users["auditor"]
    event = AuditEvent.objects.get(action="delete", person_id=grown_up.pk)
    assert (
        event.detail["rule"] == "child"
        and event.detail["review"] == review.pk
        and event.detail["action"] == "anonymise"
    )
    assert verify().intact
    # Erased once: never proposed again.
    assert propose_due(moment(2041)) is None


@pytest.mark.parametrize("role", ["practitioner", "coordinator", "manager", "system_admin", "agency_admin"])
def test_nobody_but_the_data_protection_officer_may_decide(grown_up, users, role):
    review = propose_due(NOW)
    with pytest.raises(PermissionDenied):
        approve(users[role], review, reason="Looks fine")
    grown_up.refresh_from_db()
    assert grown_up.family_name == "Okafor"


def test_a_decision_needs_a_reason_and_changes_nothing_without_one(grown_up, users):
    review = propose_due(NOW)
    with pytest.raises(ValidationError) as refused:
        approve(users["auditor"], review, reason="  ")
    assert "reason" in refused.value.message_dict
    review.refresh_from_db()
    assert review.status == "proposed"


def test_rejecting_erases_nothing_and_the_next_run_proposes_it_again(grown_up, users):
    review = propose_due(NOW)
    reject(users["auditor"], review, reason="The family has a complaint open with the council")
    grown_up.refresh_from_db()
    assert grown_up.family_name == "Okafor"
    with pytest.raises(ValidationError):
        approve(users["auditor"], review, reason="Changed my mind")
    assert item_for(propose_due(NOW + timedelta(days=1)), grown_up).status == "due"


def test_a_child_with_an_open_case_is_held_back_with_the_reason_shown(grown_up, users):
    case = Case.objects.create(person=grown_up, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    review = propose_due(NOW)
    item = item_for(review, grown_up)
    assert item.status == "held" and item.hold_reason == f"Case {case.reference} is open"
    approve(users["auditor"], review, reason="Carry out what is due")
    run_queued_jobs()
    grown_up.refresh_from_db()
    assert grown_up.family_name == "Okafor"


def test_a_hold_that_appears_after_the_proposal_still_stops_the_erasure(grown_up, users):
    review = propose_due(NOW)
    request = SubjectAccessRequest.objects.create(
        requester_name="Tyler Okafor",
        relationship="self",
        requester_contact="tyler@example.org",
        about="Me",
        identity_verified_how="photo_id",
        received_on=date(2040, 6, 2),
        due_on=date(2040, 7, 2),
        person=grown_up,
        created_by=users["auditor"],
    )
    approve(users["auditor"], review, reason="Carry out what is due")
    run_queued_jobs()
    item = item_for(review, grown_up)
    assert item.status == "not_due" and request.reference in item.hold_reason
    grown_up.refresh_from_db()
    assert grown_up.family_name == "Okafor"


def test_a_person_named_in_a_disruption_order_in_force_is_held(users):
    from hoth.disruption import reference as tactics
    from hoth.disruption.models import DisruptionActivity, DisruptionPlan, Tactic
    from hoth.intelligence.models import Subject

    tactics.load()
    adult = Person.objects.create(
        given_names="Dean",
        family_name="Moss",
        date_of_birth=date(1990, 1, 1),
        intelligence_subject=True,
        created_at=moment(2020),
    )
    subject = Subject.objects.create(reference=adult.reference, kind="person", person=adult, of_concern=True)
    plan = DisruptionPlan.objects.create(subject=subject, owner=users["analyst"], lead_agency=users["analyst"].agency)
    activity = DisruptionActivity.objects.create(
        plan=plan,
        subject=subject,
        tactic=Tactic.objects.get(code="sexual-risk-order"),
        officer=users["analyst"],
        lead_agency=users["analyst"].agency,
        status="in_force",
        granted_on=date(2021, 1, 1),
    )
    item = propose_due(NOW).items.get(object_id=adult.pk)
    assert item.rule.code == "adult_of_concern"
    assert item.hold_reason == f"Named in disruption activity {activity.reference}, still live"


def test_reviewed_intelligence_kept_is_not_proposed_again_until_its_next_review(users):
    analyst = users["analyst"]
    report = IntelligenceReport.objects.create(
        what="Seen at the station",
        how_known="seen",
        submitted_by=analyst,
        submitted_by_agency=analyst.agency,
        submitted_at=moment(2025),
    )
    review = propose_due(NOW)
    item = review.items.get(model="intelligence.IntelligenceReport")
    assert item.rule.code == "intelligence_other"
    with pytest.raises(ValidationError) as refused:
        approve(users["auditor"], review, reason="Reviewed with the force's MoPI reviewer")
    assert "decision_intelligence_other" in refused.value.message_dict
    approve(
        users["auditor"],
        review,
        reason="Reviewed with the force's MoPI reviewer",
        decisions={"intelligence_other": "keep"},
        now=NOW,
    )
    run_queued_jobs()
    item.refresh_from_db()
    assert item.status == "retained" and item.retained_until == date(2046, 6, 1)
    assert IntelligenceReport.objects.filter(pk=report.pk).exists()
    assert propose_due(moment(2045)) is None
    later = propose_due(moment(2046, 6, 2))
    approve(
        users["auditor"],
        later,
        reason="No longer needed",
        decisions={"intelligence_other": "delete"},
        now=moment(2046, 6, 2),
    )
    run_queued_jobs()
    assert not IntelligenceReport.objects.filter(pk=report.pk).exists()


def test_another_adult_is_deleted_unless_a_record_still_refers_to_them(users):
    parent = Person.objects.create(
        given_names="Janet", family_name="Hale", date_of_birth=date(1980, 1, 1), created_at=moment(2020)
    )
    named = Person.objects.create(
        given_names="Carl", family_name="Hale", date_of_birth=date(1979, 1, 1), created_at=moment(2020)
    )
    from hoth.tasks.models import Task

    Task.objects.create(
        title="Visit",
        owner=users["practitioner"],
        owner_agency=users["practitioner"].agency,
        due_date=date(2020, 2, 1),
        person=named,
        created_by=users["practitioner"],
        details="Ring Carl Hale first",
    )
    review = propose_due(NOW)
    approve(users["auditor"], review, reason="Six years since anything was recorded")
    run_queued_jobs()
    assert not Person.objects.filter(pk=parent.pk).exists()
    named.refresh_from_db()
    assert named.full_name == "Anonymised person"
    assert Task.objects.get(person=named).details == ""


def test_routine_records_are_purged_daily_except_what_a_subject_access_request_holds(users):
    person = Person.objects.create(given_names="Amy", family_name="Lowe")
    now = timezone.now()
    system = users["practitioner"]
    old_key = IdempotentRequest.objects.create(
        account=system, key="a", request_hash="x", person=person, created_at=now - timedelta(hours=25)
    )
    fresh_key = IdempotentRequest.objects.create(
        account=system, key="b", request_hash="x", created_at=now - timedelta(hours=2)
    )
    old = Notification.objects.create(user=system, subject="New task", created_at=now - timedelta(days=400))
    about = Notification.objects.create(
        user=system, subject="Opened", url=f"/people/{person.reference}/", created_at=now - timedelta(days=400)
    )
    grant = BreakGlass.objects.create(
        user=system,
        person=person,
        reason="Missing",
        granted_at=now - timedelta(days=500),
        expires_at=now - timedelta(days=499),
    )
    draft = Referral.objects.create(referrer=system, referrer_agency=system.agency)
    Referral.objects.filter(pk=draft.pk).update(updated_at=now - timedelta(days=91))
    SubjectAccessRequest.objects.create(
        requester_name="Amy Lowe",
        relationship="self",
        requester_contact="amy",
        about="Me",
        identity_verified_how="photo_id",
        received_on=now.date(),
        due_on=now.date() + timedelta(days=30),
        person=person,
        created_by=users["auditor"],
    )
    purged = purge_routine(now)
    assert purged["notifications"] == 1 and purged["referral_draft"] == 1
    assert not Notification.objects.filter(pk=old.pk).exists() and not Referral.objects.filter(pk=draft.pk).exists()
    # What is about Amy stays while her request is open.
    assert Notification.objects.filter(pk=about.pk).exists()
    assert IdempotentRequest.objects.filter(pk=old_key.pk).exists() and BreakGlass.objects.filter(pk=grant.pk).exists()
    assert IdempotentRequest.objects.filter(pk=fresh_key.pk).exists()
    SubjectAccessRequest.objects.update(status="closed", closed_on=now.date())
    purged = purge_routine(now)
    assert purged["api_idempotency"] == 1 and purged["break_glass_ended"] == 1
    assert not IdempotentRequest.objects.filter(pk=old_key.pk).exists()
    assert AuditEvent.objects.filter(action="delete", detail__rule="api_idempotency").exists()


def test_the_daily_command_proposes_and_says_what_it_found(grown_up):
    out = StringIO()
    call_command("propose_retention", "--now", "2040-06-01T12:00", stdout=out)
    assert "child: 1 due, 0 held back" in out.getvalue()
    assert RetentionItem.objects.filter(object_id=grown_up.pk, status="due").exists()
    out = StringIO()
    call_command("propose_retention", "--now", "2040-06-01T12:00", stdout=out)
    assert "Nothing is due" in out.getvalue()


def test_proposing_reads_the_same_few_queries_however_many_records_are_due(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def people(n, first):
        for i in range(n):
            Person.objects.create(
                given_names=f"Child{first + i}",
                family_name="Hale",
                date_of_birth=date(2005, 1, 1),
                created_at=moment(2012),
            )

    people(3, 0)
    with CaptureQueriesContext(connection) as few:
        propose_due(NOW)
    RetentionItem.objects.all().delete()
    RetentionReview.objects.all().delete()
    people(40, 3)
    with CaptureQueriesContext(connection) as many:
        review = propose_due(NOW)
    assert review.items.count() == 43
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(120):
        propose_due(NOW + timedelta(days=1))


def test_a_review_stopped_part_way_is_finished_by_the_command_in_the_approvers_name(grown_up, users):
    review = propose_due(NOW)
    # As if the approval page had recorded the decision and the server then stopped.
    RetentionReview.objects.filter(pk=review.pk).update(
        status="approved", decided_by=users["auditor"], decided_at=NOW, decision_reason="Past the 25th birthday"
    )
    out = StringIO()
    call_command("carry_out_retention", stdout=out)
    assert f"Retention review {review.pk} carried out: 1 records erased" in out.getvalue()
    grown_up.refresh_from_db()
    assert grown_up.full_name == "Anonymised person"
    assert AuditEvent.objects.get(action="delete", person_id=grown_up.pk).user == users["auditor"]


def test_the_command_leaves_a_review_its_job_is_still_carrying_out(grown_up, users):
    job = approve(users["auditor"], propose_due(NOW), reason="Past the 25th birthday")
    out = StringIO()
    call_command("carry_out_retention", stdout=out)
    assert f"being carried out by a job ({job.pk})" in out.getvalue()
    grown_up.refresh_from_db()
    assert grown_up.family_name == "Okafor"
