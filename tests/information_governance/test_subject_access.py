"""Subject access requests: the deadline, recording and finding the person,
assembling everything held across agencies through the officer's own scope,
third parties and sensitive intelligence redacted by default, the officer's
changes with reasons, the exports, and every step audited. Nobody but the
data protection officer can do any of it."""

import io
import json
from datetime import date, datetime

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hoth.audit.log import record
from hoth.audit.models import AuditEvent
from hoth.cases.models import Case, CaseNote, MissingEpisode
from hoth.disruption import reference as tactics
from hoth.disruption.models import DisruptionActivity, DisruptionPlan, Tactic
from hoth.information_governance import deadlines, selectors, subject_access
from hoth.information_governance.access import subject_access_people, subject_access_records
from hoth.information_governance.models import Redaction, SubjectAccessRequest
from hoth.intelligence import reference as grading
from hoth.intelligence.models import IntelligenceReport, Link, Subject
from hoth.notifications.models import Notification
from hoth.people.models import Address, Alias, Identifier, Person
from hoth.referrals.models import NamedAssociate, Referral

pytestmark = pytest.mark.usefixtures("schedule")


# ---------------------------------------------------------------- the deadline


@pytest.mark.parametrize(
    "received, due",
    [
        (date(2026, 3, 3), date(2026, 4, 3)),  # the same date next month (a Friday)
        (date(2026, 1, 31), date(2026, 3, 2)),  # no 31 February: 28 February, a Saturday, so Monday
        (date(2026, 4, 4), date(2026, 5, 5)),  # 4 May is a bank holiday: the next working day
        (date(2026, 12, 15), date(2027, 1, 15)),  # into the next year
    ],
)
def test_a_request_is_due_one_calendar_month_after_it_arrived_on_a_working_day(received, due):
    assert deadlines.due_on(received, frozenset({date(2026, 5, 4)})) == due


def test_an_extension_gives_two_more_calendar_months():
    assert deadlines.extended_to(date(2026, 3, 3)) == date(2026, 6, 3)
    # 30 November: three months on is 28 February 2026 at the latest, a Saturday.
    assert deadlines.extended_to(date(2025, 11, 30)) == date(2026, 3, 2)


# ---------------------------------------------------------------- a child's record across agencies


