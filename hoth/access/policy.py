"""The access gate: the one module that decides who may do what and see whom.

Two kinds of decision live here and nowhere else:

* scopes, `visible_people(user, queryset)`, which narrow a query to what the
  user may see; models expose them as `Model.objects.visible_to(user)`;
* actions, `can(user, action, obj)`, named like "person.view", each decided by
  one rule registered below.

Views, the API, exports and searches ask; they never filter personal data
themselves. An action with no rule is a programming error, not a silent "no".
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hoth.accounts.models import Role

BREAK_GLASS_DURATION = timedelta(hours=8)

# Roles whose work is with individual children and adults. Managers see
# aggregates, auditors the audit log, administrators accounts: none of them
# reads a person's record.
CASEWORK_ROLES = (Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.ANALYST)
# Coordinators see every harm-outside-the-home record of the partnership.
PARTNERSHIP_WIDE_ROLES = (Role.COORDINATOR,)
# These see the people they are involved with (and break-glass grants).
INVOLVEMENT_ROLES = (Role.PRACTITIONER, Role.PANEL_CHAIR)
CREATE_PERSON_ROLES = (Role.PRACTITIONER, Role.COORDINATOR)


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


# ---------------------------------------------------------------- a request's memo

# What the gate has worked out during one request: a page asks the same
# questions (whom does this user work with, may they see this case) many
# times, and each answer costs a query. Outside a request (services, commands,
# tests calling the gate directly) nothing is remembered.
_memo = ContextVar("hoth_access_memo", default=None)


@contextmanager
def remembering():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def forget(**signal_kwargs):
    """Drop what this request remembered: called whenever who-works-with-whom
    changes, so a request never acts on an answer its own writes made stale."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def seen(user, case):
    """`case` was just read through visible_cases for `user`: a later check in
    this request that they may see it need not ask the database again."""
    memo = _memo.get()
    if memo is not None:
        memo[("case", user.pk, case.pk)] = True


def _remembered(key, work):
    memo = _memo.get()
    if memo is None:
        return work()
    if key not in memo:
        memo[key] = work()
    return memo[key]


# ---------------------------------------------------------------- scopes


def _team_ids(user):
    """The user's teams, read once per request (the user object lives for
    one request): a page asks several scopes, and each needs them."""
    ids = getattr(user, "_hoth_team_ids", None)
    if ids is None:
        ids = user._hoth_team_ids = list(user.teams.values_list("pk", flat=True))
    return ids


def visible_people(user, people):
    """Narrow a Person queryset to the people this user may see."""
    from hoth.access.models import BreakGlass
    from hoth.people.models import Involvement

    if not _signed_in(user):
        return people.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return people
    now = timezone.now()
    allowed = Q(pk__in=[])
    if user.has_role(*INVOLVEMENT_ROLES):
        active = Involvement.objects.filter(person=OuterRef("pk")).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=now)
        )
        team_ids = _team_ids(user)
        allowed |= Q(Exists(active.filter(user=user)))
        if team_ids:
            allowed |= Q(Exists(active.filter(team__in=team_ids)))
    if user.has_role(Role.ANALYST):
        allowed |= Q(intelligence_subject=True)
    # Panel chairs take persons of concern to the panel (issue 4, section 2):
    # those flagged of concern, not every child an analyst or a proposal named.
    if user.has_role(Role.PANEL_CHAIR):
        allowed |= Q(subject__of_concern=True) | Q(pk__in=_panel_children())
    if user.has_role(*CASEWORK_ROLES):
        allowed |= Q(
            Exists(BreakGlass.objects.filter(person=OuterRef("pk"), user=user, expires_at__gt=now))
        )
    return people.filter(allowed)


def people_hidden_from(user, people):
    """The people of a Person queryset this user may NOT see. Only the check
    before recording a new person looks here (hoth.people.other_agencies), to
    offer emergency access without saying who was found."""
    return people.exclude(Exists(visible_people(user, people.model.objects.all()).filter(pk=OuterRef("pk"))))


def involved_people(user):
    """The people this user works with (involvement, their team's, or a live
    break-glass grant): what casework records about a person follow, rather
    than the analyst's wider sight of intelligence subjects."""
    from hoth.people.models import Person

    return Person.objects.filter(_involved_with(user, "pk"))


