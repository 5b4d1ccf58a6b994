"""Referral operations: drafting, submitting, adding information, and the
partner-system path that does it all at once. Each runs in one transaction,
checks the policy and writes one audit event. Views, the API and commands
call these; none of them writes a referral directly.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Role, User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.contexts.models import Context
from hoth.people.models import Involvement, Person, SharingDecision
from hoth.working_days.holidays import bank_holidays

from . import service_standard
from .models import BASES_WITHOUT_CONSENT, OTHER_HARM, HarmType, NamedAssociate, Referral, ReferralAddition

# Each thing a referral must have before it is sent, in the order the
# questions ask them; the keys are the API's field names as well.
REQUIRED_ANSWERS = (
    "subject",
    "person",
    "context",
    "harm_types",
    "harm_other",
    "what_happened",
    "happened_on",
    "immediate_danger",
    "referrer_role",
    "referrer_phone",
    "consent",
    "lawful_basis",
    "consent_reason",
)


class ReferralIncomplete(Exception):
    """A referral cannot be submitted; `problems` maps each field to what is missing."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class AlreadySubmitted(Exception):
    """A submitted referral is never edited or submitted again."""


class IdempotencyMismatch(Exception):
    """An idempotency key sent again with a different referral."""


# ---------------------------------------------------------------- completeness


def problems(referral: Referral) -> dict[str, str]:
    """What stops this referral being sent, field by field, in question order.
    Empty when it is complete. Reads only what the referral holds."""
    found: dict[str, str] = {}
    if referral.subject not in Referral.Subject.values:
        found["subject"] = (
            "Select whether the referral is about a child or about a place, group, school or online space"
        )
    elif referral.subject == Referral.Subject.CHILD and referral.person_id is None:
        found["person"] = "Find or record the child the referral is about"
    elif referral.subject == Referral.Subject.CONTEXT and referral.context_id is None:
        found["context"] = "Find or record the place, group, school or online space the referral is about"
    codes = {h.code for h in referral.harm_types.all()} if referral.pk else set()
    if not codes:
        found["harm_types"] = "Select at least one type of harm you are worried about"
    elif OTHER_HARM in codes and not referral.harm_other.strip():
        found["harm_other"] = "Say what the other harm is"
    if not (referral.what_happened or "").strip():
        found["what_happened"] = "Describe what happened"
    if referral.happened_on and referral.happened_on > timezone.localdate():
        found["happened_on"] = "The date it happened must be today or in the past"
    if referral.immediate_danger is None:
        found["immediate_danger"] = "Say whether anyone is in immediate danger"
    if not referral.referrer_role.strip():
        found["referrer_role"] = "Enter your role"
    if not referral.referrer_phone.strip():
        found["referrer_phone"] = "Enter a phone number the front door can call you on"
    if referral.consent not in Referral.Consent.values:
        found["consent"] = "Say whether the child or family agreed to this referral"
    elif referral.consent != Referral.Consent.GIVEN:
        if referral.lawful_basis not in dict(BASES_WITHOUT_CONSENT):
            found["lawful_basis"] = "Select the lawful basis for sharing without consent"
        if not (referral.consent_reason or "").strip():
            found["consent_reason"] = (
                "Say why consent was refused and why you are sharing anyway"
                if referral.consent == Referral.Consent.REFUSED
                else "Say why consent was not sought"
            )
    return found


# ---------------------------------------------------------------- drafts


def _editable(user, referral):
    if not referral.is_draft:
        raise AlreadySubmitted(f"Referral {referral.reference} has been submitted: add information instead")
    policy.check(user, "referral.edit_draft", referral)


@transaction.atomic
def start_referral(user: User, *, subject: str, audit: AuditContext | None = None) -> Referral:
    """A new draft: the first answer (child or context) saves it."""
    policy.check(user, "referral.create")
    policy.check(user, "referral.edit_draft")
    referral = Referral.objects.create(subject=subject, referrer=user, referrer_agency=user.agency)
    log.record("create", audit=audit, user=user, obj=referral, detail={"draft": True, "subject": subject})
    return referral


# What each question page may change on a draft.
ANSWER_FIELDS = {
    "subject",
    "what_happened",
    "happened_on",
    "child_words",
    "immediate_danger",
    "referrer_role",
    "referrer_phone",
    "consent",
    "lawful_basis",
    "consent_reason",
}