@pytest.fixture
def child(users, agencies):
    grading.load()
    tactics.load()
    coordinator, analyst, practitioner = users["coordinator"], users["analyst"], users["practitioner"]
    tyler = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Alias.objects.create(person=tyler, kind="nickname", name="Ty")
    Address.objects.create(person=tyler, line1="14 Acacia Avenue", town="Crewe", postcode="CW1 2AB")
    Identifier.objects.create(person=tyler, scheme="nhs", value="4857773456")
    dean = Person.objects.create(
        given_names="Dean", family_name="Moss", date_of_birth=date(1995, 1, 1), intelligence_subject=True
    )
    jade = Person.objects.create(given_names="Jade", family_name="Pritchard", date_of_birth=date(2010, 9, 1))
    referral = Referral.objects.create(
        person=tyler,
        status="submitted",
        referrer=practitioner,
        referrer_agency=practitioner.agency,
        submitted_at=timezone.now(),
        what_happened="Tyler was seen with Dean Moss at Crewe station",
    )
    NamedAssociate.objects.create(
        referral=referral, kind="person", name="Jade Pritchard", person=jade, details="A friend from school"
    )
    case = Case.objects.create(person=tyler, lead_professional=practitioner, opened_by=coordinator)
    CaseNote.objects.create(
        case=case,
        happened_on=date(2026, 1, 10),
        kind="visit",
        who="Mum and Jade",
        what="Tyler said Dean Moss gave him a phone",
        author=practitioner,
        author_agency=practitioner.agency,
    )
    MissingEpisode.objects.create(
        person=tyler,
        started_at=timezone.make_aware(datetime(2026, 1, 2, 20)),
        ended_at=timezone.make_aware(datetime(2026, 1, 3, 9)),
        who_with="Dean Moss",
        recorded_by=practitioner,
    )
    shared = IntelligenceReport.objects.create(
        about_person=tyler,
        what="Tyler carries a second phone",
        who="Dean Moss",
        how_known="other_person",
        how_known_detail="A neighbour at number 16",
        submitted_by=practitioner,
        submitted_by_agency=practitioner.agency,
        status="graded",
        scheme="3x5x2",
        source_evaluation="2",
        intelligence_assessment="B",
        handling_code="P",
    )
    conditions = IntelligenceReport.objects.create(
        about_person=tyler,
        what="An undercover deployment saw Tyler at the trap house",
        how_known="seen",
        submitted_by=analyst,
        submitted_by_agency=analyst.agency,
        status="graded",
        scheme="3x5x2",
        source_evaluation="1",
        intelligence_assessment="A",
        handling_code="C",
    )
    tyler_subject = Subject.objects.create(reference=tyler.reference, kind="person", person=tyler)
    dean_subject = Subject.objects.create(reference=dean.reference, kind="person", person=dean, of_concern=True)
    Link.objects.create(
        source=dean_subject,
        target=tyler_subject,
        type="seen_with",
        scheme="3x5x2",
        source_evaluation="2",
        intelligence_assessment="B",
        intelligence=shared,
    )
    plan = DisruptionPlan.objects.create(subject=dean_subject, owner=analyst, lead_agency=analyst.agency)
    order = DisruptionActivity.objects.create(
        plan=plan,
        subject=dean_subject,
        tactic=Tactic.objects.get(code="child-abduction-warning-notice"),
        officer=analyst,
        lead_agency=analyst.agency,
        status="in_force",
        granted_on=date(2026, 1, 5),
    )
    order.children.set([tyler])
    Notification.objects.create(
        user=practitioner, subject="Your case was opened under break-glass", url=f"/people/{tyler.reference}/"
    )
    record("view", user=coordinator, obj=tyler)
    return {
        "tyler": tyler,
        "dean": dean,
        "jade": jade,
        "referral": referral,
        "shared": shared,
        "conditions": conditions,
        "case": case,
        "order": order,
    }


def a_request(users, about=None):
    sar = subject_access.record_request(
        users["auditor"],
        requester_name="Tyler Okafor",
        relationship="self",
        requester_contact="tyler@example.org",
        about="Tyler Okafor, born 1 May 2010",
        identity_verified_how="photo_id",
        received_on=date(2026, 3, 3),
    )
    if about is not None:
        subject_access.choose_person(users["auditor"], sar, about)
    return sar


def by_words(sar, words):
    """Words are encrypted, so found in Python, not by the database."""
    (found,) = [r for r in Redaction.objects.filter(request=sar, item_key="") if r.words == words]
    return found


def everything(sar):
    return {item["key"]: (section["key"], item) for section in sar.content["sections"] for item in section["items"]}


def shown_text(sar):
    sections = selectors.redactor(sar).sections(sar.content)
    return " ".join(
        p.get("text", "") for s in sections for i in s.items if i.withheld is None for f in i.fields for p in f.parts
    )


def test_recording_a_request_works_out_its_deadline_and_is_audited(users):
    sar = a_request(users)
    assert sar.reference.startswith("S-") and sar.due_on == date(2026, 4, 3)
    event = AuditEvent.objects.get(action="create", object_id=str(sar.pk))
    assert event.detail["step"] == "recorded" and "Tyler" not in json.dumps(event.detail)


def test_finding_the_person_searches_the_whole_register_and_is_audited_against_the_request(users, child):
    sar = a_request(users)
    # The officer works with nobody: only the purpose-named scope finds Tyler.
    assert not Person.objects.visible_to(users["auditor"]).exists()
    matches = subject_access.find_people(users["auditor"], sar, name="Tyler Okafor")
    assert [m.person for m in matches][:1] == [child["tyler"]]
    search = AuditEvent.objects.get(action="search", object_id=str(sar.pk))
    assert search.detail["request"] == sar.reference and child["tyler"].pk in search.detail["person_ids"]


