"""National Referral Mechanism referrals of child victims of modern slavery,
and whether their decisions are late against the published targets."""

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.working_days.counting import add_working_days
from hoth.working_days.holidays import bank_holidays

from .models import Case, NrmReferral

# Targets from /work/shared/reference/domain.md ("National Referral Mechanism"):
# the Reasonable Grounds decision is due within 5 working days of referral
# (45 days in the devolved child decision-making pilots); the Conclusive
# Grounds decision comes no sooner than 30 days after the Reasonable Grounds one.
RG_TARGET_WORKING_DAYS = 5
RG_TARGET_DEVOLVED_DAYS = 45
CG_EARLIEST_DAYS_AFTER_RG = 30
# No published target for the Conclusive Grounds decision; a partnership
# chases one still awaited this long after a positive RG decision.
CG_LONG_OVERDUE_DAYS = 180


def rg_due(referred_on: date, route: str, holidays: Set[date] | None = None) -> date:
    if route == NrmReferral.Route.DEVOLVED:
        return referred_on + timedelta(days=RG_TARGET_DEVOLVED_DAYS)
    return add_working_days(referred_on, RG_TARGET_WORKING_DAYS, bank_holidays() if holidays is None else holidays)


@dataclass(frozen=True)
class NrmFlags:
    rg_due: date
    rg_late: bool
    cg_earliest: date | None
    cg_long_overdue: bool
    cg_too_soon: bool

    @property
    def any(self) -> bool:
        return self.rg_late or self.cg_long_overdue or self.cg_too_soon


def flags(referral: NrmReferral, today: date) -> NrmFlags:
    due = rg_due(referral.referred_on, referral.route)
    decided = referral.rg_decided_on
    rg_late = (decided or today) > due
    earliest = decided + timedelta(days=CG_EARLIEST_DAYS_AFTER_RG) if decided else None
    awaiting_cg = (
        decided is not None and referral.rg_outcome == NrmReferral.Outcome.POSITIVE and not referral.cg_decided_on
    )
    long_overdue = decided is not None and awaiting_cg and (today - decided).days > CG_LONG_OVERDUE_DAYS
    too_soon = bool(earliest and referral.cg_decided_on and referral.cg_decided_on < earliest)
    return NrmFlags(due, rg_late, earliest, long_overdue, too_soon)


FIELDS = ("first_responder", "referred_on", "route", "rg_decided_on", "rg_outcome", "cg_decided_on", "cg_outcome")


# The referral's fields by name, as the form cleans them: text and dates.
def problems(values: Mapping[str, Any], today: date) -> dict[str, str]:
    found: dict[str, str] = {}
    if not (values.get("first_responder") or "").strip():
        found["first_responder"] = "Enter the first responder organisation"
    referred = values.get("referred_on")
    if referred is None:
        found["referred_on"] = "Enter the date of the referral"
    elif referred > today:
        found["referred_on"] = "The date of the referral must be today or in the past"
    if values.get("route") not in NrmReferral.Route.values:
        found["route"] = "Select who makes the decisions"
    for prefix, words in (("rg", "reasonable grounds"), ("cg", "conclusive grounds")):
        day, outcome = values.get(f"{prefix}_decided_on"), values.get(f"{prefix}_outcome")
        if day and not outcome:
            found[f"{prefix}_outcome"] = f"Select the {words} decision"
        if outcome and not day:
            found[f"{prefix}_decided_on"] = f"Enter the date of the {words} decision"
        if day and day > today:
            found[f"{prefix}_decided_on"] = f"The date of the {words} decision must be today or in the past"
        elif day and referred and day < referred:
            found[f"{prefix}_decided_on"] = f"The {words} decision must be on or after the referral"
    if values.get("cg_decided_on") and not values.get("rg_decided_on"):
        found["cg_decided_on"] = "Record the reasonable grounds decision before the conclusive grounds decision"
    elif values.get("cg_decided_on") and values.get("rg_outcome") == NrmReferral.Outcome.NEGATIVE:
        found["cg_outcome"] = "A negative reasonable grounds decision has no conclusive grounds decision"
    return found


@transaction.atomic
def record(
    case: Case,
    *,
    user: User,
    values: Mapping[str, Any],
    today: date,
    referral: NrmReferral | None = None,
    audit: AuditContext | None = None,
) -> NrmReferral:
    """Record an NRM referral for the case, or update one with its decisions."""
    policy.check(user, "nrm.record", case)
    found = problems(values, today)
    if found:
        raise ValidationError(found)
    if referral is None:
        referral = NrmReferral(case=case, person_id=case.person_id, recorded_by=user)
    for name in FIELDS:
        value = values.get(name)
        setattr(referral, name, value.strip() if isinstance(value, str) else value)
    referral.rg_outcome = referral.rg_outcome or ""
    referral.cg_outcome = referral.cg_outcome or ""
    created = referral.pk is None
    referral.save()
    log.record(
        "create" if created else "update",
        audit=audit,
        user=user,
        obj=referral,
        person=case.person_id,
        detail={"case": case.pk},
    )
    return referral
