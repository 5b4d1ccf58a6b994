"""Subject access requests: the data protection officer's operations.

Recording the request (its deadline worked out), finding its person on the
register, assembling everything held about them (hoth.information_governance.disclosure),
changing redactions, exporting the disclosure, extending the deadline and
closing the request. Each asks the gate (subject_access.manage), runs in one
transaction, refuses bad input with a ValidationError that changes nothing,
and writes one audit event: the request recorded, the search, the person
chosen, the assembly (with what it read), each redaction changed, each
export, each extension and the closure.
"""

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.information_governance.access import subject_access_people
from hoth.people.models import Person
from hoth.people.search import MIN_SCORE, Match, make_terms, score_people
from hoth.working_days.holidays import bank_holidays

from . import deadlines, disclosure
from .models import Redaction, RedactionReason, SubjectAccessRequest
from .redaction import ShownSection, find_item
from .selectors import redactor

ACTION = "subject_access.manage"
AREA = "subject access"


def _audit(action, user, audit, sar, step, *, person=None, **detail):
    return log.record(
        action,
        audit=audit,
        user=user,
        obj=sar,
        person=person or sar.person_id,
        detail={"area": AREA, "request": sar.reference, "step": step, **detail},
    )


def _open(user, sar):
    policy.check(user, ACTION, sar)
    if sar.is_closed:
        raise ValidationError("This request is closed: nothing more can be done with it")


@transaction.atomic
def record_request(
    user: User,
    *,
    requester_name: str,
    relationship: str,
    requester_contact: str,
    about: str,
    identity_verified_how: str,
    identity_details: str = "",
    received_on: datetime.date,
    audit: AuditContext | None = None,
) -> SubjectAccessRequest:
    policy.check(user, ACTION)
    problems = {}
    if received_on and received_on > timezone.localdate():
        problems["received_on"] = "The date received must be today or in the past"
    if identity_verified_how == SubjectAccessRequest.Verification.OTHER and not (identity_details or "").strip():
        problems["identity_details"] = "Say how their identity was checked"
    if problems:
        raise ValidationError(problems)
    sar = SubjectAccessRequest.objects.create(
        requester_name=requester_name.strip(),
        relationship=relationship,
        requester_contact=requester_contact.strip(),
        about=about.strip(),
        identity_verified_how=identity_verified_how,
        identity_details=identity_details.strip(),
        received_on=received_on,
        due_on=deadlines.due_on(received_on, bank_holidays()),
        created_by=user,
    )
    _audit(
        "create",
        user,
        audit,
        sar,
        "recorded",
        received_on=received_on,
        due_on=sar.due_on,
        relationship=relationship,
        identity_verified_how=identity_verified_how,
    )
    return sar


def find_people(
    user: User,
    sar: SubjectAccessRequest,
    *,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    postcode: str = "",
    identifier: str = "",
    phone: str = "",
    audit: AuditContext | None = None,
) -> list[Match]:
    """Everyone on the register who may be the person the request is about,
    best first: the whole register, read through the gate's subject access scope."""
    _open(user, sar)
    terms = make_terms(name=name, date_of_birth=date_of_birth, postcode=postcode, identifier=identifier, phone=phone)
    matches = score_people(subject_access_people(user, Person.objects.all()), terms, min_score=MIN_SCORE, limit=20)
    ids = [m.person.pk for m in matches]
    query = {
        k: (v.isoformat() if isinstance(v, datetime.date) else v)
        for k, v in dict(
            name=name, date_of_birth=date_of_birth, postcode=postcode, identifier=identifier, phone=phone
        ).items()
        if v
    }
    log.record(
        "search",
        audit=audit,
        user=user,
        obj=sar,
        detail={"area": AREA, "request": sar.reference, "step": "search", "query": query, "ids": ids},
        people=ids,
    )
    return matches


