"""The board's measures, worked out on small records whose answers are
counted here by hand, and the repeated-missing measure against the one rule
the child's record flags with."""

from datetime import datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoth.analytics.kpis.frames import Records, frame
from hoth.analytics.kpis.registry import CALCULATIONS
from hoth.analytics.kpis.series import MONTHLY, QUARTERLY, summarise
from hoth.analytics.missing import repeated_episodes

T = pd.Timestamp
NAT = pd.NaT
AS_OF = T("2026-06-30 12:00")


def figures(name, records, frequency=MONTHLY, first="2026-01-01", last="2026-06-30", **options):
    calculation = CALCULATIONS[name]
    found = summarise(calculation, calculation.units(records), T(first), T(last), frequency, **options)
    return {(row.period, row.group): (row.units, row.numerator, row.value) for row in found.itertuples()}


def child(person, born="2012-05-01", **fields):
    values = {
        "person": person,
        "date_of_birth": T(born) if born else NAT,
        "sex": "F",
        "ethnicity": "WB",
        "send_status": "",
        "has_disability": False,
        "care_status": "",
        "first_language": "English",
        "interpreter_needed": False,
        "town": "Crewe",
    }
    return values | fields


def referral(referral, person, submitted, agency="police", screen_by=None, screened=None):
    submitted = T(submitted)
    screen_by = T(screen_by) if screen_by else submitted + timedelta(days=1)
    return (referral, person, submitted, screen_by, T(screened) if screened else NAT, agency)


def test_a_child_first_identified_at_high_counts_against_early_identification():
    records = Records(
        as_of=AS_OF,
        screenings=frame(
            "screenings",
            [
                (1, 1, T("2026-01-10"), "high"),  # first identified at High
                (2, 1, T("2026-02-10"), "low"),  # later screenings do not count
                (3, 2, T("2026-01-12"), "none"),  # no concern: not identified yet
                (4, 2, T("2026-02-12"), "medium"),  # first identified at Medium
                (5, 3, T("2026-02-20"), "low"),
            ],
        ),
    )
    found = figures("first-identified-below-high", records)
    assert found[("2026-01", "")] == (1, 0, 0)
    assert found[("2026-02", "")] == (2, 2, 100)
    assert found[("2026-03", "")][0] == 0  # a month with nobody is listed, empty


def test_age_at_first_referral_is_the_median_of_whole_years_and_leaves_out_unknown_births():
    records = Records(
        as_of=AS_OF,
        children=frame("children", [child(1, "2012-05-01"), child(2, "2010-05-02"), child(3, born=None)]),
        referrals=frame(
            "referrals",
            [
                referral(10, 1, "2026-05-01"),  # 14 on their birthday
                referral(11, 2, "2026-05-01"),  # 15 the day before their 16th birthday
                referral(12, 1, "2026-06-01"),  # not their first referral
                referral(13, 3, "2026-05-03"),  # no date of birth
            ],
        ),
    )
    assert figures("age-at-first-referral", records)[("2026-05", "")] == (
        2,
        pytest.approx(float("nan"), nan_ok=True),
        14.5,
    )


def test_children_referred_by_agency_type_count_a_child_once_per_type_per_month():
    records = Records(
        as_of=AS_OF,
        referrals=frame(
            "referrals",
            [
                referral(1, 1, "2026-03-02", "education"),
                referral(2, 1, "2026-03-20", "education"),  # the same child again: once
                referral(3, 1, "2026-03-21", "police"),
                referral(4, 2, "2026-03-22", "early_years"),
            ],
        ),
    )
    found = figures(
        "children-referred-by-agency-type", records, groups=["early_years", "education", "health", "police"]
    )
    assert [found[("2026-03", group)][0] for group in ("early_years", "education", "health", "police")] == [1, 1, 0, 1]
    share = figures("referred-by-education", records)
    assert share[("2026-03", "")] == (2, 2, 100)  # both children were referred by education or early years


