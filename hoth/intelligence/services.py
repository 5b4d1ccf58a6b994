"""Domain operations on intelligence, subjects and links. Each runs in one
transaction, asks the access gate, and writes its audit event; pages, the
import, the generator's tests and commands all come through here."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Agency, User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.cases.models import MissingEpisode
from hoth.contexts.geography import locate
from hoth.contexts.models import Context
from hoth.people.access import sees_person
from hoth.people.models import Person
from hoth.referrals.models import HarmType, Referral
from hoth.screening.models import Screening

from . import grading
from .models import (
    CONFIDENCE_WEIGHT,
    LINK_DATES_BACKWARDS,
    IntelligenceReport,
    Link,
    LinkAlert,
    LinkType,
    Mention,
    Phone,
    Scheme,
    Subject,
    Vehicle,
)
from .selectors import existing_link

REPORT_FIELDS = (
    "what",
    "happened_on",
    "happened_at_time",
    "where",
    "place",
    "postcode",
    "latitude",
    "longitude",
    "who",
    "about_person",
    "how_known",
    "how_known_detail",
)
SANITISED_REQUIRED = (
    "Write the sanitised version: what partners may be told, without the source or anything that identifies them"
)
CONDITIONS_REQUIRED = "Say what the conditions are for sharing it"
AGENCIES_REQUIRED = "Choose the agencies the conditions let it be shared with"


def _person_ids(*subjects: Subject | None) -> list[int]:
    return [s.person_id for s in subjects if s is not None and s.person_id]


# ------------------------------------------------------------ partner intelligence


@transaction.atomic
def submit_intelligence(
    user: User,
    # The report's fields by name (REPORT_FIELDS): text, dates, a time, numbers and a Person.
    data: dict[str, Any],
    *,
    harm_types: Iterable[HarmType] = (),
    audit: AuditContext | None = None,
) -> IntelligenceReport:
    """A practitioner's intelligence, kept exactly as they gave it. A child it
    is about must be one the submitter may see; it becomes a subject of the
    report (and so visible to analysts)."""
    policy.check(user, "intelligence.submit")
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a report: {sorted(unknown)}")
    person = data.get("about_person")
    if person is not None and not sees_person(user, person):
        raise ValidationError({"about_person": "Enter the reference of a child you work with"})
    if not (data.get("what") or "").strip():
        raise ValidationError({"what": "Say what you saw, heard or found out"})
    if data.get("postcode") and data.get("latitude") is None:
        data = {**data, **dict(zip(("latitude", "longitude"), locate(data["postcode"])))}
    report = IntelligenceReport.objects.create(
        submitted_by=user, submitted_by_agency=user.agency, **{k: v for k, v in data.items() if v is not None}
    )
    report.harm_types.set(harm_types)
    if person is not None:
        # The child it is about enters the intelligence picture, so the
        # analyst grading it can see them and link them.
        Mention.objects.create(report=report, subject=subject_for_person(None, person), added_by=user)
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=report,
        person=person,
        detail={"harm_types": sorted(h.code for h in harm_types)},
    )
    return report


def grading_problems(
    scheme: str,
    source: str,
    intelligence: str,
    handling: str,
    *,
    conditions: str = "",
    shared_with: Iterable[Agency] = (),
    sanitised: str | None = None,
) -> dict[str, str]:
    """{field: message} for a grading the service would refuse (the sanitised
    version too, unless it is None: a form asks for it itself)."""
    problems = grading.problems(scheme, source, intelligence, handling)
    if sanitised is not None and not sanitised.strip():
        problems["sanitised"] = SANITISED_REQUIRED
    if "handling_code" not in problems and grading.sharing(scheme, handling) == "C":
        if not (conditions or "").strip():
            problems["handling_conditions"] = CONDITIONS_REQUIRED
        if not shared_with:
            problems["shared_with"] = AGENCIES_REQUIRED
    return problems


@transaction.atomic
def grade_intelligence(
    user: User,
    report: IntelligenceReport,
    *,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    sanitised: str,
    handling_conditions: str = "",
    shared_with: Iterable[Agency] = (),
    scheme: str = Scheme.NATIONAL,
    audit: AuditContext | None = None,
) -> IntelligenceReport:
    """Grade a report (or grade it again) and give its sanitised version.
    Conditions and the agencies they allow are kept only for handling C."""
    policy.check(user, "intelligence.grade", report)
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    problems = grading_problems(
        scheme,
        source_evaluation,
        intelligence_assessment,
        handling_code,
        conditions=handling_conditions,
        shared_with=shared_with,
        sanitised=sanitised or "",
    )
    if problems:
        raise ValidationError(problems)
    before = report.grading
    conditional = grading.sharing(scheme, handling_code) == "C"
    report.scheme, report.source_evaluation = scheme, source_evaluation
    report.intelligence_assessment, report.handling_code = intelligence_assessment, handling_code
    report.handling_conditions = handling_conditions.strip() if conditional else ""
    report.sanitised = sanitised.strip()
    report.status = IntelligenceReport.Status.GRADED
    report.graded_by, report.graded_at = user, timezone.now()
    report.save()
    report.shared_with.set(shared_with if conditional else [])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=report,
        person=report.about_person_id,
        detail={
            "graded": report.grading,
            "before": before,
            "shared_with": sorted(a.pk for a in shared_with) if conditional else [],
        },
    )
    return report


@transaction.atomic
def add_mention(
    user: User, report: IntelligenceReport, subject: Subject, *, audit: AuditContext | None = None
) -> Mention:
    """Record that a report is about a subject (a person, place, vehicle...)."""
    policy.check(user, "intelligence.grade", report)
    policy.check(user, "subject.view", subject)
    mention, created = Mention.objects.get_or_create(report=report, subject=subject, defaults={"added_by": user})
    if created:
        log.record(
            "update",
            audit=audit,
            user=user,
            obj=report,
            people=_person_ids(subject),
            detail={"mention": subject.reference},
        )
    return mention


# ------------------------------------------------------------ subjects


def _subject(user: User | None, audit: AuditContext | None, **record: Any) -> tuple[Subject, bool]:
    # `record` is one of person=, context=, vehicle= or phone=: the record itself.
    ((field, value),) = record.items()
    subject = Subject.objects.filter(**{field: value}).first()
    if subject is not None:
        return subject, False
    kind = {"person": Subject.Kind.PERSON, "vehicle": Subject.Kind.VEHICLE, "phone": Subject.Kind.PHONE}.get(field)
    if field == "context":
        kind = CONTEXT_KINDS[value.kind]
    assert kind is not None, f"a subject is a person, context, vehicle or phone, not a {field}"
    subject = Subject.objects.create(reference=value.reference, kind=kind, created_by=user, **record)
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=subject,
        person=subject.person_id,
        detail={"kind": kind, "reference": subject.reference},
    )
    return subject, True


CONTEXT_KINDS = {
    "place": Subject.Kind.PLACE,
    "school": Subject.Kind.PLACE,
    "peer_group": Subject.Kind.GROUP,
    "online": Subject.Kind.ONLINE,
}


@transaction.atomic
def subject_for_person(user: User | None, person: Person, *, audit: AuditContext | None = None) -> Subject:
    """The person as a subject of intelligence. They become visible to analysts
    (Person.intelligence_subject), whose work it is to read intelligence about
    them; nobody else's sight changes."""
    if user is not None:
        policy.check(user, "person.view", person)
    subject, created = _subject(user, audit, person=person)
    if not person.intelligence_subject:
        type(person).objects.filter(pk=person.pk).update(intelligence_subject=True)
        person.intelligence_subject = True
    return subject