def _involved_with(user, person_field):
    """involved_people as a condition on `person_field` of any table. Records
    are filtered by the ids directly: going through the person table would
    make the database read every person to answer for one child. Within a
    request the ids are read once, and every later scope filters by the list."""
    if _memo.get() is not None:
        return Q(**{f"{person_field}__in": _remembered(("involved", user.pk), lambda: _involved_ids(user))})
    condition = Q()
    for source in _involvement_sources(user):
        condition |= Q(**{f"{person_field}__in": source})
    return condition


def _involved_ids(user):
    first, *others = (source.order_by() for source in _involvement_sources(user))
    return sorted(row["person_id"] for row in first.union(*others))


def _involvement_sources(user):
    """Queries of the ids of the people `user` works with, as `person_id`."""
    from hoth.access.models import BreakGlass
    from hoth.people.models import Involvement

    now = timezone.now()
    active = Involvement.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
    team_ids = _team_ids(user)
    through = active.filter(Q(user=user) | Q(team__in=team_ids)) if team_ids else active.filter(user=user)
    sources = [through.values("person_id"), BreakGlass.objects.filter(user=user, expires_at__gt=now).values("person_id")]
    if user.has_role(Role.PANEL_CHAIR):
        sources.append(_panel_children())
    return sources


def _panel_children():
    """The people on the Child Exploitation Operational Panel's agenda: the
    panel's chair oversees their cases, so sees their records and casework."""
    from hoth.panels.models import AgendaItem

    return (AgendaItem.objects.filter(meeting__kind="panel", person__isnull=False)
            .exclude(status="removed").values("person_id"))


def _records_about_people(user, records, person_field="person"):
    """Records about a person: coordinators see all; other casework roles
    those about the people they work with."""
    if not _signed_in(user) or not user.has_role(*CASEWORK_ROLES):
        return records.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return records
    if not user.has_role(*INVOLVEMENT_ROLES):
        return records.none()
    return records.filter(_involved_with(user, person_field))


def visible_referrals(user, referrals):
    """Referrers see what they sent; coordinators everything; practitioners
    and panel chairs the referrals about children they work with; analysts
    the referrals about contexts (places and groups are their subject)."""
    if not _signed_in(user):
        return referrals.none()
    # A draft is the referrer's alone until they submit it.
    others_drafts = Q(status="draft") & ~Q(referrer=user)
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return referrals.exclude(others_drafts)
    allowed = Q(referrer=user)
    if user.has_role(*INVOLVEMENT_ROLES):
        allowed |= _involved_with(user, "person")
    if user.has_role(Role.ANALYST):
        allowed |= Q(subject="context")
    return referrals.filter(allowed).exclude(others_drafts)


def casework_people(user, people):
    """The people whose casework records (cases, screenings, missing episodes)
    this user reads: narrower than visible_people for analysts, who see a
    child named in intelligence but not the child's casework."""
    return _records_about_people(user, people, person_field="pk")


def visible_screenings(user, screenings):
    if not _signed_in(user):
        return screenings.none()
    own = screenings.filter(screened_by=user) if user.has_role(*CREATE_PERSON_ROLES) else screenings.none()
    return own | _records_about_people(user, screenings)


def visible_cases(user, cases):
    return _records_about_people(user, cases)


def visible_missing_episodes(user, episodes):
    return _records_about_people(user, episodes)


def visible_case_notes(user, notes):
    """Notes of the cases the user sees; a restricted note only for users of
    its named agencies and its author (issue 4: restricted notes)."""
    from hoth.cases.models import Case, CaseNote

    notes = notes.filter(case__in=visible_cases(user, Case.objects.all()))
    named = CaseNote.restricted_to.through.objects.filter(casenote_id=OuterRef("pk"), agency_id=user.agency_id)
    return notes.filter(Q(is_restricted=False) | Q(author=user) | Q(Exists(named)))


def visible_tasks(user, tasks):
    """Everyone sees their own tasks; coordinators every agency's, to chase
    overdue actions. Task titles carry no child's name."""
    if not _signed_in(user):
        return tasks.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return tasks
    return tasks.filter(owner=user)


def visible_meetings(user, meetings):
    """Coordinators run the screening meeting; panel chairs the panel. A
    practitioner learns a decision through the referral, not the minutes."""
    if not _signed_in(user):
        return meetings.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return meetings
    if user.has_role(Role.PANEL_CHAIR):
        return meetings.filter(kind="panel")
    return meetings.none()


