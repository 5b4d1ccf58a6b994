"""What a closed case tells its readers (issue 4): the closure on the case
page, the printable transfer summary for the partnership a child moved to,
and a refused closure showing every problem at once while changing nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from hoth.accounts.models import Role
from hoth.audit.models import AuditEvent
from hoth.cases import casework
from hoth.cases.forms.case import CloseForm
from hoth.cases.models import Case, CaseStatusChange
from hoth.cases.services import open_case
from hoth.contexts.models import Context
from hoth.people.models import Address, Alias, Identifier
from hoth.plans.models import Goal, Plan, PlanAction
from hoth.referrals.models import HarmType
from hoth.screening.models import Screening
from tests.cases.test_casework import SHARING, signed_in
from tests.conftest import make_user

MOVED_TO = "Stoke-on-Trent Safeguarding Children Partnership"
TRANSFER = "Tyler lives with his aunt in Hanley; the older males from Crewe still message him"
OUTCOME = "No missing episodes since March; back in school full time"


@pytest.fixture
def case(child, users):
    opened = open_case(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    opened.harm_types.set([HarmType.objects.create(code="cce", name="Child criminal exploitation", short_name="CCE")])
    return opened


@pytest.fixture
def officer(agencies, case, users):
    """A police officer on the case team: they see the case but do not lead it."""
    officer = make_user("pc@police.example", agencies["police"], Role.PRACTITIONER, full_name="PC Dan Hale")
    casework.add_member(
        case, user=users["practitioner"], member=officer, role="Missing persons officer", sharing=SHARING
    )
    return officer


def _close(case, user, reason="moved", **fields):
    case.refresh_from_db()
    values = {"outcome_summary": OUTCOME}
    if reason == "moved":
        values.update(receiving_area=MOVED_TO, transfer_summary=TRANSFER)
    values.update(fields)
    return casework.close_case(case, user=user, read_version=case.version, reason=reason, **values)


def _page(user, name, case):
    return signed_in(user).get(reverse(name, args=[case.reference]))


# ------------------------------------------------------------------ the case page


def test_everyone_who_sees_the_case_reads_why_it_closed_and_what_was_handed_on(case, users, officer):
    _close(case, users["practitioner"])
    page = _page(officer, "cases:detail", case).content.decode()
    assert '<h2 class="govuk-heading-m" id="closure">Closure</h2>' in page
    for words in (
        "Moved to another area",
        f"by {users['practitioner'].full_name}",
        OUTCOME,
        MOVED_TO,
        "Tyler lives with his aunt in Hanley",
        timezone.localdate().strftime("%-d %B %Y"),
    ):
        assert words in page
    # The printable summary is for whoever hands the child over, not every reader.
    assert reverse("cases:transfer-summary", args=[case.reference]) not in page
    lead_page = _page(users["practitioner"], "cases:detail", case).content.decode()
    assert reverse("cases:transfer-summary", args=[case.reference]) in lead_page


def test_turning_18_shows_the_transition_to_adult_services(case, users):
    _close(
        case,
        users["practitioner"],
        reason="turned_18",
        adult_services_transition="Adult social care's transitions team in Crewe picks him up",
    )
    page = _page(users["practitioner"], "cases:detail", case).content.decode()
    assert "Transition to adult services" in page and "transitions team in Crewe" in page
    assert "Transfer summary" not in page


def test_a_reopened_case_still_shows_its_last_closure_without_a_transfer_to_print(case, users):
    _close(case, users["practitioner"])
    case.refresh_from_db()
    casework.reopen_case(case, user=users["coordinator"], read_version=case.version, reason="Back in Crewe")
    page = _page(users["coordinator"], "cases:detail", case).content.decode()
    assert "When the case was last closed" in page and OUTCOME in page
    assert reverse("cases:transfer-summary", args=[case.reference]) not in page


def test_an_open_case_never_closed_has_no_closure_section(case, users):
    assert 'id="closure"' not in _page(users["practitioner"], "cases:detail", case).content.decode()


# ------------------------------------------------------------------ the transfer summary


def _build_out(case, users, agencies):
    """Identifiers, a screening, two versions of the assessment and a plan."""
    child, lead = case.person, users["practitioner"]
    child.school = agencies["school"]
    child.save()
    Address.objects.create(person=child, line1="4 Nantwich Road", town="Crewe", postcode="CW2 6AA")
    Alias.objects.create(person=child, kind=Alias.Kind.STREET, name="Ty")
    Identifier.objects.create(person=child, scheme=Identifier.Scheme.NHS, value="943 476 5919")
    from hoth.screening.models import ScreeningTool

    tool = ScreeningTool.objects.create(version="t-1", name="Tool", definition={"domains": []}, is_current=True)
    Screening.objects.create(
        person=child,
        tool=tool,
        status=Screening.Status.COMPLETE,
        screened_by=users["coordinator"],
        screened_by_agency=users["coordinator"].agency,
        scored_level="high",
        level="high",
        completed_at=timezone.now() - timedelta(days=40),
    )
    station = Context.objects.create(kind="place", name="Crewe station", created_by=lead)
    casework.save_assessment(
        case,
        user=lead,
        read_version=case.version,
        primary_context="neighbourhood",
        primary_reason="EARLIER-REASON",
        entries={"family": {"risks": "EARLIER-RISK"}},
    )
    casework.save_assessment(
        case,
        user=lead,
        read_version=case.version,
        primary_context="peers",
        primary_reason="Older males recruit him at the station",
        entries={
            "peers": {"risks": "Group of older boys from Crewe", "contexts": [station]},
            "school": {"strengths": "Form tutor he trusts"},
        },
    )
    plan = Plan.objects.create(case=case, version=1, updated_by=lead)
    Goal.objects.create(plan=plan, text="Tyler is safe travelling to school")
    PlanAction.objects.create(
        plan=plan,
        what="Travel training with the youth worker",
        owner=lead,
        agency=lead.agency,
        due_date=date.today() + timedelta(days=14),
    )
    PlanAction.objects.create(
        plan=plan,
        what="CANCELLED-ACTION",
        owner=lead,
        agency=lead.agency,
        due_date=date.today(),
        status=PlanAction.Status.CANCELLED,
    )


def test_transfer_summary_gives_the_receiving_partnership_what_it_needs(case, users, agencies):
    _build_out(case, users, agencies)
    closure = _close(case, users["practitioner"])
    response = _page(users["practitioner"], "cases:transfer-summary", case)
    assert response.status_code == 200
    page = response.content.decode()
    lead = users["practitioner"]
    for words in (
        f"Transfer summary for {MOVED_TO}",
        # Who the child is.
        "Tyler Okafor",
        "1 May 2010",
        "Ty (street name)",
        "4 Nantwich Road, Crewe, CW2 6AA",
        "NHS number: 943 476 5919",
        "Crewe High School",
        case.person.reference,
        case.reference,
        # The harm, its level and when it was screened.
        "Child criminal exploitation",
        "High (significant), screened",
        (timezone.localdate() - timedelta(days=40)).strftime("%-d %B %Y"),
        # Whom to call.
        lead.full_name,
        lead.agency.name,
        lead.email,
        # The latest assessment's contexts of concern.
        "Older males recruit him at the station",
        "Group of older boys from Crewe",
        "Crewe station (a place)",
        # The plan.
        "Tyler is safe travelling to school",
        "Travel training with the youth worker",
        # What the lead professional wrote for them.
        "Tyler lives with his aunt in Hanley",
        OUTCOME,
    ):
        assert escape(words) in page, words
    for stale in ("EARLIER-REASON", "EARLIER-RISK", "CANCELLED-ACTION"):
        assert stale not in page
    assert "cases/transfer-summary.css" in page
    [event] = AuditEvent.objects.filter(action="print")
    assert (event.user_id, event.person_id, event.object_id) == (lead.pk, case.person_id, str(case.pk))
    assert event.detail == {"page": "transfer summary", "closure": closure.pk}


def test_transfer_summary_of_a_case_without_assessment_or_plan_says_so(case, users):
    _close(case, users["coordinator"])
    page = _page(users["coordinator"], "cases:transfer-summary", case).content.decode()
    assert "No contextual assessment was written." in page and "The case had no safety and support plan." in page
    assert "Not screened" in page


@pytest.mark.parametrize("how", ["open", "risk_reduced", "moved_then_reopened"])
def test_only_a_case_closed_because_the_child_moved_has_a_transfer_summary(case, users, how):
    if how == "risk_reduced":
        _close(case, users["practitioner"], reason="risk_reduced")
    elif how == "moved_then_reopened":
        _close(case, users["practitioner"])
        case.refresh_from_db()
        casework.reopen_case(case, user=users["coordinator"], read_version=case.version, reason="Back in Crewe")
    assert _page(users["coordinator"], "cases:transfer-summary", case).status_code == 404
    assert not AuditEvent.objects.filter(action="print").exists()


def test_a_team_member_who_does_not_lead_the_case_cannot_print_the_transfer(case, users, officer):
    _close(case, users["practitioner"])
    assert _page(officer, "cases:transfer-summary", case).status_code == 403
    assert not AuditEvent.objects.filter(action="print").exists()


# ------------------------------------------------------------------ a refused closure


def test_a_refused_closure_shows_every_problem_at_once_and_changes_nothing(case, users):
    version = Case.objects.get(pk=case.pk).version
    response = signed_in(users["practitioner"]).post(
        reverse("cases:close", args=[case.reference]), {"version": version, "reason": "moved"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "receiving_area": ["Enter the partnership or area the child has moved to"],
        "transfer_summary": ["Write a transfer summary for the receiving partnership"],
        "outcome_summary": ["Write an outcome summary"],
    }
    # One error summary, above the form, in the order of the questions.
    page = response.content.decode()
    assert page.count('class="govuk-error-summary"') == 1
    start = page.index('class="govuk-error-summary"')
    summary = page[start : page.index("</ul>", start)]
    order = [summary.index(m) for m in ("Enter the partnership", "Write a transfer", "Write an outcome")]
    assert order == sorted(order)
    unchanged = Case.objects.get(pk=case.pk)
    assert (unchanged.status, unchanged.closed_at, unchanged.version) == (Case.Status.OPEN, None, version)
    assert not CaseStatusChange.objects.exists()


@pytest.mark.parametrize(
    "reason, fields",
    [
        ("moved", {}),
        ("moved", {"receiving_area": MOVED_TO}),
        ("turned_18", {}),
        ("other", {}),
        ("risk_reduced", {}),
        ("moved", {"receiving_area": MOVED_TO, "transfer_summary": TRANSFER}),
    ],
)
def test_the_close_form_asks_what_the_service_asks_in_the_same_words(case, users, reason, fields):
    data = {"version": case.version, "reason": reason, "outcome_summary": OUTCOME, **fields}
    form = CloseForm(data)
    form.is_valid()
    try:
        casework.close_case(
            case,
            user=users["practitioner"],
            read_version=case.version,
            reason=reason,
            outcome_summary=OUTCOME,
            **fields,
        )
        service = {}
    except ValidationError as error:
        service = {name: messages for name, messages in error.message_dict.items()}
    assert form.errors == service