@pytest.mark.parametrize(
    "role", ["practitioner", "coordinator", "analyst", "panel_chair", "manager", "agency_admin", "system_admin"]
)
def test_nobody_but_the_officer_reads_anything_through_the_subject_access_scopes(users, child, role):
    a_request(users, about=child["tyler"])
    assert SubjectAccessRequest.objects.visible_to(users["auditor"]).exists()
    assert not SubjectAccessRequest.objects.visible_to(users[role]).exists()
    assert not subject_access_people(users[role], Person.objects.all()).exists()
    assert not subject_access_records(users[role], Referral.objects.all()).exists()
    with pytest.raises(PermissionDenied):
        subject_access.record_request(
            users[role],
            requester_name="X",
            relationship="self",
            requester_contact="x",
            about="x",
            identity_verified_how="photo_id",
            received_on=date(2026, 3, 3),
        )


def test_the_assembly_holds_everything_held_about_the_person_across_agencies(users, child):
    sar = a_request(users, about=child["tyler"])
    subject_access.assemble(users["auditor"], sar)
    sar.refresh_from_db()
    items = everything(sar)
    tyler = child["tyler"]
    expected = {
        f"person-{tyler.pk}": "register",
        f"referral-{child['referral'].pk}": "referrals",
        f"case-{child['case'].pk}": "cases",
        f"intelligence-{child['shared'].pk}": "intelligence",
        f"intelligence-{child['conditions'].pk}": "intelligence",
        f"disruption-{child['order'].pk}": "disruption",
        f"access-{tyler.pk}": "access",
    }
    for key, section in expected.items():
        assert items[key][0] == section, key
    kinds = {item["kind"] for _section, item in items.values()}
    assert {"Case note", "Missing episode", "Link", "Message to staff", "Subject"} <= kinds
    assert sar.status == "assembled"
    assembled = AuditEvent.objects.get(action="view", object_id=str(sar.pk), detail__step="assembled")
    assert assembled.person_id == tyler.pk and assembled.detail["counts"]["referrals"] == 1


def test_other_people_are_redacted_by_default_wherever_they_appear(users, child):
    sar = a_request(users, about=child["tyler"])
    subject_access.assemble(users["auditor"], sar)
    sar.refresh_from_db()
    text = shown_text(sar)
    assert "Dean Moss" not in text and "Jade Pritchard" not in text and "Mum and Jade" not in text
    # Tyler's own words about himself stay.
    assert "Tyler said" in text and "gave him a phone" in text and "14 Acacia Avenue" in text
    words = {r.words for r in sar.redactions.filter(item_key="")}
    assert {"Dean Moss", "Jade Pritchard"} <= words
    assert all(r.reason.code == "TP" for r in sar.redactions.filter(item_key=""))


def test_sensitive_intelligence_and_its_sources_are_withheld_with_the_crime_exemption(users, child):
    sar = a_request(users, about=child["tyler"])
    subject_access.assemble(users["auditor"], sar)
    sar.refresh_from_db()
    withheld = sar.redactions.get(item_key=f"intelligence-{child['conditions'].pk}", field_key="")
    assert withheld.reason.code == "CRIME"
    source = sar.redactions.get(item_key=f"intelligence-{child['shared'].pk}", field_key="how_known_detail")
    assert source.reason.code == "CRIME"
    text = shown_text(sar)
    assert "undercover" not in text and "number 16" not in text
    assert "second phone" in text