def visible_contexts(user, contexts):
    """Places and groups are the analysts' subject and the coordinators';
    practitioners see those they recorded or referred."""
    if not _signed_in(user) or not user.has_role(*CASEWORK_ROLES):
        return contexts.none()
    # Panel chairs take places of concern to the panel (issue 4, section 2).
    if user.has_role(Role.COORDINATOR, Role.ANALYST, Role.PANEL_CHAIR):
        return contexts
    return contexts.filter(Q(created_by=user) | Q(referrals__referrer=user)).distinct()


# ------------------------------------------------------------ intelligence (issue 5)


def _police(user):
    """A casework user of a police force: police hold and act on intelligence."""
    from hoth.accounts.models import AgencyType

    return user.has_role(*CASEWORK_ROLES) and not user.is_service_account and user.agency.type == AgencyType.POLICE


def reads_intelligence(user):
    """Analysts and police read intelligence as it was given, and see who gave it."""
    return _signed_in(user) and (user.has_role(Role.ANALYST) or _police(user))


def works_with_intelligence(user):
    """Who sees subjects of concern, links and networks: those who read
    intelligence, and the coordinators and panel chairs who act on it."""
    return reads_intelligence(user) or (_signed_in(user) and user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR))


def visible_intelligence(user, reports):
    """Analysts and police see every report. Everyone sees what they submitted.
    Others see a graded report only as its handling code allows, and then only
    its sanitised version (intelligence.view_original):

    - P (lawful sharing permitted): coordinators and panel chairs, and the
      practitioners working with a child the report is about;
    - C (with conditions): users of the agencies the conditions name;
    - a legacy handling code that allows no sharing: nobody else.
    """
    from hoth.intelligence import grading
    from hoth.intelligence.models import IntelligenceReport, Scheme

    if not _signed_in(user) or not user.has_role(*CASEWORK_ROLES):
        return reports.none()
    if reads_intelligence(user):
        return reports
    graded = Q(status=IntelligenceReport.Status.GRADED)
    # Which stored handling codes mean P and C: 3x5x2 codes, and the legacy codes read as them.
    shares = {"P": Q(pk__in=[]), "C": Q(pk__in=[])}
    for scheme in Scheme.values:
        for code in grading.codes(scheme, grading.HANDLING):
            meaning = grading.sharing(scheme, code.code)
            if meaning in shares:
                shares[meaning] |= Q(scheme=scheme, handling_code=code.code)
    allowed = Q(submitted_by=user, source=IntelligenceReport.Source.WEB)
    if user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR):
        allowed |= graded & shares["P"]
    elif user.has_role(*INVOLVEMENT_ROLES):
        allowed |= graded & shares["P"] & _involved_with(user, "about_person")
    named = IntelligenceReport.shared_with.through.objects.filter(
        intelligencereport_id=OuterRef("pk"), agency_id=user.agency_id)
    allowed |= graded & shares["C"] & Q(Exists(named))
    return reports.filter(allowed)


def visible_subjects(user, subjects):
    """Subjects of concern, for those who work with intelligence; a person
    only if the user may see them (a child named in intelligence stays hidden
    from anyone who may not see that child)."""
    from hoth.people.models import Person

    if not works_with_intelligence(user):
        return subjects.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return subjects
    # Asked of each subject (EXISTS), not as the set of everyone visible: a
    # page about a few subjects then reads a few rows, however many people
    # the register holds.
    person = visible_people(user, Person.objects.filter(pk=OuterRef("person_id")))
    return subjects.filter(Q(person__isnull=True) | Q(Exists(person)))


def visible_links(user, links):
    """Links whose both ends the user sees, and whose intelligence (if they
    rest on some) the user may read at least in its sanitised form."""
    from hoth.intelligence.models import IntelligenceReport, Link, Subject

    if not works_with_intelligence(user):
        return links.none()
    if not user.has_role(Role.ANALYST):
        # A proposal, and a rejected one, quotes the casework it came from (a
        # missing episode, a referral, a screening): it is for the analysts who decide it.
        links = links.filter(status=Link.Status.ACCEPTED)
    if not user.has_role(*PARTNERSHIP_WIDE_ROLES):
        links = links.filter(Exists(visible_subjects(user, Subject.objects.filter(pk=OuterRef("source_id")))),
                             Exists(visible_subjects(user, Subject.objects.filter(pk=OuterRef("target_id")))))
    if not reads_intelligence(user):
        readable = visible_intelligence(user, IntelligenceReport.objects.filter(pk=OuterRef("intelligence_id")))
        links = links.filter(Q(intelligence__isnull=True) | Q(Exists(readable)))
    return links