def test_screening_within_the_standard_leaves_out_clocks_still_running():
    records = Records(
        as_of=T("2026-03-10 12:00"),
        referrals=frame(
            "referrals",
            [
                referral(1, 1, "2026-03-02 09:00", screen_by="2026-03-03 17:00", screened="2026-03-03 16:00"),
                referral(2, 2, "2026-03-02 09:00", screen_by="2026-03-03 17:00", screened="2026-03-04 09:00"),
                referral(3, 3, "2026-03-05 09:00", screen_by="2026-03-06 17:00"),  # not screened, late
                referral(4, 4, "2026-03-10 09:00", screen_by="2026-03-11 17:00"),  # not yet due: left out
                referral(5, 1, "2026-03-06 09:00", screen_by="2026-03-09 17:00", screened="2026-03-09 10:00"),
            ],
        ),
    )
    # Referrals, not children: child 1's two referrals are two pieces of work.
    assert figures("screened-within-standard", records)[("2026-03", "")] == (4, 2, 50)


def test_return_interviews_count_returns_whose_72_hours_have_passed_and_not_those_not_needed():
    back = T("2026-04-01 10:00")
    records = Records(
        as_of=T("2026-04-20"),
        missing=frame(
            "missing",
            [
                (
                    1,
                    1,
                    back - timedelta(days=1),
                    back,
                    "accepted",
                    back + timedelta(hours=20),
                    back + timedelta(hours=70),
                ),
                (2, 2, back - timedelta(days=1), back, "declined", back + timedelta(hours=71), NAT),
                (3, 3, back - timedelta(days=1), back, "pending", NAT, NAT),
                (
                    4,
                    4,
                    back - timedelta(days=1),
                    back,
                    "accepted",
                    back + timedelta(hours=80),
                    back + timedelta(hours=90),
                ),
                (5, 5, back - timedelta(days=1), back, "na", NAT, NAT),  # not needed
                (6, 6, T("2026-04-19"), T("2026-04-19 12:00"), "pending", NAT, NAT),  # 72 hours not yet passed
                (7, 7, T("2026-04-19"), NAT, None, NAT, NAT),  # still missing
            ],
        ),
    )
    assert figures("interview-offered-within-72-hours", records)[("2026-04", "")] == (4, 2, 50)
    assert figures("interview-held-within-72-hours", records)[("2026-04", "")] == (4, 1, 25)


def test_re_referral_counts_a_case_closed_in_the_12_months_before_the_referral():
    records = Records(
        as_of=AS_OF,
        cases=frame("cases", [(1, 1, T("2025-01-01")), (2, 2, T("2024-01-01")), (3, 3, T("2026-01-01"))]),
        closures=frame(
            "closures",
            [
                (1, 1, T("2025-01-01"), T("2025-06-01"), "risk_reduced"),  # 11 months before
                (2, 2, T("2024-01-01"), T("2025-04-01"), "risk_reduced"),  # 14 months before
            ],
        ),
        referrals=frame(
            "referrals",
            [
                referral(1, 1, "2026-05-01"),
                referral(2, 2, "2026-05-02"),
                referral(3, 3, "2026-05-03"),
                referral(4, 4, "2026-05-04"),
            ],
        ),
    )
    assert figures("re-referred-within-12-months", records)[("2026-05", "")] == (4, 1, 25)


def test_high_again_after_stepping_down_counts_only_children_who_came_down_from_high():
    records = Records(
        as_of=AS_OF,
        screenings=frame(
            "screenings",
            [
                (1, 1, T("2026-01-01"), "high"),
                (2, 1, T("2026-02-01"), "medium"),  # stepped down
                (3, 1, T("2026-04-01"), "high"),  # High again: counts
                (4, 2, T("2026-01-01"), "high"),
                (5, 2, T("2026-02-01"), "low"),  # stepped down
                (6, 2, T("2026-04-02"), "low"),  # re-screened, stayed down
                (7, 3, T("2026-01-01"), "medium"),
                (8, 3, T("2026-04-03"), "high"),  # never High before: not in the denominator
            ],
        ),
    )
    found = figures("high-again-after-stepping-down", records)
    assert found[("2026-02", "")] == (0, 0, pytest.approx(float("nan"), nan_ok=True))
    assert found[("2026-04", "")] == (2, 1, 50)