@transaction.atomic
def choose_person(
    user: User, sar: SubjectAccessRequest, person: Person, *, audit: AuditContext | None = None
) -> SubjectAccessRequest:
    _open(user, sar)
    if not subject_access_people(user, Person.objects.filter(pk=person.pk)).exists():
        raise ValidationError("Choose someone on the register")
    if sar.person_id and sar.person_id != person.pk and sar.bundle:
        # A new person makes the assembled disclosure someone else's.
        sar.redactions.all().delete()
        sar.bundle, sar.assembled_at, sar.assembled_by = "", None, None
    sar.person = person
    sar.status = SubjectAccessRequest.Status.FOUND
    sar.save()
    _audit("update", user, audit, sar, "person found", person=person)
    return sar


@transaction.atomic
def assemble(user: User, sar: SubjectAccessRequest, *, audit: AuditContext | None = None) -> SubjectAccessRequest:
    """Read everything held about the person and keep it as the request's
    bundle, with the default redactions. Assembling again keeps the
    officer's changes and adds defaults for what is new."""
    _open(user, sar)
    if sar.person_id is None:
        raise ValidationError("Find the person the request is about first")
    content, defaults = disclosure.assemble(user, sar.person)
    reasons = {r.code: r for r in RedactionReason.objects.all()}
    existing = {(r.item_key, r.field_key, r.words.casefold()) for r in sar.redactions.all()}
    # Defaults nobody touched are made afresh; the officer's changes stay.
    sar.redactions.filter(source=Redaction.Source.DEFAULT, changed_by=None).delete()
    kept = {(r.item_key, r.field_key, r.words.casefold()) for r in sar.redactions.all()}
    Redaction.objects.bulk_create(
        [
            Redaction(
                request=sar,
                item_key=d["item_key"],
                field_key=d["field_key"],
                words=d["words"],
                reason=reasons.get(d["reason"]),
                why=d["why"][:200],
            )
            for d in defaults
            if (d["item_key"], d["field_key"], d["words"].casefold()) not in kept
        ]
    )
    sar.bundle = json.dumps(content)
    sar.assembled_at, sar.assembled_by = timezone.now(), user
    sar.status = SubjectAccessRequest.Status.ASSEMBLED
    sar.save()
    counts = {s["key"]: len(s["items"]) for s in content["sections"]}
    _audit(
        "view",
        user,
        audit,
        sar,
        "assembled",
        counts=counts,
        redactions=sar.redactions.count(),
        reassembled=bool(existing),
    )
    return sar


def _reason(code):
    reason = RedactionReason.objects.filter(code=code, is_active=True).first()
    if reason is None:
        raise ValidationError({"reason": "Choose the reason for the redaction"})
    return reason


def _note(note):
    if not (note or "").strip():
        raise ValidationError({"note": "Say why you are making this change"})
    return note.strip()


@transaction.atomic
def change_redaction(
    user: User,
    sar: SubjectAccessRequest,
    redaction: Redaction,
    *,
    redact: bool,
    reason_code: str = "",
    note: str,
    audit: AuditContext | None = None,
) -> Redaction:
    """Release a redaction, or keep it with another reason. Always with a note."""
    _open(user, sar)
    if redaction.request_id != sar.pk:
        raise ValidationError("That redaction belongs to another request")
    note = _note(note)
    reason = _reason(reason_code) if redact else None
    before = {"redacted": redaction.is_redacted, "reason": redaction.reason.code if redaction.reason else ""}
    redaction.is_redacted, redaction.reason = redact, reason if redact else redaction.reason
    redaction.note, redaction.changed_by, redaction.changed_at = note, user, timezone.now()
    redaction.save()
    _audit(
        "update",
        user,
        audit,
        sar,
        "redaction changed",
        redaction=redaction.pk,
        scope=redaction.scope,
        item=redaction.item_key,
        field=redaction.field_key,
        before=before,
        after={"redacted": redact, "reason": reason.code if reason else ""},
    )
    return redaction