@transaction.atomic
def save_answers(
    user: User,
    referral: Referral,
    *,
    audit: AuditContext | None = None,
    # Any of ANSWER_FIELDS: text, a date and a yes/no, checked by name below.
    **answers: Any,
) -> Referral:
    """Save one page's answers to a draft."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _editable(user, referral)
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise ValueError(f"Not a referral answer: {sorted(unknown)}")
    for field, value in answers.items():
        setattr(referral, field, value)
    if "subject" in answers:
        # A new subject means the child or context chosen before no longer applies.
        if referral.subject == Referral.Subject.CHILD:
            referral.context = None
        else:
            referral.person = None
    if "immediate_danger" in answers:
        referral.is_urgent = bool(referral.immediate_danger)
    if answers.get("consent") == Referral.Consent.GIVEN:
        referral.lawful_basis = ""
    referral.save()
    _audit_draft(user, referral, sorted(answers), audit)
    return referral


def _audit_draft(user, referral, fields, audit):
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=referral,
        person=referral.person_id,
        detail={"draft": True, "fields": list(fields)},
    )


@transaction.atomic
def choose_person(user: User, referral: Referral, person: Person, *, audit: AuditContext | None = None) -> Referral:
    """The child the referral is about: someone this user may see (found by
    search, or just recorded through search-before-create)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _editable(user, referral)
    policy.check(user, "person.view", person)
    referral.subject, referral.person, referral.context = Referral.Subject.CHILD, person, None
    referral.save()
    _audit_draft(user, referral, ["person"], audit)
    return referral


@transaction.atomic
def choose_context(user: User, referral: Referral, context: Context, *, audit: AuditContext | None = None) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _editable(user, referral)
    policy.check(user, "context.view", context)
    referral.subject, referral.context, referral.person = Referral.Subject.CONTEXT, context, None
    referral.save()
    _audit_draft(user, referral, ["context"], audit)
    return referral


@transaction.atomic
def set_harm_types(
    user: User,
    referral: Referral,
    harm_types: Collection[HarmType],
    harm_other: str = "",
    *,
    audit: AuditContext | None = None,
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _editable(user, referral)
    referral.harm_types.set(harm_types)
    referral.harm_other = harm_other if any(h.code == OTHER_HARM for h in harm_types) else ""
    referral.save()
    _audit_draft(user, referral, ["harm_types", "harm_other"], audit)
    return referral


@transaction.atomic
def add_associate(
    user: User,
    referral: Referral,
    *,
    kind: str,
    name: str,
    details: str = "",
    audit: AuditContext | None = None,
) -> NamedAssociate:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _editable(user, referral)
    associate = NamedAssociate.objects.create(referral=referral, kind=kind, name=name, details=details)
    _audit_draft(user, referral, ["associates"], audit)
    return associate


@transaction.atomic
def remove_associate(user: User, referral: Referral, associate_id: int, *, audit: AuditContext | None = None) -> None:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _editable(user, referral)
    NamedAssociate.objects.filter(referral=referral, pk=associate_id).delete()
    _audit_draft(user, referral, ["associates"], audit)


# ---------------------------------------------------------------- submitting


def current_standard() -> service_standard.Standard:
    """The service standard as configured in settings, with the bank holidays."""
    hours, _, minutes = settings.HOTH_WORKING_DAY_ENDS.partition(":")
    return service_standard.Standard(
        working_days=settings.HOTH_SCREENING_WORKING_DAYS,
        urgent_working_days=settings.HOTH_URGENT_SCREENING_WORKING_DAYS,
        day_ends=time(int(hours), int(minutes or 0)),
        holidays=bank_holidays(),
        timezone=settings.TIME_ZONE,
    )


def _record_sharing(user, referral):
    """Record the referrer's decision to share as a people.SharingDecision.

    The information goes to the front door: the coordinators, who see every
    referral by their role. So the decision names no user or team to share
    with; naming a team would also create an Involvement and widen who sees
    the child beyond the front door, which this decision does not intend.
    The referrer's reason stays encrypted on the referral; the decision
    points to it rather than copying free text about a child in clear.
    """
    if referral.person_id is None:
        # A referral about a place or group shares no one person's record.
        return None
    given = referral.consent == Referral.Consent.GIVEN
    basis = SharingDecision.LawfulBasis.CONSENT if given else referral.lawful_basis
    return SharingDecision.objects.create(
        person_id=referral.person_id,
        shared=True,
        what=f"Referral {referral.reference} to the front door: the concern, what happened, the child's words, "
        "named associates and places",
        why=(
            "The child or family agreed to the referral"
            if given
            else f"Shared without consent ({Referral.Consent(referral.consent).label.lower()}) on the basis recorded; "
            f"the referrer's reason is kept with referral {referral.reference}"
        ),
        lawful_basis=basis,
        consent=referral.consent,
        consent_not_sought_reason=(
            f"See referral {referral.reference}" if referral.consent == Referral.Consent.NOT_SOUGHT else ""
        ),
        decided_by=user,
    )


def _keep_sight(user, referral):
    """The referrer keeps sight of the child they referred."""
    if referral.person_id is None:
        return
    now = timezone.now()
    active = Involvement.objects.filter(person_id=referral.person_id, user=user, kind=Involvement.Kind.RAISED).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=now)
    )
    if not active.exists():
        Involvement.objects.create(
            person_id=referral.person_id,
            user=user,
            kind=Involvement.Kind.RAISED,
            sharing_decision=referral.sharing_decision,
        )


def _notify_coordinators(referral):
    from hoth.notifications.services import notify

    url = reverse("referrals:detail", args=[referral.reference])
    coordinators = User.objects.filter(is_active=True, role_assignments__role=Role.COORDINATOR).distinct()
    for coordinator in coordinators:
        # The subject and body name no child: notifications are also emailed.
        notify(
            coordinator,
            "Urgent referral to screen today",
            body=f"Referral {referral.reference} from {referral.referrer_agency} says someone is in immediate "
            f"danger. Screen by {timezone.localtime(referral.screen_by):%-d %B %Y %H:%M}.",
            url=url,
        )


