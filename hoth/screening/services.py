"""Screening a child with the exploitation screening tool.

Each function is one transaction: it checks the access policy, changes the
screening and writes one audit event. The level itself comes from the pure
scoring function in hoth.analytics.screening, always with the tool version the
screening started with, so a screening is scored the same way however many
versions are published after it began.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import User
from hoth.analytics import screening as scoring
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.cases.models import ReturnInterview
from hoth.notifications.services import notify
from hoth.people.models import Person
from hoth.referrals.models import Referral

from .models import LEVEL_ORDER, Level, Screening, ScreeningAnswer, ScreeningTool
from .selectors import IN_PROGRESS, answers_for, approvers, child_for, existing_screening, latest_return_interview

RETURN_INTERVIEW = "return-interview"


# ------------------------------------------------------------------ the tool


# The tool's definition is JSON: each domain and indicator a dict of mixed values.
def domains(tool: ScreeningTool) -> list[dict[str, Any]]:
    """The tool's domains in order, each with its indicators."""
    return tool.definition.get("domains", [])


def domain(tool: ScreeningTool, code: str) -> dict[str, Any] | None:
    for item in domains(tool):
        if item["code"] == code:
            return item
    return None


def indicator_index(tool: ScreeningTool) -> dict[str, dict[str, Any]]:
    """Indicator code -> the indicator, with "domain" and "domain_name"."""
    return {item["code"]: item for item in scoring.indicators(tool.definition)}


def level_label(code: str) -> str:
    return Level(code).label if code in Level.values else ""


# ------------------------------------------------------------------ starting


def return_interview_date(interview: ReturnInterview) -> datetime.date | None:
    moment = interview.held_at or interview.episode.ended_at or interview.episode.started_at
    return timezone.localdate(moment) if moment else None


def _prefill(screening):
    """The most recent return home interview's findings become draft answers
    the screener confirms or changes: the child has already told someone."""
    interview = latest_return_interview(screening.person)
    if interview is None or not interview.indicators_found:
        return []
    known = indicator_index(screening.tool)
    day = return_interview_date(interview)
    evidence = (
        f"Found at the return home interview on {day:%-d %B %Y}." if day else "Found at the return home interview."
    )
    answers = [
        ScreeningAnswer(
            screening=screening,
            indicator=code,
            state=ScreeningAnswer.State.PRESENT,
            when=ScreeningAnswer.When.CURRENT,
            source=ScreeningAnswer.Source.RECORD,
            evidence=evidence,
            prefilled_from=f"{RETURN_INTERVIEW}:{interview.pk}",
        )
        for code in dict.fromkeys(interview.indicators_found)
        if code in known
    ]
    ScreeningAnswer.objects.bulk_create(answers)
    return answers


@transaction.atomic
def start_screening(
    *,
    user: User,
    referral: Referral | None = None,
    person: Person | None = None,
    audit: AuditContext | None = None,
) -> tuple[Screening, bool]:
    """Start (or resume) a screening of a submitted referral's child, or a
    re-screen of a child. Returns (screening, started) where started is False
    when an existing screening was returned instead (see existing_screening)."""
    from hoth.cases.models import Case

    if referral is not None:
        # Lock the referral so that two coordinators pressing start together get one screening.
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.is_draft:
            raise ValidationError("This referral has not been submitted yet, so it cannot be screened.")
        if referral.person_id is None:
            raise ValidationError("This referral is about a place or group, not a child: there is no child to screen.")
        person = referral.person
    elif person is not None:
        # The same for a re-screen: one in progress per child, however many press start.
        person = Person.objects.select_for_update().get(pk=person.pk)
    if person is None:
        raise ValueError("start_screening needs a referral or a person")
    policy.check(user, "screening.perform", person)
    existing = existing_screening(referral=referral, person=person)
    if existing is not None:
        return existing, False
    try:
        tool = ScreeningTool.current()
    except ScreeningTool.DoesNotExist:
        raise ValidationError(
            "There is no screening tool in use yet: ask a system administrator to load one."
        ) from None
    screening = Screening.objects.create(
        person=person,
        referral=referral,
        tool=tool,
        screened_by=user,
        screened_by_agency=user.agency,
        case=Case.objects.open().filter(person=person).first(),
        child_age=person.age_on(timezone.localdate()),
        learning_disability=person.has_learning_disability,
    )
    prefilled = _prefill(screening)
    log.record(
        "create",
        audit=audit,
        user=user,
        obj=screening,
        person=person,
        detail={
            "referral": referral.reference if referral else None,
            "tool_version": tool.version,
            "prefilled": [a.indicator for a in prefilled],
        },
    )
    return screening, True