def test_ratings_change_from_the_first_review_and_the_latest_review_in_the_period_stands():
    records = Records(
        as_of=AS_OF,
        reviews=frame(
            "reviews",
            [
                (1, 1, T("2026-01-10"), 3, 4, 2, 50.0),
                (1, 1, T("2026-03-10"), 5, 5, 4, 60.0),
                (1, 1, T("2026-03-30"), 7, 6, 6, 90.0),  # the latest in March stands
                (2, 2, T("2026-02-01"), 6, None, 5, None),
                (2, 2, T("2026-03-01"), 5, None, 5, None),
                (3, 3, T("2026-03-05"), 9, 9, 9, 100.0),  # a first review only: no change yet
            ],
        ),
    )
    assert figures("change-in-feeling-safe", records)[("2026-03", "")][::2] == (2, 1.5)  # (+4 and -1) / 2
    assert figures("change-in-wellbeing", records)[("2026-03", "")][::2] == (1, 2)
    assert figures("change-in-practitioner-rating", records)[("2026-03", "")][::2] == (2, 2)
    assert figures("change-in-school-attendance", records)[("2026-03", "")][::2] == (1, 40)


def test_missing_episodes_change_compares_the_90_days_before_opening_with_the_90_days_before_the_review():
    opened = T("2026-01-01")
    episodes = [opened - timedelta(days=d) for d in (5, 20, 80, 100)]  # three within 90 days before
    episodes += [T("2026-04-15")]  # one within 90 days before the review
    records = Records(
        as_of=AS_OF,
        cases=frame("cases", [(1, 1, opened), (2, 2, opened)]),
        reviews=frame(
            "reviews",
            [
                (1, 1, T("2026-05-01"), 5, 5, 5, None),
                (2, 2, T("2026-02-01"), 5, 5, 5, None),  # within 90 days of opening: left out
            ],
        ),
        missing=frame(
            "missing", [(i, 1, start, start + timedelta(hours=5), "na", NAT, NAT) for i, start in enumerate(episodes)]
        ),
    )
    assert figures("change-in-missing-episodes", records)[("2026-05", "")][::2] == (1, -2)
    assert figures("change-in-missing-episodes", records)[("2026-02", "")][0] == 0


def test_level_at_closure_against_opening_and_closures_by_reason():
    records = Records(
        as_of=AS_OF,
        screenings=frame(
            "screenings",
            [
                (1, 1, T("2026-01-01"), "high"),
                (2, 1, T("2026-03-01"), "low"),
                (3, 2, T("2026-01-01"), "medium"),  # never re-screened: not lower
                (4, 3, T("2026-05-01"), "high"),  # screened only after the case opened: left out
            ],
        ),
        closures=frame(
            "closures",
            [
                (1, 1, T("2026-01-02"), T("2026-04-01"), "risk_reduced"),
                (2, 2, T("2026-01-02"), T("2026-04-02"), "moved"),
                (3, 3, T("2026-01-02"), T("2026-04-03"), "turned_18"),
            ],
        ),
    )
    assert figures("lower-level-at-closure", records)[("2026-04", "")] == (2, 1, 50)
    by_reason = figures("cases-closed-by-reason", records)
    assert {group: by_reason[("2026-04", group)][0] for group in ("moved", "risk_reduced", "turned_18")} == {
        "moved": 1,
        "risk_reduced": 1,
        "turned_18": 1,
    }


def test_quarters_are_financial_and_a_child_counts_once_in_a_quarter():
    records = Records(
        as_of=AS_OF,
        referrals=frame(
            "referrals",
            [
                referral(1, 1, "2026-04-02", "education"),
                referral(2, 1, "2026-05-02", "police"),
                referral(3, 2, "2026-03-31 23:30"),
            ],
        ),
    )
    found = figures("referred-by-education", records, QUARTERLY, first="2026-01-01")
    assert found[("2025-26 Q4", "")] == (1, 0, 0)
    assert found[("2026-27 Q1", "")] == (1, 1, 100)  # child 1 once, counted as referred by education


def test_a_loader_giving_the_wrong_columns_is_refused():
    with pytest.raises(ValueError, match="referrals has columns"):
        Records(as_of=AS_OF, referrals=pd.DataFrame({"person": [1]}))


def test_every_calculation_returns_units_on_empty_records():
    for calculation in CALCULATIONS.values():
        found = calculation.units(Records(as_of=AS_OF))
        assert found.empty, calculation.name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(0, 200 * 24)),  # (child, hours after the start)
        max_size=30,
    )
)
def test_repeatedly_missing_agrees_with_the_flag_on_each_childs_record(episodes):
    start = datetime(2026, 1, 1)
    rows = [(i, person, T(start + timedelta(hours=h)), NAT, None, NAT, NAT) for i, (person, h) in enumerate(episodes)]
    records = Records(as_of=T("2027-01-01"), missing=frame("missing", rows))
    units = CALCULATIONS["repeatedly-missing"].units(records)
    for row in units.itertuples():
        starts = [when for _, person, when, *_ in rows if person == row.person]
        flagged = repeated_episodes([s.to_pydatetime() for s in starts], row.when.to_pydatetime()) is not None
        assert bool(row.value) == flagged


