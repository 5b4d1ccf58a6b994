"""The case timeline: everything that happened in a child's case that the
viewer may see, newest first, shown with the MOJ timeline pattern.

Any app may feed it: a module `hoth/<app>/timeline.py` with

    def events(case, user) -> list[TimelineEvent]

Each module decides what `user` may see (a restricted note never reaches a
user outside its agencies). This module gathers those and adds the front
door's and the case's own events: referrals, screenings, missing episodes,
confirmed meeting decisions, contacts and notes, team changes, closure,
reopening and NRM decisions.
"""

from dataclasses import dataclass
from datetime import datetime, time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    description: str = ""
    url: str = ""
    agency: str = ""

    # For the page: formatted here once, as the template's date filter is
    # slow over hundreds of events.
    @property
    def iso(self):
        return self.at.isoformat()

    @property
    def when(self):
        return timezone.localtime(self.at).strftime("%-d %B %Y, %H:%M")


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _at(day):
    """A date as the start of that day, so dated records sort among timed ones."""
    return timezone.make_aware(datetime.combine(day, time.min))


def feeder_modules():
    """Every other hoth app's `timeline` module, found once per call. An app
    without one is skipped; an app whose module fails to import fails loudly
    (a silently missing feed would hide events from the team)."""
    modules = []
    for config in apps.get_app_configs():
        name = config.name
        if not name.startswith("hoth.") or name == "hoth.cases":
            continue
        if find_spec(f"{name}.timeline") is None:
            continue
        modules.append(import_module(f"{name}.timeline"))
    return modules


def case_timeline(case, user):
    """The events of `case` that `user` may see, newest first."""
    events = list(own_events(case, user))
    for module in feeder_modules():
        events.extend(module.events(case, user))
    return sorted(events, key=lambda e: e.at, reverse=True)


def own_events(case, user):
    yield from _referrals(case, user)
    yield from _screenings(case, user)
    yield from _missing(case, user)
    yield from _decisions(case, user)
    yield from _notes(case, user)
    yield from _team(case, user)
    yield from _status_changes(case, user)
    yield from _nrm(case, user)


def _referrals(case, user):
    from hoth.referrals.models import Referral

    for r in (
        Referral.objects.visible_to(user)
        .filter(person_id=case.person_id, submitted_at__isnull=False)
        .select_related("referrer_agency")
        .order_by()
        # Only what the event shows: the rest is encrypted text, slow to decrypt.
        .only("reference", "submitted_at", "is_urgent", "referrer_agency__name")
    ):
        yield TimelineEvent(
            r.submitted_at,
            "referral",
            f"Referral {r.reference} received",
            "Urgent" if r.is_urgent else "",
            _url("referrals:detail", r.reference),
            r.referrer_agency.name,
        )


def _screenings(case, user):
    from hoth.screening.models import Screening

    for s in (
        Screening.objects.visible_to(user)
        .filter(person_id=case.person_id, completed_at__isnull=False)
        .select_related("screened_by_agency")
        .order_by()
        .only("completed_at", "level", "screened_by_agency__name")
    ):
        level = s.get_level_display() if s.level else "not set"
        yield TimelineEvent(
            s.completed_at,
            "screening",
            f"Screened: level {level}",
            "",
            _url("screening:result", s.pk),
            s.screened_by_agency.name,
        )


def _missing(case, user):
    from .models import MissingEpisode

    for e in (
        MissingEpisode.objects.visible_to(user)
        .filter(person_id=case.person_id)
        .select_related("reported_by_agency")
        .order_by()
        .only("kind", "started_at", "ended_at", "reported_by_agency__name")
    ):
        description = f"Came back {timezone.localtime(e.ended_at):%-d %B %Y %H:%M}" if e.ended_at else "Still missing"
        yield TimelineEvent(
            e.started_at,
            "missing",
            e.get_kind_display(),
            description,
            _url("cases:missing-episode", e.pk),
            e.reported_by_agency.name if e.reported_by_agency else "",
        )


