"""The Protect side of the synthetic partnership: what happens to a child's
case after the front door opens it, and the monthly Child Exploitation
Operational Panel.

Built after the front door (hoth.synthetic.front_door) and the support
directory (hoth.synthetic.directory), from the same seed and ending on the
same day. For every case the front door opened: a case team from several
agencies (with the sharing decision that adding another agency's member
records), a contextual assessment, a safety and support plan moved on version
by version (goals, actions that are tasks, referrals to directory services,
the child's own words), reviews, contacts and notes, the closure of closed
cases (a few reopened) and, for exploited children, National Referral
Mechanism referrals. Then three years of monthly panels, each confirmed with
its attendance, sections, updates, decisions and actions, and the next one
planned with its proposed agenda.

Each case's history comes from its own random stream (seeded from the seed
and the case reference), so one case's rows never depend on another's or on
how the cases are batched. Rows are made the way the services make them
(hoth.cases.casework, hoth.plans.services, hoth.panels.services) but written
with COPY or bulk_create a batch of cases at a time, so memory stays bounded.
"""

import json
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import reset_queries

from hoth.accounts.models import Role, User
from hoth.cases import nrm as nrm_rules
from hoth.cases.models import (
    AssessedContext,
    Case,
    CaseMember,
    CaseNote,
    CaseStatusChange,
    ContextKind,
    ContextualAssessment,
    MissingEpisode,
    NrmReferral,
)
from hoth.contexts.models import Context
from hoth.directory.models import Service
from hoth.panels.agenda import meeting_day, panel_action_details
from hoth.panels.models import (
    AgencyContribution,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingAction,
    PanelDecision,
    Section,
)
from hoth.people.models import Address, Involvement, Person, SharingDecision
from hoth.plans.models import Goal, Plan, PlanAction, PlanVersion, Review, ServiceReferral
from hoth.plans.services import action_task_title, review_task_title
from hoth.screening.models import Screening
from hoth.tasks.models import Task

from . import data
from . import protect_text as text
from .chance import weighted
from .demo_users import DEMO_USERS, demo_email
from .front_door import LONDON, local
from .writing import write_rows

CASES_PER_BATCH = 500
FIRST_REVIEW_AFTER = (35, 49)  # days from the plan to its first review
REVIEW_EVERY = (84, 98)  # days between reviews
NOTE_EVERY = (7, 24)  # days between contacts
DEMO_NOTE_EVERY = (4, 9)
RESTRICTED_SHARE = 0.1
REOPENED_SHARE = 0.06  # of closed cases a child is back on within the year
NRM_HARMS = {"cce", "cse", "trafficking"}
PANEL_CHILDREN = (6, 12)  # at most this many children at High level discussed at one panel
PANEL_REFERRED = 8
PLAN_STATUS = {PlanAction.Status.DONE: Task.Status.DONE, PlanAction.Status.CANCELLED: Task.Status.CANCELLED}
MEMBER_AGENCIES = ["police", "education", "health", "youth_justice", "voluntary_sector"]
CLOSURE_REASONS = [("risk_reduced", 62), ("moved", 14), ("other", 8)]


def _at(day, rng, first=9, last=17):
    return local(day, rng.randint(first, last), rng.randrange(60))


def second_wednesday(year, month):
    day = date(year, month, 1)
    day += timedelta(days=(2 - day.weekday()) % 7)
    return day + timedelta(days=7)


@dataclass
class CaseInfo:
    pk: int
    reference: str
    person_id: int
    lead: int
    opened_at: object
    closed_at: object
    status: str
    harms: list = field(default_factory=list)
    reopen_at: object = None  # set for the few closed cases reopened
    nrm_late: bool = None  # set for cases with an NRM referral: whether its first decision is late

    def periods(self, now):
        """When the case was open: [(start, end)], end None while still open."""
        if self.reopen_at is not None:
            return [(self.opened_at, self.closed_at), (self.reopen_at, None)]
        return [(self.opened_at, self.closed_at if self.status == Case.Status.CLOSED else None)]

    def open_at(self, moment, now):
        return any(start <= moment and (end is None or moment < end) for start, end in self.periods(now))


