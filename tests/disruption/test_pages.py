"""The disruption pages: recording an activity from a subject's profile in
two steps, moving it on, a breach, the outcome, reviewing the plan, the
subject's plan with its effect, and the lists with their filters. Bad input
shows a GOV.UK error summary and changes nothing; every read and change
writes one audit event; the lists cost the same queries however long."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoth.audit.models import AuditEvent
from hoth.disruption import flow, services
from hoth.disruption.models import Breach, DisruptionActivity, DisruptionPlan, DisruptionPlanReview

from .conftest import TODAY, make_child, record, screen, went_missing

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def events(**filters):
    return AuditEvent.objects.filter(object_type__startswith="disruption.", **filters)


@pytest.fixture
def analyst(users, verified_client):
    return verified_client(users["analyst"])


def test_an_analyst_records_an_order_from_the_profile_in_two_steps(users, analyst, adult, children):
    tyler, amber, callum = children
    profile = text(analyst.get(f"/subjects/{adult.reference}/"))
    assert f'href="/disruption/{adult.reference}/new/"' in profile and "Disruption history" in profile
    assert "No disruption has been recorded against Dean Moss" in profile

    choose = text(analyst.get(f"/disruption/{adult.reference}/new/"))
    assert "Sexual Risk Order" in choose and "Section 122A Sexual Offences Act 2003" in choose
    assert "Who can apply: The police or the National Crime Agency" in choose
    assert "Increased patrols" not in choose, "patrols are for places and groups"
    assert "Select the tactic" in text(analyst.post(f"/disruption/{adult.reference}/new/", {}))
    response = analyst.post(f"/disruption/{adult.reference}/new/", {"tactic": "sexual-risk-order"})
    details_url = f"/disruption/{adult.reference}/new/sexual-risk-order/"
    assert response.status_code == 302 and response["Location"] == details_url

    details = text(analyst.get(details_url))
    assert "Thresholds" in details and "it starts their plan" in details
    for child in children:
        assert child.full_name in details, "the children linked to him are offered"
    response = analyst.post(
        details_url,
        {
            "status": "applied",
            **date_fields("applied_on", TODAY - 3 * DAY),
            "lead_agency": users["analyst"].agency_id,
            "officer": users["analyst"].pk,
            "children": [str(tyler.pk), str(amber.pk)],
            "other_children": callum.reference.lower(),
            "details": "Not to be in a vehicle with anyone under 18",
            "plan_objective": "Stop him contacting the children linked to him",
            **date_fields("plan_next_review_on", TODAY + 28 * DAY),
        },
    )
    activity = DisruptionActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disruption/activities/{activity.reference}/"
    assert activity.status == flow.APPLIED and activity.applied_on == TODAY - 3 * DAY
    assert set(activity.children.all()) == {tyler, amber, callum}
    assert activity.plan.objective == "Stop him contacting the children linked to him"
    assert events(action="create").count() == 2  # the plan and the activity

    page = text(analyst.get(response["Location"]))
    assert "Applied for" in page and "Not to be in a vehicle with anyone under 18" in page
    assert "Record a breach" not in page, "nothing to breach until it is granted"
    assert "Disruption history" in text(analyst.get(f"/subjects/{adult.reference}/"))


def test_an_activity_with_problems_shows_every_one_and_saves_nothing(users, analyst, adult):
    from hoth.people.models import Person

    jade = Person.objects.create(given_names="Jade", family_name="Pritchard")
    page = text(
        analyst.post(
            f"/disruption/{adult.reference}/new/sexual-risk-order/",
            {
                "status": "in_force",
                **date_fields("applied_on", TODAY - 2 * DAY),
                **date_fields("granted_on", TODAY - 5 * DAY),
                "lead_agency": "",
                "officer": users["analyst"].pk,
                "other_children": jade.reference,
                "intelligence": "I-NOTHERE",
                "plan_objective": " ",
            },
        )
    )
    assert "There is a problem" in page
    for message in (
        "Choose the lead agency",
        f"There is no child you may see with the reference {jade.reference}",
        "There is no graded intelligence you may read with the reference I-NOTHERE",
    ):
        assert message in page, message
    page = text(
        analyst.post(
            f"/disruption/{adult.reference}/new/sexual-risk-order/",
            {
                "status": "in_force",
                **date_fields("applied_on", TODAY - 2 * DAY),
                **date_fields("granted_on", TODAY - 5 * DAY),
                "lead_agency": users["analyst"].agency_id,
                "officer": users["analyst"].pk,
            },
        )
    )
    for message in (
        "The date it took effect must be on or after the date it was applied for",
        "Say what the disruption plan means to achieve",
        "Enter the date the plan will first be reviewed",
    ):
        assert message in page, message
    assert not DisruptionActivity.objects.exists() and not DisruptionPlan.objects.exists()
    assert not events().exists()


def test_a_tactic_not_for_this_kind_of_subject_is_not_found(analyst, place):
    assert analyst.get(f"/disruption/{place.reference}/new/sexual-risk-order/").status_code == 404


def test_the_order_is_granted_breached_and_its_outcome_recorded(users, analyst, adult, children):
    order = record(users, adult, status="applied", applied_on=TODAY - 20 * DAY, children=list(children))
    update = f"/disruption/activities/{order.reference}/update/"
    form = text(analyst.get(update))
    assert "Granted, in force" in form and "Completed" not in form
    bad = text(analyst.post(update, {"status": "in_force", **date_fields("applied_on", TODAY - 20 * DAY)}))
    assert "Enter the date it took effect" in bad
    order.refresh_from_db()
    assert order.status == flow.APPLIED
    response = analyst.post(
        update,
        {
            "status": "in_force",
            **date_fields("applied_on", TODAY - 20 * DAY),
            **date_fields("granted_on", TODAY - 10 * DAY),
            **date_fields("expires_on", TODAY + 720 * DAY),
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == flow.IN_FORCE and order.granted_on == TODAY - 10 * DAY

    breach_url = f"/disruption/activities/{order.reference}/breaches/new/"
    assert "Record a breach" in text(analyst.get(f"/disruption/activities/{order.reference}/"))
    bad = text(
        analyst.post(breach_url, {**date_fields("occurred_on", TODAY - 12 * DAY), "what": "", "action": "arrested"})
    )
    assert "Say what happened" in bad
    bad = text(
        analyst.post(
            breach_url,
            {**date_fields("occurred_on", TODAY - 12 * DAY), "what": "Seen with Tyler", "action": "arrested"},
        )
    )
    assert "The breach must be on or after the day it took effect" in bad
    assert not Breach.objects.exists()
    response = analyst.post(
        breach_url,
        {
            **date_fields("occurred_on", TODAY - DAY),
            "what": "Seen with Tyler",
            "action": "arrested",
            "police_reference": "CC-2026-1187",
        },
    )
    assert response.status_code == 302 and Breach.objects.get().what == "Seen with Tyler"

    outcome_url = f"/disruption/activities/{order.reference}/outcome/"
    assert "Select whether it disrupted" in text(analyst.post(outcome_url, {"outcome": "x"}))
    analyst.post(outcome_url, {"outcome": "Not seen near the children since", "outcome_assessment": "partly"})
    page = text(analyst.get(f"/disruption/activities/{order.reference}/"))
    assert "Seen with Tyler" in page and "Arrested" in page and "It partly disrupted the exploitation" in page
    assert "Breached" in page
    assert events(action="create", object_type="disruption.Breach").count() == 1
    assert events(action="update", object_type="disruption.DisruptionActivity").count() == 2


def test_a_notice_is_issued_so_its_pages_never_ask_when_it_was_applied_for(users, analyst, adult):
    details = text(analyst.get(f"/disruption/{adult.reference}/new/child-abduction-warning-notice/"))
    assert "Date issued" in details and "Date applied for" not in details and "Applied for" not in details
    notice = record(users, adult, code="child-abduction-warning-notice", status="in_force", granted_on=TODAY - DAY)
    update = text(analyst.get(f"/disruption/activities/{notice.reference}/update/"))
    assert "Issued, in force (as now)" in update and "Withdrawn" in update and "Date applied for" not in update
    response = analyst.post(
        f"/disruption/activities/{notice.reference}/update/",
        {"status": "withdrawn", **date_fields("granted_on", TODAY - DAY), **date_fields("ended_on", TODAY)},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == flow.WITHDRAWN and notice.ended_on == TODAY


def test_the_activity_page_names_only_the_children_the_viewer_may_see(users, verified_client, adult, children):
    tyler, amber, callum = children
    jade = make_child("Jade", "Pritchard")  # only coordinators see her
    order = record(
        users,
        adult,
        who="coordinator",
        status="in_force",
        granted_on=TODAY - 40 * DAY,
        children=[tyler, amber, callum, jade],
    )
    for child in (tyler, amber):
        screen(child, "high", TODAY - 50 * DAY, users)
        screen(child, "medium", TODAY - 3 * DAY, users)
    went_missing(jade, TODAY - 45 * DAY, users)
    page = text(verified_client(users["analyst"]).get(f"/disruption/activities/{order.reference}/"))
    assert "Tyler Okafor" in page and "Jade Pritchard" not in page and "1 child you may not see" in page
    # The analyst reads none of the four children's casework: not named, and not in the figures either.
    assert "4 linked children whose records you may not read are not in the figures" in page
    assert "in the 90 days before" not in page and "lower," not in page
    event = AuditEvent.objects.filter(action="view", object_type="disruption.DisruptionActivity").get()
    assert sorted(event.detail["person_ids"]) == sorted([tyler.pk, amber.pk, callum.pk])
    coordinator = text(verified_client(users["coordinator"]).get(f"/disruption/activities/{order.reference}/"))
    assert "Jade Pritchard" in coordinator and "Children whose records you may see" in coordinator
    assert "2 lower, 0 higher, 0 the same, 2 not known" in coordinator
    assert "1 in the 90 days before, 0 in the 90 days after" in coordinator


def test_the_plan_page_shows_activities_effect_and_reviews_and_is_audited_once(
    users, analyst, adult, children, verified_client
):
    order = record(users, adult, status="in_force", granted_on=TODAY - 5 * DAY, children=list(children))
    services.review_plan(
        users["panel_chair"],
        order.plan,
        reviewed_on=TODAY,
        what_changed="Granted last week",
        decision="continue",
        next_review_on=TODAY + 28 * DAY,
    )
    before = AuditEvent.objects.count()
    page = text(analyst.get(f"/disruption/{adult.reference}/"))
    assert AuditEvent.objects.count() == before + 1
    assert "Sexual Risk Order" in page and "Granted last week" in page and "Between panels" in page
    assert "3 linked children whose records you may not read are not in the figures" in page
    assert "Review the plan" in page and "Record disruption" in page
    coordinator = text(verified_client(users["coordinator"]).get(f"/disruption/{adult.reference}/"))
    assert "After not complete yet" in coordinator and "6 of 90 days so far" in coordinator


def test_a_review_between_panels_from_the_plan_page(users, verified_client, adult):
    order = record(users, adult, status="applied", applied_on=TODAY - 9 * DAY)
    chair = verified_client(users["panel_chair"])
    url = f"/disruption/{adult.reference}/review/"
    page = text(chair.post(url, {**date_fields("reviewed_on", TODAY), "what_changed": "", "decision": "continue"}))
    assert "Say what has changed" in page and "Enter the date of the next review" in page
    assert not DisruptionPlanReview.objects.exists()
    response = chair.post(
        url,
        {
            **date_fields("reviewed_on", TODAY),
            "what_changed": "Hearing listed",
            "decision": "continue",
            **date_fields("next_review_on", TODAY + 14 * DAY),
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/disruption/{adult.reference}/"
    order.plan.refresh_from_db()
    assert order.plan.next_review_on == TODAY + 14 * DAY
    assert events(action="create", object_type="disruption.DisruptionPlanReview").count() == 1


def test_a_subject_without_a_plan_cannot_be_reviewed(users, verified_client, adult):
    assert verified_client(users["panel_chair"]).get(f"/disruption/{adult.reference}/review/").status_code == 404


def test_each_form_page_shown_is_one_read_of_what_it_shows(users, analyst, adult, children):
    order = record(users, adult, status="in_force", granted_on=TODAY - 5 * DAY, children=list(children))
    reads = AuditEvent.objects.filter(action="view")
    before = reads.count()
    text(analyst.get(f"/disruption/activities/{order.reference}/children/"))
    assert reads.count() == before + 1
    event = reads.latest("id")
    assert event.person_id == adult.person_id and sorted(event.detail["person_ids"]) == sorted(c.pk for c in children)


# ---------------------------------------------------------------- the lists


@pytest.fixture
def many(users, adult, place):
    """Activities of several kinds and states."""
    record(users, adult, status="applied", applied_on=TODAY - 3 * DAY)
    record(
        users,
        place,
        code="child-sex-offence-closure",
        status="in_force",
        granted_on=TODAY - 60 * DAY,
        expires_on=TODAY + 10 * DAY,
    )
    record(users, place, code="increased-patrols", status="in_force", granted_on=TODAY - 6 * DAY)


def test_the_activity_list_filters_by_status_kind_and_expiring_soon(users, analyst, many):
    everything = text(analyst.get("/disruption/"))
    assert "3 activities" in everything and "Expiring soon" in everything
    assert "1 activity" in text(analyst.get("/disruption/", {"status": "applied"}))
    kind = text(analyst.get("/disruption/", {"kind": "non_legal"}))
    assert "1 activity" in kind and "Increased patrols" in kind
    expiring = text(analyst.get("/disruption/", {"expiring": "on"}))
    assert "1 activity" in expiring and "Closure of premises" in expiring
    assert AuditEvent.objects.filter(action="list").count() == 4


def test_the_plan_list_shows_reviews_due_and_what_expires(users, analyst, many, adult):
    plan = DisruptionPlan.objects.get(subject=adult)
    plan.next_review_on = TODAY - DAY
    plan.save()
    page = text(analyst.get("/disruption/plans/"))
    assert "2 plans" in page and "Overdue" in page and "Expiring soon: 1" in page
    assert "1 plan" in text(analyst.get("/disruption/plans/", {"review_due": "on"}))
    assert "Mill Street Flats" in text(analyst.get("/disruption/plans/", {"kind": "non_legal"}))
    assert "1 plan" in text(analyst.get("/disruption/plans/", {"expiring": "on"}))


def _people(users, count, start=0):
    from hoth.intelligence import services as intelligence
    from hoth.people.models import Person

    for i in range(start, start + count):
        person = Person.objects.create(given_names=f"Adult{i}", family_name="Concern")
        subject = intelligence.subject_for_person(users["coordinator"], person)
        child = make_child(f"Child{i}", "Linked")
        record(
            users,
            subject,
            who="coordinator",
            status="in_force",
            granted_on=TODAY - 5 * DAY,
            children=[child],
            expires_on=TODAY + 5 * DAY,
        )


@pytest.mark.parametrize("url", ["/disruption/", "/disruption/plans/"])
def test_the_lists_cost_the_same_queries_however_many_rows(users, analyst, url, django_assert_max_num_queries):
    _people(users, 2)
    with CaptureQueriesContext(connection) as few:
        text(analyst.get(url))
    _people(users, 12, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Adult13" in text(analyst.get(url))


def test_the_plan_page_costs_the_same_queries_however_many_activities(
    users, analyst, adult, children, django_assert_max_num_queries
):
    record(users, adult, status="in_force", granted_on=TODAY - 5 * DAY, children=list(children))
    with CaptureQueriesContext(connection) as few:
        text(analyst.get(f"/disruption/{adult.reference}/"))
    for _ in range(6):
        order = record(
            users,
            adult,
            code="child-abduction-warning-notice",
            status="in_force",
            granted_on=TODAY - 2 * DAY,
            children=list(children),
        )
        services.record_breach(users["analyst"], order, occurred_on=TODAY, what="Seen", action="warned")
    with django_assert_max_num_queries(len(few.captured_queries)):
        text(analyst.get(f"/disruption/{adult.reference}/"))


# ---------------------------------------------------------------- who sees it


def test_the_school_practitioner_sees_nothing_of_disruption(users, verified_client, adult):
    order = record(users, adult, status="applied", applied_on=TODAY - DAY)
    teacher = verified_client(users["school_practitioner"])
    assert teacher.get("/disruption/").status_code == 403
    assert teacher.get(f"/disruption/activities/{order.reference}/").status_code == 403
    assert teacher.get(f"/disruption/{adult.reference}/").status_code == 403


def test_the_intelligence_navigation_offers_disruption_to_those_who_may_see_it(users, verified_client):
    assert 'href="/disruption/"' in text(verified_client(users["analyst"]).get("/subjects/"))
    assert 'href="/disruption/"' in text(verified_client(users["panel_chair"]).get("/subjects/"))
    assert 'href="/disruption/"' not in text(verified_client(users["school_practitioner"]).get("/intelligence/"))


def test_a_panel_chair_sees_the_plan_but_cannot_record_disruption(users, verified_client, adult):
    record(users, adult, status="applied", applied_on=TODAY - DAY)
    chair = verified_client(users["panel_chair"])
    page = text(chair.get(f"/disruption/{adult.reference}/"))
    assert "Review the plan" in page and "Record disruption" not in page
    assert chair.get(f"/disruption/{adult.reference}/new/").status_code == 403
    assert "Record disruption" not in text(chair.get(f"/subjects/{adult.reference}/"))


def test_a_coordinator_records_disruption_against_a_place_from_its_profile(users, verified_client, place):
    coordinator = verified_client(users["coordinator"])
    profile = text(coordinator.get(f"/subjects/{place.reference}/"))
    assert f'href="/disruption/{place.reference}/new/"' in profile
    choose = text(coordinator.get(f"/disruption/{place.reference}/new/"))
    assert "Place-based guardianship training" in choose and "Sexual Risk Order" not in choose