def visible_disruption(user, records, subject_field="subject"):
    """Disruption plans and activities, for those who work with intelligence,
    about subjects they may see (the people they are against included)."""
    from hoth.intelligence.models import Subject

    if not works_with_intelligence(user):
        return records.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return records
    return records.filter(**{f"{subject_field}__in": visible_subjects(user, Subject.objects.all()).values("pk")})


def visible_link_alerts(user, alerts):
    """Analysts and coordinators see every alert; others the alerts they were told of."""
    if not _signed_in(user) or not user.has_role(*CASEWORK_ROLES):
        return alerts.none()
    if user.has_role(Role.ANALYST, *PARTNERSHIP_WIDE_ROLES):
        return alerts
    return alerts.filter(told=user)


def visible_jobs(user, jobs):
    """A background job is its person's alone, whatever anyone else's role:
    it holds the rows of the file they gave or the profile made for them."""
    if not _signed_in(user):
        return jobs.none()
    return jobs.filter(user=user)


def _visible(records, obj):
    return obj is not None and records.filter(pk=obj.pk).exists()


def is_lead_professional(user, person):
    from hoth.people.models import Involvement

    return Involvement.objects.filter(
        person=person, user=user, kind=Involvement.Kind.LEAD_PROFESSIONAL, ended_at__isnull=True
    ).exists()


def sees_person(user, person):
    from hoth.people.models import Person

    return _remembered(("person", user.pk, person.pk),
                       lambda: visible_people(user, Person.objects.filter(pk=person.pk)).exists())


# ---------------------------------------------------------------- actions

RULES = {}


def rule(action):
    def register(check):
        RULES[action] = check
        return check

    return register


def can(user, action, obj=None):
    if action not in RULES:
        raise KeyError(f"No access rule for {action!r}: add one to hoth.access.policy")
    if not _signed_in(user):
        return False
    return bool(RULES[action](user, obj))


