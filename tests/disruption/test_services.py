"""Recording disruption: the plan made on the first activity, the state
machine each kind of tactic follows, the dates it must have, breaches,
outcomes, reviews and the children an activity protects, each refused with a
message and nothing changed when it is wrong."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.disruption import flow, services
from hoth.disruption.models import Breach, DisruptionActivity, DisruptionPlan, DisruptionPlanReview
from hoth.disruption.selectors import tactics_for
from hoth.people.models import Person

from .conftest import TODAY, make_child, record, tactic, years_ago

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def problems(error):
    return error.value.message_dict


def test_the_first_activity_starts_the_subjects_plan_and_each_is_audited_once(users, adult, children):
    tyler, amber, _ = children
    activity = record(
        users,
        adult,
        status="applied",
        applied_on=TODAY - 10 * DAY,
        children=[tyler, amber],
        details="Not to contact any child under 18",
    )
    plan = DisruptionPlan.objects.get()
    assert activity.plan == plan and activity.subject == adult and plan.subject == adult
    assert plan.owner == users["analyst"] and plan.lead_agency == users["analyst"].agency and plan.is_open
    assert activity.reference.startswith("D-") and set(activity.children.all()) == {tyler, amber}
    assert activity.officer == users["analyst"]
    assert AuditEvent.objects.filter(object_type="disruption.DisruptionPlan", action="create").count() == 1
    event = AuditEvent.objects.get(object_type="disruption.DisruptionActivity", action="create")
    assert event.person_id == adult.person_id and sorted(event.detail["person_ids"]) == sorted([tyler.pk, amber.pk])
    second = record(users, adult, code="child-abduction-warning-notice", status="in_force", granted_on=TODAY - 2 * DAY)
    assert second.plan == plan and DisruptionPlan.objects.count() == 1


def test_a_first_activity_without_the_plans_objective_changes_nothing(users, adult):
    with pytest.raises(ValidationError) as error:
        services.record_activity(
            users["analyst"],
            adult,
            tactic=tactic("sexual-risk-order"),
            status="planned",
            plan_objective=" ",
            plan_next_review_on=None,
        )
    assert set(problems(error)) == {"plan_objective", "plan_next_review_on"}
    assert not DisruptionPlan.objects.exists() and not DisruptionActivity.objects.exists()
    assert not AuditEvent.objects.filter(object_type__startswith="disruption.").exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"status": "applied"}, "applied_on", "Enter the date it was applied for"),
        ({"status": "in_force"}, "granted_on", "Enter the date it took effect"),
        (
            {"status": "in_force", "applied_on": TODAY - 3 * DAY, "granted_on": TODAY - 5 * DAY},
            "granted_on",
            "on or after the date it was applied for",
        ),
        ({"status": "applied", "applied_on": TODAY + DAY}, "applied_on", "today or in the past"),
        (
            {"status": "in_force", "granted_on": TODAY - DAY, "expires_on": TODAY - DAY},
            "expires_on",
            "after the date it took effect",
        ),
        ({"status": "refused"}, "status", "Choose where it is now"),
    ],
)
def test_dates_that_cannot_be_are_refused(users, adult, fields, field, message):
    with pytest.raises(ValidationError) as error:
        record(users, adult, **fields)
    assert message in problems(error)[field][0]
    assert not DisruptionActivity.objects.exists()


def test_an_order_whose_tactic_has_a_duration_needs_its_expiry_date(users, place):
    closure = tactic("child-sex-offence-closure")
    assert closure.has_duration
    with pytest.raises(ValidationError) as error:
        record(users, place, code=closure.code, status="in_force", granted_on=TODAY - DAY)
    assert "always have one" in problems(error)["expires_on"][0]
    activity = record(
        users, place, code=closure.code, status="in_force", granted_on=TODAY - DAY, expires_on=TODAY + 80 * DAY
    )
    assert activity.is_in_force


def test_a_tactic_only_goes_against_the_kinds_of_subject_it_is_for(users, place):
    with pytest.raises(ValidationError) as error:
        record(users, place, code="sexual-risk-order")
    assert "cannot be used against a place" in problems(error)["tactic"][0]


def test_a_switched_off_tactic_is_not_used_again(users, adult):
    order = tactic("sexual-risk-order")
    order.is_active = False
    order.save()
    with pytest.raises(ValidationError) as error:
        record(users, adult)
    assert "switched off" in problems(error)["tactic"][0]
    assert order not in tactics_for(adult)


def test_the_officer_must_be_someone_who_may_see_the_subject(users, adult):
    with pytest.raises(ValidationError) as error:
        record(users, adult, officer=users["school_practitioner"])
    assert problems(error)["officer"] == [services.OFFICER_CANNOT_SEE]


def test_linked_children_must_be_children_the_recorder_may_see(users, adult, children):
    stranger = make_child("Jade", "Pritchard")
    with pytest.raises(ValidationError) as error:
        record(users, adult, children=[stranger])
    assert "Choose only children you may see" in problems(error)["children"][0]
    grown_up = make_child("Liam", "Doyle")
    grown_up.date_of_birth = TODAY - timedelta(days=365 * 20)
    grown_up.intelligence_subject = True
    grown_up.save()
    with pytest.raises(ValidationError) as error:
        record(users, adult, children=[grown_up])
    assert "is not a child" in problems(error)["children"][0]


def test_only_analysts_and_coordinators_record_disruption(users, adult):
    for role in ("panel_chair", "practitioner", "school_practitioner", "manager", "system_admin"):
        with pytest.raises(PermissionDenied):
            record(users, adult, who=role)
    assert record(users, adult, who="coordinator").created_by == users["coordinator"]


def test_a_coordinator_names_an_adult_as_a_subject_of_disruption_but_never_a_child(users):
    from hoth.intelligence.models import Subject

    adult = Person.objects.create(given_names="Lee", family_name="Grant", date_of_birth=years_ago(30))
    child = make_child("Kai", "Ward")
    assert services.subject_for(users["coordinator"], adult.reference).person == adult
    assert services.subject_for(users["coordinator"], child.reference) is None
    assert not Subject.objects.filter(person=child).exists(), "the child did not enter the intelligence picture"


# ---------------------------------------------------------------- the state machine


@pytest.mark.parametrize("kind", list(flow.TRANSITIONS))
def test_every_kind_of_tactic_can_end_and_nothing_ended_comes_back_but_an_extended_expiry(kind):
    reachable, frontier = {flow.PLANNED}, [flow.PLANNED]
    while frontier:
        for following in flow.next_statuses(kind, frontier.pop()):
            if following not in reachable:
                reachable.add(following)
                frontier.append(following)
    assert flow.WITHDRAWN in reachable and flow.IN_FORCE in reachable
    for ended in flow.ENDED:
        assert set(flow.next_statuses(kind, ended)) <= ({flow.IN_FORCE} if ended == flow.EXPIRED else set())


def test_a_civil_order_is_applied_for_granted_and_expires_or_is_discharged(users, adult):
    order = record(users, adult, status="applied", applied_on=TODAY - 40 * DAY)
    order = services.change_status(
        users["analyst"], order, status="in_force", granted_on=TODAY - 30 * DAY, expires_on=TODAY + 700 * DAY
    )
    assert order.status == flow.IN_FORCE and order.applied_on == TODAY - 40 * DAY
    with pytest.raises(ValidationError) as error:
        services.change_status(users["analyst"], order, status="completed", ended_on=TODAY)
    assert "cannot go from granted, in force to completed" in problems(error)["status"][0]
    with pytest.raises(ValidationError) as error:
        services.change_status(users["analyst"], order, status="expired")
    assert "has not expired yet" in problems(error)["expires_on"][0]
    order = services.change_status(users["analyst"], order, status="discharged", ended_on=TODAY)
    assert order.status == flow.DISCHARGED and order.ended_on == TODAY
    with pytest.raises(ValidationError):
        services.change_status(users["analyst"], order, status="in_force")


def test_a_refusal_needs_its_date_and_ends_the_activity(users, adult):
    order = record(users, adult, status="applied", applied_on=TODAY - 9 * DAY)
    with pytest.raises(ValidationError) as error:
        services.change_status(users["analyst"], order, status="refused")
    assert problems(error) == {"ended_on": ["Enter the date it ended"]}
    order.refresh_from_db()
    assert order.status == flow.APPLIED
    with pytest.raises(ValidationError) as error:
        services.change_status(users["analyst"], order, status="refused", ended_on=TODAY - 10 * DAY)
    assert "on or after the date it was applied for" in problems(error)["ended_on"][0]
    assert services.change_status(users["analyst"], order, status="refused", ended_on=TODAY).status == flow.REFUSED


def test_a_notice_is_issued_not_applied_for_and_can_be_withdrawn(users, adult):
    notice = tactic("child-abduction-warning-notice")
    assert flow.first_statuses(notice.kind) == (flow.PLANNED, flow.IN_FORCE)
    with pytest.raises(ValidationError):
        record(users, adult, code=notice.code, status="applied", applied_on=TODAY)
    issued = record(users, adult, code=notice.code, status="in_force", granted_on=TODAY - 3 * DAY)
    assert issued.status_label == "Issued, in force"
    assert services.change_status(users["analyst"], issued, status="withdrawn", ended_on=TODAY).status == "withdrawn"


def test_a_non_legal_tactic_starts_and_completes(users, place):
    patrols = record(users, place, code="increased-patrols", status="in_force", granted_on=TODAY - 20 * DAY)
    assert patrols.status_label == "Under way"
    with pytest.raises(ValidationError):
        services.change_status(users["analyst"], patrols, status="discharged", ended_on=TODAY)
    assert services.change_status(users["analyst"], patrols, status="completed", ended_on=TODAY).status == "completed"


def test_an_expired_order_extended_in_time_goes_back_in_force_with_its_new_expiry(users, place):
    closure = record(
        users,
        place,
        code="child-sex-offence-closure",
        status="in_force",
        granted_on=TODAY - 90 * DAY,
        expires_on=TODAY - 2 * DAY,
    )
    closure = services.change_status(users["analyst"], closure, status="expired")
    assert closure.status == flow.EXPIRED and closure.ended_on == TODAY - 2 * DAY
    with pytest.raises(ValidationError) as error:
        services.change_status(users["analyst"], closure, status="in_force")
    assert "new expiry date" in problems(error)["expires_on"][0]
    closure = services.change_status(users["analyst"], closure, status="in_force", expires_on=TODAY + 88 * DAY)
    assert closure.is_in_force and closure.ended_on is None


def test_correcting_nothing_writes_nothing(users, adult):
    order = record(users, adult, status="applied", applied_on=TODAY - 4 * DAY)
    before = AuditEvent.objects.count()
    services.change_status(users["analyst"], order, status="applied", applied_on=TODAY - 4 * DAY)
    assert AuditEvent.objects.count() == before
    services.change_status(users["analyst"], order, applied_on=TODAY - 5 * DAY)
    event = AuditEvent.objects.latest("id")
    assert event.action == "update" and event.detail["changed"] == {
        "applied_on": [str(TODAY - 4 * DAY), str(TODAY - 5 * DAY)]
    }


def test_only_those_who_record_disruption_move_it_on(users, adult):
    order = record(users, adult, status="applied", applied_on=TODAY - 4 * DAY)
    with pytest.raises(PermissionDenied):
        services.change_status(users["panel_chair"], order, status="withdrawn", ended_on=TODAY)


# ---------------------------------------------------------------- breaches and outcomes


def test_a_breach_is_recorded_against_an_order_in_force_which_stays_in_force(users, adult):
    order = record(users, adult, status="in_force", granted_on=TODAY - 30 * DAY)
    breach = services.record_breach(
        users["analyst"],
        order,
        occurred_on=TODAY - 2 * DAY,
        what="Seen in a car with a 14-year-old",
        action="arrested",
        police_reference="CC-2026-1187",
    )
    order.refresh_from_db()
    assert order.status == flow.IN_FORCE and breach.activity == order and breach.recorded_by == users["analyst"]
    assert AuditEvent.objects.filter(object_type="disruption.Breach", action="create").count() == 1


@pytest.mark.parametrize(
    "occurred, what, action, field",
    [
        (None, "x", "arrested", "occurred_on"),
        (TODAY + DAY, "x", "arrested", "occurred_on"),
        (TODAY - 31 * DAY, "x", "arrested", "occurred_on"),
        (TODAY, " ", "arrested", "what"),
        (TODAY, "x", "shrugged", "action"),
    ],
)
def test_a_breach_that_cannot_be_is_refused(users, adult, occurred, what, action, field):
    order = record(users, adult, status="in_force", granted_on=TODAY - 30 * DAY)
    with pytest.raises(ValidationError) as error:
        services.record_breach(users["analyst"], order, occurred_on=occurred, what=what, action=action)
    assert field in problems(error)
    assert not Breach.objects.exists()


def test_nothing_never_in_force_and_no_non_legal_tactic_can_be_breached(users, adult, place):
    planned = record(users, adult)
    with pytest.raises(ValidationError, match="has not been in force"):
        services.record_breach(users["analyst"], planned, occurred_on=TODAY, what="x", action="warned")
    patrols = record(users, place, code="increased-patrols", status="in_force", granted_on=TODAY - 3 * DAY)
    with pytest.raises(ValidationError, match="can be breached"):
        services.record_breach(users["analyst"], patrols, occurred_on=TODAY, what="x", action="warned")


def test_the_outcome_needs_words_and_a_judgement(users, adult):
    order = record(users, adult, status="in_force", granted_on=TODAY - 30 * DAY)
    with pytest.raises(ValidationError) as error:
        services.record_outcome(users["analyst"], order, outcome="", assessment="")
    assert set(problems(error)) == {"outcome", "outcome_assessment"}
    services.record_outcome(users["analyst"], order, outcome="Not seen with the children since", assessment="disrupted")
    order.refresh_from_db()
    assert order.outcome == "Not seen with the children since" and order.get_outcome_assessment_display() == (
        "It disrupted the exploitation"
    )


# ---------------------------------------------------------------- children


def test_changing_the_children_keeps_those_the_editor_may_not_see(users, adult, children):
    tyler, amber, _ = children
    # Only coordinators see Jade: she is not named in intelligence, and no analyst works with her.
    jade = make_child("Jade", "Pritchard")
    order = record(users, adult, who="coordinator", children=[tyler, jade])
    services.set_children(users["analyst"], order, [amber])
    assert set(order.children.all()) == {amber, jade}
    event = AuditEvent.objects.latest("id")
    assert event.detail["children_added"] == [amber.pk] and event.detail["children_removed"] == [tyler.pk]


# ---------------------------------------------------------------- reviews


def test_a_review_between_panels_continues_changes_or_closes_the_plan(users, adult, children):
    order = record(users, adult, status="applied", applied_on=TODAY - 9 * DAY)
    plan = order.plan
    with pytest.raises(ValidationError) as error:
        services.review_plan(users["panel_chair"], plan, reviewed_on=TODAY, what_changed="", decision="continue")
    assert set(problems(error)) == {"what_changed", "next_review_on"}
    services.review_plan(
        users["panel_chair"],
        plan,
        reviewed_on=TODAY,
        what_changed="Application listed for May",
        decision="change",
        next_review_on=TODAY + 28 * DAY,
        objective="Get the order granted",
        owner=users["coordinator"],
    )
    plan.refresh_from_db()
    assert plan.objective == "Get the order granted" and plan.owner == users["coordinator"]
    assert plan.next_review_on == TODAY + 28 * DAY
    with pytest.raises(ValidationError) as error:
        services.review_plan(users["panel_chair"], plan, reviewed_on=TODAY, what_changed="Done", decision="close")
    assert "still planned or applied for" in problems(error)["decision"][0]
    services.change_status(users["analyst"], order, status="refused", ended_on=TODAY)
    services.review_plan(users["panel_chair"], plan, reviewed_on=TODAY, what_changed="Refused", decision="close")
    plan.refresh_from_db()
    assert not plan.is_open and plan.closed_on == TODAY and plan.next_review_on is None
    assert DisruptionPlanReview.objects.count() == 2
    # A new activity reopens the plan.
    record(users, adult, code="child-abduction-warning-notice")
    plan.refresh_from_db()
    assert plan.is_open


def test_a_review_must_come_after_the_date_it_is_on(users, adult):
    plan = record(users, adult).plan
    with pytest.raises(ValidationError) as error:
        services.review_plan(
            users["analyst"], plan, reviewed_on=TODAY + DAY, what_changed="x", decision="continue", next_review_on=TODAY
        )
    assert set(problems(error)) == {"reviewed_on", "next_review_on"}


def test_only_analysts_coordinators_and_panel_chairs_review(users, adult):
    plan = record(users, adult).plan
    for role in ("practitioner", "school_practitioner", "manager"):
        with pytest.raises(PermissionDenied):
            services.review_plan(
                users[role], plan, reviewed_on=TODAY, what_changed="x", decision="continue", next_review_on=TODAY + DAY
            )


# ---------------------------------------------------------------- the generator's rows


def test_bulk_rows_follow_the_same_rules_as_the_services(users, adult, children):
    from hoth.disruption import rows

    analyst = users["analyst"]
    plan = rows.plan_row(
        adult,
        owner=analyst,
        lead_agency=analyst.agency,
        objective="Stop him",
        next_review_on=TODAY + 20 * DAY,
        created_at=timezone.now(),
    )
    plan.save()
    order = rows.activity_row(
        plan,
        tactic("sexual-risk-order"),
        officer=analyst,
        lead_agency=analyst.agency,
        history=[("applied", TODAY - 50 * DAY), ("in_force", TODAY - 40 * DAY), ("discharged", TODAY - 3 * DAY)],
        created_at=timezone.now(),
    )
    DisruptionActivity.objects.bulk_create([order])
    order = DisruptionActivity.objects.get()
    assert order.reference.startswith("D-") and order.status == flow.DISCHARGED
    assert (order.applied_on, order.granted_on, order.ended_on) == (TODAY - 50 * DAY, TODAY - 40 * DAY, TODAY - 3 * DAY)
    DisruptionActivity.children.through.objects.bulk_create(rows.children_rows(order, children))
    assert order.children.count() == 3
    Breach.objects.bulk_create(
        [
            rows.breach_row(
                order,
                occurred_on=TODAY - 10 * DAY,
                what="Seen",
                action="warned",
                recorded_by=analyst,
                recorded_at=timezone.now(),
            )
        ]
    )
    for history in (
        [("in_force", TODAY), ("completed", TODAY)],  # an order is discharged or expires
        [("applied", TODAY), ("in_force", TODAY - DAY)],  # granted before it was applied for
        [("refused", TODAY)],
    ):  # nothing starts refused
        with pytest.raises(rows.HistoryError):
            rows.activity_row(
                plan,
                tactic("sexual-risk-order"),
                officer=analyst,
                lead_agency=analyst.agency,
                history=history,
                created_at=timezone.now(),
            )
    with pytest.raises(rows.HistoryError):
        rows.activity_row(
            plan,
            tactic("child-sex-offence-closure"),
            officer=analyst,
            lead_agency=analyst.agency,
            history=[("in_force", TODAY)],
            created_at=timezone.now(),
        )
