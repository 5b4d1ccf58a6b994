"""The synthetic Protect side: what happens to the front door's cases (teams,
assessments, plans, reviews, notes, closures, NRM referrals) and three years
of the Child Exploitation Operational Panel, consistent with what the
services would have written and the same for the same seed and day.

One tiny partnership is generated for the module and rolled back at the end.
"""

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from hoth.accounts.models import User
from hoth.cases import nrm as nrm_rules
from hoth.cases.flags import repeat_harm
from hoth.cases.models import (
    Case,
    CaseMember,
    CaseNote,
    CaseStatusChange,
    ContextKind,
    ContextualAssessment,
    NrmReferral,
)
from hoth.panels.models import AgendaItem, Meeting, MeetingAction, Section
from hoth.panels.selectors import high_level_children, referred_children
from hoth.people.models import Involvement, Person, SharingDecision
from hoth.plans.models import Plan, PlanAction, PlanVersion, Review, ServiceReferral
from hoth.plans.selectors import missing_episodes_between
from hoth.referrals.models import Referral
from hoth.synthetic.front_door import local
from hoth.synthetic.generator import demo_email, generate
from hoth.tasks.models import Task

TODAY = date(2026, 11, 26)
NOW = local(TODAY, 12)


@pytest.fixture(scope="module")
def partnership(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            generator = generate("tiny", seed=3, today=TODAY)
            yield generator
            transaction.set_rollback(True)


@pytest.fixture
def protect(partnership, db):
    return partnership


def test_the_generator_counts_what_the_protect_side_wrote(protect):
    counts = protect.counts
    for model in (CaseMember, Plan, PlanVersion, PlanAction, ServiceReferral, Review, CaseNote, CaseStatusChange):
        assert counts[model.__name__] == model.objects.count() > 0, model.__name__
    assert counts["Meeting (panel, planned)"] == 1
    assert counts["Service (support directory)"] > 100


def test_open_cases_have_a_team_from_several_agencies_each_shared_by_a_decision(protect):
    for case in Case.objects.open().select_related("lead_professional"):
        members = list(CaseMember.objects.filter(case=case).select_related("sharing_decision", "involvement"))
        assert members, case
        for member in members:
            assert member.involvement.person_id == case.person_id and member.involvement.user_id == member.user_id
            if member.agency_id != case.lead_professional.agency_id:
                decision = member.sharing_decision
                assert decision.person_id == case.person_id and decision.shared_with_user_id == member.user_id
                assert member.involvement.kind == Involvement.Kind.SHARED
                assert member.involvement.sharing_decision_id == decision.pk
                if decision.consent != SharingDecision.Consent.GIVEN:
                    assert decision.lawful_basis != "consent" and decision.consent_not_sought_reason
            else:
                assert member.sharing_decision_id is None
    agencies_per_case = Counter(
        CaseMember.objects.values_list("case_id", "agency__type").distinct().values_list("case_id", flat=True)
    )
    assert max(agencies_per_case.values()) >= 2


def test_cases_have_a_contextual_assessment_covering_every_context(protect):
    assessment = ContextualAssessment.objects.order_by("pk").first()
    assert assessment.primary_reason and assessment.primary_context in ContextKind.values
    assert sorted(e.kind for e in assessment.entries.all()) == sorted(ContextKind.values)
    assert ContextualAssessment.objects.filter(number=2).exists(), "some assessments were written again"


def test_plans_move_on_a_version_at_a_time_with_a_snapshot_of_each(protect):
    for plan in Plan.objects.all():
        numbers = sorted(plan.versions.values_list("number", flat=True))
        assert numbers == list(range(1, plan.version + 1))
        latest = json.loads(plan.versions.get(number=plan.version).snapshot)
        assert latest["goals"] == [g.text for g in plan.goals.all()]
        assert latest["child_wants"] == plan.child_wants and plan.child_wants
        assert {a["id"] for a in latest["actions"]} == set(plan.actions.values_list("pk", flat=True))
        assert latest["review_date"] == (plan.review_date.isoformat() if plan.review_date else None)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT snapshot FROM {PlanVersion._meta.db_table}")
        assert all(row[0].startswith("fernet:") for row in cursor.fetchall())


def test_plan_actions_are_tasks_of_their_owner_with_the_same_status(protect):
    actions = PlanAction.objects.select_related("task", "plan__case")
    statuses = Counter(a.status for a in actions)
    assert statuses[PlanAction.Status.DONE] and statuses[PlanAction.Status.TO_DO]
    for action in actions:
        task = action.task
        assert task.owner_id == action.owner_id and task.owner_agency_id == action.agency_id
        assert task.case_id == action.plan.case_id and task.due_date == action.due_date
        assert task.title == f"Safety plan action for case {action.plan.case.reference}"
        expected = {"done": "done", "cancelled": "cancelled"}.get(action.status, "open")
        assert task.status == expected
        assert (task.completed_at is not None) == (task.status == Task.Status.DONE)
    assert actions.filter(status__in=["to_do", "in_progress"], due_date__lt=TODAY).exists(), "some are overdue"
    assert not actions.filter(plan__case__status="closed", status__in=["to_do", "in_progress"]).exists()


def test_service_referrals_go_to_directory_services_with_the_dates_of_their_path(protect):
    referrals = ServiceReferral.objects.select_related("service")
    assert len({r.status for r in referrals}) >= 4
    for referral in referrals:
        assert referral.service.is_published
        for status, stamp in ServiceReferral.DATE_FOR_STATUS.items():
            if referral.status == status:
                assert getattr(referral, stamp) is not None
        if referral.status != ServiceReferral.Status.PROPOSED:
            assert referral.referred_on >= referral.proposed_on


def test_reviews_follow_each_other_with_ratings_and_missing_episodes_counted(protect):
    reviews = Review.objects.select_related("case")
    assert reviews.filter(child_feels_safe__isnull=False).exists()
    assert reviews.filter(school_attendance__isnull=False).exists()
    for review in reviews:
        assert review.period_start <= review.held_on <= TODAY
        assert review.held_on < review.next_review_date <= review.held_on + timedelta(days=366)
        assert review.missing_episodes_since_last == missing_episodes_between(
            review.case.person, review.period_start, review.held_on
        )
        for rating in (review.child_feels_safe, review.child_wellbeing, review.practitioner_rating):
            assert rating is None or 0 <= rating <= 10
    assert reviews.filter(missing_episodes_since_last__gt=0).exists()
    for plan in Plan.objects.filter(case__status="open", review_date__isnull=False).select_related("review_task"):
        assert plan.review_task.status == Task.Status.OPEN and plan.review_task.due_date == plan.review_date


def test_restricted_notes_are_seen_only_by_the_named_agencies_and_the_author(protect):
    restricted = CaseNote.objects.filter(is_restricted=True).select_related("case__lead_professional", "author")
    assert restricted.exists() and CaseNote.objects.filter(is_restricted=False).exists()
    checked = 0
    for note in restricted:
        named = set(note.restricted_to.values_list("pk", flat=True))
        assert note.author_agency_id in named
        assert CaseNote.objects.visible_to(note.author).filter(pk=note.pk).exists()
        # Someone on the same case team, from an agency the note does not name,
        # sees the child and the case but not this note.
        outsiders = [
            m.user
            for m in CaseMember.objects.filter(case=note.case, removed_at__isnull=True)
            .exclude(agency_id__in=named)
            .select_related("user")
        ]
        if note.case.lead_professional.agency_id not in named:
            outsiders.append(note.case.lead_professional)
        for outsider in outsiders:
            assert Person.objects.visible_to(outsider).filter(pk=note.case.person_id).exists()
            assert CaseNote.objects.visible_to(outsider).filter(case=note.case, is_restricted=False).exists()
            assert not CaseNote.objects.visible_to(outsider).filter(pk=note.pk).exists()
            checked += 1
    assert checked, "some restricted note has a team member it is kept from"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT what, who FROM {CaseNote._meta.db_table}")
        assert all(what.startswith("fernet:") and who.startswith("fernet:") for what, who in cursor.fetchall())


def test_closed_cases_record_why_with_an_outcome_and_a_few_are_reopened(protect):
    closures = CaseStatusChange.objects.filter(kind=CaseStatusChange.Kind.CLOSED).select_related("case")
    assert (
        closures.count()
        == Case.objects.filter(status="closed").count()
        + CaseStatusChange.objects.filter(kind=CaseStatusChange.Kind.REOPENED).count()
    )
    for change in closures:
        assert change.outcome_summary
        if change.reason == "moved":
            assert change.receiving_area and change.transfer_summary
        elif change.reason == "turned_18":
            assert change.adult_services_transition
        elif change.reason == "other":
            assert change.reason_other
        if change.case.status == "closed":
            assert change.at == change.case.closed_at
    assert "risk_reduced" in {c.reason for c in closures}
    reopened = CaseStatusChange.objects.filter(kind=CaseStatusChange.Kind.REOPENED).select_related("case")
    assert reopened.exists()
    for change in reopened:
        case = change.case
        assert case.status == "open" and case.closed_at is None and case.repeat_harm and change.reopen_reason
        assert change.at > case.status_changes.get(kind="closed").at
        assert Involvement.objects.filter(
            person=case.person_id, user=case.lead_professional_id, kind="lead", ended_at__isnull=True
        ).exists()


def test_a_case_opened_within_a_year_of_an_earlier_closure_is_repeat_harm(protect):
    # Referrals carry no stored flag: the screening queue works it out (hoth.cases.flags.repeat_harm).
    again = (
        Referral.objects.submitted()
        .annotate(repeat=repeat_harm(person_field="person", at_field="submitted_at"))
        .filter(repeat=True)
    )
    assert again.exists(), "some children are referred again within a year of their case closing"
    for case in Case.objects.all():
        earlier = Case.objects.filter(
            person=case.person_id, closed_at__lt=case.opened_at, closed_at__gte=case.opened_at - timedelta(days=365)
        )
        if earlier.exists():
            assert case.repeat_harm


def test_nrm_referrals_have_decisions_some_late_against_the_targets(protect):
    referrals = list(NrmReferral.objects.all())
    assert referrals
    flags = [nrm_rules.flags(r, TODAY) for r in referrals]
    assert any(f.rg_late for f in flags) and not all(f.rg_late for f in flags)
    assert any(r.cg_decided_on for r in referrals)
    for referral in referrals:
        assert referral.referred_on <= TODAY and referral.first_responder
        if referral.cg_decided_on:
            assert referral.rg_outcome == "positive"
            assert referral.cg_decided_on >= referral.rg_decided_on + timedelta(days=30)


def test_a_panel_every_month_confirmed_with_every_section_and_the_next_one_planned(protect):
    confirmed = list(
        Meeting.objects.filter(kind=Meeting.Kind.PANEL, status=Meeting.Status.CONFIRMED).order_by("starts_at")
    )
    assert 35 <= len(confirmed) <= 37
    assert all(m.starts_at < NOW and m.confirmed_at for m in confirmed)
    sections = Counter(AgendaItem.objects.filter(meeting__in=confirmed).values_list("section", flat=True))
    assert set(sections) == set(Section.values)
    assert not AgendaItem.objects.filter(meeting__in=confirmed, panel_decision="").exists()
    meeting = confirmed[-1]
    assert {"police", "childrens_social_care"} <= {a.agency.type for a in meeting.attendance.select_related("agency")}
    assert AgendaItem.objects.filter(meeting__in=confirmed, contributions__isnull=False).exists()
    actions = MeetingAction.objects.filter(item__meeting__in=confirmed).select_related("task", "item")
    assert actions.filter(task__status="done").exists()
    assert actions.filter(task__status="open", task__due_date__lt=TODAY).exists(), "some are overdue"
    for action in actions:
        child = action.item.section in (Section.HIGH, Section.REFERRED)
        assert action.task.person_id == (action.item.person_id if child else None)


def test_the_panel_chair_has_the_next_panel_with_the_agenda_the_service_proposes(protect):
    chair = User.objects.get(email=demo_email("panel-chair"))
    upcoming = Meeting.objects.visible_to(chair).get(kind=Meeting.Kind.PANEL, status=Meeting.Status.PLANNED)
    assert upcoming.chair == chair and NOW < upcoming.starts_at <= NOW + timedelta(days=35)
    proposed = upcoming.items.filter(status=AgendaItem.Status.PROPOSED)
    referred = referred_children(upcoming)
    expected = set(referred) | set(high_level_children(exclude=set(referred)))
    assert set(proposed.values_list("person_id", flat=True)) == expected
    accepted = upcoming.items.filter(status=AgendaItem.Status.ACCEPTED)
    assert {i.section for i in accepted} == {Section.PERSON, Section.PLACE, Section.THEME}
    positions = list(upcoming.items.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))


def test_the_demo_practitioner_leads_cases_with_plans_and_a_review_due(protect):
    practitioner = User.objects.get(email=demo_email("practitioner"))
    plans = Plan.objects.filter(case__lead_professional=practitioner, case__status="open")
    assert plans.exists() and all(p.actions.exists() for p in plans)
    assert plans.filter(review_date__lte=TODAY + timedelta(days=7)).exists()
    assert Task.objects.filter(owner=practitioner, status="open", title__startswith="Safety plan action").exists()
    assert 10 <= Person.objects.visible_to(practitioner).count() <= 25