def check(user, action, obj=None):
    """Raise PermissionDenied unless `user` may do `action` (on `obj`)."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


@rule("home.view")
def _home(user, obj):
    return True


@rule("tasks.view")
def _tasks(user, obj):
    return True


@rule("person.search")
def _search_people(user, obj):
    return user.has_role(*CASEWORK_ROLES)


@rule("person.view")
def _view_person(user, person):
    return user.has_role(*CASEWORK_ROLES) and sees_person(user, person)


@rule("person.create")
def _create_person(user, obj):
    return user.has_role(*CREATE_PERSON_ROLES)


@rule("person.update")
def _update_person(user, person):
    return user.has_role(*CREATE_PERSON_ROLES) and sees_person(user, person)


@rule("person.break_glass")
def _break_glass(user, person):
    """Casework roles may ask for emergency access to someone outside their scope.
    Without a person: whether this user could ever ask (to offer the way)."""
    if not user.has_role(*CASEWORK_ROLES) or user.is_service_account:
        return False
    return person is None or not sees_person(user, person)


@rule("person.access_history")
def _access_history(user, person):
    """Who has seen this record: for the lead professional and for auditors
    (a subject access request needs it). Without a person (the view
    decorator's first check) it asks "may see some person's history"."""
    if person is None:
        return user.has_role(Role.AUDITOR, *CASEWORK_ROLES)
    return user.has_role(Role.AUDITOR) or (
        user.has_role(*CASEWORK_ROLES) and sees_person(user, person) and (
            user.has_role(Role.COORDINATOR) or is_lead_professional(user, person)
        )
    )


@rule("audit.search")
def _audit_search(user, obj):
    return user.has_role(Role.AUDITOR)


@rule("aggregates.view")
def _aggregates(user, obj):
    return user.has_role(Role.MANAGER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.AUDITOR)


@rule("users.manage")
def _manage_users(user, target):
    """Agency administrators manage their own agency's users; system
    administrators everyone's. `target` is a User or an Agency, or None for
    "may manage some users"."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    if not user.has_role(Role.AGENCY_ADMIN):
        return False
    if target is None:
        return True
    agency_id = getattr(target, "agency_id", None) if hasattr(target, "agency_id") else target.pk
    return agency_id == user.agency_id


@rule("agencies.manage")
def _manage_agencies(user, obj):
    return user.has_role(Role.SYSTEM_ADMIN)


@rule("reference_data.manage")
def _manage_reference_data(user, obj):
    """Reference data (name variants, codes) shapes every agency's searches and
    screenings, so only system administrators change it."""
    return user.has_role(Role.SYSTEM_ADMIN)


@rule("users.grant_role")
def _grant_role(user, role):
    """Which roles an administrator may give (or take away, or hold over someone
    they manage): only a system administrator makes system administrators."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    return user.has_role(Role.AGENCY_ADMIN) and role != Role.SYSTEM_ADMIN


@rule("directory.manage")
def _manage_directory(user, service):
    """The support services directory is public information, but a wrong phone
    number reaches a frightened child. Exploitation coordinators know the local
    services and keep the entries current; system administrators own reference
    data and chase stale entries. Practitioners use the directory, not edit it."""
    return user.has_role(Role.COORDINATOR, Role.SYSTEM_ADMIN)


@rule("api_tokens.manage")
def _manage_tokens(user, account):
    return _manage_users(user, account)


# ------------------------------------------------------------ the front door


@rule("referral.create")
def _create_referral(user, obj):
    return user.has_role(*CREATE_PERSON_ROLES)


@rule("referral.view")
def _view_referral(user, referral):
    """Without a referral: may this user see any referrals (their own list)."""
    from hoth.referrals.models import Referral

    if referral is None:
        return user.has_role(*CASEWORK_ROLES)
    return _visible(visible_referrals(user, Referral.objects.all()), referral)


@rule("referral.edit_draft")
def _edit_draft(user, referral):
    """Only the referrer writes a draft; once submitted it is never edited."""
    if referral is None:
        return user.has_role(*CREATE_PERSON_ROLES)
    return referral.is_draft and referral.referrer_id == user.pk


@rule("referral.add_information")
def _add_to_referral(user, referral):
    return (user.has_role(*CREATE_PERSON_ROLES) and referral is not None and not referral.is_draft
            and _view_referral(user, referral))


@rule("referral.queue")
def _screening_queue(user, obj):
    return user.has_role(Role.COORDINATOR)


@rule("screening.perform")
def _screen(user, person):
    """Coordinators screen every referral; a practitioner may screen a child
    they work with (the referrer using the tool, or a lead professional's
    re-screen)."""
    if not user.has_role(*CREATE_PERSON_ROLES):
        return False
    return person is None or user.has_role(Role.COORDINATOR) or sees_person(user, person)


@rule("screening.discard")
def _discard_screening(user, screening):
    """A screening nobody will finish can be thrown away while it is still a
    draft, by whoever started it or by a coordinator (who chase the queue)."""
    if not user.has_role(*CREATE_PERSON_ROLES):
        return False
    if screening is None:
        return True
    from hoth.screening.models import Screening

    return (screening.status == Screening.Status.DRAFT
            and (screening.screened_by_id == user.pk or user.has_role(Role.COORDINATOR))
            and _visible(visible_screenings(user, Screening.objects.all()), screening))


@rule("screening.view")
def _view_screening(user, screening):
    from hoth.screening.models import Screening

    if screening is None:
        return user.has_role(*CASEWORK_ROLES)
    return _visible(visible_screenings(user, Screening.objects.all()), screening)


@rule("screening.approve_lower_level")
def _approve_lowering(user, screening):
    """Lowering the level the rules gave needs a second coordinator (the
    front-door manager), never the person who screened."""
    return user.has_role(Role.COORDINATOR) and (screening is None or screening.screened_by_id != user.pk)


@rule("screening.evaluate")
def _evaluate(user, obj):
    """Pre-screening saves nothing and shows no one's record."""
    return user.has_role(*CASEWORK_ROLES)


@rule("meeting.view")
def _view_meeting(user, meeting):
    from hoth.panels.models import Meeting

    if meeting is None:
        return user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR)
    return _visible(visible_meetings(user, Meeting.objects.all()), meeting)


@rule("meeting.manage")
def _manage_meeting(user, meeting):
    """Coordinators run the screening meeting; panel chairs (issue 4) the panel.
    Without a meeting: may this user run some meeting (views then check the
    meeting itself, or a new meeting of the kind they schedule)."""
    if meeting is not None and meeting.kind == "screening":
        return user.has_role(Role.COORDINATOR)
    return user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR)