def _submit(user, referral, *, key):
    """Check and send a draft already locked by the caller. No audit: the
    caller writes the one event (a submit, or the API's create)."""
    found = problems(referral)
    if found:
        raise ReferralIncomplete(found)
    now = timezone.now()
    referral.status = Referral.Status.SUBMITTED
    referral.is_urgent = bool(referral.immediate_danger)
    referral.submitted_at = now
    referral.screen_by = service_standard.screen_by(now, urgent=referral.is_urgent, standard=current_standard())
    referral.idempotency_key = key
    referral.sharing_decision = _record_sharing(user, referral)
    referral.save()
    _keep_sight(user, referral)
    if referral.is_urgent:
        _notify_coordinators(referral)
    from hoth.intelligence.proposals import propose_from_referral

    propose_from_referral(referral)
    return referral


@dataclass
class Submitted:
    referral: Referral
    replayed: bool = False


@transaction.atomic
def submit_referral(
    user: User, referral: Referral, *, submission_key: str = "", audit: AuditContext | None = None
) -> Submitted:
    """Send a draft to the front door.

    `submission_key` is the one-time key of the check-your-answers form: a
    double click or a browser retrying the POST sends it again, and finds the
    referral already sent with it (replayed=True) instead of an error or a
    second referral. Incomplete: ReferralIncomplete naming each missing
    answer, and nothing is changed.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_draft:
        if submission_key and referral.idempotency_key == submission_key and referral.referrer_id == user.pk:
            return Submitted(referral, replayed=True)
        raise AlreadySubmitted(f"Referral {referral.reference} has already been submitted")
    policy.check(user, "referral.edit_draft", referral)
    _submit(user, referral, key=submission_key[:80])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=referral,
        person=referral.person_id,
        detail={"submitted": True, "urgent": referral.is_urgent, "sharing_decision": referral.sharing_decision_id},
    )
    return Submitted(referral)


@transaction.atomic
def create_referral(
    user: User,
    # The validated request: instances, lists and answers by name (see below).
    data: Mapping[str, Any],
    *,
    idempotency_key: str = "",
    request_hash: str = "",
    audit: AuditContext | None = None,
) -> Submitted:
    """A partner system's referral, sent complete in one request.

    `data` is validated input: subject, person or context (instances the
    caller may see, or already created in this transaction), harm_types
    (HarmType instances), associates as dicts of kind, name, details, and
    the answers. Completeness is checked by the same problems() as the
    pages. With an idempotency key, the same key again answers with the
    referral first made (replayed), and with a different body is refused.
    """
    policy.check(user, "referral.create")
    if idempotency_key:
        previous = Referral.objects.select_for_update().filter(referrer=user, idempotency_key=idempotency_key).first()
        if previous is not None:
            if previous.idempotency_hash and request_hash and previous.idempotency_hash != request_hash:
                raise IdempotencyMismatch("This Idempotency-Key was used for a different referral. Use a new key.")
            return Submitted(previous, replayed=True)
    referral = Referral(
        referrer=user,
        referrer_agency=user.agency,
        source=Referral.Source.API,
        idempotency_hash=request_hash if idempotency_key else "",
    )
    for field in ANSWER_FIELDS:
        if field in data and data[field] is not None:
            setattr(referral, field, data[field])
    referral.immediate_danger = data.get("immediate_danger")
    referral.person = data.get("person")
    referral.context = data.get("context")
    referral.harm_other = data.get("harm_other", "")
    if referral.consent == Referral.Consent.GIVEN:
        referral.lawful_basis = ""
    referral.save()
    referral.harm_types.set(data.get("harm_types", []))
    NamedAssociate.objects.bulk_create(
        [
            NamedAssociate(referral=referral, kind=a["kind"], name=a["name"], details=a.get("details", ""))
            for a in data.get("associates", [])
        ]
    )
    _submit(user, referral, key=idempotency_key)
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=referral,
        person=referral.person_id,
        detail={
            "submitted": True,
            "via": "api",
            "urgent": referral.is_urgent,
            "sharing_decision": referral.sharing_decision_id,
        },
    )
    return Submitted(referral)


# ---------------------------------------------------------------- after submission


@transaction.atomic
def add_information(
    user: User, referral: Referral, text: str, *, audit: AuditContext | None = None
) -> ReferralAddition:
    """What the referrer (or anyone who may see it) learnt after sending.
    The referral itself never changes."""
    policy.check(user, "referral.add_information", referral)
    text = (text or "").strip()
    if not text:
        raise ReferralIncomplete({"text": "Enter the information you want to add"})
    addition = ReferralAddition.objects.create(referral=referral, text=text, added_by=user, added_by_agency=user.agency)
    log.record(
        "update", audit=audit, user=user, obj=referral, person=referral.person_id, detail={"addition": addition.pk}
    )
    return addition