@transaction.atomic
def add_redaction(
    user: User,
    sar: SubjectAccessRequest,
    *,
    item_key: str = "",
    field_key: str = "",
    words: str = "",
    reason_code: str,
    note: str,
    audit: AuditContext | None = None,
) -> Redaction:
    """Withhold an item, redact one field, or redact words wherever they appear."""
    _open(user, sar)
    content = sar.content
    if content is None:
        raise ValidationError("Assemble the disclosure first")
    words = " ".join((words or "").split())
    if item_key:
        _section, item = find_item(content, item_key)
        if item is None or (field_key and field_key not in {f["key"] for f in item["fields"]}):
            raise ValidationError("That part of the disclosure does not exist")
    elif len(words) < 2:
        raise ValidationError({"words": "Enter the words to redact"})
    reason, note = _reason(reason_code), _note(note)
    redaction = Redaction.objects.create(
        request=sar,
        item_key=item_key,
        field_key=field_key if item_key else "",
        words="" if item_key else words,
        reason=reason,
        source=Redaction.Source.OFFICER,
        note=note,
        changed_by=user,
        changed_at=timezone.now(),
    )
    _audit(
        "update",
        user,
        audit,
        sar,
        "redaction added",
        redaction=redaction.pk,
        scope=redaction.scope,
        item=item_key,
        field=field_key,
        reason=reason.code,
    )
    return redaction


def export(user: User, sar: SubjectAccessRequest, fmt: str, *, audit: AuditContext | None = None) -> list[ShownSection]:
    """The disclosure as the requester receives it, redactions applied. Audited as an export."""
    policy.check(user, ACTION, sar)
    content = sar.content
    if content is None:
        raise ValidationError("Assemble the disclosure first")
    shown = redactor(sar)
    sections = shown.sections(content)
    _audit(
        "export",
        user,
        audit,
        sar,
        "exported",
        format=fmt,
        items=sum(len(s.items) for s in sections),
        redactions=sum(i.redaction_count for s in sections for i in s.items),
    )
    return sections


@transaction.atomic
def extend(
    user: User, sar: SubjectAccessRequest, *, reason: str, audit: AuditContext | None = None
) -> SubjectAccessRequest:
    """Two more months for a complex or numerous request (Article 12(3)), once."""
    _open(user, sar)
    if sar.extended_to:
        raise ValidationError("The deadline has already been extended")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the request needs more time"})
    sar.extended_to = deadlines.extended_to(sar.received_on, bank_holidays())
    sar.extension_reason = reason.strip()
    sar.save()
    _audit("update", user, audit, sar, "extended", extended_to=sar.extended_to)
    return sar


@transaction.atomic
def close(
    user: User,
    sar: SubjectAccessRequest,
    *,
    outcome: str,
    closed_on: datetime.date,
    note: str = "",
    audit: AuditContext | None = None,
) -> SubjectAccessRequest:
    _open(user, sar)
    problems = {}
    if closed_on and closed_on < sar.received_on:
        problems["closed_on"] = "The date closed must be on or after the date the request was received"
    if closed_on and closed_on > timezone.localdate():
        problems["closed_on"] = "The date closed must be today or in the past"
    if outcome in (SubjectAccessRequest.Outcome.DISCLOSED, SubjectAccessRequest.Outcome.REDACTED) and not sar.bundle:
        problems["outcome"] = "Assemble and send the disclosure before closing it as disclosed"
    if outcome == SubjectAccessRequest.Outcome.REFUSED and not (note or "").strip():
        problems["note"] = "Say why the request was refused"
    if problems:
        raise ValidationError(problems)
    sar.outcome, sar.closed_on, sar.closure_note = outcome, closed_on, (note or "").strip()
    sar.status = SubjectAccessRequest.Status.CLOSED
    sar.save()
    _audit("update", user, audit, sar, "closed", outcome=outcome, closed_on=closed_on, late=closed_on > sar.deadline)
    return sar
