"""The generator writes rows directly, for speed, but builds every title,
deadline, clock and derived text with the functions the services use; here a
tiny partnership's rows are checked against what the services would write,
so that the demo cannot drift from the rules."""

from datetime import date

import pytest
from django.db import transaction

from hoth.information_governance import deadlines
from hoth.information_governance.models import SubjectAccessRequest
from hoth.panels.agenda import meeting_day, panel_action_details, screening_action_details
from hoth.panels.models import Meeting, MeetingAction
from hoth.plans.models import Plan, PlanAction
from hoth.plans.services import action_task_title, review_task_title
from hoth.referrals import service_standard
from hoth.referrals.models import Referral
from hoth.referrals.services import current_standard
from hoth.synthetic.generator import generate
from hoth.working_days import reference as working_days_reference
from hoth.working_days.holidays import bank_holidays, forget_bank_holidays

TODAY = date(2026, 11, 26)
SAMPLE = 60


@pytest.fixture(scope="module")
def partnership(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            # As `make demo` does: the reference data (bank holidays among it) before the partnership.
            working_days_reference.load()
            forget_bank_holidays()
            yield generate("tiny", seed=17, today=TODAY)
            transaction.set_rollback(True)


@pytest.fixture
def tiny(partnership, db):
    return partnership


def test_each_referrals_screening_clock_is_the_services(tiny):
    standard = current_standard()
    referrals = list(Referral.objects.submitted().order_by("pk"))
    assert len(referrals) >= 10
    for referral in referrals:
        expected = service_standard.screen_by(referral.submitted_at, urgent=referral.is_urgent, standard=standard)
        assert referral.screen_by == expected, referral.reference


def test_plan_tasks_have_the_titles_the_plan_service_gives_them(tiny):
    actions = list(PlanAction.objects.select_related("task", "plan__case")[:SAMPLE])
    assert actions
    for action in actions:
        assert action.task.title == action_task_title(action.plan.case)
    plans = list(Plan.objects.filter(review_task__isnull=False).select_related("review_task", "case")[:SAMPLE])
    assert plans
    for plan in plans:
        assert plan.review_task.title == review_task_title(plan.case)


def test_meeting_actions_tasks_say_where_they_were_agreed_as_the_meeting_service_does(tiny):
    actions = list(
        MeetingAction.objects.filter(task__isnull=False)
        .select_related("task", "item__meeting", "item__person", "item__context")
        .order_by("pk")
    )
    by_kind = {kind: [a for a in actions if a.item.meeting.kind == kind][:SAMPLE] for kind in Meeting.Kind.values}
    assert by_kind[Meeting.Kind.SCREENING] and by_kind[Meeting.Kind.PANEL]
    for action in by_kind[Meeting.Kind.SCREENING]:
        item = action.item
        day = meeting_day(item.meeting.starts_at)
        assert action.task.details == screening_action_details(day, item.position, item.person.reference)
    for action in by_kind[Meeting.Kind.PANEL]:
        item = action.item
        day = meeting_day(item.meeting.starts_at)
        assert action.task.details == panel_action_details(day, item.position, item.section, item.subject_reference)


def test_subject_access_deadlines_are_the_services(tiny):
    requests = list(SubjectAccessRequest.objects.all())
    assert requests
    holidays = bank_holidays()
    for sar in requests:
        assert sar.due_on == deadlines.due_on(sar.received_on, holidays)


def test_the_clock_counts_the_bank_holidays_the_service_does(tiny):
    """The check above means something: the partnership has bank holidays,
    which the default clock (no holidays) would not skip, and some referral
    arrived where one changes the answer."""
    assert bank_holidays()
    standard = current_standard()
    assert any(
        service_standard.screen_by(r.submitted_at, urgent=r.is_urgent)
        != service_standard.screen_by(r.submitted_at, urgent=r.is_urgent, standard=standard)
        for r in Referral.objects.submitted()
    )