class Protect:
    def __init__(self, generator, today):
        self.g = generator
        self.today = today
        self.now = local(today, 12)
        self.start = today - timedelta(days=365 * 3)
        self.rng = generator._stream("protect")
        self.counts = {}
        self.pending = []
        self.versions = []  # (PlanVersion, state) waiting for their plan's rows to have keys
        # Stock sentences recur (the same child's notes, goals, closures): each
        # distinct text is encrypted once, as the front door does for evidence.
        self.tokens = {}

    # ------------------------------------------------------------ running

    def run(self):
        self.load()
        self.choose_reopened()
        self.choose_nrm()
        for first in range(0, len(self.cases), CASES_PER_BATCH):
            for case in self.cases[first : first + CASES_PER_BATCH]:
                self.build_case(case)
            self.flush()
        self.mark_repeat_harm()
        self.make_panels()
        return self.counts

    # ------------------------------------------------------------ what the front door made

    def load(self):
        g = self.g
        users = User.objects.filter(pk__in=[s[1] for s in g.staff]).values_list("pk", "full_name", "agency_id")
        self.user_info = {pk: (name, agency_id) for pk, name, agency_id in users}
        self.agency_type = {a.pk: a.type for a in g.agencies.values()}
        self.agency_name = {a.pk: a.name for a in g.agencies.values()}
        demo = {demo_email(local_part) for local_part, *_ in DEMO_USERS}
        ids = {email: user_id for email, user_id, *_ in g.staff}
        self.demo_practitioner = ids[demo_email("practitioner")]
        self.demo_coordinator = ids[demo_email("coordinator")]
        self.demo_chair = ids[demo_email("panel-chair")]
        self.practitioners, self.by_agency, self.chairs, self.coordinators = {}, {}, [], []
        for email, user_id, agency, role, _ in g.staff:
            if role == Role.PANEL_CHAIR:
                self.chairs.append(user_id)
            elif role == Role.COORDINATOR:
                self.coordinators.append(user_id)
            elif role == Role.PRACTITIONER and email not in demo:
                # Demo users join no one else's team: what they see stays what the demo describes.
                self.practitioners.setdefault(agency.type, []).append(user_id)
                self.by_agency.setdefault(agency.pk, []).append(user_id)
        self.council = g.agencies[data.COUNCIL].pk
        self.police = g.agencies[data.POLICE].pk
        self.partnership = g.agencies[data.PARTNERSHIP].pk

        rows = Case.objects.order_by("opened_at", "pk").values_list(
            "pk", "reference", "person_id", "lead_professional_id", "opened_at", "closed_at", "status"
        )
        self.cases = [CaseInfo(*row) for row in rows]
        by_pk = {c.pk: c for c in self.cases}
        for case_id, code in Case.harm_types.through.objects.order_by("case_id", "harmtype__code").values_list(
            "case_id", "harmtype__code"
        ):
            by_pk[case_id].harms.append(code)
        self.case_by_pk = by_pk
        self.panel_referrals = list(
            AgendaItem.objects.filter(
                decision=Decision.REFER_TO_PANEL,
                meeting__kind=Meeting.Kind.SCREENING,
                meeting__status=Meeting.Status.CONFIRMED,
            )
            .order_by("meeting__starts_at", "position")
            .values_list("meeting__starts_at", "person_id")
        )
        people = sorted({c.person_id for c in self.cases} | {p for _, p in self.panel_referrals})
        self.people = {
            pk: (given.split()[0], ref, dob, school)
            for pk, given, ref, dob, school in Person.objects.filter(pk__in=people).values_list(
                "pk", "given_names", "reference", "date_of_birth", "school_id"
            )
        }
        self.towns = dict(
            Address.objects.filter(person__in=people, valid_to__isnull=True)
            .order_by("person_id", "valid_from")
            .values_list("person_id", "town")
        )
        self.episodes = {}
        for person_id, started in (
            MissingEpisode.objects.filter(person__in=people)
            .order_by("person_id", "started_at")
            .values_list("person_id", "started_at")
        ):
            self.episodes.setdefault(person_id, []).append(started)
        self.screenings = {}  # person -> ([completed_at], [level])
        for person_id, at, level in (
            Screening.objects.completed()
            .filter(person__in=people)
            .order_by("person_id", "completed_at", "pk")
            .values_list("person_id", "completed_at", "level")
        ):
            times, levels = self.screenings.setdefault(person_id, ([], []))
            times.append(at)
            levels.append(level)
        self.contexts = {}  # (town, kind) -> [(pk, reference, name)]
        for pk, town, kind, ref, name in Context.objects.order_by("pk").values_list(
            "pk", "town", "kind", "reference", "name"
        ):
            self.contexts.setdefault((town, kind), []).append((pk, ref, name))
        self.places = [
            c for (town, kind), found in sorted(self.contexts.items()) if kind == Context.Kind.PLACE for c in found
        ]
        self.services = []
        harms_of = {}
        for service_id, code in Service.harm_types.through.objects.order_by("service_id").values_list(
            "service_id", "harmtype__code"
        ):
            harms_of.setdefault(service_id, set()).add(code)
        for pk, name, provider, towns, wide, age_min, age_max in (
            Service.objects.filter(is_published=True, for_children=True, professional_referral=True)
            .order_by("pk")
            .values_list("pk", "name", "provider", "towns", "area_wide", "age_min", "age_max")
        ):
            self.services.append((pk, name, provider, set(towns), wide, age_min, age_max, harms_of.get(pk, set())))
        self.nrm_decided = set(
            AgendaItem.objects.filter(decision=Decision.NRM_REFERRAL).values_list("person_id", flat=True)
        )
        youngest = g.anchor_date - timedelta(days=int(18 * 365.25))
        self.adults_of_concern = list(
            Person.objects.filter(
                true_identity__is_primary=True, intelligence_subject=True, date_of_birth__lte=youngest
            )
            .order_by("true_identity__cluster_id")
            .values_list("pk", "reference")[:200]
        )

    def choose_reopened(self):
        """A few children back on their case within a year of its closing: the
        case's last, closed less than a year ago, and no other case open."""
        latest = {}
        for case in self.cases:
            latest[case.person_id] = case
        candidates = [
            c
            for c in self.cases
            if latest[c.person_id] is c
            and c.status == Case.Status.CLOSED
            and self.now - timedelta(days=330) < c.closed_at < self.now - timedelta(days=21)
        ]
        n = min(len(candidates), max(1, round(len(candidates) * REOPENED_SHARE))) if candidates else 0
        for case in sorted(self.rng.sample(candidates, n), key=lambda c: c.pk):
            room = (self.now - timedelta(days=7) - case.closed_at).days
            case.reopen_at = case.closed_at + timedelta(
                days=self.rng.randint(14, max(14, room)), hours=self.rng.randint(0, 6)
            )

    def choose_nrm(self):
        """Exploited children referred to the NRM: those the screening meeting
        decided to refer, and a few more; about one in three decided late."""
        candidates = [c for c in self.cases if set(c.harms) & NRM_HARMS and c.opened_at.date() < self.today]
        chosen = [c for c in candidates if c.person_id in self.nrm_decided]
        others = [c for c in candidates if c.person_id not in self.nrm_decided]
        wanted = max(min(3, len(candidates)) - len(chosen), round(len(others) * 0.1))
        chosen += self.rng.sample(others, min(len(others), wanted))
        for n, case in enumerate(sorted(chosen, key=lambda c: (c.opened_at, c.pk))):
            case.nrm_late = n % 3 == 1

    # ------------------------------------------------------------ one case

    def _fill(self, case, rng):
        name, ref, dob, school = self.people[case.person_id]
        town = self.towns.get(case.person_id, "Crewe")
        places = self.contexts.get((town, Context.Kind.PLACE)) or self.places
        return {
            "name": name,
            "town": town,
            "place": rng.choice(places)[2] if places else town,
            "street": rng.choice(data.STREET_NAMES),
            "who": self.user_info[case.lead][0],
            "city": rng.choice(["Stoke-on-Trent", "Manchester", "Liverpool", "Birmingham"]),
            "platform": rng.choice(data.ONLINE_PLATFORMS),
        }

    def build_case(self, case):
        rng = self.g._stream(f"protect-case:{case.reference}")
        fill = self._fill(case, rng)
        periods = case.periods(self.now)
        demo = case.lead == self.demo_practitioner and case.status == Case.Status.OPEN
        team = self._team(rng, case, fill)
        self._assessment(rng, case, fill, team)
        self._plan(rng, case, fill, team, periods, demo)
        self._notes(rng, case, fill, team, periods, demo)
        if case.status == Case.Status.CLOSED or case.reopen_at is not None:
            self._closure(rng, case, fill)
        if case.reopen_at is not None:
            self._reopening(rng, case, fill)
        if case.nrm_late is not None:
            self._nrm(rng, case)
        self._count("Case (built out)", 1)

    def _team(self, rng, case, fill):
        """The lead professional and two to four others, each from another
        agency through a sharing decision. Returns [(user, agency, added_at, removed_at)]."""
        lead_agency = self.user_info[case.lead][1]
        team = [(case.lead, lead_agency, case.opened_at, None)]
        school = self.people[case.person_id][3]
        wanted = [kind for kind in MEMBER_AGENCIES if kind != self.agency_type[lead_agency]]
        rng.shuffle(wanted)
        wanted = ["police"] + [k for k in wanted if k != "police"] if set(case.harms) & NRM_HARMS else wanted
        limit = min(case.closed_at or self.now, self.now) if case.reopen_at is None else self.now
        for kind in wanted[: rng.randint(2, 4)]:
            pool = self.by_agency.get(school) if kind == "education" else self.practitioners.get(kind)
            if not pool:
                continue
            user = rng.choice(pool)
            if any(user == t[0] for t in team):
                continue
            agency = self.user_info[user][1]
            added = case.opened_at + timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 5))
            if added >= limit:
                continue
            removed = None
            if rng.random() < 0.12 and (limit - added).days > 30:
                removed = added + timedelta(days=rng.randint(20, (limit - added).days))
            sharing = None
            fill_agency = {**fill, "agency": self.agency_name[agency]}
            if agency != lead_agency:
                consent = weighted(rng, [("given", 60), ("refused", 10), ("not_sought", 30)])
                given = consent == SharingDecision.Consent.GIVEN
                sharing = SharingDecision(
                    person_id=case.person_id,
                    shared=True,
                    shared_with_user_id=user,
                    what=text.SHARING_WHAT.format(**fill_agency),
                    why=text.SHARING_WHY.format(**fill_agency),
                    lawful_basis=SharingDecision.LawfulBasis.CONSENT
                    if given
                    else weighted(
                        rng,
                        [
                            (SharingDecision.LawfulBasis.PUBLIC_TASK, 85),
                            (SharingDecision.LawfulBasis.LEGAL_OBLIGATION, 15),
                        ],
                    ),
                    consent=consent,
                    decided_by_id=case.lead,
                    decided_at=added,
                    consent_not_sought_reason="" if given else rng.choice(text.CONSENT_REASONS[consent]).format(**fill),
                )
                self._keep(SharingDecision, sharing)
            involvement = Involvement(
                person_id=case.person_id,
                user_id=user,
                sharing_decision=sharing,
                kind=Involvement.Kind.SHARED if sharing else Involvement.Kind.TEAM,
                started_at=added,
                ended_at=removed,
            )
            self._keep(Involvement, involvement)
            self._keep(
                CaseMember,
                CaseMember(
                    case_id=case.pk,
                    user_id=user,
                    agency_id=agency,
                    role=rng.choice(text.ROLES[self.agency_type[agency]]),
                    added_by_id=case.lead,
                    added_at=added,
                    removed_at=removed,
                    removed_by_id=case.lead if removed else None,
                    sharing_decision=sharing,
                    involvement=involvement,
                ),
            )
            team.append((user, agency, added, removed))
        return team

    def _assessment(self, rng, case, fill, team):
        harm = case.harms[0] if case.harms else "other"
        limit = min(case.closed_at or self.now, self.now)
        written = case.opened_at + timedelta(days=rng.randint(5, 18), hours=rng.randint(0, 4))
        versions = [written] if written < limit else []
        later = written + timedelta(days=rng.randint(60, 140))
        if versions and later < limit and rng.random() < 0.45:
            versions.append(later)
        for number, at in enumerate(versions, start=1):
            primary = weighted(rng, text.PRIMARY_CONTEXT.get(harm, text.PRIMARY_CONTEXT["other"]))
            assessment = ContextualAssessment(
                case_id=case.pk,
                number=number,
                primary_context=primary,
                primary_reason=text.PRIMARY_REASON[primary].format(**fill),
                written_by_id=case.lead,
                written_at=at,
            )
            self._keep(ContextualAssessment, assessment)
            for kind in ContextKind.values:
                described = kind == primary or rng.random() < 0.7
                entry = AssessedContext(
                    assessment=assessment,
                    kind=kind,
                    strengths=rng.choice(text.STRENGTHS[kind]).format(**fill)
                    if described and rng.random() < 0.8
                    else "",
                    risks=rng.choice(text.RISKS[kind]).format(**fill) if described else "",
                )
                self._keep(AssessedContext, entry)
                context_kind = {
                    "neighbourhood": Context.Kind.PLACE,
                    "peers": Context.Kind.PEER_GROUP,
                    "online": Context.Kind.ONLINE,
                }.get(kind)
                found = self.contexts.get((fill["town"], context_kind)) if context_kind and described else None
                if found:
                    for pk, _, _ in rng.sample(found, min(len(found), rng.randint(1, 2))):
                        self._keep(
                            AssessedContext.contexts.through,
                            AssessedContext.contexts.through(assessedcontext=entry, context_id=pk),
                        )

    # -- the plan

    def _services_for(self, rng, case, fill):
        dob = self.people[case.person_id][2]
        age = (case.opened_at.date() - dob).days // 365 if dob else 14
        town = fill["town"]
        fits = [s for s in self.services if (s[4] or town in s[3]) and s[5] <= age <= s[6]]
        matching = [s for s in fits if s[7] & set(case.harms)]
        pool = matching + fits if matching else fits
        chosen = []
        for _ in range(rng.randint(1, 3)):
            if not pool:
                break
            service = rng.choice(pool[: len(matching) + 6] if matching else pool)
            if service not in chosen:
                chosen.append(service)
        return chosen

    def _plan(self, rng, case, fill, team, periods, demo):
        """The plan, moved on a version at a time as the services would: its
        words and goals, each action (and its task), each service referral and
        each change of their status, and each review's next date."""
        limit = min(periods[-1][1] or self.now, self.now)
        written = case.opened_at + timedelta(days=rng.randint(3, 10), hours=rng.randint(0, 5))
        if written >= limit:
            return []
        lead = case.lead
        plan = Plan(case_id=case.pk, updated_by_id=lead)
        state = {
            "child_wants": rng.choice(text.CHILD_WANTS).format(**fill),
            "child_trusts": rng.choice(text.CHILD_TRUSTS).format(**fill),
            "family_views": rng.choice(text.FAMILY_VIEWS).format(**fill),
            "review_date": None,
            "goals": [],
            "actions": [],
            "services": [],
        }
        goals = [g.format(**fill) for g in rng.sample(text.GOALS, rng.randint(3, 4))]
        events = []  # (at, order, kind, payload)
        first_review = (written + timedelta(days=rng.randint(*FIRST_REVIEW_AFTER))).date()
        events.append((written, 0, "words", {"goals": goals, "review_date": first_review}))
        # Actions: some at the start, more after each review.
        action_times = [written + timedelta(minutes=10 * n) for n in range(rng.randint(2, 4))]
        for at in action_times:
            events.append((at, 1, "action", {}))
        for service in self._services_for(rng, case, fill):
            at = written + timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 4))
            if at < limit:
                events.append((at, 2, "service", {"service": service}))
        # Reviews, on the schedule each review sets, while the case is open.
        reviews = []
        period_start = case.opened_at.astimezone(LONDON).date()
        scheduled = first_review
        for n_period, (start, stop) in enumerate(periods):
            if n_period:
                scheduled = (start + timedelta(days=rng.randint(*FIRST_REVIEW_AFTER))).date()
                period_start = reviews[-1][0] if reviews else period_start
                events.append(
                    (start + timedelta(days=2), 0, "words", {"review_date": scheduled, "what": "Changed review date"})
                )
                events.append((start + timedelta(days=2, minutes=5), 1, "action", {}))
            stop_day = min((stop or self.now).date(), self.today)
            while scheduled <= stop_day:
                if stop is None and scheduled > self.today - timedelta(days=30) and rng.random() < 0.12:
                    break  # this review is overdue: not held yet
                held = scheduled + timedelta(days=rng.randint(-3, 8))
                held = max(min(held, stop_day if stop is None else stop_day - timedelta(days=1)), period_start)
                if stop is not None and held >= stop_day:
                    break
                next_date = held + timedelta(days=rng.randint(*REVIEW_EVERY))
                at = _at(held, rng, 10, 15)
                if at >= limit and stop is None:
                    at = limit - timedelta(minutes=30)
                if at < written:
                    break
                reviews.append((held, scheduled, next_date, at, period_start))
                events.append(
                    (at, 3, "review", {"held": held, "scheduled": scheduled, "next": next_date, "start": period_start})
                )
                if rng.random() < 0.6:
                    events.append((at + timedelta(minutes=20), 4, "action", {}))
                period_start = held
                scheduled = next_date
        if demo:
            # The demo practitioner's plans: each review due within the week, or just overdue.
            scheduled = self.today + timedelta(days=rng.choice([-2, 3, 6]))
        events.sort(key=lambda e: (e[0], e[1]))

        version = 0
        actions, referrals, review_tasks = [], [], []
        trend = weighted(rng, [("better", 60), ("same", 25), ("worse", 15)])
        safe, wellbeing = rng.randint(2, 5), rng.randint(2, 6)
        attendance = rng.uniform(45, 85)
        school = self.people[case.person_id][3]
        queue = list(events)
        i = 0
        while i < len(queue):
            at, _, kind, payload = queue[i]
            i += 1
            if at >= limit:
                continue
            saved_by, what = lead, ""
            if kind == "words":
                if "goals" in payload:
                    state["goals"] = payload["goals"]
                    what = "Changed goals, what the child wants, who the child trusts, the family's views, review date"
                else:
                    what = payload.get("what", "Changed review date")
                state["review_date"] = payload["review_date"]
            elif kind == "action":
                owner, agency, *_ = rng.choice(
                    [t for t in team if t[2] <= at and (t[3] is None or t[3] > at)] or team[:1]
                )
                agency_kind = self.agency_type[agency]
                words = rng.choice(text.ACTIONS.get(agency_kind, text.ACTIONS["other"]))
                what_text = words.format(
                    service=state["services"][0][0].service_name if state["services"] else "a youth service", **fill
                )
                due = at.date() + timedelta(days=rng.randint(14, 70))
                if demo and at > self.now - timedelta(days=45):
                    # The demo's recent actions fall due around today: some just overdue.
                    due = max(
                        at.date() + timedelta(days=7), self.today + timedelta(days=rng.choice([-6, -2, 4, 9, 15]))
                    )
                task = Task(
                    title=action_task_title(case),
                    details=what_text,
                    owner_id=owner,
                    owner_agency_id=agency,
                    due_date=due,
                    person_id=case.person_id,
                    case_id=case.pk,
                    created_by_id=lead,
                    created_at=at,
                )
                action = PlanAction(
                    plan=plan, what=what_text, owner_id=owner, agency_id=agency, due_date=due, task=task, created_at=at
                )
                action.owner_name, action.agency_name = self.user_info[owner][0], self.agency_name[agency]
                actions.append(action)
                state["actions"].append([action, PlanAction.Status.TO_DO])
                what = f"Added an action for {action.owner_name} ({action.agency_name})"
                self._settle_action(rng, action, state, queue, i, limit, demo)
            elif kind == "action_status":
                entry, status = payload["entry"], payload["status"]
                entry[1] = status
                saved_by = entry[0].owner_id if payload.get("by_owner") else lead
                what = (
                    f"{self.user_info[saved_by][0]} marked their action {PlanAction.Status(status).label.lower()}"
                    if payload.get("by_owner")
                    else f"Changed an action's status to {PlanAction.Status(status).label.lower()}"
                )
            elif kind == "service":
                service = payload["service"]
                if any(r.service_id == service[0] for r, _ in state["services"]):
                    continue
                status = ServiceReferral.Status.PROPOSED if rng.random() < 0.3 else ServiceReferral.Status.REFERRED
                referral = ServiceReferral(
                    plan=plan,
                    service_id=service[0],
                    status=status,
                    proposed_on=at.date(),
                    referred_by_id=lead,
                    updated_at=at,
                    note=rng.choice(text.SERVICE_NOTES).format(**fill),
                )
                referral.service_name, referral.provider = service[1], service[2]
                if status == ServiceReferral.Status.REFERRED:
                    referral.referred_on = at.date()
                referrals.append(referral)
                state["services"].append([referral, status])
                what = f"Added {service[1]} ({ServiceReferral.Status(status).label.lower()})"
                self._settle_referral(rng, referral, state, queue, i, limit)
            elif kind == "service_status":
                entry, status = payload["entry"], payload["status"]
                entry[1] = status
                referral = entry[0]
                if status != ServiceReferral.Status.PROPOSED and referral.referred_on is None:
                    referral.referred_on = at.date()
                stamp = ServiceReferral.DATE_FOR_STATUS.get(status)
                if stamp:
                    setattr(referral, stamp, at.date())
                referral.status, referral.updated_at = status, at
                what = f"{referral.service_name}: {ServiceReferral.Status(status).label.lower()}"
            elif kind == "review":
                held, start = payload["held"], payload["start"]
                if trend == "better":
                    safe, wellbeing = min(10, safe + rng.randint(0, 2)), min(10, wellbeing + rng.randint(0, 2))
                    attendance = min(99, attendance + rng.uniform(0, 8))
                elif trend == "worse":
                    safe, wellbeing = max(1, safe - rng.randint(0, 1)), max(1, wellbeing - rng.randint(0, 1))
                    attendance = max(10, attendance - rng.uniform(0, 10))
                else:
                    safe = min(10, max(0, safe + rng.randint(-1, 1)))
                took_part = rng.random() < 0.85
                episodes = self.episodes.get(case.person_id, [])
                missing = sum(1 for e in episodes if start < e.astimezone(at.tzinfo).date() <= held)
                self._keep(
                    Review,
                    Review(
                        case_id=case.pk,
                        held_on=held,
                        plan_version=version,
                        child_feels_safe=safe if took_part else None,
                        child_wellbeing=wellbeing if took_part else None,
                        practitioner_rating=min(10, max(0, (safe + wellbeing) // 2 + rng.randint(-1, 1))),
                        school_attendance=Decimal(f"{attendance:.1f}") if school else None,
                        missing_episodes_since_last=missing,
                        period_start=start,
                        what_changed=rng.choice(text.REVIEW_CHANGED[trend]).format(**fill),
                        next_review_date=payload["next"],
                        recorded_by_id=lead,
                        recorded_at=at,
                    ),
                )
                review_tasks.append(
                    Task(
                        title=review_task_title(case),
                        owner_id=lead,
                        owner_agency_id=self.user_info[lead][1],
                        due_date=payload["scheduled"],
                        status=Task.Status.DONE,
                        completed_at=at,
                        person_id=case.person_id,
                        case_id=case.pk,
                        created_by_id=lead,
                        created_at=at - timedelta(days=(held - start).days),
                    )
                )
                state["review_date"] = payload["next"]
                what = f"The review of {held:%-d %B %Y} set the next review date"
            version += 1
            self.versions.append(
                (
                    PlanVersion(plan=plan, number=version, saved_by_id=saved_by, saved_at=at, what_changed=what[:300]),
                    self._state_copy(state),
                )
            )
            plan.updated_at, plan.updated_by_id = at, saved_by
        if version == 0:
            return reviews
        if demo:
            state["review_date"] = scheduled
            self.versions[-1][1]["review_date"] = scheduled
        plan.version = version
        plan.child_wants, plan.child_trusts = state["child_wants"], state["child_trusts"]
        plan.family_views, plan.review_date = state["family_views"], state["review_date"]
        still_open = case.status == Case.Status.OPEN or case.reopen_at is not None
        if plan.review_date is not None:
            pending = Task(
                title=review_task_title(case),
                owner_id=lead,
                owner_agency_id=self.user_info[lead][1],
                due_date=plan.review_date,
                status=Task.Status.OPEN if still_open else Task.Status.CANCELLED,
                person_id=case.person_id,
                case_id=case.pk,
                created_by_id=lead,
                created_at=plan.updated_at,
            )
            review_tasks.append(pending)
            if still_open:
                plan.review_task = pending
        for task in review_tasks:
            self._keep(Task, task)
        for action in actions:
            self._keep(Task, action.task)
        self._keep(Plan, plan)
        for position, goal in enumerate(state["goals"]):
            self._keep(Goal, Goal(plan=plan, text=goal, position=position))
        for action in actions:
            self._keep(PlanAction, action)
        for referral in referrals:
            self._keep(ServiceReferral, referral)
        return reviews

    @staticmethod
    def _state_copy(state):
        return {
            **state,
            "goals": list(state["goals"]),
            "actions": [(a, status) for a, status in state["actions"]],
            "services": [(r, status) for r, status in state["services"]],
        }

    def _insert(self, queue, start, event):
        """Put a later event into the queue in time order (only after `start`)."""
        at = event[0]
        n = start
        while n < len(queue) and (queue[n][0], queue[n][1]) <= (at, event[1]):
            n += 1
        queue.insert(n, event)

    def _settle_action(self, rng, action, state, queue, i, limit, demo):
        """Where the action got to by today: most finished by the owner
        around their due date, a few cancelled, some still to do."""
        entry = state["actions"][-1]
        due = local(action.due_date, 16)
        closed = limit < self.now
        if closed and due > limit:
            status = PlanAction.Status.CANCELLED  # the case closed first
        elif due > self.now or demo and action.due_date >= self.today - timedelta(days=10):
            status = rng.choice([PlanAction.Status.TO_DO, PlanAction.Status.IN_PROGRESS])
            if not demo and rng.random() < 0.25:
                status = PlanAction.Status.DONE
        elif closed:
            status = weighted(rng, [(PlanAction.Status.DONE, 92), (PlanAction.Status.CANCELLED, 8)])
        else:
            status = weighted(
                rng,
                [
                    (PlanAction.Status.DONE, 84),
                    (PlanAction.Status.CANCELLED, 4),
                    (PlanAction.Status.IN_PROGRESS, 6),
                    (PlanAction.Status.TO_DO, 6),
                ],
            )
        action.status = status
        task = action.task
        task.status = PLAN_STATUS.get(status, Task.Status.OPEN)
        if status == PlanAction.Status.IN_PROGRESS:
            started = action.created_at + (min(due, limit) - action.created_at) * rng.uniform(0.1, 0.5)
            self._insert(queue, i, (started, 5, "action_status", {"entry": entry, "status": status}))
        elif status in (PlanAction.Status.DONE, PlanAction.Status.CANCELLED):
            latest = min(limit, due + timedelta(days=5), self.now - timedelta(hours=1))
            done = action.created_at + (latest - action.created_at) * rng.uniform(0.3, 1.0)
            if status == PlanAction.Status.DONE:
                task.completed_at = done
                task.completed_note = "Done."
            self._insert(
                queue, i, (done, 5, "action_status", {"entry": entry, "status": status, "by_owner": rng.random() < 0.6})
            )

    def _settle_referral(self, rng, referral, state, queue, i, limit):
        entry = state["services"][-1]
        at = local(referral.proposed_on, 11)
        path = [ServiceReferral.Status.REFERRED] if referral.status == ServiceReferral.Status.PROPOSED else []
        path += [weighted(rng, [(ServiceReferral.Status.ACCEPTED, 80), (ServiceReferral.Status.DECLINED, 20)])]
        if path[-1] == ServiceReferral.Status.ACCEPTED:
            path += [ServiceReferral.Status.STARTED, ServiceReferral.Status.FINISHED]
        gaps = {
            ServiceReferral.Status.REFERRED: (1, 10),
            ServiceReferral.Status.ACCEPTED: (5, 21),
            ServiceReferral.Status.DECLINED: (5, 21),
            ServiceReferral.Status.STARTED: (5, 20),
            ServiceReferral.Status.FINISHED: (60, 150),
        }
        for status in path:
            at = at + timedelta(days=rng.randint(*gaps[status]), hours=rng.randint(0, 3))
            if at >= limit:
                break
            self._insert(queue, i, (at, 6, "service_status", {"entry": entry, "status": status}))

    # -- notes

    def _notes(self, rng, case, fill, team, periods, demo):
        every = DEMO_NOTE_EVERY if demo else NOTE_EVERY
        agencies = ", ".join(sorted({self.agency_name[t[1]] for t in team}))
        for start, stop in periods:
            stop = min(stop or self.now, self.now)
            day = start.astimezone(LONDON).date() + timedelta(days=rng.randint(1, 5))
            while local(day, 18) < stop:
                present = [t for t in team if t[2].date() <= day and (t[3] is None or t[3].date() > day)]
                author, agency, *_ = team[0] if rng.random() < 0.65 or len(present) < 2 else rng.choice(present[1:])
                agency_kind = self.agency_type[agency]
                kind = weighted(rng, [("visit", 40), ("phone", 25), ("meeting", 18), ("online", 10), ("other", 7)])
                happened = _at(day, rng, 9, 17)
                restricted = (
                    rng.random() < RESTRICTED_SHARE and agency_kind in ("police", "health") or (rng.random() < 0.02)
                )
                note_fill = {**fill, "agencies": agencies}
                if restricted:
                    what = rng.choice(text.RESTRICTED_WHAT.get(agency_kind, text.RESTRICTED_WHAT["other"]))
                else:
                    what = rng.choice(text.NOTE_WHAT[kind])
                written = min(happened + timedelta(hours=rng.randint(1, 30)), self.now - timedelta(minutes=5))
                note = CaseNote(
                    case_id=case.pk,
                    happened_on=day,
                    happened_at=happened,
                    kind=kind,
                    who=rng.choice(text.NOTE_WHO[kind]).format(**note_fill),
                    what=what.format(**note_fill),
                    is_restricted=restricted,
                    author_id=author,
                    author_agency_id=agency,
                    written_at=max(written, happened),
                )
                self._keep(CaseNote, note)
                if restricted:
                    named = [agency]
                    if agency_kind == "health" and self.council != agency:
                        named.append(self.user_info[case.lead][1])  # "restricted to health and the lead agency"
                    for agency_id in sorted(set(named)):
                        self._keep(
                            CaseNote.restricted_to.through,
                            CaseNote.restricted_to.through(casenote=note, agency_id=agency_id),
                        )
                day += timedelta(days=rng.randint(*every))

    # -- closure, reopening, NRM

    def _closure(self, rng, case, fill):
        dob = self.people[case.person_id][2]
        turned_18 = dob is not None and (case.closed_at.date() - dob).days >= int(17.75 * 365.25)
        reason = "turned_18" if turned_18 else weighted(rng, CLOSURE_REASONS)
        area = rng.choice(text.RECEIVING_AREAS)
        closure_fill = {**fill, "area": area}
        change = CaseStatusChange(
            case_id=case.pk,
            kind=CaseStatusChange.Kind.CLOSED,
            reason=reason,
            outcome_summary=rng.choice(text.OUTCOME[reason]).format(**closure_fill),
            by_id=case.lead,
            at=case.closed_at,
        )
        if reason == "moved":
            change.receiving_area = area
            change.transfer_summary = text.TRANSFER_SUMMARY.format(**fill)
        elif reason == "turned_18":
            change.adult_services_transition = text.ADULT_TRANSITION.format(**fill)
        elif reason == "other":
            change.reason_other = rng.choice(text.REASON_OTHER)
        self._keep(CaseStatusChange, change)
        self._count(f"Case closed ({reason})", 1)

    def _reopening(self, rng, case, fill):
        self._keep(
            CaseStatusChange,
            CaseStatusChange(
                case_id=case.pk,
                kind=CaseStatusChange.Kind.REOPENED,
                by_id=case.lead,
                at=case.reopen_at,
                reopen_reason=rng.choice(text.REOPEN_REASON).format(**fill),
            ),
        )
        self._count("Case reopened", 1)

    def _nrm(self, rng, case):
        referred = min((case.opened_at + timedelta(days=rng.randint(0, 21))).date(), self.today)
        route = NrmReferral.Route.DEVOLVED if rng.random() < 0.3 else NrmReferral.Route.NATIONAL
        due = nrm_rules.rg_due(referred, route)
        if case.nrm_late:
            rg = due + timedelta(days=rng.randint(1, 40))
        else:
            rg = referred + timedelta(days=rng.randint(1, max(1, (due - referred).days)))
        row = NrmReferral(
            case_id=case.pk,
            person_id=case.person_id,
            referred_on=referred,
            route=route,
            first_responder=self.agency_name[self.police if rng.random() < 0.6 else self.council],
            recorded_by_id=case.lead,
            recorded_at=local(referred, 15),
        )
        if rg <= self.today:
            row.rg_decided_on = rg
            row.rg_outcome = weighted(rng, [(NrmReferral.Outcome.POSITIVE, 85), (NrmReferral.Outcome.NEGATIVE, 15)])
            if row.rg_outcome == NrmReferral.Outcome.POSITIVE and rng.random() < 0.8:
                cg = rg + timedelta(days=nrm_rules.CG_EARLIEST_DAYS_AFTER_RG + rng.randint(10, 300))
                if cg <= self.today:
                    row.cg_decided_on = cg
                    row.cg_outcome = weighted(
                        rng, [(NrmReferral.Outcome.POSITIVE, 75), (NrmReferral.Outcome.NEGATIVE, 25)]
                    )
        self._keep(NrmReferral, row)
        self._count(
            "NrmReferral (reasonable grounds late)"
            if nrm_rules.flags(row, self.today).rg_late
            else "NrmReferral (reasonable grounds on time)",
            1,
        )

    # ------------------------------------------------------------ after every case

    def mark_repeat_harm(self):
        """A case opened within 12 months of the child's earlier case closing,
        or reopened within 12 months of closing, is repeat harm (the flag
        open_case and reopen_case set)."""
        from hoth.cases.flags import REPEAT_HARM_WINDOW

        last_closed, repeat = {}, []
        for case in self.cases:
            closed = last_closed.get(case.person_id)
            if closed is not None and case.opened_at - closed <= REPEAT_HARM_WINDOW:
                repeat.append(case.pk)
            if case.reopen_at is not None:
                repeat.append(case.pk)
            if case.closed_at is not None:
                last_closed[case.person_id] = case.closed_at
        reopened = [c for c in self.cases if c.reopen_at is not None]
        for case in reopened:
            # Opened, closed and reopened: the case has moved on two versions.
            Case.objects.filter(pk=case.pk).update(status=Case.Status.OPEN, closed_at=None, version=3)
            Involvement.objects.filter(
                person_id=case.person_id,
                user_id=case.lead,
                kind=Involvement.Kind.LEAD_PROFESSIONAL,
                ended_at=case.closed_at,
            ).update(ended_at=None)
        for first in range(0, len(repeat), 5000):
            Case.objects.filter(pk__in=repeat[first : first + 5000]).update(repeat_harm=True)
        self._count("Case (repeat harm)", len(set(repeat)))

    # ------------------------------------------------------------ the panel

    def _latest_level(self, person_id, moment):
        times, levels = self.screenings.get(person_id, ((), ()))
        n = bisect_left(times, moment)
        return levels[n - 1] if n else None

    def make_panels(self):
        days = []
        year, month = self.start.year, self.start.month
        while True:
            day = second_wednesday(year, month)
            if day >= self.start:
                days.append(day)
            if local(day, 10) > self.now:
                break
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        last = None
        for day in days[:-1]:
            self._panel(local(day, 10), last)
            last = local(day, 10)
        self.flush()
        self._upcoming_panel(local(days[-1], 10))

    def _panel(self, moment, last):
        rng = self.g._stream(f"panel:{moment.date().isoformat()}")
        chair = self.demo_chair if rng.random() < 0.75 or len(self.chairs) < 2 else rng.choice(self.chairs)
        meeting = Meeting(
            kind=Meeting.Kind.PANEL,
            starts_at=moment,
            location=rng.choice(text.PANEL_LOCATIONS),
            chair_id=chair,
            created_by_id=self.demo_coordinator,
            created_at=moment - timedelta(days=rng.randint(14, 28)),
            status=Meeting.Status.CONFIRMED,
            confirmed_at=moment + timedelta(hours=rng.randint(3, 48)),
            confirmed_by_id=chair,
        )
        meeting.confirmed_at = min(meeting.confirmed_at, self.now - timedelta(minutes=10))
        self._keep(Meeting, meeting)
        self._count("Meeting (panel, confirmed)", 1)
        present = self._panel_attendance(rng, meeting, chair)
        # The sections, in the panel's order.
        referred = []
        for at, person_id in self.panel_referrals:
            if (last is None or at > last) and at < moment and person_id not in referred:
                referred.append(person_id)
        referred = referred[:PANEL_REFERRED]
        open_cases = {}
        for case in self.cases:
            if case.open_at(moment, self.now):
                open_cases[case.person_id] = case
        high = [p for p in sorted(open_cases) if p not in referred and self._latest_level(p, moment) == "high"]
        high = sorted(rng.sample(high, min(len(high), rng.randint(*PANEL_CHILDREN))))
        items = [(Section.HIGH, {"person_id": p}) for p in high]
        items += [(Section.REFERRED, {"person_id": p}) for p in referred]
        for pk, ref in rng.sample(self.adults_of_concern, min(len(self.adults_of_concern), rng.randint(1, 2))):
            items.append((Section.PERSON, {"person_id": pk, "_ref": ref}))
        for pk, ref, _ in rng.sample(self.places, min(len(self.places), rng.randint(1, 2))):
            items.append((Section.PLACE, {"context_id": pk, "_ref": ref}))
        items.append(
            (
                Section.THEME,
                {
                    "theme": rng.choice(text.THEMES).format(
                        town=rng.choice(data.TOWNS).name,
                        city=rng.choice(["Stoke-on-Trent", "Manchester", "Liverpool"]),
                        platform=rng.choice(data.ONLINE_PLATFORMS),
                    )
                },
            )
        )
        when = meeting_day(moment)
        for position, (section, subject) in enumerate(items, start=1):
            ref = subject.pop("_ref", None)
            child = subject.get("person_id") if section in (Section.HIGH, Section.REFERRED) else None
            if child is not None:
                ref = self.people[child][1]
            ref = ref or subject.get("theme")
            decision = self._panel_decision(rng, section)
            item = AgendaItem(
                meeting=meeting,
                position=position,
                status=AgendaItem.Status.ACCEPTED,
                section=section,
                panel_decision=decision,
                decided_by_id=chair,
                decided_at=moment + timedelta(minutes=8 * position),
                rationale=text.PANEL_RATIONALE[decision].format(subject=ref),
                **subject,
            )
            self._keep(AgendaItem, item)
            for kind, user in rng.sample(present, min(len(present), rng.randint(2, 4))):
                self._keep(
                    AgencyContribution,
                    AgencyContribution(
                        item=item,
                        agency_id=self.user_info[user][1],
                        recorded_by_id=user,
                        recorded_at=moment + timedelta(minutes=8 * position),
                        text=rng.choice(text.PANEL_UPDATES.get(kind, text.PANEL_UPDATES["partnership"])).format(
                            subject=ref
                        ),
                    ),
                )
            group = "child" if child is not None else section
            case = open_cases.get(child) if child is not None else None
            for _ in range(rng.choice([0, 1, 1, 2]) if section != Section.THEME else rng.choice([0, 1])):
                owner = case.lead if case is not None and rng.random() < 0.5 else rng.choice(present)[1]
                self._panel_action(
                    rng,
                    meeting,
                    item,
                    position,
                    section,
                    ref,
                    owner,
                    child,
                    case,
                    chair,
                    when,
                    rng.choice(text.PANEL_ACTIONS[group]),
                )
        self._count("AgendaItem (panel)", len(items))

    def _panel_decision(self, rng, section):
        if section in (Section.HIGH, Section.REFERRED):
            pairs = [
                ("continue", 55),
                ("step_down", 15),
                ("disruption", 10),
                ("nrm", 5),
                ("escalate", 5),
                ("noted", 10),
            ]
        elif section == Section.THEME:
            pairs = [("noted", 40), ("escalate", 30), ("continue", 30)]
        else:
            pairs = [("disruption", 50), ("continue", 30), ("noted", 20)]
        return PanelDecision(weighted(rng, pairs)).value

    def _panel_attendance(self, rng, meeting, chair):
        """The chair, then one person from each agency that sends someone."""
        present = [("partnership", chair)]
        rows = [
            Attendance(
                meeting=meeting,
                agency_id=self.user_info[chair][1],
                user_id=chair,
                name=self.user_info[chair][0],
                status=Attendance.Status.PRESENT,
            )
        ]
        coordinator = self.demo_coordinator if rng.random() < 0.7 else rng.choice(self.coordinators)
        pools = [
            ("childrens_social_care", [coordinator], 1.0),
            ("police", self.practitioners.get("police"), 1.0),
            ("health", self.practitioners.get("health"), 0.9),
            ("education", self.practitioners.get("education"), 0.8),
            ("youth_justice", self.practitioners.get("youth_justice"), 0.8),
            ("voluntary_sector", self.practitioners.get("voluntary_sector"), 0.7),
            ("probation", self.practitioners.get("probation"), 0.5),
        ]
        for kind, pool, share in pools:
            if not pool or rng.random() > share:
                continue
            user = rng.choice(pool)
            status = weighted(
                rng, [(Attendance.Status.PRESENT, 88), (Attendance.Status.APOLOGIES, 9), (Attendance.Status.ABSENT, 3)]
            )
            if kind in ("childrens_social_care", "police"):
                status = Attendance.Status.PRESENT
            rows.append(
                Attendance(
                    meeting=meeting,
                    agency_id=self.user_info[user][1],
                    user_id=user,
                    name=self.user_info[user][0],
                    status=status,
                )
            )
            if status == Attendance.Status.PRESENT:
                present.append((kind, user))
        for row in rows:
            self._keep(Attendance, row)
        return present

    def _panel_action(self, rng, meeting, item, position, section, ref, owner, child, case, chair, when, words):
        due = meeting.starts_at.date() + timedelta(days=rng.choice([14, 21, 28, 28, 35]))
        task = Task(
            title=words,
            owner_id=owner,
            owner_agency_id=self.user_info[owner][1],
            due_date=due,
            person_id=child,
            case_id=case.pk if case is not None else None,
            created_by_id=chair,
            created_at=meeting.confirmed_at,
            details=panel_action_details(when, position, section, ref),
        )
        if due < self.today:
            state = weighted(rng, [("done", 80), ("open", 17), ("cancelled", 3)])
        else:
            state = "done" if rng.random() < 0.2 else "open"
        if state == "done":
            latest = min(self.now - timedelta(hours=1), local(due + timedelta(days=5), 16))
            task.status = Task.Status.DONE
            task.completed_at = max(
                meeting.confirmed_at, meeting.confirmed_at + (latest - meeting.confirmed_at) * rng.uniform(0.3, 1.0)
            )
            task.completed_note = "Done."
        elif state == "cancelled":
            task.status = Task.Status.CANCELLED
        self._keep(Task, task)
        self._keep(
            MeetingAction,
            MeetingAction(
                item=item,
                description=words,
                owner_id=owner,
                owner_agency_id=self.user_info[owner][1],
                due_date=due,
                task=task,
            ),
        )

    def _upcoming_panel(self, moment):
        """The next panel, planned for the demo panel chair, with the agenda
        the service would propose (children referred by the screening meeting
        since the last panel, then every child at High level with an open
        case) and the people, places and themes the chair has put on it."""
        from hoth.panels.selectors import high_level_children, referred_children

        rng = self.g._stream("panel:upcoming")
        meeting = Meeting(
            kind=Meeting.Kind.PANEL,
            starts_at=moment,
            location=text.PANEL_LOCATIONS[0],
            chair_id=self.demo_chair,
            created_by_id=self.demo_coordinator,
            created_at=self.now - timedelta(days=rng.randint(3, 10)),
        )
        write_rows(Meeting, [meeting])
        self._count("Meeting (panel, planned)", 1)
        referred = referred_children(meeting)
        high = high_level_children(exclude=set(referred))
        latest = {}
        for person_id, screening_id in (
            Screening.objects.completed()
            .filter(person__in=referred + high)
            .order_by("person_id", "-completed_at", "-pk")
            .values_list("person_id", "pk")
        ):
            latest.setdefault(person_id, screening_id)
        accepted = []
        for pk, _ in rng.sample(self.adults_of_concern, min(len(self.adults_of_concern), 1)):
            accepted.append((Section.PERSON, {"person_id": pk}))
        for pk, _, _ in rng.sample(self.places, min(len(self.places), 2)):
            accepted.append((Section.PLACE, {"context_id": pk}))
        accepted.append(
            (Section.THEME, {"theme": text.THEMES[0].format(town="Crewe", city="Stoke-on-Trent", platform="Snapchat")})
        )
        proposed = [(Section.REFERRED, {"person_id": p, "screening_id": latest.get(p)}) for p in referred]
        proposed += [(Section.HIGH, {"person_id": p, "screening_id": latest.get(p)}) for p in high]
        order = list(Section.values)
        rows = []
        # Numbered as the service numbers them: the agenda in section order, then the proposals.
        for status, items in ((AgendaItem.Status.ACCEPTED, accepted), (AgendaItem.Status.PROPOSED, proposed)):
            for section, subject in sorted(items, key=lambda s: order.index(s[0])):
                rows.append(
                    AgendaItem(meeting=meeting, position=len(rows) + 1, status=status, section=section, **subject)
                )
        write_rows(AgendaItem, rows)
        self._count("AgendaItem (panel)", len(rows))

    # ------------------------------------------------------------ writing

    ORDER = [
        SharingDecision,
        Involvement,
        CaseMember,
        ContextualAssessment,
        AssessedContext,
        AssessedContext.contexts.through,
        Task,
        Plan,
        Goal,
        PlanAction,
        ServiceReferral,
        Review,
        CaseNote,
        CaseNote.restricted_to.through,
        CaseStatusChange,
        NrmReferral,
        Meeting,
        Attendance,
        AgendaItem,
        AgencyContribution,
        MeetingAction,
    ]

    def _keep(self, model, row):
        self.pending.append((model, row))

    def _count(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n

    def flush(self):
        groups = {model: [] for model in self.ORDER}
        for model, row in self.pending:
            groups[model].append(row)
        self.pending = []
        for model in self.ORDER:
            rows = groups[model]
            if rows:
                write_rows(model, rows, tokens=self.tokens)
                self._count(model.__name__, len(rows))
        if len(self.tokens) > 100_000:
            self.tokens = {}  # bounded memory at the large size
        if self.versions:
            # A version keeps the whole plan as the services' snapshot() has it,
            # with the keys its actions and referrals have now been given.
            versions = []
            for version, state in self.versions:
                version.snapshot = json.dumps(self._snapshot(state))
                versions.append(version)
            self.versions = []
            write_rows(PlanVersion, versions, tokens=self.tokens)
            self._count("PlanVersion", len(versions))
        reset_queries()

    @staticmethod
    def _snapshot(state):
        return {
            "child_wants": state["child_wants"],
            "child_trusts": state["child_trusts"],
            "family_views": state["family_views"],
            "review_date": state["review_date"].isoformat() if state["review_date"] else None,
            "goals": state["goals"],
            "actions": [
                {
                    "id": a.pk,
                    "what": a.what,
                    "owner": a.owner_name,
                    "agency": a.agency_name,
                    "due_date": a.due_date.isoformat(),
                    "status": PlanAction.Status(status).label,
                }
                for a, status in sorted(state["actions"], key=lambda e: (e[0].due_date, e[0].pk))
            ],
            "services": [
                {
                    "id": r.pk,
                    "service": r.service_name,
                    "provider": r.provider,
                    "status": ServiceReferral.Status(status).label,
                }
                for r, status in sorted(state["services"], key=lambda e: (e[0].proposed_on, e[0].pk))
            ],
        }


def build_protect(generator, today):
    return Protect(generator, today).run()