@transaction.atomic
def subject_for_context(user: User | None, context: Context, *, audit: AuditContext | None = None) -> Subject:
    if user is not None:
        policy.check(user, "context.view", context)
    return _subject(user, audit, context=context)[0]


@transaction.atomic
def record_vehicle(
    user: User,
    *,
    registration: str,
    foreign_plate: bool = False,
    make: str = "",
    model: str = "",
    colour: str = "",
    audit: AuditContext | None = None,
) -> Subject:
    """A vehicle, found again by its registration if already recorded."""
    from hoth.analytics.identifiers import normalise_registration, registration_problem

    policy.check(user, "subject.manage")
    problem = registration_problem(registration, foreign=foreign_plate)
    if problem:
        raise ValidationError({"registration": problem})
    vehicle, created = Vehicle.objects.get_or_create(
        registration=normalise_registration(registration),
        defaults={"foreign_plate": foreign_plate, "make": make, "model": model, "colour": colour, "created_by": user},
    )
    return _subject(user, audit, vehicle=vehicle)[0]


@transaction.atomic
def record_phone(user: User, *, number: str, description: str = "", audit: AuditContext | None = None) -> Subject:
    from hoth.people.search import normalise_phone

    policy.check(user, "subject.manage")
    e164 = normalise_phone(number)
    if not e164:
        raise ValidationError({"number": "Enter a phone number, like 07700 900 982 or +44 808 157 0192"})
    phone, _ = Phone.objects.get_or_create(e164=e164, defaults={"description": description, "created_by": user})
    return _subject(user, audit, phone=phone)[0]


