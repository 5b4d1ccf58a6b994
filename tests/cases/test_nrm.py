"""National Referral Mechanism referrals: recording, decisions, and flags
when decisions are late against the published targets."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hoth.cases import nrm
from hoth.cases.models import NrmReferral
from hoth.cases.services import open_case
from hoth.cases.timeline import case_timeline
from hoth.working_days import reference as working_days_reference
from tests.cases.test_casework import signed_in

# The target reads the bank holidays (reference data; none unless a test loads them).
pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


@pytest.fixture
def case(child, users):
    return open_case(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])


def referral(**fields):
    values = {
        "referred_on": MONDAY,
        "route": NrmReferral.Route.NATIONAL,
        "rg_decided_on": None,
        "rg_outcome": "",
        "cg_decided_on": None,
        "cg_outcome": "",
    }
    values.update(fields)
    return NrmReferral(**values)


def test_reasonable_grounds_are_due_in_five_working_days_nationally():
    assert nrm.rg_due(MONDAY, "national") == date(2026, 3, 9)  # the following Monday
    assert nrm.rg_due(date(2026, 3, 6), "national") == date(2026, 3, 13)  # a Friday


def test_bank_holidays_are_not_working_days_for_the_reasonable_grounds_target():
    easter = frozenset({date(2026, 4, 3), date(2026, 4, 6)})
    # Referred on the Thursday before Easter: Good Friday and Easter Monday do not count.
    assert nrm.rg_due(date(2026, 4, 2), "national", holidays=easter) == date(2026, 4, 13)
    assert nrm.rg_due(date(2026, 4, 2), "national", holidays=frozenset()) == date(2026, 4, 9)


def test_the_target_reads_the_bank_holidays_from_reference_data():
    working_days_reference.load()
    assert nrm.flags(referral(referred_on=date(2026, 4, 2)), date(2026, 4, 10)).rg_due == date(2026, 4, 13)
    assert not nrm.flags(referral(referred_on=date(2026, 4, 2)), date(2026, 4, 13)).rg_late


def test_devolved_pilots_have_45_days():
    assert nrm.rg_due(MONDAY, "devolved") == MONDAY + timedelta(days=45)


def test_an_awaited_reasonable_grounds_decision_is_late_after_its_target():
    assert not nrm.flags(referral(), date(2026, 3, 9)).rg_late
    assert nrm.flags(referral(), date(2026, 3, 10)).rg_late
    assert not nrm.flags(referral(route="devolved"), date(2026, 3, 10)).rg_late


def test_a_decision_made_after_the_target_stays_flagged_late():
    assert nrm.flags(referral(rg_decided_on=date(2026, 3, 20), rg_outcome="positive"), date(2026, 6, 1)).rg_late


def test_conclusive_grounds_no_sooner_than_30_days_and_flagged_when_long_overdue():
    rg = date(2026, 3, 5)
    soon = nrm.flags(
        referral(rg_decided_on=rg, rg_outcome="positive", cg_decided_on=rg + timedelta(days=10), cg_outcome="positive"),
        date(2026, 6, 1),
    )
    assert soon.cg_too_soon and soon.cg_earliest == rg + timedelta(days=30)
    waiting = referral(rg_decided_on=rg, rg_outcome="positive")
    assert not nrm.flags(waiting, rg + timedelta(days=nrm.CG_LONG_OVERDUE_DAYS)).cg_long_overdue
    assert nrm.flags(waiting, rg + timedelta(days=nrm.CG_LONG_OVERDUE_DAYS + 1)).cg_long_overdue


def test_only_coordinators_record_nrm_referrals(case, users):
    values = {"first_responder": "Cheshire Constabulary", "referred_on": MONDAY, "route": "national"}
    with pytest.raises(PermissionDenied):
        nrm.record(case, user=users["practitioner"], values=values, today=MONDAY)
    saved = nrm.record(case, user=users["coordinator"], values=values, today=MONDAY)
    assert saved.person_id == case.person_id


def test_a_decision_needs_both_its_date_and_outcome_and_comes_after_the_referral(case, users):
    with pytest.raises(ValidationError) as error:
        nrm.record(
            case,
            user=users["coordinator"],
            today=MONDAY + timedelta(days=40),
            values={
                "first_responder": "Police",
                "referred_on": MONDAY,
                "route": "national",
                "rg_decided_on": MONDAY - timedelta(days=1),
                "rg_outcome": "",
                "cg_decided_on": MONDAY + timedelta(days=5),
                "cg_outcome": "",
            },
        )
    assert set(error.value.message_dict) >= {"rg_decided_on", "rg_outcome", "cg_outcome"}
    assert not NrmReferral.objects.exists()


def test_nrm_pages_record_and_update_a_referral_and_show_late_flags(case, users):
    client = signed_in(users["coordinator"])
    response = client.post(
        reverse("cases:nrm-new", args=[case.reference]),
        {
            "first_responder": "Cheshire Constabulary",
            "referred_on_0": "2",
            "referred_on_1": "3",
            "referred_on_2": "2026",
            "route": "national",
        },
    )
    assert response.status_code == 302
    saved = NrmReferral.objects.get()
    page = client.get(reverse("cases:nrm", args=[case.reference])).content.decode()
    assert "Cheshire Constabulary" in page and "Late" in page
    response = client.post(
        reverse("cases:nrm-update", args=[case.reference, saved.pk]),
        {
            "first_responder": "Cheshire Constabulary",
            "referred_on_0": "2",
            "referred_on_1": "3",
            "referred_on_2": "2026",
            "route": "national",
            "rg_decided_on_0": "6",
            "rg_decided_on_1": "3",
            "rg_decided_on_2": "2026",
            "rg_outcome": "positive",
        },
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.rg_outcome == "positive" and saved.rg_decided_on == date(2026, 3, 6)
    titles = [e.title for e in case_timeline(case, users["practitioner"])]
    assert "Reasonable grounds decision: Positive" in titles


def test_the_lead_professional_sees_but_cannot_record_nrm(case, users):
    client = signed_in(users["practitioner"])
    assert client.get(reverse("cases:nrm", args=[case.reference])).status_code == 200
    assert client.get(reverse("cases:nrm-new", args=[case.reference])).status_code == 403
