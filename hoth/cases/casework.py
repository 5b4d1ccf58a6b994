"""Running a child's case: the team, contacts and notes, the contextual
assessment, changes to the case, closure and reopening.

Every change to the case itself carries the version of the case the user
read (optimistic locking): two people editing at once cannot overwrite each
other; the second is told and shown both versions.
"""

import datetime
from collections.abc import Collection, Iterable, Mapping
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Agency, User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.concurrent_edits import claim
from hoth.contexts.models import Context
from hoth.people.models import Involvement, SharingDecision
from hoth.referrals.models import HarmType

from .models import AssessedContext, Case, CaseMember, CaseNote, CaseStatusChange, ContextKind, ContextualAssessment


@transaction.atomic
def edit_case(
    case: Case,
    *,
    user: User,
    read_version: int,
    lead_professional: User,
    harm_types: Collection[HarmType],
    audit: AuditContext | None = None,
) -> Case:
    policy.check(user, "case.edit", case)
    claim(case, read_version)
    before = case.lead_professional_id
    if lead_professional.pk != before:
        Involvement.objects.filter(
            person=case.person, user_id=before, kind=Involvement.Kind.LEAD_PROFESSIONAL, ended_at__isnull=True
        ).update(ended_at=timezone.now())
        Involvement.objects.get_or_create(
            person=case.person, user=lead_professional, kind=Involvement.Kind.LEAD_PROFESSIONAL, ended_at=None
        )
        Case.objects.filter(pk=case.pk).update(lead_professional=lead_professional)
        case.lead_professional = lead_professional
    case.harm_types.set(harm_types)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=case,
        person=case.person_id,
        detail={"lead_professional": lead_professional.pk, "harm_types": sorted(h.pk for h in harm_types)},
    )
    return case


# ------------------------------------------------------------------ the team

NO_CONSENT_BASIS = "Select the lawful basis for sharing without consent"


def sharing_problems(*, what: str, why: str, lawful_basis: str, consent: str, consent_reason: str) -> dict[str, str]:
    """The same questions and rules as a referral's sharing decision."""
    problems: dict[str, str] = {}
    if not (what or "").strip():
        problems["what"] = "Say what you are sharing with them"
    if not (why or "").strip():
        problems["why"] = "Say why they need to know"
    if consent not in SharingDecision.Consent.values:
        problems["consent"] = "Say whether the child or family agreed to this sharing"
    elif consent == SharingDecision.Consent.GIVEN:
        if lawful_basis and lawful_basis != SharingDecision.LawfulBasis.CONSENT:
            problems["lawful_basis"] = "With consent given, the lawful basis is consent"
    else:
        if (
            lawful_basis not in SharingDecision.LawfulBasis.values
            or lawful_basis == SharingDecision.LawfulBasis.CONSENT
        ):
            problems["lawful_basis"] = NO_CONSENT_BASIS
        if not (consent_reason or "").strip():
            problems["consent_reason"] = (
                "Say why consent was refused and why you are sharing anyway"
                if consent == SharingDecision.Consent.REFUSED
                else "Say why consent was not sought"
            )
    return problems


def needs_sharing_decision(case: Case, member_user: User) -> bool:
    return member_user.agency_id != case.lead_professional.agency_id


@transaction.atomic
def add_member(
    case: Case,
    *,
    user: User,
    member: User,
    role: str,
    sharing: Mapping[str, str] | None = None,
    audit: AuditContext | None = None,
) -> CaseMember:
    """Put `member` on the case team. Someone from another agency than the
    lead professional's needs `sharing` (what, why, lawful_basis, consent,
    consent_reason): it is recorded as a SharingDecision and their
    Involvement points at it."""
    policy.check(user, "case.manage_team", case)
    if not (role or "").strip():
        raise ValidationError({"role": "Say what their role in the case is"})
    if not member.is_active or member.is_service_account:
        raise ValidationError({"member": "Choose someone with an active account"})
    if CaseMember.objects.filter(case=case, user=member, removed_at__isnull=True).exists():
        raise ValidationError({"member": f"{member.full_name} is already on the team"})
    decision = None
    if needs_sharing_decision(case, member):
        sharing = sharing or {}
        problems = sharing_problems(
            **{k: sharing.get(k, "") for k in ("what", "why", "lawful_basis", "consent", "consent_reason")}
        )
        if problems:
            raise ValidationError(problems)
        given = sharing["consent"] == SharingDecision.Consent.GIVEN
        decision = SharingDecision.objects.create(
            person=case.person,
            shared=True,
            shared_with_user=member,
            what=sharing["what"],
            why=sharing["why"],
            lawful_basis=SharingDecision.LawfulBasis.CONSENT if given else sharing["lawful_basis"],
            consent=sharing["consent"],
            consent_not_sought_reason="" if given else sharing["consent_reason"],
            decided_by=user,
        )
    involvement = Involvement.objects.create(
        person=case.person,
        user=member,
        sharing_decision=decision,
        kind=Involvement.Kind.SHARED if decision else Involvement.Kind.TEAM,
    )
    membership = CaseMember.objects.create(
        case=case,
        user=member,
        agency=member.agency,
        role=role.strip(),
        added_by=user,
        sharing_decision=decision,
        involvement=involvement,
    )
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=case,
        person=case.person_id,
        detail={"team_added": member.pk, "sharing_decision": decision.pk if decision else None},
    )
    return membership