@rule("meeting.contribution.view")
def _view_contribution(user, contribution):
    """What an agency brought to a meeting: the meeting's organisers and the
    agency itself."""
    if user.has_role(Role.COORDINATOR):
        return True
    # The panel chair hears every agency's update at the panel they chair.
    if (contribution is not None and user.has_role(Role.PANEL_CHAIR)
            and contribution.item.meeting.kind == "panel"):
        return True
    return contribution is not None and contribution.agency_id == user.agency_id and user.has_role(*CASEWORK_ROLES)


@rule("task.view")
def _view_task(user, task):
    from hoth.tasks.models import Task

    return task is None or _visible(visible_tasks(user, Task.objects.all()), task)


@rule("task.update")
def _update_task(user, task):
    return task is None or task.owner_id == user.pk or user.has_role(Role.COORDINATOR)


@rule("tasks.overdue_everywhere")
def _all_overdue(user, obj):
    return user.has_role(Role.COORDINATOR)


@rule("case.open")
def _open_case(user, person):
    return user.has_role(Role.COORDINATOR)


@rule("case.view")
def _view_case(user, case):
    from hoth.cases.models import Case

    if case is None:
        return user.has_role(*CASEWORK_ROLES)
    return _remembered(("case", user.pk, case.pk), lambda: _visible(visible_cases(user, Case.objects.all()), case))


def _leads_case(user, case):
    """The case's lead professional, or a coordinator (issue 4)."""
    if case is None:
        return user.has_role(Role.COORDINATOR, *INVOLVEMENT_ROLES)
    if not _view_case(user, case):
        return False
    return user.has_role(Role.COORDINATOR) or (user.has_role(*CASEWORK_ROLES) and case.lead_professional_id == user.pk)


@rule("case.manage_team")
def _manage_case_team(user, case):
    return _leads_case(user, case)


@rule("case.edit")
def _edit_case(user, case):
    """Changing the case itself, its contextual assessment, closing and reopening it."""
    return _leads_case(user, case)


@rule("case.note.add")
def _add_case_note(user, case):
    return user.has_role(*CREATE_PERSON_ROLES) and (case is None or _view_case(user, case))


def _on_case_team(user, case):
    """The lead professional, an active member of the case team, or someone
    working with the child (an active involvement of their own: a break-glass
    grant lets a user read, not change, the plan)."""
    from hoth.cases.models import CaseMember
    from hoth.people.models import Involvement

    if case.lead_professional_id == user.pk:
        return True
    if CaseMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists():
        return True
    return Involvement.objects.filter(person_id=case.person_id, user=user).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now())).exists()


@rule("plan.view")
def _view_plan(user, case):
    """The safety and support plan and its reviews: whoever sees the case."""
    return _view_case(user, case)


@rule("plan.edit")
def _edit_plan(user, case):
    """The lead professional, the case team (those working with the child) and
    coordinators change the plan (issue 4)."""
    if case is None:
        return user.has_role(Role.COORDINATOR, *INVOLVEMENT_ROLES)
    if not _view_case(user, case):
        return False
    if user.has_role(Role.COORDINATOR):
        return True
    return user.has_role(*INVOLVEMENT_ROLES) and _on_case_team(user, case)


@rule("review.record")
def _record_review(user, case):
    return _edit_plan(user, case)


@rule("nrm.view")
def _view_nrm(user, case):
    return _view_case(user, case)


@rule("nrm.record")
def _record_nrm(user, case):
    """Coordinators record NRM referrals and decisions (issue 4, section 3)."""
    return user.has_role(Role.COORDINATOR) and (case is None or _view_case(user, case))


@rule("missing_episode.record")
def _record_missing(user, person):
    return user.has_role(*CREATE_PERSON_ROLES) and (person is None or sees_person(user, person))


@rule("missing_episode.view")
def _view_missing(user, episode):
    from hoth.cases.models import MissingEpisode

    if episode is None:
        return user.has_role(*CASEWORK_ROLES)
    return _visible(visible_missing_episodes(user, MissingEpisode.objects.all()), episode)


@rule("missing_episode.update")
def _update_missing(user, episode):
    """Recording the return or the return home interview: those who may
    record an episode about the child and can see this one."""
    return user.has_role(*CREATE_PERSON_ROLES) and (episode is None or _view_missing(user, episode))