def test_the_officer_changes_a_redaction_with_a_reason_and_it_is_audited(users, child):
    sar = a_request(users, about=child["tyler"])
    subject_access.assemble(users["auditor"], sar)
    sar.refresh_from_db()
    dean = by_words(sar, "Dean Moss")
    with pytest.raises(ValidationError):
        subject_access.change_redaction(users["auditor"], sar, dean, redact=False, note=" ")
    dean.refresh_from_db()
    assert dean.is_redacted
    subject_access.change_redaction(
        users["auditor"], sar, dean, redact=False, note="Tyler knows his name: it is on the notice served on him"
    )
    text = shown_text(sar)
    assert "seen with Dean Moss at Crewe station" in text
    # Who Tyler was with when missing is a field redacted on its own, and stays so.
    assert "who_with" in {
        f.key
        for s in selectors.redactor(sar).sections(sar.content)
        for i in s.items
        for f in i.fields
        if f.redaction is not None
    }
    event = AuditEvent.objects.get(action="update", object_id=str(sar.pk), detail__step="redaction changed")
    assert event.detail["before"] == {"redacted": True, "reason": "TP"}
    assert event.detail["after"] == {"redacted": False, "reason": ""}
    # Assembling again keeps the officer's change.
    subject_access.assemble(users["auditor"], sar)
    assert not by_words(sar, "Dean Moss").is_redacted


def test_the_exports_apply_the_redactions_and_are_audited_as_exports(users, child, verified_client):
    sar = a_request(users, about=child["tyler"])
    subject_access.assemble(users["auditor"], sar)
    client = verified_client(users["auditor"])
    response = client.get(reverse("subject_access:json", args=[sar.reference]))
    data = json.loads(response.content)
    assert data["format"] == "hoth-subject-access/1" and data["marking"] == "OFFICIAL-SENSITIVE"
    assert data["request"]["subject"] == child["tyler"].reference
    assert "Dean Moss" not in response.content.decode()
    codes = {r["code"] for r in data["redaction_reasons"]}
    assert {"TP", "CRIME"} <= codes
    withheld = [i for s in data["sections"] for i in s["items"] if "withheld" in i]
    assert withheld == [{"withheld": "CRIME"}]
    response = client.get(reverse("subject_access:pdf", args=[sar.reference]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "OFFICIAL-SENSITIVE" in text and "Your subject access request" in text and "Contents" in text
    assert "Dean Moss" not in text and "TP" in text and "CRIME" in text
    assert AuditEvent.objects.filter(action="export", object_id=str(sar.pk)).count() == 2


def test_extending_and_closing_are_recorded_and_a_closed_request_cannot_be_changed(users, child):
    sar = a_request(users, about=child["tyler"])
    subject_access.extend(users["auditor"], sar, reason="Records from five agencies to review")
    assert sar.extended_to == date(2026, 6, 3)
    with pytest.raises(ValidationError):
        subject_access.extend(users["auditor"], sar, reason="Again")
    with pytest.raises(ValidationError) as refused:
        subject_access.close(users["auditor"], sar, outcome="redacted", closed_on=date(2026, 3, 20))
    assert "outcome" in refused.value.message_dict
    subject_access.assemble(users["auditor"], sar)
    subject_access.close(users["auditor"], sar, outcome="redacted", closed_on=date(2026, 3, 20))
    assert SubjectAccessRequest.objects.get(pk=sar.pk).status == "closed"
    with pytest.raises(ValidationError):
        subject_access.assemble(users["auditor"], sar)
    steps = list(
        AuditEvent.objects.filter(object_id=str(sar.pk), object_type__endswith="SubjectAccessRequest").values_list(
            "detail__step", flat=True
        )
    )
    assert steps == ["recorded", "person found", "extended", "assembled", "closed"]


def test_a_request_with_bad_input_shows_the_errors_and_records_nothing(users, verified_client):
    client = verified_client(users["auditor"])
    response = client.post(
        reverse("subject_access:new"),
        {"requester_name": "", "received_on_0": "31", "received_on_1": "2", "received_on_2": "2026"},
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter the name of the person who made the request" in response.content
    assert not SubjectAccessRequest.objects.exists()
