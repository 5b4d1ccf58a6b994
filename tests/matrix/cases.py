"""Who may use the pages of missing episodes, return home interviews and cases.

Missing episodes and cases are casework records about a child
(policy._records_about_people): coordinators see all; practitioners and panel
chairs those about children they work with; analysts none, even about an
intelligence subject they can see."""

from datetime import timedelta

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.cases.models import Case, CaseMember, CaseStatusChange, MissingEpisode, NrmReferral

from .common import PARTNERSHIP_WIDE, RECORDERS, Rule

CASE_READERS = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR})
# case.edit and case.manage_team: the case's lead professional (the
# practitioner, in `case` below) and coordinators.
CASE_LEADS = frozenset({Role.PRACTITIONER, Role.COORDINATOR})


def child(world, user, scope):
    return {"reference": world[scope].reference}


def _episode(world, scope, returned):
    now = timezone.now()
    return MissingEpisode.objects.create(
        person=world[scope],
        recorded_by=world["users"]["coordinator"],
        started_at=now - timedelta(days=2),
        ended_at=now - timedelta(days=1) if returned else None,
    )


def open_episode(world, user, scope):
    return {"pk": _episode(world, scope, returned=False).pk}


def ended_episode(world, user, scope):
    return {"pk": _episode(world, scope, returned=True).pk}


def case(world, user, scope):
    opened = Case.objects.create(
        person=world[scope], lead_professional=world["users"]["practitioner"], opened_by=world["users"]["coordinator"]
    )
    return {"reference": opened.reference}


def _case(world, scope, **fields):
    return Case.objects.create(
        person=world[scope],
        lead_professional=world["users"]["practitioner"],
        opened_by=world["users"]["coordinator"],
        **fields,
    )


def closed_case(world, user, scope):
    return {"reference": _case(world, scope, status=Case.Status.CLOSED, closed_at=timezone.now()).reference}


def moved_case(world, user, scope):
    """Closed because the child moved away: the case with a transfer summary."""
    moved = _case(world, scope, status=Case.Status.CLOSED, closed_at=timezone.now())
    CaseStatusChange.objects.create(
        case=moved,
        kind=CaseStatusChange.Kind.CLOSED,
        reason=CaseStatusChange.Reason.MOVED,
        receiving_area="Stoke-on-Trent",
        transfer_summary="Lives with an aunt in Hanley",
        outcome_summary="Back in school",
        by=world["users"]["practitioner"],
        at=moved.closed_at,
    )
    return {"reference": moved.reference}


def team_member(world, user, scope):
    opened = _case(world, scope)
    member = CaseMember.objects.create(
        case=opened,
        user=world["users"]["panel_chair"],
        agency=world["users"]["panel_chair"].agency,
        role="Chair",
        added_by=world["users"]["coordinator"],
    )
    return {"reference": opened.reference, "pk": member.pk}


def nrm_referral(world, user, scope):
    opened = _case(world, scope)
    referral = NrmReferral.objects.create(
        case=opened,
        person=world[scope],
        first_responder="Police",
        referred_on=timezone.localdate(),
        route="national",
        recorded_by=world["users"]["coordinator"],
    )
    return {"reference": opened.reference, "pk": referral.pk}


RULES = {
    # missing_episode.list: those who see casework records about the child.
    "cases:missing-episodes": Rule(allowed=CASE_READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=child),
    # missing_episode.record: recorders, about a child they can see.
    "cases:record-missing": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=child),
    # missing_episode.view.
    "cases:missing-episode": Rule(allowed=CASE_READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=ended_episode),
    # missing_episode.update: recorders who can see the episode.
    "cases:record-return": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=open_episode),
    "cases:return-interview": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=ended_episode),
    # case.view.
    "cases:detail": Rule(allowed=CASE_READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    # case.open: coordinators, for any child.
    "cases:open": Rule(allowed=PARTNERSHIP_WIDE, out_of_scope=PARTNERSHIP_WIDE, kwargs=child),
    # Issue 4. case.edit: the lead professional and coordinators.
    "cases:edit": Rule(allowed=CASE_LEADS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "cases:assessment-edit": Rule(allowed=CASE_LEADS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "cases:close": Rule(allowed=CASE_LEADS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "cases:reopen": Rule(allowed=CASE_LEADS, out_of_scope=PARTNERSHIP_WIDE, kwargs=closed_case),
    # case.edit too: handing the child over to the partnership they moved to
    # is for the lead professional and coordinators.
    "cases:transfer-summary": Rule(allowed=CASE_LEADS, out_of_scope=PARTNERSHIP_WIDE, kwargs=moved_case),
    # case.view: the team page and notes are read by everyone who sees the case.
    "cases:team": Rule(allowed=CASE_READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "cases:assessment": Rule(allowed=CASE_READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "cases:notes": Rule(allowed=CASE_READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    # case.manage_team.
    "cases:team-remove": Rule(allowed=CASE_LEADS, out_of_scope=PARTNERSHIP_WIDE, kwargs=team_member),
    # case_note.add: recorders who see the case.
    "cases:note-new": Rule(allowed=RECORDERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    # nrm.view: whoever sees the case; nrm.record: coordinators.
    "cases:nrm": Rule(allowed=CASE_READERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "cases:nrm-new": Rule(allowed=PARTNERSHIP_WIDE, out_of_scope=PARTNERSHIP_WIDE, kwargs=case),
    "cases:nrm-update": Rule(allowed=PARTNERSHIP_WIDE, out_of_scope=PARTNERSHIP_WIDE, kwargs=nrm_referral),
}