@transaction.atomic
def flag_of_concern(
    user: User, subject: Subject, *, of_concern: bool, concern: str = "", audit: AuditContext | None = None
) -> Subject:
    """Mark a subject as of concern (or no longer), with the reason."""
    policy.check(user, "subject.manage", subject)
    if of_concern and not (concern or "").strip():
        raise ValidationError({"concern": "Say why they are of concern"})
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    subject.of_concern = of_concern
    subject.concern = concern.strip() if of_concern else ""
    subject.flagged_by, subject.flagged_at = user, timezone.now()
    subject.save(update_fields=["of_concern", "concern", "flagged_by", "flagged_at"])
    log.record(
        "update", audit=audit, user=user, obj=subject, person=subject.person_id, detail={"of_concern": of_concern}
    )
    return subject


# ------------------------------------------------------------ links

LINK_TO_ITSELF = "A link joins two different subjects"


def link_problems(
    *,
    source: Subject | None,
    target: Subject | None,
    type: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    scheme: str,
    source_evaluation: str,
    intelligence_assessment: str,
    confidence: str,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if source is not None and target is not None and source.pk == target.pk:
        problems["target"] = LINK_TO_ITSELF
    if type not in LinkType.values:
        problems["type"] = "Choose what kind of link it is"
    if valid_from and valid_to and valid_to < valid_from:
        problems["valid_to"] = LINK_DATES_BACKWARDS
    if confidence not in CONFIDENCE_WEIGHT:
        problems["confidence"] = "Choose how confident you are in the link"
    problems.update(grading.problems(scheme, source_evaluation, intelligence_assessment))
    return problems


def _alert(link: Link, user: User, audit: AuditContext | None) -> LinkAlert | None:
    from .alerts import raise_alert

    return raise_alert(link, user=user, audit=audit)


@transaction.atomic
def record_link(
    user: User,
    *,
    source: Subject,
    target: Subject,
    type: str,
    intelligence: IntelligenceReport | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    confidence: str = "medium",
    role: str = "",
    notes: str = "",
    scheme: str | None = None,
    source_evaluation: str | None = None,
    intelligence_assessment: str | None = None,
    audit: AuditContext | None = None,
) -> tuple[Link, LinkAlert | None]:
    """An analyst's link between two subjects, accepted as it is recorded.
    Graded as the intelligence it rests on unless graded otherwise. Returns
    the link and the alert it raised, if any."""
    policy.check(user, "subject.manage", source)
    policy.check(user, "subject.manage", target)
    if intelligence is not None:
        policy.check(user, "intelligence.view", intelligence)
        scheme = scheme or intelligence.scheme
        source_evaluation = source_evaluation or intelligence.source_evaluation
        intelligence_assessment = intelligence_assessment or intelligence.intelligence_assessment
    scheme = scheme or Scheme.NATIONAL
    problems = link_problems(
        source=source,
        target=target,
        type=type,
        valid_from=valid_from,
        valid_to=valid_to,
        scheme=scheme,
        source_evaluation=source_evaluation or "",
        intelligence_assessment=intelligence_assessment or "",
        confidence=confidence,
    )
    if problems:
        raise ValidationError(problems)
    # link_problems refused a grading without both codes.
    assert source_evaluation is not None and intelligence_assessment is not None
    now = timezone.now()
    link = Link.objects.create(
        source=source,
        target=target,
        type=type,
        role=role,
        intelligence=intelligence,
        valid_from=valid_from,
        valid_to=valid_to,
        confidence=confidence,
        notes=notes,
        scheme=scheme,
        source_evaluation=source_evaluation,
        intelligence_assessment=intelligence_assessment,
        status=Link.Status.ACCEPTED,
        created_by=user,
        decided_by=user,
        decided_at=now,
        changed_at=now,
    )
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=link,
        people=_person_ids(source, target),
        detail={
            "type": type,
            "source": source.reference,
            "target": target.reference,
            "grading": link.grading,
            "intelligence": intelligence.reference if intelligence else None,
        },
    )
    return link, _alert(link, user, audit)


