"""The synthetic front door: three years of referrals, screenings, meetings,
cases, tasks and missing episodes that look like a real partnership's, with
every level the real screening tool's and every record consistent.

One small partnership is generated for the whole module (it takes seconds)
and rolled back at the end; each test reads it.
"""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from hoth.accounts.models import User
from hoth.analytics import screening as scoring
from hoth.cases.models import Case, MissingEpisode, ReturnInterview
from hoth.contexts.models import Context
from hoth.panels.models import AgendaItem, Meeting, MeetingAction
from hoth.people.models import Involvement, Person
from hoth.referrals.models import Referral
from hoth.screening.models import Screening
from hoth.synthetic import data
from hoth.synthetic.front_door import local, school_holiday
from hoth.synthetic.generator import demo_email, generate
from hoth.tasks.models import Task

TODAY = date(2026, 11, 26)  # a Thursday
NOW = local(TODAY, 12)


@pytest.fixture(scope="module")
def partnership(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            generator = generate("small", seed=1, today=TODAY)
            yield generator
            transaction.set_rollback(True)


@pytest.fixture
def front_door(partnership, db):
    return partnership


def level_rank(level):
    return scoring.LEVELS.index(level)


def test_about_600_referrals_over_three_years_from_web_and_partner_systems(front_door):
    submitted = Referral.objects.submitted()
    assert 550 <= submitted.count() <= 700
    first = submitted.order_by("submitted_at").first().submitted_at.date()
    assert TODAY - timedelta(days=3 * 365 + 7) <= first <= TODAY - timedelta(days=3 * 365 - 30)
    assert submitted.filter(source=Referral.Source.API).exists()
    assert submitted.filter(source=Referral.Source.WEB).count() > submitted.filter(source=Referral.Source.API).count()
    assert Referral.objects.filter(status=Referral.Status.DRAFT, submitted_at__isnull=True).count() >= 3
    assert not submitted.filter(submitted_at__gt=NOW).exists()


def test_every_submitted_referral_about_a_child_records_a_sharing_decision_and_lawful_basis(front_door):
    for referral in (
        Referral.objects.submitted().filter(subject=Referral.Subject.CHILD).select_related("sharing_decision")
    ):
        decision = referral.sharing_decision
        assert decision is not None and decision.person_id == referral.person_id
        assert referral.lawful_basis == decision.lawful_basis
        assert referral.harm_types.exists()
        assert referral.what_happened
        if referral.consent != Referral.Consent.GIVEN:
            assert referral.lawful_basis != "consent" and referral.consent_reason


def test_narratives_are_stored_encrypted(front_door):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT what_happened FROM {Referral._meta.db_table} WHERE what_happened <> ''")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(value.startswith("fernet:") for value in stored)


def test_summer_holidays_bring_more_criminal_exploitation_and_term_more_school_referrals(front_door):
    def shares(referrals):
        cce = sum(1 for r in referrals if "cce" in {h.code for h in r.harm_types.all()})
        schools = sum(1 for r in referrals if r.referrer_agency.type == "education")
        return cce / len(referrals), schools / len(referrals)

    referrals = list(
        Referral.objects.submitted()
        .filter(subject="child")
        .prefetch_related("harm_types")
        .select_related("referrer_agency")
    )
    summer = [r for r in referrals if school_holiday(r.submitted_at.date()) == "summer"]
    spring = [
        r for r in referrals if r.submitted_at.month in (3, 4, 5) and school_holiday(r.submitted_at.date()) is None
    ]
    assert len(summer) > 40 and len(spring) > 60
    summer_cce, summer_schools = shares(summer)
    spring_cce, spring_schools = shares(spring)
    assert summer_cce > spring_cce
    assert spring_schools > summer_schools


def test_children_go_missing_more_often_in_the_summer_holidays(front_door):
    starts = [timezone.localdate(at) for at in MissingEpisode.objects.values_list("started_at", flat=True)]
    days = [TODAY - timedelta(days=n) for n in range(3 * 365)]
    summer_days = [d for d in days if school_holiday(d) == "summer"]
    term_days = [d for d in days if school_holiday(d) is None]
    summer = sum(1 for d in starts if school_holiday(d) == "summer") / len(summer_days)
    term = sum(1 for d in starts if school_holiday(d) is None) / len(term_days)
    assert summer > 1.3 * term


def test_some_children_are_referred_again_within_a_year(front_door):
    times = {}
    for person_id, at in Referral.objects.submitted().exclude(person=None).values_list("person_id", "submitted_at"):
        times.setdefault(person_id, []).append(at)
    repeats = [sorted(t) for t in times.values() if len(t) > 1]
    assert len(repeats) >= 30
    assert any(b - a < timedelta(days=365) for t in repeats for a, b in zip(t, t[1:]))
    assert len(times) > len(repeats)  # most children referred are not repeats at every size


def test_some_children_escalate_across_screenings_and_re_screens(front_door):
    levels = {}
    for person_id, level in Screening.objects.completed().order_by("completed_at").values_list("person_id", "level"):
        levels.setdefault(person_id, []).append(level_rank(level))
    escalating = [ranks for ranks in levels.values() if len(ranks) >= 3 and ranks[-1] > ranks[0]]
    assert len(escalating) >= 5
    assert Screening.objects.filter(referral__isnull=True, case__isnull=False).exists(), "re-screens of open cases"


def test_levels_are_spread_across_all_four(front_door):
    counts = Counter(Screening.objects.values_list("level", flat=True))
    total = sum(counts.values())
    for level in scoring.LEVELS:
        assert counts[level] / total >= 0.05, (level, counts)


def test_every_screening_level_is_the_tool_rescoring_its_answers(front_door):
    screenings = Screening.objects.select_related("tool").prefetch_related("answers")
    assert screenings.count() > 500
    for s in screenings:
        answers = {a.indicator: scoring.Answer(a.state, a.when or "current") for a in s.answers.all()}
        result = scoring.score(s.tool.definition, answers, scoring.Child(s.child_age, s.learning_disability))
        assert result.unanswered_required == ()
        assert (s.scored_level, s.score) == (result.level, result.score)
        assert s.explanation == result.as_dict()
        if not s.judgement_level:
            assert s.level == result.level
        elif level_rank(s.judgement_level) > level_rank(result.level):
            assert s.level == s.judgement_level and s.judgement_reason
        else:
            assert s.approved_by_id not in (None, s.screened_by_id) and s.level == s.judgement_level


def test_return_interview_findings_prefill_later_screenings(front_door):
    prefilled = Screening.objects.filter(answers__prefilled_from__startswith="return-interview:").distinct()
    assert prefilled.exists()
    screening = prefilled.first()
    answer = screening.answers.filter(prefilled_from__startswith="return-interview:").first()
    interview = ReturnInterview.objects.get(pk=int(answer.prefilled_from.split(":")[1]))
    assert interview.episode.person_id == screening.person_id
    assert answer.indicator in interview.indicators_found
    assert interview.held_at < screening.completed_at


def test_a_meeting_every_week_confirmed_in_the_past_and_one_planned_next(front_door):
    screening = Meeting.objects.filter(kind=Meeting.Kind.SCREENING)
    confirmed = list(screening.filter(status=Meeting.Status.CONFIRMED).order_by("starts_at"))
    assert len(confirmed) >= 150
    days = [timezone.localdate(m.starts_at) for m in confirmed]
    assert all(b - a == timedelta(days=7) for a, b in zip(days, days[1:]))
    assert all(m.starts_at <= NOW and m.confirmed_at and m.confirmed_by_id for m in confirmed)
    planned = screening.get(status=Meeting.Status.PLANNED)
    assert NOW < planned.starts_at <= NOW + timedelta(days=7)
    assert planned.chair.email == demo_email("coordinator")
    assert planned.items.exists() and not planned.items.exclude(decision="").exists()


def test_confirmed_meetings_have_a_decision_rationale_and_attendance_on_every_item(front_door):
    items = AgendaItem.objects.filter(meeting__kind=Meeting.Kind.SCREENING, meeting__status=Meeting.Status.CONFIRMED)
    assert items.count() > 300
    assert not items.filter(decision="").exists()
    assert all(item.rationale for item in items)
    for meeting in Meeting.objects.filter(kind=Meeting.Kind.SCREENING, status=Meeting.Status.CONFIRMED)[:40]:
        agencies = {a.agency.type for a in meeting.attendance.select_related("agency")}
        assert {"childrens_social_care", "police"} <= agencies
    decisions = Counter(items.values_list("decision", flat=True))
    assert set(decisions) >= {"nfa", "early_help", "single_agency", "strategy", "panel", "open_case"}
    # Fewer children need a case than are given advice or early help.
    assert decisions["open_case"] < decisions["nfa"] + decisions["early_help"] + decisions["single_agency"]
    for item in items.filter(decision="open_case"):
        assert item.case_id and item.lead_professional_id == item.case.lead_professional_id


def test_every_case_has_its_lead_professional_involved(front_door):
    cases = Case.objects.all()
    assert cases.filter(status=Case.Status.OPEN).exists() and cases.filter(status=Case.Status.CLOSED).exists()
    for case in cases:
        involvements = Involvement.objects.filter(
            person_id=case.person_id, user_id=case.lead_professional_id, kind=Involvement.Kind.LEAD_PROFESSIONAL
        )
        assert involvements.exists(), case
        if case.status == Case.Status.OPEN:
            assert involvements.filter(ended_at__isnull=True).exists()
            assert Person.objects.visible_to(case.lead_professional).filter(pk=case.person_id).exists()
        else:
            assert case.closed_at and case.opened_at < case.closed_at <= NOW
    assert not Case.objects.open().values("person").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_actions_become_tasks_most_done_some_overdue(front_door):
    actions = MeetingAction.objects.filter(item__meeting__status=Meeting.Status.CONFIRMED).select_related("task")
    assert actions.exists() and all(a.task_id and a.task.owner_id == a.owner_id for a in actions)
    past_due = Task.objects.filter(due_date__lt=TODAY)
    done = past_due.filter(status=Task.Status.DONE).count()
    overdue = past_due.filter(status=Task.Status.OPEN).count()
    assert done / past_due.count() > 0.75
    assert overdue > 0
    assert not Task.objects.filter(status=Task.Status.DONE, completed_at__isnull=True).exists()


def test_missing_episodes_repeat_and_return_interviews_are_mostly_offered_within_72_hours(front_door):
    per_child = Counter(MissingEpisode.objects.values_list("person_id", flat=True))
    assert sum(1 for n in per_child.values() if n >= 3) >= 3
    offered = ReturnInterview.objects.filter(offered_at__isnull=False).select_related("episode")
    within = [ri for ri in offered if ri.offered_at - ri.episode.ended_at <= timedelta(hours=72)]
    assert len(within) / offered.count() >= 0.75
    assert len(within) < offered.count(), "some are offered late"
    assert offered.filter(outcome=ReturnInterview.Outcome.DECLINED).exists()
    codes = {i["code"] for i in scoring.indicators(Screening.objects.first().tool.definition)}
    found = [code for ri in offered for code in ri.indicators_found]
    assert found and set(found) <= codes
    assert MissingEpisode.objects.filter(kind=MissingEpisode.Kind.AWAY).exists()


def test_contexts_are_places_in_the_generators_towns_and_some_referrals_are_about_them(front_door):
    towns = {t.name: t for t in data.TOWNS}
    places = Context.objects.filter(kind=Context.Kind.PLACE)
    assert places.exists()
    for place in places:
        town = towns[place.town]
        assert town.south <= place.latitude <= town.north and town.west <= place.longitude <= town.east
    assert Referral.objects.submitted().filter(subject=Referral.Subject.CONTEXT, context__isnull=False).exists()


def test_the_demo_coordinator_has_a_queue_with_urgent_and_overdue_referrals(front_door):
    coordinator = User.objects.get(email=demo_email("coordinator"))
    waiting = Referral.objects.visible_to(coordinator).filter(status=Referral.Status.SUBMITTED)
    assert 10 <= waiting.count() <= 30
    assert waiting.filter(is_urgent=True).exists()
    assert waiting.filter(screen_by__lt=NOW).exists()
    assert not waiting.filter(screenings__isnull=False).exists()


def test_the_demo_practitioner_has_children_tasks_and_a_draft(front_door):
    practitioner = User.objects.get(email=demo_email("practitioner"))
    led = Case.objects.open().filter(lead_professional=practitioner)
    assert led.count() >= 2
    assert all(Person.objects.visible_to(practitioner).filter(pk=c.person_id).exists() for c in led)
    tasks = Task.objects.filter(owner=practitioner, status=Task.Status.OPEN)
    assert tasks.filter(due_date__lt=TODAY).exists() and tasks.filter(due_date__gte=TODAY).exists()
    assert Referral.objects.filter(referrer=practitioner, status=Referral.Status.DRAFT).exists()
    assert 10 <= Person.objects.visible_to(practitioner).count() <= 25


def test_no_real_looking_identifiers_in_what_the_front_door_wrote(front_door):
    phones = set(Referral.objects.exclude(referrer_phone="").values_list("referrer_phone", flat=True))
    assert phones and all(re.fullmatch(r"07700 900\d{3}", p) for p in phones)  # Ofcom's drama range
    texts = [r.what_happened + r.child_words for r in Referral.objects.all()]
    texts += [c.text for item in AgendaItem.objects.all()[:200] for c in item.contributions.all()]
    for value in texts:
        assert not re.search(r"\d{3} ?\d{3} ?\d{4}", value), value  # no NHS-number-like figures
    assert all(user.email.endswith(".example") for user in User.objects.all())