@rule("missing_episode.list")
def _list_missing(user, person):
    """A child's missing episodes: for those who see casework records about
    the child (coordinators, and those who work with the child)."""
    from hoth.people.models import Person

    if person is None:
        return user.has_role(*CASEWORK_ROLES)
    return _visible(_records_about_people(user, Person.objects.all(), person_field="pk"), person)


@rule("context.view")
def _view_context(user, context):
    from hoth.contexts.models import Context

    if context is None:
        return user.has_role(*CASEWORK_ROLES)
    return _visible(visible_contexts(user, Context.objects.all()), context)


@rule("context.create")
def _create_context(user, obj):
    """Whoever may raise a referral may record the place or group it is about;
    analysts record the places and groups intelligence is about."""
    return user.has_role(*CREATE_PERSON_ROLES, Role.ANALYST)


@rule("intelligence.submit")
def _submit_intelligence(user, obj):
    """Any partner practitioner submits intelligence (issue 5, section 2)."""
    return user.has_role(*CASEWORK_ROLES) and not user.is_service_account


@rule("intelligence.view")
def _view_intelligence(user, report):
    from hoth.intelligence.models import IntelligenceReport

    if report is None:
        return user.has_role(*CASEWORK_ROLES)
    return _visible(visible_intelligence(user, IntelligenceReport.objects.all()), report)


@rule("intelligence.view_original")
def _view_original(user, report):
    """The report as given (its text, who gave it, how they know): analysts,
    police and the submitter. Everyone else reads the sanitised version."""
    if report is not None and report.submitted_by_id == user.pk and report.source == report.Source.WEB:
        return True
    return reads_intelligence(user)


@rule("intelligence.grade")
def _grade(user, report):
    """Analysts grade intelligence, find its subjects and record its links."""
    return user.has_role(Role.ANALYST)


@rule("intelligence.import")
def _import_intelligence(user, obj):
    return user.has_role(Role.ANALYST)


@rule("subject.view")
def _view_subject(user, subject):
    from hoth.intelligence.models import Subject

    if subject is None:
        return works_with_intelligence(user)
    return _visible(visible_subjects(user, Subject.objects.all()), subject)


@rule("subject.manage")
def _manage_subject(user, subject):
    """Recording subjects, flagging them of concern, recording and deciding
    links: analysts."""
    return user.has_role(Role.ANALYST) and (subject is None or _view_subject(user, subject))


@rule("link.view")
def _view_link(user, link):
    from hoth.intelligence.models import Link

    if link is None:
        return works_with_intelligence(user)
    return _visible(visible_links(user, Link.objects.all()), link)


@rule("link.decide")
def _decide_link(user, link):
    return user.has_role(Role.ANALYST) and (link is None or _view_link(user, link))


@rule("network.view")
def _view_network(user, obj):
    return works_with_intelligence(user)


@rule("hotspots.view")
def _view_hotspots(user, obj):
    """The hotspot map and its pages: those who work with intelligence."""
    return works_with_intelligence(user)


@rule("problem_profile.export")
def _export_problem_profile(user, obj):
    """A problem profile pseudonymises children but still describes people and
    places of harm: for analysts, coordinators and panel chairs."""
    return works_with_intelligence(user)


@rule("disruption.view")
def _view_disruption(user, record):
    """A disruption plan, activity, breach or review (or None: may this user
    see any). Each model's visible_to knows which column leads to its subject."""
    if record is None:
        return works_with_intelligence(user)
    return _visible(type(record).objects.visible_to(user), record)


@rule("disruption.manage")
def _manage_disruption(user, subject):
    """Recording disruption against a subject (record: the Subject, or None):
    analysts and coordinators, for subjects they may see."""
    if not user.has_role(Role.ANALYST, Role.COORDINATOR):
        return False
    return subject is None or _view_subject(user, subject)


@rule("disruption.review")
def _review_disruption(user, plan):
    """Reviewing a disruption plan, at the panel or between panels."""
    if not user.has_role(Role.ANALYST, Role.COORDINATOR, Role.PANEL_CHAIR):
        return False
    return plan is None or _view_disruption(user, plan)


@rule("link_alert.view")
def _view_link_alert(user, alert):
    from hoth.intelligence.models import LinkAlert

    if alert is None:
        return user.has_role(*CASEWORK_ROLES)
    return _visible(visible_link_alerts(user, LinkAlert.objects.all()), alert)