def _decisions(case, user):
    """Confirmed meeting decisions about the child. The team sees what was
    decided (it is why they work together); the minutes and the rationale
    stay with those who may see the meeting."""
    from hoth.panels.models import AgendaItem, Meeting

    items = (
        AgendaItem.objects.filter(person_id=case.person_id, meeting__status=Meeting.Status.CONFIRMED)
        .exclude(decision="")
        .select_related("meeting")
        .order_by()
        .only("decision", "decided_at", "meeting_id", "meeting__kind", "meeting__starts_at", "meeting__confirmed_at")
    )
    may_see_meetings = None
    for item in items:
        if may_see_meetings is None:
            may_see_meetings = {
                m.pk for m in Meeting.objects.visible_to(user).filter(pk__in=[i.meeting_id for i in items])
            }
        at = item.meeting.confirmed_at or item.decided_at or item.meeting.starts_at
        url = _url("panels:detail", item.meeting_id) if item.meeting_id in may_see_meetings else ""
        yield TimelineEvent(
            at, "decision", f"Meeting decision: {item.get_decision_display()}", str(item.meeting), url, ""
        )


def _notes(case, user):
    from .models import CaseNote

    kinds = dict(CaseNote.Kind.choices)
    url = _url("cases:notes", case.reference)
    rows = (
        CaseNote.objects.visible_to(user)
        .filter(case=case)
        .order_by()
        .values_list("pk", "happened_on", "happened_at", "kind", "is_restricted", "what", "author_agency__name")
    )
    for pk, happened_on, happened_at, kind, restricted, what, agency in rows:
        yield TimelineEvent(
            happened_at or _at(happened_on),
            "contact",
            f"{kinds[kind]}{' (restricted)' if restricted else ''}",
            CaseNote.summary_of(what),
            f"{url}#note-{pk}",
            agency,
        )


def _team(case, user):
    from .models import CaseMember

    for m in CaseMember.objects.filter(case=case).select_related("user", "agency").order_by():
        yield TimelineEvent(
            m.added_at,
            "team",
            f"{m.user.full_name} joined the team",
            m.role,
            _url("cases:team", case.reference),
            m.agency.name,
        )
        if m.removed_at:
            yield TimelineEvent(
                m.removed_at,
                "team",
                f"{m.user.full_name} left the team",
                "",
                _url("cases:team", case.reference),
                m.agency.name,
            )


def _status_changes(case, user):
    from .models import CaseStatusChange

    changes = (
        CaseStatusChange.objects.filter(case=case)
        .select_related("by__agency")
        .order_by()
        .only("kind", "reason", "reason_other", "receiving_area", "at", "by__full_name", "by__agency__name")
    )
    for c in changes:
        if c.kind == CaseStatusChange.Kind.CLOSED:
            detail = {
                CaseStatusChange.Reason.MOVED: f"Moved to {c.receiving_area}" if c.receiving_area else "",
                CaseStatusChange.Reason.OTHER: c.reason_other,
            }.get(c.reason, "")
            yield TimelineEvent(
                c.at,
                "closure",
                f"Case closed: {c.get_reason_display()}",
                f"{detail}. Closed by {c.by.full_name}" if detail else f"Closed by {c.by.full_name}",
                "",
                c.by.agency.name,
            )
        else:
            yield TimelineEvent(c.at, "reopen", "Case reopened", f"Reopened by {c.by.full_name}", "", c.by.agency.name)


def _nrm(case, user):
    from hoth.access import policy

    from .models import NrmReferral

    referrals = list(NrmReferral.objects.filter(case=case).order_by())
    if not referrals or not policy.can(user, "nrm.view", case):
        return
    url = _url("cases:nrm", case.reference)
    for n in referrals:
        yield TimelineEvent(
            _at(n.referred_on), "nrm", "Referred to the National Referral Mechanism", n.first_responder, url, ""
        )
        if n.rg_decided_on:
            yield TimelineEvent(
                _at(n.rg_decided_on), "nrm", f"Reasonable grounds decision: {n.get_rg_outcome_display()}", "", url, ""
            )
        if n.cg_decided_on:
            yield TimelineEvent(
                _at(n.cg_decided_on), "nrm", f"Conclusive grounds decision: {n.get_cg_outcome_display()}", "", url, ""
            )