@transaction.atomic
def remove_member(membership: CaseMember, *, user: User, audit: AuditContext | None = None) -> CaseMember:
    """Take someone off the team: their sight of the child through this case ends."""
    case = membership.case
    policy.check(user, "case.manage_team", case)
    if membership.removed_at is not None:
        raise ValidationError("They have already left the team.")
    now = timezone.now()
    membership.removed_at, membership.removed_by = now, user
    membership.save(update_fields=["removed_at", "removed_by"])
    if membership.involvement_id:
        Involvement.objects.filter(pk=membership.involvement_id, ended_at__isnull=True).update(ended_at=now)
    log.record(
        "update", audit=audit, user=user, obj=case, person=case.person_id, detail={"team_removed": membership.user_id}
    )
    return membership


# ------------------------------------------------------------------ notes


@transaction.atomic
def add_note(
    case: Case,
    *,
    user: User,
    happened_on: datetime.date | None,
    kind: str,
    who: str,
    what: str,
    restricted_to: Iterable[Agency] = (),
    audit: AuditContext | None = None,
) -> CaseNote:
    policy.check(user, "case_note.add", case)
    problems: dict[str, str] = {}
    if happened_on is None:
        problems["happened_on"] = "Enter the date of the contact"
    elif happened_on > timezone.localdate():
        problems["happened_on"] = "The date of the contact must be today or in the past"
    if kind not in CaseNote.Kind.values:
        problems["kind"] = "Select the type of contact"
    if not (who or "").strip():
        problems["who"] = "Say who was there or spoken to"
    if not (what or "").strip():
        problems["what"] = "Say what happened"
    if problems:
        raise ValidationError(problems)
    assert happened_on is not None  # a missing date is one of the problems above
    agencies = list(restricted_to)
    if agencies and user.agency_id not in {a.pk for a in agencies}:
        # The author's own agency always keeps sight of what they wrote.
        agencies.append(user.agency)
    note = CaseNote.objects.create(
        case=case,
        happened_on=happened_on,
        kind=kind,
        who=who.strip(),
        what=what.strip(),
        is_restricted=bool(agencies),
        author=user,
        author_agency=user.agency,
    )
    note.restricted_to.set(agencies)
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=note,
        person=case.person_id,
        detail={"case": case.pk, "restricted_to": sorted(a.pk for a in agencies)},
    )
    return note


# ------------------------------------------------------------------ assessment


class AssessedEntry(TypedDict, total=False):
    """What the assessment says of one context (family, peers, school...)."""

    strengths: str
    risks: str
    contexts: Iterable[Context]


@transaction.atomic
def save_assessment(
    case: Case,
    *,
    user: User,
    read_version: int,
    entries: Mapping[str, AssessedEntry],
    primary_context: str,
    primary_reason: str,
    audit: AuditContext | None = None,
) -> ContextualAssessment:
    """Write a new version of the contextual assessment. `entries` maps a
    ContextKind to {"strengths", "risks", "contexts": [Context]}."""
    policy.check(user, "case.edit", case)
    problems: dict[str, str] = {}
    if primary_context not in ContextKind.values:
        problems["primary_context"] = "Select the context that must change first for the child to be safer"
    if not (primary_reason or "").strip():
        problems["primary_reason"] = "Say why this context must change first"
    if not any((e.get("strengths") or "").strip() or (e.get("risks") or "").strip() for e in entries.values()):
        problems["family_risks"] = "Describe the strengths or risks in at least one context"
    if problems:
        raise ValidationError(problems)
    claim(case, read_version)
    last = ContextualAssessment.objects.filter(case=case).order_by("-number").values_list("number", flat=True).first()
    assessment = ContextualAssessment.objects.create(
        case=case,
        number=(last or 0) + 1,
        primary_context=primary_context,
        primary_reason=primary_reason.strip(),
        written_by=user,
    )
    for kind in ContextKind.values:
        entry = entries.get(kind) or {}
        row = AssessedContext.objects.create(
            assessment=assessment,
            kind=kind,
            strengths=(entry.get("strengths") or "").strip(),
            risks=(entry.get("risks") or "").strip(),
        )
        row.contexts.set(entry.get("contexts") or ())
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=case,
        person=case.person_id,
        detail={"assessment": assessment.pk, "number": assessment.number},
    )
    return assessment