@transaction.atomic
def propose_link(
    *,
    source: Subject,
    target: Subject,
    type: str,
    because: str,
    referral: Referral | None = None,
    missing_episode: MissingEpisode | None = None,
    screening: Screening | None = None,
    valid_from: datetime.date | None = None,
) -> Link | None:
    """The service's own proposal, for an analyst to accept or reject. Not
    proposed again when the same link is already accepted or proposed, or
    was rejected from the same record."""
    if source.pk == target.pk or existing_link(source, target, type) is not None:
        return None
    basis = {"referral": referral, "missing_episode": missing_episode, "screening": screening}
    pair = Q(source=source, target=target) | Q(source=target, target=source)
    if Link.objects.filter(pair, type=type, status=Link.Status.REJECTED, **basis).exists():
        return None
    link = Link.objects.create(
        source=source,
        target=target,
        type=type,
        status=Link.Status.PROPOSED,
        proposed_because=because[:300],
        valid_from=valid_from,
        **basis,
    )
    log.record(
        "create",
        actor="link proposals",
        obj=link,
        people=_person_ids(source, target),
        detail={
            "proposed": True,
            "type": type,
            "source": source.reference,
            "target": target.reference,
            **{k: v.pk for k, v in basis.items() if v is not None},
        },
    )
    return link


@transaction.atomic
def accept_link(
    user: User,
    link: Link,
    *,
    source_evaluation: str,
    intelligence_assessment: str,
    confidence: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    type: str | None = None,
    scheme: str = Scheme.NATIONAL,
    notes: str = "",
    audit: AuditContext | None = None,
) -> tuple[Link, LinkAlert | None]:
    """An analyst accepts a proposed link and grades it. Returns the link and
    the alert it raised, if any."""
    policy.check(user, "link.decide", link)
    link = Link.objects.select_for_update().select_related("source", "target").get(pk=link.pk)
    if link.status != Link.Status.PROPOSED:
        raise ValidationError("This link has already been decided")
    type = type or link.type
    # Left empty, the start is the day the record it was proposed from gives.
    valid_from = valid_from or link.valid_from
    problems = link_problems(
        source=link.source,
        target=link.target,
        type=type,
        valid_from=valid_from,
        valid_to=valid_to,
        scheme=scheme,
        source_evaluation=source_evaluation,
        intelligence_assessment=intelligence_assessment,
        confidence=confidence,
    )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    link.type, link.scheme, link.confidence = type, scheme, confidence
    link.source_evaluation, link.intelligence_assessment = source_evaluation, intelligence_assessment
    link.valid_from, link.valid_to = valid_from, valid_to
    link.notes = notes or link.notes
    link.status, link.decided_by, link.decided_at, link.changed_at = Link.Status.ACCEPTED, user, now, now
    link.save()
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=link,
        people=_person_ids(link.source, link.target),
        detail={"accepted": True, "grading": link.grading, "type": type},
    )
    return link, _alert(link, user, audit)


@transaction.atomic
def reject_link(user: User, link: Link, *, reason: str, audit: AuditContext | None = None) -> Link:
    policy.check(user, "link.decide", link)
    link = Link.objects.select_for_update().get(pk=link.pk)
    if link.status != Link.Status.PROPOSED:
        raise ValidationError("This link has already been decided")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the link is rejected"})
    now = timezone.now()
    link.status, link.decided_by, link.decided_at, link.changed_at = Link.Status.REJECTED, user, now, now
    link.rejection_reason = reason.strip()[:300]
    link.save(update_fields=["status", "decided_by", "decided_at", "changed_at", "rejection_reason"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=link,
        people=_person_ids(link.source, link.target),
        detail={"rejected": True},
    )
    return link


@transaction.atomic
def end_link(user: User, link: Link, *, valid_to: datetime.date, audit: AuditContext | None = None) -> Link:
    """The association has stopped: it stays on record, ending on `valid_to`."""
    policy.check(user, "link.decide", link)
    link = Link.objects.select_for_update().select_related("source", "target").get(pk=link.pk)
    if link.status != Link.Status.ACCEPTED:
        raise ValidationError("Only an accepted link can end")
    if link.valid_from and valid_to < link.valid_from:
        raise ValidationError({"valid_to": LINK_DATES_BACKWARDS})
    link.valid_to, link.changed_at = valid_to, timezone.now()
    link.save(update_fields=["valid_to", "changed_at"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=link,
        people=_person_ids(link.source, link.target),
        detail={"ended": valid_to},
    )
    return link