@rule("jobs.view")
def _view_jobs(user, job):
    """Everyone has "Your jobs"; a job's page is for the person who asked."""
    return job is None or job.user_id == user.pk


@rule("job.cancel")
def _cancel_job(user, job):
    from hoth.jobs import registry

    if job is None:
        return True
    kind = registry.KINDS.get(job.kind)
    return job.user_id == user.pk and (kind is None or kind.cancellable)


@rule("job.download")
def _download_job(user, job):
    """The file a job made, for the person who asked, while they may still
    do what made it (the job kind's own rule, asked again at download)."""
    from hoth.jobs import registry

    if job is None:
        return True
    kind = registry.KINDS.get(job.kind)
    return (job.user_id == user.pk and kind is not None and bool(kind.download_action)
            and can(user, kind.download_action))


@rule("context.manage")
def _manage_context(user, context):
    """Level 2 work on a context (assessing it, planning for it, taking on the
    referrals about it): exploitation coordinators and analysts."""
    return user.has_role(Role.COORDINATOR, Role.ANALYST) and (context is None or _view_context(user, context))


@rule("context.review")
def _review_context(user, context):
    """Reviewing a context's plan: those who manage it, and the panel chair,
    whose panel reviews places of concern."""
    return (user.has_role(Role.COORDINATOR, Role.ANALYST, Role.PANEL_CHAIR)
            and (context is None or _view_context(user, context)))


@rule("context.record_incident")
def _record_incident(user, place):
    """Whoever records people or analyses places may record an incident at a place they can see."""
    return (user.has_role(*CREATE_PERSON_ROLES, Role.ANALYST)
            and (place is None or (place.kind in ("place", "school") and _view_context(user, place))))


# ------------------------------------------------------- information governance (issue 13)


def _data_protection_officer(user):
    return _signed_in(user) and not user.is_service_account and user.has_role(Role.AUDITOR)


def subject_access_people(user, people):
    """The whole register, for the data protection officer answering a
    subject access request: finding the person it is about. Auditors read no
    one's record otherwise (visible_people gives them nobody), and no other
    role's sight widens through this."""
    return people if _data_protection_officer(user) else people.none()


def subject_access_records(user, records):
    """Every agency's records about a person, for the data protection
    officer assembling what is held about them (referrals, casework,
    intelligence, disruption, meetings, notifications...), and for nothing
    else: the services that read through this check subject_access.manage on
    an open request first, and audit what they read."""
    return records if _data_protection_officer(user) else records.none()


def visible_retention_reviews(user, reviews):
    """The reviews of what the retention schedule says is due, and their
    items (references of records due for erasure): the data protection officer."""
    return reviews if _data_protection_officer(user) else reviews.none()


@rule("subject_access.manage")
def _manage_subject_access(user, request):
    """Recording a subject access request, finding its person, assembling and
    redacting the disclosure, exporting it and closing the request: the data
    protection officer (the auditor role)."""
    return _data_protection_officer(user)


@rule("retention.review")
def _review_retention(user, review):
    """Reading the retention reviews the daily job proposes, and approving or
    rejecting them: the data protection officer."""
    return _data_protection_officer(user)


@rule("retention.view_schedule")
def _view_retention_schedule(user, obj):
    """The retention schedule: the data protection officer who applies it and
    the system administrators who keep it (reference_data.manage changes it)."""
    return _data_protection_officer(user) or user.has_role(Role.SYSTEM_ADMIN)


def visible_users(user, users):
    """The accounts an administrator may manage."""
    if not _signed_in(user):
        return users.none()
    if user.has_role(Role.SYSTEM_ADMIN):
        return users
    if user.has_role(Role.AGENCY_ADMIN):
        # System administrators are managed only by their peers, even when they
        # sit in the agency administrator's own agency.
        return users.filter(agency_id=user.agency_id).exclude(role_assignments__role=Role.SYSTEM_ADMIN)
    return users.none()


def grant_break_glass(user, person, reason):
    """Record emergency access; the caller audits it and tells the lead professional."""
    from hoth.access.models import BreakGlass

    check(user, "person.break_glass", person)
    if person is None or not (reason or "").strip():
        # Emergency access is always to one person, and always for a stated reason.
        raise PermissionDenied("person.break_glass needs a person and a reason")
    now = timezone.now()
    return BreakGlass.objects.create(user=user, person=person, reason=reason, granted_at=now,
                                     expires_at=now + BREAK_GLASS_DURATION)