# ------------------------------------------------------------------ closure


def closure_problems(
    *,
    reason: str,
    outcome_summary: str,
    reason_other: str = "",
    receiving_area: str = "",
    transfer_summary: str = "",
    adult_services_transition: str = "",
) -> dict[str, str]:
    """What a closure for `reason` still lacks, by field: a move needs the
    receiving area and a transfer summary, turning 18 the transition to adult
    services, "other" its reason; every closure an outcome summary."""
    Reason = CaseStatusChange.Reason
    problems: dict[str, str] = {}
    if reason not in Reason.values:
        problems["reason"] = "Select why the case is closing"
    elif reason == Reason.MOVED:
        if not receiving_area.strip():
            problems["receiving_area"] = "Enter the partnership or area the child has moved to"
        if not transfer_summary.strip():
            problems["transfer_summary"] = "Write a transfer summary for the receiving partnership"
    elif reason == Reason.TURNED_18 and not adult_services_transition.strip():
        problems["adult_services_transition"] = "Describe the transition to adult services"
    elif reason == Reason.OTHER and not reason_other.strip():
        problems["reason_other"] = "Say why the case is closing"
    if not (outcome_summary or "").strip():
        problems["outcome_summary"] = "Write an outcome summary"
    return problems


@transaction.atomic
def close_case(
    case: Case,
    *,
    user: User,
    read_version: int,
    reason: str,
    outcome_summary: str,
    reason_other: str = "",
    receiving_area: str = "",
    transfer_summary: str = "",
    adult_services_transition: str = "",
    audit: AuditContext | None = None,
) -> CaseStatusChange:
    policy.check(user, "case.edit", case)
    if case.status != Case.Status.OPEN:
        raise ValidationError("This case is already closed.")
    problems = closure_problems(
        reason=reason,
        outcome_summary=outcome_summary,
        reason_other=reason_other,
        receiving_area=receiving_area,
        transfer_summary=transfer_summary,
        adult_services_transition=adult_services_transition,
    )
    if problems:
        raise ValidationError(problems)
    claim(case, read_version)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=now)
    case.status, case.closed_at = Case.Status.CLOSED, now
    change = CaseStatusChange.objects.create(
        case=case,
        kind=CaseStatusChange.Kind.CLOSED,
        reason=reason,
        reason_other=reason_other.strip(),
        outcome_summary=outcome_summary.strip(),
        receiving_area=receiving_area.strip(),
        transfer_summary=transfer_summary.strip(),
        adult_services_transition=adult_services_transition.strip(),
        by=user,
        at=now,
    )
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=case,
        person=case.person_id,
        detail={"closed": change.pk, "reason": reason},
    )
    return change


@transaction.atomic
def reopen_case(
    case: Case, *, user: User, read_version: int, reason: str, audit: AuditContext | None = None
) -> CaseStatusChange:
    policy.check(user, "case.edit", case)
    if case.status != Case.Status.CLOSED:
        raise ValidationError("This case is open.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the case is being reopened"})
    if Case.objects.open().filter(person_id=case.person_id).exists():
        raise ValidationError("This child already has another open case.")
    claim(case, read_version)
    from .flags import REPEAT_HARM_WINDOW

    # Harm back within a year of closing is repeat harm, flagged on the case.
    repeat = case.repeat_harm or (case.closed_at is not None and timezone.now() - case.closed_at <= REPEAT_HARM_WINDOW)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.OPEN, closed_at=None, repeat_harm=repeat)
    case.status, case.closed_at, case.repeat_harm = Case.Status.OPEN, None, repeat
    change = CaseStatusChange.objects.create(
        case=case, kind=CaseStatusChange.Kind.REOPENED, reopen_reason=reason.strip(), by=user
    )
    log.record("update", audit=audit, user=user, obj=case, person=case.person_id, detail={"reopened": change.pk})
    return change
