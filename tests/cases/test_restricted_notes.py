"""A note restricted to one agency is read only by that agency's users (and its
author) wherever case notes appear, and appears nowhere else.

Case notes are read in two places, both through CaseNote.objects.visible_to:
the contacts and notes page, and the case page's timeline. The other ways a
child's record leaves the service (the persons API, person search, the
printable plan, the panel's minutes and their PDF) carry no case notes at
all; they are checked here too, for a user of another agency who does see
the child, so that a later change showing notes there cannot skip the gate.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from hoth.accounts.models import Role
from hoth.audit.models import AuditEvent
from hoth.cases import casework
from hoth.cases.models import CaseNote
from hoth.cases.services import open_case
from hoth.cases.timeline import case_timeline
from hoth.panels.minutes import minutes_html
from hoth.panels.models import AgendaItem, Meeting, Section
from hoth.people.models import SharingDecision
from tests.conftest import make_user

SECRET = "COUNCIL-ONLY disclosure about Dee and the flat on Mill Street"
OPEN = "OPEN-TO-TEAM phone call about school attendance"
SHARING = {
    "what": "The case summary and plan",
    "why": "He is seen with older males at the station",
    "lawful_basis": SharingDecision.LawfulBasis.PUBLIC_TASK,
    "consent": SharingDecision.Consent.NOT_SOUGHT,
    "consent_reason": "Asking would alert those exploiting him",
}


@pytest.fixture
def case(child, users):
    """Tyler's case: the council practitioner leads it."""
    return open_case(person=child, lead_professional=users["practitioner"], opened_by=users["coordinator"])


@pytest.fixture
def readers(case, users, agencies):
    """Who reads the case, by agency. The council (agency A) is named on the
    note; police (agency B) and the partnership are not, yet each sees the case."""
    council_colleague = make_user("yw@council.example", agencies["council"], Role.PRACTITIONER, full_name="Yas Council")
    casework.add_member(case, user=users["practitioner"], member=council_colleague, role="Youth worker")
    officer = make_user("pc@police.example", agencies["police"], Role.PRACTITIONER, full_name="PC Dan Hale")
    casework.add_member(
        case, user=users["practitioner"], member=officer, role="Missing persons officer", sharing=SHARING
    )
    police_coordinator = make_user(
        "coord@police.example", agencies["police"], Role.COORDINATOR, full_name="Pat Police-Coordinator"
    )
    # The panel oversees Tyler, so its chair (of the partnership) sees his case.
    panel = Meeting.objects.create(
        kind=Meeting.Kind.PANEL,
        starts_at=timezone.now(),
        location="Delamere House",
        chair=users["panel_chair"],
        created_by=users["panel_chair"],
    )
    AgendaItem.objects.create(
        meeting=panel, section=Section.HIGH, person=case.person, case=case, status=AgendaItem.Status.ACCEPTED
    )
    return {
        "named": {
            "author": users["practitioner"],
            "council colleague": council_colleague,
            "council coordinator": users["coordinator"],
        },
        "not named": {
            "police officer on the team": officer,
            "police coordinator": police_coordinator,
            "panel chair": users["panel_chair"],
        },
        "panel": panel,
    }


@pytest.fixture
def notes(case, users, agencies):
    restricted = casework.add_note(
        case,
        user=users["practitioner"],
        happened_on=timezone.localdate(),
        kind=CaseNote.Kind.VISIT,
        who="Tyler and his mum",
        what=SECRET,
        restricted_to=[agencies["council"]],
    )
    open_note = casework.add_note(
        case,
        user=users["practitioner"],
        happened_on=timezone.localdate(),
        kind=CaseNote.Kind.PHONE,
        who="Tyler's head of year",
        what=OPEN,
    )
    return restricted, open_note


def _pages(case):
    return {
        "contacts and notes": reverse("cases:notes", args=[case.reference]),
        "case page and timeline": reverse("cases:detail", args=[case.reference]),
    }


def test_every_reader_sees_the_case_and_the_open_note(case, readers, notes, verified_client):
    for group in ("named", "not named"):
        for who, user in readers[group].items():
            client = verified_client(user)
            for place, url in _pages(case).items():
                page = client.get(url)
                assert page.status_code == 200, (who, place)
                assert OPEN in page.content.decode(), (who, place)


@pytest.mark.parametrize("place", ["contacts and notes", "case page and timeline"])
def test_a_restricted_note_is_shown_to_the_named_agency_on_every_page_that_shows_notes(
    place, case, readers, notes, verified_client
):
    for who, user in readers["named"].items():
        page = verified_client(user).get(_pages(case)[place]).content.decode()
        assert SECRET in page, who


@pytest.mark.parametrize("place", ["contacts and notes", "case page and timeline"])
def test_a_restricted_note_is_absent_for_other_agencies_on_every_page_that_shows_notes(
    place, case, readers, notes, verified_client
):
    restricted, _ = notes
    for who, user in readers["not named"].items():
        page = verified_client(user).get(_pages(case)[place]).content.decode()
        assert SECRET not in page, who
        assert "Restricted" not in page and "(restricted)" not in page, who
        assert f"note-{restricted.pk}" not in page, who


def test_the_timeline_and_the_scope_agree_with_the_pages(case, readers, notes):
    restricted, open_note = notes
    for who, user in readers["named"].items():
        assert CaseNote.objects.visible_to(user).filter(pk=restricted.pk).exists(), who
        assert any(SECRET in e.description for e in case_timeline(case, user)), who
    for who, user in readers["not named"].items():
        assert list(CaseNote.objects.visible_to(user).filter(case=case)) == [open_note], who
        assert not any(
            SECRET in e.description or e.url.endswith(f"#note-{restricted.pk}") for e in case_timeline(case, user)
        ), who


def test_the_audit_log_records_only_the_notes_each_reader_was_shown(case, readers, notes, verified_client):
    restricted, open_note = notes
    officer = readers["not named"]["police officer on the team"]
    colleague = readers["named"]["council colleague"]
    for user in (officer, colleague):
        verified_client(user).get(_pages(case)["contacts and notes"])
    listed = AuditEvent.objects.filter(action="list", detail__has_key="notes")
    seen = {e.user_id: set(e.detail["notes"]) for e in listed}
    assert seen[officer.pk] == {open_note.pk}
    assert seen[colleague.pk] == {restricted.pk, open_note.pk}


def test_no_other_view_of_the_child_carries_case_notes(case, readers, notes, verified_client):
    """The persons API (detail and search), the person's page and search, the
    printable plan and the panel's minutes (page and the HTML of the PDF) show
    no note, restricted or not, to any reader of another agency."""
    person = case.person
    for who, user in readers["not named"].items():
        client = verified_client(user)
        answers = {
            "persons API detail": client.get(f"/api/v1/persons/{person.reference}/"),
            "persons API search": client.get("/api/v1/persons/", {"name": "Tyler Okafor"}),
            "person page": client.get(reverse("people:detail", args=[person.reference])),
            "printable plan": client.get(reverse("plans:print", args=[case.reference])),
        }
        if user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR):
            answers["panel minutes"] = client.get(f"/meetings/{readers['panel'].pk}/minutes/")
        for place, response in answers.items():
            assert response.status_code == 200, (who, place)
            body = response.content.decode()
            assert SECRET not in body, (who, place)
        if user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR):
            assert SECRET not in minutes_html(readers["panel"], user), who
        # The API answered about the child, so the absence above means something.
        assert person.reference in answers["persons API detail"].content.decode(), who