@transaction.atomic
def discard_screening(screening: Screening, *, user: User, audit: AuditContext | None = None) -> None:
    """Throw away a draft nobody will finish, with its answers. The audit log
    keeps that it existed, who threw it away and how many answers it had; the
    referral goes back to waiting for a screening."""
    screening = Screening.objects.select_for_update(of=("self",)).select_related("referral").get(pk=screening.pk)
    if screening.status != Screening.Status.DRAFT:
        raise ValidationError("Only a screening still in progress can be discarded.")
    policy.check(user, "screening.discard", screening)
    log.record(
        "delete",
        audit=audit,
        user=user,
        obj=screening,
        person=screening.person_id,
        detail={
            "referral": screening.referral.reference if screening.referral else None,
            "answers": screening.answers.count(),
            "started_by": screening.screened_by_id,
        },
    )
    screening.delete()


# ------------------------------------------------------------------ answering


def _editable(screening, user):
    if screening.status not in IN_PROGRESS:
        raise ValidationError("This screening has been completed and can no longer be changed.")
    policy.check(user, "screening.perform", screening.person)


@dataclass(frozen=True)
class AnswerData:
    indicator: str
    state: str
    when: str = ""
    evidence: str = ""
    source: str = ""


@transaction.atomic
def save_answers(
    screening: Screening, answers: Iterable[AnswerData], *, user: User, audit: AuditContext | None = None
) -> list[str]:
    """Save one page of answers as a draft. An empty state removes the answer;
    what only matters when an indicator is present is cleared otherwise."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    _editable(screening, user)
    known = indicator_index(screening.tool)
    existing = {a.indicator: a for a in screening.answers.all()}
    changed = []
    for data in answers:
        if data.indicator not in known:
            raise ValidationError(f"{data.indicator} is not an indicator in version {screening.tool.version}")
        current = existing.get(data.indicator)
        if not data.state:
            if current is not None:
                current.delete()
                changed.append(data.indicator)
            continue
        present = data.state == ScreeningAnswer.State.PRESENT
        values = {
            "state": data.state,
            "when": data.when if present else "",
            "evidence": data.evidence.strip() if present else "",
            "source": data.source if present else "",
        }
        if current is None:
            ScreeningAnswer.objects.create(screening=screening, indicator=data.indicator, **values)
            changed.append(data.indicator)
        elif any(getattr(current, k) != v for k, v in values.items()):
            # The hint "from the return home interview" stays only while the answer says what it found.
            if not present:
                current.prefilled_from = ""
            for key, value in values.items():
                setattr(current, key, value)
            current.save()
            changed.append(data.indicator)
    if changed:
        log.record(
            "update",
            audit=audit,
            user=user,
            obj=screening,
            person=screening.person_id,
            detail={"answers": sorted(changed)},
        )
    return changed


@transaction.atomic
def record_judgement(
    screening: Screening, *, user: User, level: str, reason: str, audit: AuditContext | None = None
) -> Screening:
    """Professional judgement, kept apart from the evidence: a different
    level, always with a reason. Empty level: the rules' level stands."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    _editable(screening, user)
    reason = (reason or "").strip()
    if level and level not in Level.values:
        raise ValidationError("Choose a level from the list")
    if level and not reason:
        raise ValidationError("Give the reason for your judgement")
    screening.judgement_level = level or ""
    screening.judgement_reason = reason if level else ""
    screening.save(update_fields=["judgement_level", "judgement_reason"])
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=screening,
        person=screening.person_id,
        detail={"judgement_level": screening.judgement_level},
    )
    return screening


# ------------------------------------------------------------------ scoring


