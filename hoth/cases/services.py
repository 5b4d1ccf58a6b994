"""Opening a child's case, and recording missing episodes and return home
interviews. The Protect work (issue 4) adds plans, reviews and closure here."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Agency, User
from hoth.analytics.missing import RETURN_INTERVIEW_WINDOW
from hoth.audit import log
from hoth.audit.context import AuditContext
from hoth.people.models import Involvement, Person
from hoth.referrals.models import HarmType

from .models import Case, MissingEpisode, ReturnInterview
from .selectors import current_tool_indicators, lead_professional_for


@transaction.atomic
def open_case(
    *,
    person: Person,
    lead_professional: User,
    opened_by: User,
    harm_types: Iterable[HarmType] = (),
    audit: AuditContext | None = None,
) -> Case:
    """Open a harm-outside-the-home case with a named lead professional, who is
    from now on involved with the child (and so sees the record). A child has
    at most one open case: opening another returns a clear error."""
    policy.check(opened_by, "case.open", person)
    if Case.objects.open().filter(person=person).exists():
        raise ValidationError("This child already has an open case.", code="already_open")
    from .flags import closed_recently

    case = Case.objects.create(
        person=person,
        lead_professional=lead_professional,
        opened_by=opened_by,
        repeat_harm=closed_recently(person) is not None,
    )
    case.harm_types.set(harm_types)
    Involvement.objects.get_or_create(
        person=person, user=lead_professional, kind=Involvement.Kind.LEAD_PROFESSIONAL, ended_at=None
    )
    log.record(
        "create",
        audit=audit,
        user=opened_by,
        obj=case,
        person=person,
        detail={"lead_professional": lead_professional.pk},
    )
    return case


@transaction.atomic
def open_case_directly(
    *,
    person: Person,
    lead_professional: User,
    opened_by: User,
    harm_types: Iterable[HarmType] = (),
    audit: AuditContext | None = None,
) -> Case:
    """A coordinator opens a case outside a meeting: open it, and tell the
    lead professional (a meeting's decision tells them through its actions)."""
    from hoth.notifications.services import notify

    case = open_case(
        person=person, lead_professional=lead_professional, opened_by=opened_by, harm_types=harm_types, audit=audit
    )
    try:
        url = reverse("cases:detail", args=[case.reference])
    except NoReverseMatch:
        url = ""
    notify(
        lead_professional,
        "You are the lead professional for a new case",
        f"Case {case.reference} was opened by {opened_by.full_name}.",
        url,
    )
    return case


# ------------------------------------------------------------ missing episodes

START_IN_FUTURE = "The date and time they went missing must be in the past"
END_IN_FUTURE = "The date and time they came back must be in the past"
END_BEFORE_START = "The date and time they came back must be after the date and time they went missing"
OFFER_IN_FUTURE = "The date and time the interview was offered must be in the past"
OFFER_BEFORE_RETURN = "The interview must have been offered after they came back"
HELD_IN_FUTURE = "The date and time of the interview must be in the past"
HELD_BEFORE_OFFER = "The interview must have been held after it was offered"
OFFER_MISSING = "Enter the date and time the interview was offered"
UNKNOWN_INDICATOR = "Choose indicators from the current screening tool"

EPISODE_FIELDS = (
    "kind",
    "reported_by",
    "reported_by_agency",
    "police_reference",
    "where_found",
    "found_postcode",
    "found_out_of_area",
    "who_with",
    "condition_on_return",
    "notes",
)
RETURN_FIELDS = ("where_found", "found_postcode", "found_out_of_area", "who_with", "condition_on_return")


def episode_problems(
    started_at: datetime.datetime | None, ended_at: datetime.datetime | None, now: datetime.datetime
) -> dict[str, str]:
    """What is wrong with an episode's times, as {field: message}. Forms show
    these; the services refuse the same, so the API and commands agree."""
    problems: dict[str, str] = {}
    if started_at is not None and started_at > now:
        problems["started_at"] = START_IN_FUTURE
    if ended_at is not None:
        if ended_at > now:
            problems["ended_at"] = END_IN_FUTURE
        elif started_at is not None and ended_at < started_at:
            problems["ended_at"] = END_BEFORE_START
    return problems


def interview_problems(
    returned_at: datetime.datetime | None,
    offered_at: datetime.datetime | None,
    held_at: datetime.datetime | None,
    now: datetime.datetime,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if offered_at is not None:
        if offered_at > now:
            problems["offered_at"] = OFFER_IN_FUTURE
        elif returned_at is not None and offered_at < returned_at:
            problems["offered_at"] = OFFER_BEFORE_RETURN
    if held_at is not None:
        if held_at > now:
            problems["held_at"] = HELD_IN_FUTURE
        elif offered_at is not None and held_at < offered_at:
            problems["held_at"] = HELD_BEFORE_OFFER
    return problems


def _ask_for_return_interview(episode, *, by, audit):
    """The lead professional makes sure the interview is offered in time.
    The task names no child: tasks and their emails travel further than the
    child's record does."""
    from hoth.tasks.services import create_task

    lead = lead_professional_for(episode.person)
    if lead is None:
        return None
    due_by = timezone.localtime(episode.ended_at + RETURN_INTERVIEW_WINDOW)
    returned = timezone.localtime(episode.ended_at)
    return create_task(
        title="Make sure a return home interview is offered",
        details=(
            f"The child came back on {returned:%-d %B %Y at %H:%M}. The interview must be offered "
            f"by {due_by:%-d %B %Y at %H:%M}."
        ),
        owner=lead,
        due_date=due_by.date(),
        created_by=by,
        person=episode.person,
        case=Case.objects.open().filter(person=episode.person).first(),
        audit=audit,
    )


@transaction.atomic
def record_missing_episode(
    *,
    person: Person,
    recorded_by: User,
    started_at: datetime.datetime,
    ended_at: datetime.datetime | None = None,
    audit: AuditContext | None = None,
    now: datetime.datetime | None = None,
    # Any of EPISODE_FIELDS: text, a flag and an agency, checked by name below.
    **details: Any,
) -> MissingEpisode:
    """Record that a child went missing (and, if known, when they came back).
    `details` are any of EPISODE_FIELDS."""
    policy.check(recorded_by, "missing_episode.record", person)
    unknown = set(details) - set(EPISODE_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a missing episode: {sorted(unknown)}")
    problems = episode_problems(started_at, ended_at, now or timezone.now())
    if problems:
        raise ValidationError(problems)
    episode = MissingEpisode.objects.create(
        person=person, recorded_by=recorded_by, started_at=started_at, ended_at=ended_at, **details
    )
    log.record("create", audit=audit, user=recorded_by, obj=episode, person=person)
    if ended_at is not None:
        _ask_for_return_interview(episode, by=recorded_by, audit=audit)
    _propose_links(episode)
    return episode


def _propose_links(episode):
    """Who the child was with and where they were found may name people and
    places already in the intelligence picture (hoth.intelligence.proposals)."""
    from hoth.intelligence.proposals import propose_from_missing_episode

    propose_from_missing_episode(episode)


@transaction.atomic
def record_return(
    episode: MissingEpisode,
    *,
    user: User,
    ended_at: datetime.datetime,
    audit: AuditContext | None = None,
    now: datetime.datetime | None = None,
    # Any of RETURN_FIELDS: text and a flag, checked by name below.
    **details: Any,
) -> MissingEpisode:
    """The child is back: when, where they were found, with whom, and how
    they were. Starts the return home interview clock."""
    policy.check(user, "missing_episode.update", episode)
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.ended_at is not None:
        raise ValidationError({"ended_at": "Their return has already been recorded"})
    unknown = set(details) - set(RETURN_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a return: {sorted(unknown)}")
    problems = episode_problems(episode.started_at, ended_at, now or timezone.now())
    if problems:
        raise ValidationError(problems)
    episode.ended_at = ended_at
    for name, value in details.items():
        setattr(episode, name, value)
    episode.save(update_fields=["ended_at", *details])
    log.record("update", audit=audit, user=user, obj=episode, person=episode.person_id, detail={"recorded": "return"})
    _ask_for_return_interview(episode, by=user, audit=audit)
    _propose_links(episode)
    return episode


@transaction.atomic
def record_return_interview(
    episode: MissingEpisode,
    *,
    user: User,
    outcome: str,
    offered_at: datetime.datetime | None = None,
    held_at: datetime.datetime | None = None,
    interviewer: str = "",
    interviewer_agency: Agency | None = None,
    child_said: str = "",
    indicators_found: Iterable[str] = (),
    audit: AuditContext | None = None,
    now: datetime.datetime | None = None,
) -> ReturnInterview:
    """Record the return home interview: whether and when it was offered,
    whether the child took it up, and what it found. What it found is kept as
    indicator codes of the current screening tool, so the next screening of
    the child starts from them."""
    policy.check(user, "missing_episode.update", episode)
    problems = interview_problems(episode.ended_at, offered_at, held_at, now or timezone.now())
    if outcome in (ReturnInterview.Outcome.ACCEPTED, ReturnInterview.Outcome.DECLINED) and offered_at is None:
        problems["offered_at"] = OFFER_MISSING
    indicators_found = list(dict.fromkeys(indicators_found))
    if indicators_found:
        known = {i["code"] for i in current_tool_indicators() or ()}
        if not set(indicators_found) <= known:
            problems["indicators_found"] = UNKNOWN_INDICATOR
    if problems:
        raise ValidationError(problems)
    interview, created = ReturnInterview.objects.update_or_create(
        episode=episode,
        defaults={
            "outcome": outcome,
            "offered_at": offered_at,
            "held_at": held_at,
            "interviewer": interviewer,
            "interviewer_agency": interviewer_agency,
            "child_said": child_said,
            "indicators_found": indicators_found,
            "recorded_by": user,
        },
    )
    log.record(
        "create" if created else "update",
        audit=audit,
        user=user,
        obj=interview,
        person=episode.person_id,
        detail={"outcome": outcome, "indicators_found": indicators_found},
    )
    return interview
