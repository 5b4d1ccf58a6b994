"""Who may see and work a child's case: the case itself, its team, notes,
National Referral Mechanism referrals and missing episodes."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hoth.access import memo
from hoth.access.involvement import records_about_people
from hoth.access.policy import can, may_see, rule, scope, visible
from hoth.access.roles import CASEWORK_ROLES, CREATE_PERSON_ROLES, INVOLVEMENT_ROLES
from hoth.accounts.roles import Role
from hoth.people.access import casework_people, sees_person
from hoth.people.models import Involvement, Person

from .models import Case, CaseMember, CaseNote


@scope("cases.Case")
def visible_cases(user, cases):
    """Coordinators see every case; practitioners and panel chairs the cases
    of the children they work with."""
    return records_about_people(user, cases)


@scope("cases.MissingEpisode")
def visible_missing_episodes(user, episodes):
    """As cases: coordinators, and those who work with the child."""
    return records_about_people(user, episodes)


@scope("cases.CaseNote")
def visible_case_notes(user, notes):
    """Notes of the cases the user sees; a restricted note only for users of
    its named agencies and its author (issue 4: restricted notes)."""
    notes = notes.filter(case__in=visible(user, Case.objects.all()))
    named = CaseNote.restricted_to.through.objects.filter(casenote_id=OuterRef("pk"), agency_id=user.agency_id)
    return notes.filter(Q(is_restricted=False) | Q(author=user) | Q(Exists(named)))


def sees_case(user, case):
    return memo.remembered(memo.seen_key(user, case), lambda: may_see(user, case))


def leads_case(user, case):
    """The case's lead professional, or a coordinator (issue 4)."""
    if case is None:
        return user.has_role(Role.COORDINATOR, *INVOLVEMENT_ROLES)
    if not sees_case(user, case):
        return False
    return user.has_role(Role.COORDINATOR) or (user.has_role(*CASEWORK_ROLES) and case.lead_professional_id == user.pk)


def on_case_team(user, case):
    """The lead professional, an active member of the case team, or someone
    working with the child (an active involvement of their own: a break-glass
    grant lets a user read, not change, the plan)."""
    if case.lead_professional_id == user.pk:
        return True
    if CaseMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists():
        return True
    return (
        Involvement.objects.filter(person_id=case.person_id, user=user)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now()))
        .exists()
    )


@rule("case.open")
def open_case(user, person):
    """Opening a case after the screening meeting's decision: coordinators."""
    return user.has_role(Role.COORDINATOR)


@rule("case.view")
def view(user, case):
    """A case: whoever sees it. Without a case: the casework roles (their list)."""
    if case is None:
        return user.has_role(*CASEWORK_ROLES)
    return sees_case(user, case)


@rule("case.manage_team")
def manage_team(user, case):
    """The case team: its lead professional, or a coordinator."""
    return leads_case(user, case)


@rule("case.edit")
def edit(user, case):
    """Changing the case itself, its contextual assessment, closing and
    reopening it: its lead professional, or a coordinator."""
    return leads_case(user, case)


@rule("case_note.add")
def add_note(user, case):
    """Adding a note to a case: practitioners and coordinators who see it."""
    return user.has_role(*CREATE_PERSON_ROLES) and (case is None or sees_case(user, case))


@rule("nrm.view")
def view_nrm(user, case):
    """A case's National Referral Mechanism referrals: whoever sees the case."""
    return can(user, "case.view", case)


@rule("nrm.record")
def record_nrm(user, case):
    """Coordinators record NRM referrals and decisions (issue 4, section 3)."""
    return user.has_role(Role.COORDINATOR) and (case is None or sees_case(user, case))


@rule("missing_episode.record")
def record_missing(user, person):
    """Recording that a child went missing: practitioners and coordinators who see the child."""
    return user.has_role(*CREATE_PERSON_ROLES) and (person is None or sees_person(user, person))


@rule("missing_episode.view")
def view_missing(user, episode):
    """A missing episode: coordinators, and those who work with the child."""
    if episode is None:
        return user.has_role(*CASEWORK_ROLES)
    return may_see(user, episode)


@rule("missing_episode.update")
def update_missing(user, episode):
    """Recording the return or the return home interview: those who may
    record an episode about the child and can see this one."""
    return user.has_role(*CREATE_PERSON_ROLES) and (episode is None or may_see(user, episode))


@rule("missing_episode.list")
def list_missing(user, person):
    """A child's missing episodes: for those who see casework records about
    the child (coordinators, and those who work with the child)."""
    if person is None:
        return user.has_role(*CASEWORK_ROLES)
    return casework_people(user, Person.objects.filter(pk=person.pk)).exists()