class ScreeningIncomplete(ValidationError):
    """The screening cannot be scored yet; `problems` pairs each unanswered
    required indicator's code with a message naming it."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__([message for _, message in problems])


def unanswered_messages(screening: Screening, codes: Iterable[str]) -> list[tuple[str, str]]:
    known = indicator_index(screening.tool)
    problems = []
    for code in codes:
        item = known.get(code, {})
        text = item.get("text", code)
        where = item.get("domain_name")
        problems.append(
            (
                code,
                f"Answer \u201c{text}\u201d{f' in {where}' if where else ''}: "
                "it must be answered before the screening can be completed",
            )
        )
    return problems


def _mark_referral_screened(screening, at):
    referral = screening.referral
    if referral is None:
        return
    # Only a referral still waiting moves on: one already decided at a meeting keeps its status.
    Referral.objects.filter(pk=referral.pk, status=Referral.Status.SUBMITTED).update(
        status=Referral.Status.SCREENED, screened_at=at
    )


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@transaction.atomic
def complete_screening(screening: Screening, *, user: User, audit: AuditContext | None = None) -> Screening:
    """Score the answers and record the level. Refused, with a message per
    indicator and nothing saved, while a required indicator is unanswered.
    A judgement that lowers the rules' level waits for another coordinator."""
    screening = Screening.objects.select_for_update().select_related("tool", "person").get(pk=screening.pk)
    _editable(screening, user)
    child = child_for(screening)
    result = scoring.score(screening.tool.definition, answers_for(screening), child)
    if result.unanswered_required:
        raise ScreeningIncomplete(unanswered_messages(screening, result.unanswered_required))
    judgement = screening.judgement_level or None
    if judgement == result.level:
        judgement = None
    level, needs_approval = scoring.judged_level(result.level, judgement)
    now = timezone.now()
    screening.screened_by = user
    screening.screened_by_agency = user.agency
    screening.child_age = child.age
    screening.learning_disability = child.learning_disability
    screening.score = result.score
    screening.scored_level = result.level
    screening.explanation = result.as_dict()
    if needs_approval:
        # Until another coordinator agrees, the higher level the rules gave stands.
        screening.status = Screening.Status.AWAITING_APPROVAL
        screening.level = result.level
    else:
        screening.status = Screening.Status.COMPLETE
        screening.level = level
        screening.completed_at = now
        _mark_referral_screened(screening, now)
    screening.save()
    if needs_approval:
        _ask_for_approval(screening, user)
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=screening,
        person=screening.person_id,
        detail={
            "completed": not needs_approval,
            "level": screening.level,
            "scored_level": result.level,
            "judgement_level": screening.judgement_level,
            "tool_version": screening.tool.version,
        },
    )
    # The evidence is final now, whether or not a lower level waits for approval.
    from hoth.intelligence.proposals import propose_from_screening

    propose_from_screening(screening)
    return screening


# ------------------------------------------------------------------ lowering


def _ask_for_approval(screening, screener):
    # The notification names no child: the approval page does, to those allowed to see it.
    url = _url("screening:approve", screening.pk)
    for coordinator in approvers(screening):
        notify(
            coordinator,
            "A lower screening level needs approval",
            body=f"{screener.full_name} judged a screening lower than the rules give. "
            "Until a coordinator approves it, the level from the rules stands.",
            url=url,
        )


def _awaiting(screening, user):
    screening = Screening.objects.select_for_update().select_related("screened_by").get(pk=screening.pk)
    if screening.status != Screening.Status.AWAITING_APPROVAL:
        raise ValidationError("This screening is not waiting for a decision on lowering its level.")
    policy.check(user, "screening.approve_lower_level", screening)
    return screening


@transaction.atomic
def approve_lowering(screening: Screening, *, user: User, audit: AuditContext | None = None) -> Screening:
    """A coordinator other than the screener agrees to the lower level."""
    screening = _awaiting(screening, user)
    now = timezone.now()
    screening.approved_by = user
    screening.approved_at = now
    screening.level = screening.judgement_level
    screening.status = Screening.Status.COMPLETE
    screening.completed_at = now
    _mark_referral_screened(screening, now)
    screening.save()
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=screening,
        person=screening.person_id,
        detail={"lowering": "approved", "level": screening.level},
    )
    notify(
        screening.screened_by,
        "A lower screening level was approved",
        body=f"{user.full_name} agreed to the level you judged for screening {screening.pk}.",
        url=_url("screening:result", screening.pk),
    )
    return screening


@transaction.atomic
def refuse_lowering(screening: Screening, *, user: User, reason: str, audit: AuditContext | None = None) -> Screening:
    """A coordinator other than the screener refuses: the rules' level stands."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for refusing the lower level")
    screening = _awaiting(screening, user)
    now = timezone.now()
    screening.lowering_refused_by = user
    screening.lowering_refused_at = now
    screening.lowering_refusal_reason = reason
    screening.level = screening.scored_level
    screening.status = Screening.Status.COMPLETE
    screening.completed_at = now
    _mark_referral_screened(screening, now)
    screening.save()
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=screening,
        person=screening.person_id,
        detail={"lowering": "refused", "level": screening.level},
    )
    notify(
        screening.screened_by,
        "A lower screening level was refused",
        body=f"{user.full_name} did not agree to lower the level of screening {screening.pk}; "
        "the level the rules gave stands.",
        url=_url("screening:result", screening.pk),
    )
    return screening


def level_rank(code: str) -> int | None:
    return LEVEL_ORDER.index(Level(code)) if code in LEVEL_ORDER else None