def test_disruption_counts_by_kind_outcome_and_a_civil_orders_stages():
    records = Records(
        as_of=AS_OF,
        activities=frame(
            "activities",
            [
                (1, "civil_order", T("2026-04-02"), T("2026-05-10"), "disrupted", T("2026-06-01")),
                (2, "civil_order", T("2026-04-20"), NAT, "", NAT),  # applied for, not yet granted
                (3, "notice", NAT, T("2026-04-05"), "too_early", T("2026-04-30")),
                (4, "non_legal", NAT, NAT, "", NAT),  # planned only: nothing counted
            ],
        ),
        breaches=frame("breaches", [(1, "civil_order", T("2026-06-10")), (3, "notice", T("2026-06-11"))]),
    )
    quarter = "2026-27 Q1"
    kinds = figures("disruption-by-tactic-kind", records, QUARTERLY, first="2026-04-01")
    assert {g: kinds[(quarter, g)][0] for g in ("civil_order", "notice")} == {"civil_order": 1, "notice": 1}
    outcomes = figures("disruption-outcomes", records, QUARTERLY, first="2026-04-01")
    assert {g: outcomes[(quarter, g)][0] for g in ("disrupted", "too_early")} == {"disrupted": 1, "too_early": 1}
    stages = figures("civil-orders", records, QUARTERLY, first="2026-04-01")
    assert {g: stages[(quarter, g)][0] for g in ("applied for", "granted", "breached")} == {
        "applied for": 2,
        "granted": 1,
        "breached": 1,  # the notice's breach is not a civil order's
    }


def test_intelligence_graded_within_a_week_leaves_out_reports_still_within_it():
    records = Records(
        as_of=T("2026-05-30"),
        reports=frame(
            "reports",
            [
                (1, T("2026-05-01"), T("2026-05-03")),
                (2, T("2026-05-02"), T("2026-05-20")),  # graded late
                (3, T("2026-05-03"), NAT),  # never graded: late
                (4, T("2026-05-28"), NAT),  # within its week still: left out
            ],
        ),
        links=frame(
            "links", [(1, "accepted", T("2026-05-04")), (2, "rejected", T("2026-05-05")), (3, "proposed", NAT)]
        ),
    )
    assert figures("intelligence-graded-within-a-week", records)[("2026-05", "")][:2] == (3, 1)
    assert figures("links-accepted", records)[("2026-05", "")][0] == 1


def test_partnership_attendance_contributions_sharing_and_actions_by_agency_type():
    records = Records(
        as_of=T("2026-05-30"),
        attendance=frame(
            "attendance",
            [
                (1, T("2026-05-05 10:00"), "police", True),
                (1, T("2026-05-05 10:00"), "education", False),
                (2, T("2026-05-12 10:00"), "police", True),
                (2, T("2026-05-12 10:00"), "education", True),
            ],
        ),
        contributions=frame(
            "contributions", [(1, T("2026-05-05 10:00"), "police"), (2, T("2026-05-12 10:00"), "police")]
        ),
        sharing=frame("sharing", [(1, T("2026-05-01"), "consent"), (2, T("2026-05-02"), "public_task")]),
        actions=frame(
            "actions",
            [
                (1, "health", T("2026-05-10"), T("2026-05-10 16:00")),  # done on the day it was due
                (2, "health", T("2026-05-10"), T("2026-05-12 09:00")),  # late
                (3, "health", T("2026-05-11"), NAT),  # overdue
                (4, "health", T("2026-06-10"), NAT),  # not yet due: left out
            ],
        ),
    )
    attendance = figures("meeting-attendance", records, groups=None)
    assert attendance[("2026-05", "education")] == (2, 1, 50) and attendance[("2026-05", "police")] == (2, 2, 100)
    assert figures("meeting-contributions", records)[("2026-05", "police")][0] == 2
    assert figures("sharing-decisions", records)[("2026-05", "consent")][0] == 1
    assert figures("actions-on-time", records)[("2026-05", "health")][:2] == (3, 1)
