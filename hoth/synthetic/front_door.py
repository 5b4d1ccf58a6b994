"""Three years of a synthetic front door: referrals, screenings, weekly
screening meetings, cases, tasks and missing episodes.

Built after the register (hoth.synthetic.generator) from the same seed, and
ending on a given day ("today"), so that the same seed and day always give the
same history and the demo queue, meeting and tasks are current when shown.

How it is made: a simulation in time order. Referrals arrive day by day at a
rate that follows the school year (schools refer in term; child criminal
exploitation and missing episodes rise in the summer holidays). Some children
are referred again, and some of them escalate: a hidden risk rises with each
referral and re-screen. Each screening's answers follow that hidden risk and
the child's missing episodes, and are scored with the real screening tool
(hoth.analytics.screening.score), so levels and explanations are real. Each
week's meeting takes the referrals screened since the last one, decides, opens
cases, and turns actions into tasks.

Rows are written with bulk_create in batches, oldest first; a row is written
once nothing will change it any more (LAG after it was made), and at most
about FLUSH_ROWS wait in memory, so memory stays bounded at the large size.
"""

import heapq
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, reset_queries

from hoth.accounts.models import Role, User
from hoth.analytics import screening as scoring
from hoth.cases.models import Case, MissingEpisode, ReturnInterview
from hoth.contexts.models import Context
from hoth.encryption import encrypt
from hoth.panels.agenda import meeting_day, screening_action_details
from hoth.panels.models import AgencyContribution, AgendaItem, Attendance, Meeting, MeetingAction
from hoth.people.models import Address, Involvement, Person, SharingDecision
from hoth.referrals.models import HarmType, NamedAssociate, Referral
from hoth.referrals.service_standard import screen_by as service_screen_by
from hoth.referrals.services import current_standard
from hoth.screening.models import Screening, ScreeningAnswer, ScreeningTool
from hoth.tasks.models import Task

from . import data
from . import front_door_text as text
from .chance import weighted
from .demo_users import demo_email
from .writing import copy_rows

LONDON = ZoneInfo("Europe/London")
YEARS = 3
LAG = timedelta(days=40)  # a referral is screened and decided well within this
FLUSH_ROWS = 40_000  # rows held in memory before the settled ones are written
MEETING_WEEKDAYS = (1, 3, 0, 2, 4)  # Tuesday first; the large size holds several a week
MEETING_HOURS = (10, 14)
RESCREEN_EVERY = (70, 100)  # days between a lead professional's re-screens
SCREENING_COORDINATOR_SHARE = 0.4  # of screenings done by the demo coordinator
QUEUE_TARGET = 20  # referrals waiting on the day generated
QUEUE_MINIMUM = 12
WAITING = timedelta(hours=36)  # referrals newer than this are mostly still waiting on the day generated
AGENDA_MINIMUM = 5  # referrals screened for the next meeting's proposed agenda
DEMO_CASES = 3  # children on the demo practitioner's caseload who get a case they lead
MOST_REFERRALS = 10  # for one child over the three years
LEVEL_WORDS = {"none": "no current", "low": "low", "medium": "medium (emerging)", "high": "high (significant)"}
LEVEL_RANK = {level: n for n, level in enumerate(scoring.LEVELS)}

# Referrer agency types outside schools, by weight.
REFERRER_AGENCIES = [
    ("police", 35),
    ("childrens_social_care", 25),
    ("health", 15),
    ("youth_justice", 8),
    ("voluntary_sector", 10),
    ("neighbouring_authority", 4),
    ("probation", 3),
]
HARM_WEIGHTS = {
    "school": [
        ("online-harm", 22),
        ("hsb", 16),
        ("teenage-relationship-abuse", 10),
        ("radicalisation", 5),
        ("cse", 14),
        ("cce", 14),
        ("serious-youth-violence", 10),
        ("other", 6),
        ("trafficking", 2),
    ],
    "other": [
        ("cce", 30),
        ("cse", 18),
        ("serious-youth-violence", 15),
        ("trafficking", 5),
        ("online-harm", 8),
        ("hsb", 5),
        ("teenage-relationship-abuse", 6),
        ("radicalisation", 2),
        ("other", 4),
    ],
}
SUMMER_HARM_FACTOR = {"cce": 1.8, "cse": 1.2, "serious-youth-violence": 1.2, "trafficking": 1.3}
MISSING_HARMS = {"cce", "cse", "trafficking"}
DECISIONS = {
    "none": [("nfa", 70), ("early_help", 25), ("single_agency", 5)],
    "low": [("nfa", 40), ("early_help", 40), ("single_agency", 20)],
    "medium": [
        ("early_help", 10),
        ("single_agency", 30),
        ("open_case", 35),
        ("strategy", 12),
        ("panel", 8),
        ("nrm", 5),
    ],
    "high": [("single_agency", 5), ("open_case", 40), ("strategy", 25), ("panel", 20), ("nrm", 10)],
}
RESCREEN_DECISIONS = {
    "rose": [("panel", 50), ("strategy", 30), ("single_agency", 20)],
    "same": [("single_agency", 70), ("panel", 20), ("strategy", 10)],
}
ATTENDING = [
    ("childrens_social_care", 1.0),
    ("police", 1.0),
    ("health", 0.85),
    ("education", 0.8),
    ("youth_justice", 0.7),
    ("voluntary_sector", 0.75),
]
CONTRIBUTION_SHARE = {
    "police": 0.85,
    "childrens_social_care": 0.9,
    "health": 0.5,
    "education": 0.6,
    "youth_justice": 0.35,
    "voluntary_sector": 0.4,
}
CONTEXT_TYPES = [
    ("park", 3),
    ("takeaway", 3),
    ("hotel", 2),
    ("station", 1),
    ("shop", 2),
    ("taxi_firm", 1),
    ("house", 2),
]


def school_holiday(day):
    """'summer', 'holiday' or None: an English school year, near enough for patterns."""
    y = day.year
    if date(y, 7, 22) <= day <= date(y, 9, 3):
        return "summer"
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3):
        return "holiday"
    for start, end in (
        (date(y, 2, 13), date(y, 2, 19)),
        (date(y, 4, 1), date(y, 4, 14)),
        (date(y, 5, 25), date(y, 5, 31)),
        (date(y, 10, 24), date(y, 10, 31)),
    ):
        if start <= day <= end:
            return "holiday"
    return None


def local(day, hour=9, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def age_on(dob, day):
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


@dataclass
class Child:
    pk: int
    given: str
    dob: date
    sex: str
    school_id: int | None
    town: str
    care_status: str
    send_status: str
    learning_disability: bool
    risk: float = 0.0
    escalating: bool = False
    referrals: list = field(default_factory=list)  # submitted datetimes
    harms: list = field(default_factory=list)
    episodes: list = field(default_factory=list)  # [episode, interview or None, interview time or None]
    case: object = None
    case_closes: datetime = None
    lead_id: int = None
    last_level: str = ""
    demo: bool = False
    reference: str = ""

    @property
    def first_name(self):
        return self.given.split()[0]


class FrontDoor:
    def __init__(self, generator, today):
        self.g = generator
        self.today = today
        self.now = local(today, 12)
        self.start = today - timedelta(days=365 * YEARS)
        self.rng = generator._stream("front-door")
        # The clock the referral service sets, with the partnership's settings and bank holidays.
        self.standard = current_standard()
        self.text_rng = generator._stream("front-door-text")
        self.referral_refs = generator.reference_maker("R", "referral-references")
        self.case_refs = generator.reference_maker("K", "case-references")
        self.context_refs = generator.reference_maker("C", "context-references")
        self.pending = []  # (made at, model, row): written once settled
        self.events = []
        self.seq = 0
        self.flush_at = FLUSH_ROWS
        self.agenda_pool = []  # items waiting for a meeting: dicts
        self.evidence_tokens = {}
        self.counts = {}

    # ------------------------------------------------------------ running

    def run(self):
        self.load_reference_data()
        self.load_register()
        self.make_contexts()
        self.plan()
        self.simulate()
        self.make_drafts()
        self.flush(everything=True)
        return self.counts

    def load_reference_data(self):
        from hoth.referrals import reference as harm_reference
        from hoth.screening import reference as tool_reference

        if not HarmType.objects.exists():
            harm_reference.load()
        if not ScreeningTool.objects.filter(is_current=True).exists():
            tool_reference.load()
        self.harm_types = {h.code: h.pk for h in HarmType.objects.all()}
        self.tool = ScreeningTool.current()
        self.definition = self.tool.definition
        self.indicators = scoring.indicators(self.definition)
        self.required = [i["code"] for i in self.indicators if i.get("required")]
        self.disclosures = [
            c for r in self.definition.get("rules", []) if r["code"] == "disclosure_is_high" for c in r["indicators"]
        ]
        self.by_tier = {
            tier: [i for i in self.indicators if i["tier"] == tier and i["code"] not in self.disclosures]
            for tier in scoring.TIERS
        }
        self.missing_codes = [i["code"] for i in self.indicators if i["domain"] == "missing"]
        # What a return home interview can find: where the child went, with whom, and what they were given.
        self.found_codes = {
            tier: [
                i["code"]
                for i in self.indicators
                if i["tier"] == tier and i["domain"] in ("places", "associates", "money")
            ]
            for tier in scoring.TIERS
        }

    def load_register(self):
        g = self.g
        users = User.objects.filter(pk__in=[s[1] for s in g.staff]).values_list(
            "pk", "full_name", "job_title", "agency_id"
        )
        self.user_info = {pk: (name, job, agency_id) for pk, name, job, agency_id in users}
        self.agency_type = {a.pk: a.type for a in g.agencies.values()}
        self.agency_name = {a.pk: a.name for a in g.agencies.values()}
        self.practitioners = {}  # agency type -> [user ids], school agency id -> [user ids]
        self.by_agency = {}
        self.coordinators = []
        for _email, user_id, agency, role, _team_id in g.staff:
            if role == Role.PRACTITIONER:
                self.practitioners.setdefault(agency.type, []).append(user_id)
                self.by_agency.setdefault(agency.pk, []).append(user_id)
            elif role == Role.COORDINATOR:
                self.coordinators.append(user_id)
        ids = {email: user_id for email, user_id, *_ in g.staff}
        self.demo_coordinator = ids[demo_email("coordinator")]
        self.demo_practitioner = ids[demo_email("practitioner")]
        self.council_coordinators = [
            u for u in self.coordinators if self.user_info[u][2] == g.agencies[data.COUNCIL].pk
        ]
        self.lead_pool = (
            self.practitioners.get("childrens_social_care", [])
            + self.practitioners.get("youth_justice", [])
            + self.practitioners.get("voluntary_sector", [])
        )
        self.front_door_team = g.teams[(data.COUNCIL, "Front Door (ChECS)")].pk

        youngest = g.anchor_date - timedelta(days=int(18 * 365.25))
        primary = Person.objects.filter(true_identity__is_primary=True)
        towns = dict(
            Address.objects.filter(person__in=primary, valid_to__isnull=True)
            .order_by("person_id", "valid_from")
            .values_list("person_id", "town")
        )
        rows = (
            primary.filter(date_of_birth__gt=youngest)
            .order_by("true_identity__cluster_id")
            .values_list(
                "pk",
                "given_names",
                "date_of_birth",
                "sex",
                "school_id",
                "care_status",
                "send_status",
                "has_learning_disability",
                "reference",
            )
        )
        self.children = [
            Child(
                pk=pk,
                given=given,
                dob=dob,
                sex=sex,
                school_id=school,
                town=towns.get(pk, "Crewe"),
                care_status=care,
                send_status=send,
                learning_disability=ld,
                reference=reference,
            )
            for pk, given, dob, sex, school, care, send, ld, reference in rows
        ]
        self.leads = dict(
            Involvement.objects.filter(kind=Involvement.Kind.LEAD_PROFESSIONAL, person__in=primary)
            .order_by("pk")
            .values_list("person_id", "user_id")
        )
        self.adults_of_concern = list(
            primary.filter(intelligence_subject=True, date_of_birth__lte=youngest)
            .order_by("true_identity__cluster_id")
            .values_list("pk", flat=True)[:2000]
        )
        demo_caseload = set(
            Involvement.objects.filter(user_id=self.demo_practitioner).values_list("person_id", flat=True)
        )
        self.demo_children = [
            c
            for c in self.children
            if c.pk in demo_caseload
            and self.leads.get(c.pk, self.demo_practitioner) == self.demo_practitioner
            and 11 <= age_on(c.dob, self.today) <= 16
        ][:DEMO_CASES]
        for c in self.demo_children:
            c.demo = True
        self.demo_caseload = [c for c in self.children if c.pk in demo_caseload and not c.demo]

    # ------------------------------------------------------------ contexts

    def make_contexts(self):
        rng = self.rng
        per_town = self.g.size.contexts_per_town
        creators = [u for u in self.coordinators] or [self.demo_coordinator]
        self.contexts = {}  # town -> [Context]
        rows = []
        for town in data.TOWNS:
            for n in range(per_town):
                kind = (
                    Context.Kind.PLACE
                    if n % 5 < 3
                    else (Context.Kind.PEER_GROUP if n % 5 == 3 else Context.Kind.ONLINE)
                )
                stem = rng.choice(data.STREET_STEMS)
                street = rng.choice(data.STREET_NAMES)
                platform = rng.choice(data.ONLINE_PLATFORMS)
                fill = {"stem": stem, "town": town.name, "street": street, "platform": platform}
                context = Context(
                    reference=self.context_refs.next(),
                    kind=kind,
                    town=town.name,
                    created_by_id=rng.choice(creators),
                    created_at=local(self.start) - timedelta(days=rng.randint(1, 400)),
                    description=rng.choice(text.CONTEXT_DESCRIPTIONS).format(**fill),
                )
                if kind == Context.Kind.PLACE:
                    place_type = weighted(rng, CONTEXT_TYPES)
                    address = self.g.places.address(rng, town)
                    context.place_type = place_type
                    context.name = rng.choice(text.CONTEXT_NAMES[place_type]).format(**fill)
                    context.address = f"{address['line1']}, {town.name}"
                    context.postcode = address["postcode"]
                    context.latitude, context.longitude = address["latitude"], address["longitude"]
                elif kind == Context.Kind.PEER_GROUP:
                    context.name = rng.choice(text.PEER_GROUP_NAMES).format(**fill)
                else:
                    context.name = rng.choice(text.ONLINE_SPACE_NAMES).format(**fill)
                    context.platform = platform
                    context.handle = f"@{street.lower().replace(' ', '')}{rng.randint(1, 99)}"
                rows.append(context)
                self.contexts.setdefault(town.name, []).append(context)
        Context.objects.bulk_create(rows)
        self._count("Context", len(rows))
        self.places = {
            town: [c for c in found if c.kind == Context.Kind.PLACE] for town, found in self.contexts.items()
        }

    def _place(self, town):
        places = self.places.get(town) or self.places["Crewe"]
        return self.text_rng.choice(places)

    # ------------------------------------------------------------ planning the calendar

    def plan(self):
        rng = self.rng
        days = [self.start + timedelta(days=n) for n in range((self.today - self.start).days + 1)]
        weights = []
        for day in days:
            holiday = school_holiday(day)
            weekday = 1.0 if day.weekday() < 5 else (0.35 if day.weekday() == 5 else 0.3)
            growth = 1 + 0.1 * (day - self.start).days / 365
            # Schools make about 30% of referrals in term and almost none in the
            # holidays; everyone else refers a quarter more in the summer.
            school = 0.0 if day.weekday() >= 5 else (0.3 if holiday is None else 0.02)
            other = 1.25 if holiday == "summer" else (1.05 if holiday else 1.0)
            weights.append((weekday * growth * other, weekday * growth * school / 0.7))
        total = sum(o + s for o, s in weights)
        target = self.g.size.referrals
        scale = target / total
        carry = 0.0
        times = []
        for day, (other, school) in zip(days, weights):
            expected = (other + school) * scale + carry
            n = int(expected + rng.random() - 0.5) if expected > 0.5 else int(rng.random() < expected)
            carry = expected - n
            for _ in range(max(0, n)):
                from_school = rng.random() < school / (other + school) if other + school else False
                if rng.random() < 0.85:
                    moment = local(day, rng.randint(8, 17), rng.randrange(60))
                else:
                    moment = local(day, rng.choice([6, 7, 18, 19, 20, 21, 22]), rng.randrange(60))
                if moment < self.now:
                    times.append((moment, from_school, {}))
        # The queue on the day generated: at least QUEUE_MINIMUM referrals
        # still waiting from the last day and a half, even at sizes too small
        # to give them naturally, two of them urgent and three already past
        # their screening time; and a few screened since the last meeting for
        # the next meeting's proposed agenda.
        recent = [t for t in times if t[0] > self.now - WAITING]
        for _ in range(max(0, QUEUE_MINIMUM - len(recent))):
            moment = self.now - timedelta(minutes=rng.randint(30, int(WAITING.total_seconds() // 60) - 30))
            times.append((moment, rng.random() < 0.25, {}))
        self.screen_share_recent = max(0.0, 1 - QUEUE_TARGET / max(len(recent), QUEUE_MINIMUM))
        since = local(self.today - timedelta(days=(self.today.weekday() - 1) % 7), 0)  # this week's meeting day
        screened = [t for t in times if since <= t[0] <= self.now - WAITING]
        for _ in range(max(0, AGENDA_MINIMUM - len(screened))):
            moment = since + (self.now - since) * rng.uniform(0.05, 0.9)
            times.append((moment, False, {"agenda": True}))
        for _ in range(2):
            times.append((self.now - timedelta(minutes=rng.randint(20, 300)), False, {"urgent": True, "wait": True}))
        for n in range(3):
            day = self.today - timedelta(days=4 + n)
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            times.append((local(day, rng.randint(9, 15), rng.randrange(60)), n == 0, {"wait": True}))
        times.sort(key=lambda t: t[0])
        for moment, from_school, flags in times:
            self._push(moment, "referral", {"school": from_school, **flags})
        # The demo practitioner's children: referred at High in the last months, so
        # each has a case they lead, with tasks still to do.
        for n, child in enumerate(self.demo_children):
            moment = local(self.today - timedelta(days=[110, 62, 26][n % 3]), 10, 15)
            self._push(moment, "referral", {"school": False, "child": child})
        self.meetings = []
        per_week = self.g.size.meetings_per_week
        first = self.start + timedelta(days=(1 - self.start.weekday()) % 7)
        week = first - timedelta(days=1)  # the Monday of the first meeting's week
        planned_next = None
        while True:
            for n in range(per_week):
                weekday = MEETING_WEEKDAYS[n % len(MEETING_WEEKDAYS)]
                hour = MEETING_HOURS[(n // len(MEETING_WEEKDAYS)) % len(MEETING_HOURS)]
                moment = local(week + timedelta(days=weekday), hour)
                if moment <= self.now:
                    self._push(moment, "meeting", {})
                elif planned_next is None or moment < planned_next:
                    planned_next = moment
            if local(week) > self.now:
                break
            week += timedelta(days=7)
        self.planned_at = planned_next

    def _push(self, moment, kind, payload):
        self.seq += 1
        heapq.heappush(self.events, (moment, self.seq, kind, payload))

    # ------------------------------------------------------------ the simulation

    def simulate(self):
        n_children = len(self.children)
        self.fresh = list(self.children)
        self.rng.shuffle(self.fresh)
        self.fresh = [c for c in self.fresh if not c.demo]
        self.referred = []
        self.repeat_share = max(0.3, 1 - 0.6 * n_children / max(1, self.g.size.referrals))
        rate = self.g.size.referrals / (52 * YEARS) / self.g.size.meetings_per_week
        small = rate <= 15
        self.inclusion = {
            "high": 1.0,
            "medium": 1.0 if small else 0.45,
            "low": 0.7 if small else 0.04,
            "none": 0.25 if small else 0.0,
        }
        self.rescreen_review_share = 0.5 if small else 0.25
        while self.events:
            moment, _, kind, payload = heapq.heappop(self.events)
            if moment > self.now:
                break
            if len(self.pending) >= self.flush_at:
                # Fewer, larger batches: each insert statement has a fixed cost.
                self.flush(before=moment - LAG)
                self.flush_at = len(self.pending) + FLUSH_ROWS
            getattr(self, f"on_{kind}")(moment, payload)
        self.planned_meeting()

    # -- referrals

    def _harm_types(self, rng, moment, from_school):
        summer = school_holiday(moment.date()) == "summer"
        pairs = HARM_WEIGHTS["school" if from_school else "other"]
        if summer:
            pairs = [(code, w * SUMMER_HARM_FACTOR.get(code, 1.0)) for code, w in pairs]
        first = weighted(rng, pairs)
        harms = [first]
        if rng.random() < 0.35:
            second = weighted(rng, pairs)
            if second != first and second != "other":
                harms.append(second)
        return harms

    def _choose_child(self, rng, moment, harms):
        day = moment.date()
        youngest = 8 if set(harms) & {"online-harm", "hsb"} else 10
        if self.referred and (rng.random() < self.repeat_share or not self.fresh):
            best, best_score = None, -1.0
            for _ in range(3):
                c = rng.choice(self.referred)
                if age_on(c.dob, day) >= 18 or len(c.referrals) >= MOST_REFERRALS:
                    continue
                score = (
                    rng.random()
                    + (0.6 if c.escalating else 0)
                    + (0.4 if c.referrals and moment - c.referrals[-1] < timedelta(days=365) else 0)
                )
                if score > best_score:
                    best, best_score = c, score
            if best is not None:
                return best, True
        for _ in range(25):
            if not self.fresh:
                break
            i = rng.randrange(len(self.fresh))
            c = self.fresh[i]
            if youngest <= age_on(c.dob, day) <= 17:
                self.fresh[i] = self.fresh[-1]
                self.fresh.pop()
                return c, False
        if self.referred:
            c = rng.choice(self.referred)
            if age_on(c.dob, day) < 18:
                return c, True
        return None, False

    def on_referral(self, moment, payload):
        rng = self.rng
        child = payload.get("child")
        from_school = payload["school"]
        harms = self._harm_types(rng, moment, from_school)
        repeat = False
        if child is not None:
            harms = ["cce"]
        elif rng.random() < 0.03 and not from_school and not payload.get("wait"):
            return self._context_referral(rng, moment, harms)
        else:
            child, repeat = self._choose_child(rng, moment, harms)
            if child is None:
                return None
        if child.school_id is None or child.school_id not in self.by_agency:
            from_school = False
        if from_school:
            agency_id = child.school_id
            referrer = rng.choice(self.by_agency[agency_id])
        else:
            kind = weighted(rng, REFERRER_AGENCIES)
            referrer = rng.choice(self.practitioners.get(kind) or self.practitioners["childrens_social_care"])
            if child.demo:
                referrer = self.demo_practitioner
            agency_id = self.user_info[referrer][2]
        # The hidden risk: new children start somewhere, repeat referrals move it.
        if not child.referrals:
            child.risk = max(0.0, rng.gauss(1.0, 0.8)) + (0.3 if child.care_status == "cla" else 0)
            child.escalating = rng.random() < 0.3
            self.referred.append(child)
            if set(harms) & MISSING_HARMS or child.care_status == "cla":
                self._missing_history(rng, child, moment)
        elif child.escalating:
            child.risk += rng.uniform(0.4, 0.9)
        else:
            child.risk = max(0.0, child.risk + rng.gauss(-0.2, 0.5))
        if child.demo:
            child.risk, child.escalating = 3.6, True
        child.risk = min(child.risk, 4.2)
        child.referrals.append(moment)
        child.harms = harms
        urgent = (
            rng.random() < (0.08 if child.risk > 3 else 0.03)
            or (child.demo and moment > self.now - timedelta(days=30))
            or payload.get("urgent", False)
        )
        referral = self._referral(rng, moment, child, harms, referrer, agency_id, urgent, from_school)
        referral._agenda = payload.get("agenda", False)
        if not payload.get("wait"):
            self._push_screening(rng, moment, child, referral, urgent, repeat)
        return referral

    def _fill(self, child=None, town=None):
        rng = self.text_rng
        town = town or (child.town if child else "Crewe")
        return {
            "name": child.first_name if child else "the young person",
            "place": self._place(town).name,
            "town": town,
            "city": rng.choice(text.OUT_OF_AREA_CITIES),
            "street": rng.choice(data.STREET_NAMES),
            "platform": rng.choice(data.ONLINE_PLATFORMS),
            "cash": rng.choice([40, 60, 150, 300, 450, 800]),
            "n": rng.randint(2, 6),
            "attendance": rng.randint(62, 96),
        }

    def _referral(self, rng, moment, child, harms, referrer, agency_id, urgent, from_school):
        fill = self._fill(child)
        trng = self.text_rng
        api = not from_school and self.agency_type[agency_id] in ("police", "health") and rng.random() < 0.35
        consent = weighted(rng, [("given", 55), ("refused", 15), ("not_sought", 30)])
        if consent == "given":
            basis = SharingDecision.LawfulBasis.CONSENT
        else:
            basis = (
                SharingDecision.LawfulBasis.VITAL_INTERESTS
                if urgent and rng.random() < 0.5
                else weighted(
                    rng,
                    [(SharingDecision.LawfulBasis.PUBLIC_TASK, 85), (SharingDecision.LawfulBasis.LEGAL_OBLIGATION, 15)],
                )
            )
        reason = trng.choice(text.CONSENT_REASONS[consent]).format(**fill) if consent != "given" else ""
        sharing = SharingDecision(
            person_id=child.pk,
            shared=True,
            shared_with_team_id=self.front_door_team,
            what=text.SHARING_WHAT.format(**fill),
            why=text.SHARING_WHY.format(**fill),
            lawful_basis=basis,
            consent=consent,
            consent_not_sought_reason=reason if consent == "not_sought" else "",
            decided_by_id=referrer,
            decided_at=moment,
        )
        self._keep(moment, SharingDecision, sharing)
        due = service_screen_by(moment, urgent=urgent, standard=self.standard)
        referral = Referral(
            reference=self.referral_refs.next(),
            status=Referral.Status.SUBMITTED,
            source=Referral.Source.API if api else Referral.Source.WEB,
            subject=Referral.Subject.CHILD,
            person_id=child.pk,
            what_happened=trng.choice(text.WHAT_HAPPENED[harms[0]]).format(**fill),
            child_words=trng.choice(text.CHILD_WORDS) if rng.random() < 0.6 else "",
            harm_other=trng.choice(text.HARM_OTHER) if "other" in harms else "",
            immediate_danger=urgent,
            is_urgent=urgent,
            referrer_id=referrer,
            referrer_agency_id=agency_id,
            referrer_role=self.user_info[referrer][1],
            referrer_phone=f"07700 900{rng.randrange(1000):03d}",
            consent=consent,
            consent_reason=reason,
            lawful_basis=basis,
            sharing_decision=sharing,
            idempotency_key=f"{rng.getrandbits(64):016x}" if api else "",
            happened_on=(moment - timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5, 7, 14]))).date(),
            created_at=moment - timedelta(minutes=rng.randint(5, 90)),
            submitted_at=moment,
            screen_by=due,
        )
        self._keep(moment, Referral, referral)
        for code in harms:
            self._keep(
                moment,
                Referral.harm_types.through,
                Referral.harm_types.through(referral=referral, harmtype_id=self.harm_types[code]),
            )
        if rng.random() < 0.4:
            for _ in range(rng.choice([1, 1, 2, 3])):
                self._associate(rng, moment, referral, child, fill)
        return referral

    def _associate(self, rng, moment, referral, child, fill):
        if rng.random() < 0.55:
            name, details = self.text_rng.choice(text.ASSOCIATE_PEOPLE)
            person_id = rng.choice(self.adults_of_concern) if self.adults_of_concern and rng.random() < 0.3 else None
            row = NamedAssociate(
                referral=referral,
                kind=NamedAssociate.Kind.PERSON,
                name=name.format(**fill)[:200],
                details=details.format(**fill),
                person_id=person_id,
            )
        else:
            place = self._place(child.town)
            row = NamedAssociate(
                referral=referral,
                kind=NamedAssociate.Kind.PLACE,
                name=place.name,
                details=self.text_rng.choice(text.ASSOCIATE_PLACE_DETAILS).format(**fill),
                context=place,
            )
        self._keep(moment, NamedAssociate, row)

    def _context_referral(self, rng, moment, harms):
        town = self.g.places.town(rng).name
        context = rng.choice(self.contexts[town])
        referrer = rng.choice(self.practitioners["police"] + self.practitioners["childrens_social_care"])
        fill = self._fill(town=town)
        fill["place"] = context.name
        waiting = moment > self.now - WAITING
        referral = Referral(
            reference=self.referral_refs.next(),
            status=Referral.Status.SUBMITTED if waiting else Referral.Status.CLOSED,
            source=Referral.Source.WEB,
            subject=Referral.Subject.CONTEXT,
            context=context,
            what_happened=self.text_rng.choice(text.CONTEXT_DESCRIPTIONS).format(**fill),
            immediate_danger=False,
            referrer_id=referrer,
            referrer_agency_id=self.user_info[referrer][2],
            referrer_role=self.user_info[referrer][1],
            consent=Referral.Consent.NOT_SOUGHT,
            consent_reason="The referral is about a place, not a child.",
            lawful_basis=SharingDecision.LawfulBasis.PUBLIC_TASK,
            created_at=moment - timedelta(minutes=rng.randint(5, 60)),
            submitted_at=moment,
            screen_by=service_screen_by(moment, urgent=False, standard=self.standard),
        )
        if not waiting:
            referral.screened_at = moment + timedelta(hours=rng.randint(2, 30))
        self._keep(moment, Referral, referral)
        for code in harms:
            self._keep(
                moment,
                Referral.harm_types.through,
                Referral.harm_types.through(referral=referral, harmtype_id=self.harm_types[code]),
            )
        return referral

    # -- screening

    def _push_screening(self, rng, moment, child, referral, urgent, repeat):
        due = referral.screen_by
        agenda = referral._agenda
        if moment > self.now - WAITING and not child.demo and not agenda and rng.random() >= self.screen_share_recent:
            return  # still in the queue on the day generated
        if agenda:
            at = min(moment + timedelta(minutes=rng.randint(30, 180)), self.now - timedelta(minutes=10))
        elif urgent:
            at = moment + timedelta(minutes=rng.randint(30, 240))
        elif rng.random() < 0.92:
            at = moment + (due - moment) * rng.uniform(0.05, 0.95)
        else:
            at = due + timedelta(hours=rng.randint(1, 30))
        if at > self.now:
            return
        self._push(at, "screen", {"child": child, "referral": referral, "repeat": repeat})

    def on_screen(self, moment, payload):
        rng = self.rng
        child, referral = payload["child"], payload["referral"]
        screener = (
            self.demo_coordinator if rng.random() < SCREENING_COORDINATOR_SHARE else rng.choice(self.coordinators)
        )
        screening, result = self._screening(rng, moment, child, screener, referral=referral, case=child.case)
        referral.screened_at = moment
        chance = self.inclusion[screening.level] * (2 if payload["repeat"] else 1)
        include = (
            child.demo
            or referral._agenda
            or rng.random() < chance
            or (child.case is not None and screening.level in ("medium", "high"))
        )
        if include:
            referral.status = Referral.Status.SCREENED
            self.agenda_pool.append(
                {
                    "ready": moment,
                    "kind": AgendaItem.Kind.NEW_REFERRAL,
                    "child": child,
                    "referral": referral,
                    "screening": screening,
                    "rose": False,
                }
            )
        else:
            referral.status = Referral.Status.CLOSED
        child.last_level = screening.level

    def on_rescreen(self, moment, payload):
        rng = self.rng
        child, case = payload["child"], payload["case"]
        if child.case is not case or age_on(child.dob, moment.date()) >= 18:
            return
        if child.escalating and rng.random() < 0.6:
            child.risk = min(5.0, child.risk + rng.uniform(0.3, 0.9))
        else:
            child.risk = max(0.0, child.risk - rng.uniform(0.1, 0.7))
        before = child.last_level
        screening, _ = self._screening(rng, moment, child, case.lead_professional_id, case=case)
        child.last_level = screening.level
        rose = before and LEVEL_RANK[screening.level] > LEVEL_RANK[before]
        if rose or rng.random() < self.rescreen_review_share:
            self.agenda_pool.append(
                {
                    "ready": moment,
                    "kind": AgendaItem.Kind.RESCREEN,
                    "child": child,
                    "referral": None,
                    "screening": screening,
                    "rose": bool(rose),
                }
            )
        following = moment + timedelta(days=rng.randint(*RESCREEN_EVERY))
        if child.case_closes is None or following < child.case_closes:
            self._push(following, "rescreen", {"child": child, "case": case})

    def _answers(self, rng, moment, child):
        """Answers that follow the child's hidden risk, their missing episodes
        and the last return home interview, as a screener would record them."""
        r = child.risk
        relevant = set(child.harms)
        answers = {}  # code -> (state, when, source, interview)

        def pick(tier, n):
            pool = [
                i
                for i in self.by_tier[tier]
                if relevant & set(i["harm_types"]) and i["code"] not in answers and i["domain"] != "missing"
            ]
            pool = pool or [i for i in self.by_tier[tier] if i["code"] not in answers and i["domain"] != "missing"]
            for indicator in rng.sample(pool, min(n, len(pool))):
                when = "earlier" if rng.random() < 0.15 else "current"
                answers[indicator["code"]] = ("present", when, rng.choice(("seen", "told", "record")), None)

        six_months = moment - timedelta(days=182)
        recent = [e for e, _, _ in child.episodes if six_months <= e.started_at <= moment]
        earlier = [e for e, _, _ in child.episodes if e.started_at < six_months]
        codes = set(self.missing_codes)
        if len(recent) >= 2 and "missing_repeat" in codes:
            answers["missing_repeat"] = ("present", "current", "record", None)
        if recent and "missing_episode" in codes:
            answers["missing_episode"] = ("present", "current", "record", None)
        elif earlier and "missing_episode" in codes:
            answers["missing_episode"] = ("present", "earlier", "record", None)
        interviews = [
            (at, ri)
            for _, ri, at in child.episodes
            if ri is not None and at is not None and at < moment and ri.indicators_found
        ]
        if interviews:
            _, ri = interviews[-1]
            for code in ri.indicators_found:
                answers.setdefault(code, ("present", "current", "record", ri))
        vulnerabilities = []
        if child.care_status == "cla":
            vulnerabilities.append("vulnerability_care_experienced")
        if child.learning_disability or child.send_status == "ehcp":
            vulnerabilities.append("vulnerability_sen_learning_disability")
        for code in vulnerabilities:
            if code in {i["code"] for i in self.by_tier["vulnerability"]}:
                answers.setdefault(code, ("present", "current", "record", None))
        pick("vulnerability", max(0, round(rng.gauss(0.6 + r * 0.3, 0.6))))
        pick("risk", max(0, round(r * 0.9 + rng.gauss(0, 0.6))))
        pick("significant", max(0, round((r - 1.9) * 0.8 + rng.gauss(0, 0.45))))
        if r > 3.0 and rng.random() < 0.2 and self.disclosures:
            answers[rng.choice(self.disclosures)] = ("present", "current", "told", None)
        for code in self.required:
            if code not in answers:
                answers[code] = ("not_present" if rng.random() < 0.85 else "unknown", "", "", None)
        others = [i["code"] for i in self.indicators if i["code"] not in answers]
        for code in rng.sample(others, min(len(others), rng.randint(0, 3))):
            answers[code] = ("not_present" if rng.random() < 0.75 else "unknown", "", "", None)
        return answers

    def _screening(self, rng, moment, child, screener, referral=None, case=None):
        answers = self._answers(rng, moment, child)
        age = age_on(child.dob, moment.date())
        result = scoring.score(
            self.definition,
            {code: scoring.Answer(state, when or "current") for code, (state, when, _, _) in answers.items()},
            scoring.Child(age=age, learning_disability=child.learning_disability),
        )
        level, judgement, reason, approved_by = result.level, "", "", None
        x = rng.random()
        if x < 0.08 and result.level != "high":
            judgement = scoring.LEVELS[LEVEL_RANK[result.level] + 1]
            reason = self.text_rng.choice(text.JUDGEMENT_RAISE).format(name=child.first_name)
            level, _ = scoring.judged_level(result.level, judgement)
        elif x < 0.10 and result.level in ("low", "medium") and len(self.coordinators) > 1:
            judgement = scoring.LEVELS[LEVEL_RANK[result.level] - 1]
            reason = self.text_rng.choice(text.JUDGEMENT_LOWER).format(name=child.first_name)
            approved_by = next(c for c in self.coordinators if c != screener)
            level = judgement  # a lower judgement stands once another coordinator approved it
        agency = self.user_info[screener][2]
        screening = Screening(
            person_id=child.pk,
            referral=referral,
            case=case,
            tool=self.tool,
            status=Screening.Status.COMPLETE,
            screened_by_id=screener,
            screened_by_agency_id=agency,
            started_at=moment - timedelta(minutes=rng.randint(15, 90)),
            completed_at=moment,
            child_age=age,
            learning_disability=child.learning_disability,
            score=result.score,
            scored_level=result.level,
            explanation=result.as_dict(),
            judgement_level=judgement,
            judgement_reason=reason,
            approved_by_id=approved_by,
            approved_at=moment + timedelta(hours=2) if approved_by else None,
            level=level,
        )
        self._keep(moment, Screening, screening)
        fill = {"name": child.first_name}
        for code, (state, when, source, interview) in answers.items():
            evidence = ""
            if state == "present":
                evidence = self.text_rng.choice(text.SCREENING_EVIDENCE[source]).format(**fill)
            # A plain tuple, written by _insert_answers: answers are most of the rows.
            self._keep(moment, ScreeningAnswer, (screening, code, state, when, evidence, source, interview))
        self._count(f"Screening (level {level})", 1)
        return screening, result

    # -- missing episodes

    def _missing_history(self, rng, child, first_referral):
        """The child's missing episodes, before and after the first referral:
        a few children go missing again and again."""
        if rng.random() > (0.55 if child.escalating or child.care_status == "cla" else 0.35):
            return
        k = weighted(rng, [(1, 50), (2, 18), (3, 12), (4, 8), (6, 7), (9, 5)])
        window_start = first_referral - timedelta(days=90)
        window_end = min(self.now - timedelta(hours=6), first_referral + timedelta(days=400))
        span = (window_end - window_start).total_seconds()
        if span <= 0:
            return
        starts = []
        while len(starts) < k:
            moment = window_start + timedelta(seconds=rng.random() * span)
            accept = (1.0 if school_holiday(moment.date()) == "summer" else 0.55) * (
                1.0 if moment.weekday() in (4, 5) else 0.7
            )
            if rng.random() < accept:
                starts.append(
                    moment.astimezone(LONDON).replace(
                        hour=rng.choice([16, 18, 19, 20, 21, 22, 23]), minute=rng.randrange(60)
                    )
                )
        for start in sorted(starts):
            self._episode(rng, child, start)

    def _episode(self, rng, child, start):
        fill = self._fill(child)
        trng = self.text_rng
        hours = min(120, max(2, int(math.exp(rng.gauss(math.log(14), 0.9)))))
        end = start + timedelta(hours=hours)
        still_missing = end > self.now
        away = child.care_status == "cla" and rng.random() < 0.6
        out_of_area = "cce" in child.harms and rng.random() < 0.3 or rng.random() < 0.05
        place = self._place(child.town)
        recorder = rng.choice(self.practitioners.get("police") or self.practitioners["childrens_social_care"])
        episode = MissingEpisode(
            person_id=child.pk,
            kind=MissingEpisode.Kind.AWAY if away else MissingEpisode.Kind.MISSING,
            started_at=start,
            ended_at=None if still_missing else end,
            reported_by=trng.choice(text.MISSING_REPORTED_BY["cla" if child.care_status == "cla" else "family"]),
            reported_by_agency_id=self.g.agencies[data.COUNCIL].pk if child.care_status == "cla" else None,
            police_reference=f"MFH/{start.year % 100:02d}/{self.g.missing_serial():06d}",
            recorded_by_id=recorder,
            recorded_at=start + timedelta(hours=rng.randint(1, 3)),
            who_with=trng.choice(text.WHO_WITH).format(**fill),
            notes=trng.choice(text.MISSING_NOTES),
        )
        if not still_missing:
            if out_of_area:
                episode.where_found = trng.choice(text.WHERE_FOUND_AWAY).format(**fill)
                episode.found_out_of_area = True
            else:
                episode.where_found = trng.choice(text.WHERE_FOUND).format(**fill)
                episode.found_postcode = place.postcode
                episode.found_latitude, episode.found_longitude = place.latitude, place.longitude
            episode.condition_on_return = weighted(
                rng, [("unharmed", 70), ("intoxicated", 10), ("distressed", 10), ("injured", 4), ("not_known", 6)]
            )
        self._keep(start, MissingEpisode, episode)
        interview, held = None, None
        if not still_missing:
            interview, held = self._return_interview(rng, child, episode, end, fill)
        child.episodes.append([episode, interview, held])

    def _return_interview(self, rng, child, episode, returned, fill):
        since = self.now - returned
        workers = self.practitioners.get("voluntary_sector") or self.practitioners["childrens_social_care"]
        worker = rng.choice(workers)
        if since < timedelta(hours=rng.randint(24, 72)):
            row = ReturnInterview(episode=episode, outcome=ReturnInterview.Outcome.NOT_YET_OFFERED)
            self._keep(returned, ReturnInterview, row)
            return row, None
        delay = timedelta(hours=rng.randint(3, 70)) if rng.random() < 0.85 else timedelta(hours=rng.randint(73, 200))
        offered = min(returned + delay, self.now - timedelta(hours=1))
        outcome = weighted(rng, [("accepted", 65), ("declined", 25), ("na", 5)])
        row = ReturnInterview(
            episode=episode,
            outcome=outcome,
            offered_at=offered,
            interviewer=self.user_info[worker][0],
            interviewer_agency_id=self.user_info[worker][2],
            recorded_by_id=worker,
        )
        held = None
        if outcome == "accepted":
            held = min(offered + timedelta(hours=rng.randint(1, 48)), self.now - timedelta(minutes=30))
            row.held_at = held
            row.child_said = self.text_rng.choice(text.CHILD_SAID_AT_RETURN).format(**fill)
            if rng.random() < 0.7:
                pool = self.found_codes["significant" if child.risk > 2.5 else "risk"]
                row.indicators_found = sorted(rng.sample(pool, min(len(pool), rng.randint(1, 2))))
        self._keep(offered, ReturnInterview, row)
        return row, held

    # -- meetings

    def _attendance(self, rng, meeting, moment, chair):
        rows, present = [], {}
        name = self.user_info[chair][0]
        rows.append(
            Attendance(
                meeting=meeting,
                agency_id=self.user_info[chair][2],
                user_id=chair,
                name=name,
                status=Attendance.Status.PRESENT,
            )
        )
        present["childrens_social_care"] = chair
        for kind, share in ATTENDING:
            if rng.random() > share:
                continue
            pool = self.practitioners.get(kind) or []
            if not pool:
                continue
            user = rng.choice(pool)
            status = weighted(
                rng, [(Attendance.Status.PRESENT, 85), (Attendance.Status.APOLOGIES, 10), (Attendance.Status.ABSENT, 5)]
            )
            rows.append(
                Attendance(
                    meeting=meeting,
                    agency_id=self.user_info[user][2],
                    user_id=user,
                    name=self.user_info[user][0],
                    status=status,
                )
            )
            if status == Attendance.Status.PRESENT and kind not in present:
                present[kind] = user
        for row in rows:
            self._keep(moment, Attendance, row)
        return present

    def _meeting(self, rng, moment, planned=False):
        chair = (
            self.demo_coordinator
            if planned or rng.random() < 0.6 or not self.council_coordinators
            else rng.choice(self.council_coordinators)
        )
        meeting = Meeting(
            kind=Meeting.Kind.SCREENING,
            starts_at=moment,
            location=rng.choice(["Online (Teams)", "Delamere House, Crewe, room 2", "Westfields, Sandbach, room 1"]),
            chair_id=chair,
            created_by_id=chair,
            created_at=moment - timedelta(days=rng.randint(5, 14)),
            status=Meeting.Status.PLANNED if planned else Meeting.Status.CONFIRMED,
        )
        if not planned:
            meeting.confirmed_at = moment + timedelta(hours=rng.randint(2, 26))
            meeting.confirmed_by_id = chair
        self._keep(moment, Meeting, meeting)
        self._count(f"Meeting ({meeting.status})", 1)
        return meeting, chair

    def _take_agenda(self, cutoff):
        taken = [item for item in self.agenda_pool if item["ready"] < cutoff]
        self.agenda_pool = [item for item in self.agenda_pool if item["ready"] >= cutoff]
        # Highest level first, then oldest: the chair's usual order.
        taken.sort(key=lambda item: (-LEVEL_RANK[item["screening"].level], item["ready"]))
        return taken

    def on_meeting(self, moment, payload):
        rng = self.rng
        items = self._take_agenda(moment - timedelta(hours=12))
        meeting, chair = self._meeting(rng, moment)
        present = self._attendance(rng, meeting, moment, chair)
        for position, item in enumerate(items, start=1):
            self._decide(rng, meeting, moment, chair, present, position, item)

    def planned_meeting(self):
        if self.planned_at is None:
            return
        rng = self.rng
        items = self._take_agenda(self.now + timedelta(days=1))
        meeting, chair = self._meeting(rng, self.planned_at, planned=True)
        for position, item in enumerate(items, start=1):
            row = AgendaItem(
                meeting=meeting,
                position=position,
                kind=item["kind"],
                person_id=item["child"].pk,
                referral=item["referral"],
                screening=item["screening"],
                status=AgendaItem.Status.PROPOSED,
            )
            self._keep(self.now, AgendaItem, row)

    def _decide(self, rng, meeting, moment, chair, present, position, item):
        child, screening = item["child"], item["screening"]
        level = screening.level
        if item["kind"] == AgendaItem.Kind.RESCREEN:
            decision = weighted(rng, RESCREEN_DECISIONS["rose" if item["rose"] else "same"])
        elif child.demo:
            decision = "open_case"
        else:
            decision = weighted(rng, DECISIONS[level])
        if decision == "nrm" and not set(child.harms) & {"cce", "trafficking", "cse"}:
            decision = "strategy"
        if decision == "open_case" and child.case is not None:
            decision = "panel" if level == "high" else "single_agency"
        fill = self._fill(child)
        referral = item["referral"]
        agency_name = self.agency_name.get(referral.referrer_agency_id) if referral is not None else None
        agency_name = agency_name or "The lead professional's agency"
        row = AgendaItem(
            meeting=meeting,
            position=position,
            status=AgendaItem.Status.ACCEPTED,
            kind=item["kind"],
            person_id=child.pk,
            referral=referral,
            screening=screening,
            decision=decision,
            rationale=text.RATIONALE[decision].format(level_word=LEVEL_WORDS[level], agency=agency_name, **fill),
            advice=text.ADVICE[decision].format(**fill) if decision in text.ADVICE else "",
            decided_by_id=chair,
            decided_at=moment + timedelta(minutes=10 * position),
        )
        case = None
        if decision == "open_case":
            case = self._open_case(rng, child, moment, chair)
            row.case = case
            row.lead_professional_id = case.lead_professional_id
        self._keep(moment, AgendaItem, row)
        if referral is not None:
            referral.status = Referral.Status.DECIDED
        for kind, user in present.items():
            if rng.random() < CONTRIBUTION_SHARE.get(kind, 0.4):
                self._keep(
                    moment,
                    AgencyContribution,
                    AgencyContribution(
                        item=row,
                        agency_id=self.user_info[user][2],
                        recorded_by_id=user,
                        recorded_at=moment + timedelta(minutes=10 * position),
                        text=self.text_rng.choice(text.CONTRIBUTIONS[kind]).format(**fill),
                    ),
                )
        actions = list(text.ACTIONS[decision])
        recent_missing = any(moment - timedelta(days=30) < e.started_at <= moment for e, _, _ in child.episodes)
        if recent_missing:
            actions.append(text.EXTRA_ACTIONS[0])
        elif rng.random() < 0.25:
            actions.append(rng.choice(text.EXTRA_ACTIONS[1:]))
        for title, who in actions:
            owner = self._owner(rng, who, chair, child, case, referral)
            if owner is None:
                continue
            self._action(rng, row, meeting, moment, chair, title, owner, child, case)

    def _owner(self, rng, who, chair, child, case, referral):
        if who == "chair":
            return chair
        if who == "lead":
            return case.lead_professional_id if case else None
        if who == "referrer":
            return referral.referrer_id if referral is not None else (child.lead_id or chair)
        if who == "school":
            return rng.choice(self.by_agency[child.school_id]) if child.school_id in self.by_agency else None
        kind = {"csc": "childrens_social_care", "police": "police", "voluntary": "voluntary_sector"}[who]
        pool = self.practitioners.get(kind)
        return rng.choice(pool) if pool else None

    def _action(self, rng, item, meeting, moment, chair, title, owner, child, case):
        confirmed = meeting.confirmed_at
        due = (moment + timedelta(days=rng.choice([7, 10, 14, 14, 21, 28]))).date()
        if child.demo and case is not None:
            due = self.today + timedelta(days=rng.choice([-9, -3, 5, 12]))
        task = Task(
            title=title,
            owner_id=owner,
            owner_agency_id=self.user_info[owner][2],
            due_date=due,
            person_id=child.pk,
            case=case,
            created_by_id=chair,
            created_at=confirmed,
            details=screening_action_details(meeting_day(meeting.starts_at), item.position, child.reference),
        )
        if due < self.today:
            state = weighted(rng, [("done", 88), ("open", 9), ("cancelled", 3)]) if not child.demo else "open"
        else:
            state = "done" if rng.random() < 0.35 and not child.demo else "open"
        if state == "done":
            latest = min(self.now, local(due + timedelta(days=5), 16))
            done_at = confirmed + (latest - confirmed) * rng.uniform(0.2, 1.0) if latest > confirmed else confirmed
            task.status, task.completed_at = Task.Status.DONE, done_at
            task.completed_note = self.text_rng.choice(text.TASK_DONE_NOTES)
        elif state == "cancelled":
            task.status = Task.Status.CANCELLED
        self._keep(moment, Task, task)
        self._keep(
            moment,
            MeetingAction,
            MeetingAction(
                item=item,
                description=title,
                owner_id=owner,
                owner_agency_id=self.user_info[owner][2],
                due_date=due,
                task=task,
            ),
        )

    def _open_case(self, rng, child, moment, chair):
        opened = moment + timedelta(hours=3)
        lead = self.demo_practitioner if child.demo else (self.leads.get(child.pk) or rng.choice(self.lead_pool))
        closes = None if child.demo else opened + timedelta(days=rng.randint(90, 540))
        closed = closes is not None and closes < self.now
        case = Case(
            reference=self.case_refs.next(),
            person_id=child.pk,
            lead_professional_id=lead,
            opened_at=opened,
            opened_by_id=chair,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            closed_at=closes if closed else None,
        )
        self._keep(moment, Case, case)
        for code in child.harms:
            self._keep(
                moment, Case.harm_types.through, Case.harm_types.through(case=case, harmtype_id=self.harm_types[code])
            )
        if self.leads.get(child.pk) != lead or closed:
            self._keep(
                moment,
                Involvement,
                Involvement(
                    person_id=child.pk,
                    user_id=lead,
                    kind=Involvement.Kind.LEAD_PROFESSIONAL,
                    started_at=opened,
                    ended_at=closes if closed else None,
                ),
            )
        child.case, child.case_closes, child.lead_id = case, closes, lead
        if closed:
            self._push(closes, "close", {"child": child, "case": case})
        self._push(opened + timedelta(days=rng.randint(*RESCREEN_EVERY)), "rescreen", {"child": child, "case": case})
        return case

    def on_close(self, moment, payload):
        child = payload["child"]
        if child.case is payload["case"]:
            child.case, child.case_closes = None, None

    # ------------------------------------------------------------ the demo's loose ends

    def make_drafts(self):
        """A few referrals never finished, one of them the demo practitioner's."""
        rng = self.rng
        drafts = max(3, self.g.size.referrals // 250)
        rows = []
        for n in range(drafts):
            if n == 0 and self.demo_caseload:
                child, referrer = self.demo_caseload[0], self.demo_practitioner
                started = self.now - timedelta(days=1, hours=3)
            else:
                child = rng.choice(self.children)
                referrer = rng.choice(self.practitioners["police"] + self.practitioners["childrens_social_care"])
                started = self.now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
            fill = self._fill(child)
            draft = Referral(
                reference=self.referral_refs.next(),
                status=Referral.Status.DRAFT,
                person_id=child.pk,
                referrer_id=referrer,
                referrer_agency_id=self.user_info[referrer][2],
                referrer_role=self.user_info[referrer][1],
                created_at=started,
            )
            harm = weighted(rng, HARM_WEIGHTS["other"])
            if rng.random() < 0.7 or n == 0:
                draft.what_happened = self.text_rng.choice(text.WHAT_HAPPENED[harm]).format(**fill)
            rows.append((draft, harm))
            self._keep(self.now, Referral, draft)
        for draft, harm in rows:
            self._keep(
                self.now,
                Referral.harm_types.through,
                Referral.harm_types.through(referral=draft, harmtype_id=self.harm_types[harm]),
            )

    # ------------------------------------------------------------ writing

    ORDER = [
        SharingDecision,
        Referral,
        Referral.harm_types.through,
        NamedAssociate,
        MissingEpisode,
        ReturnInterview,
        Case,
        Case.harm_types.through,
        Involvement,
        Screening,
        ScreeningAnswer,
        Meeting,
        Attendance,
        AgendaItem,
        AgencyContribution,
        Task,
        MeetingAction,
    ]

    def _keep(self, moment, model, row):
        self.pending.append((moment, model, row))

    def _count(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n

    def flush(self, before=None, everything=False):
        if everything:
            ready, self.pending = self.pending, []
        else:
            ready = [p for p in self.pending if p[0] < before]
            self.pending = [p for p in self.pending if p[0] >= before]
        groups = {model: [] for model in self.ORDER}
        for _, model, row in ready:
            groups[model].append(row)
        for model in self.ORDER:
            rows = groups[model]
            if not rows:
                continue
            if model is ScreeningAnswer:
                self._insert_answers(rows)
            elif connection.vendor == "postgresql":
                self._copy(model, rows)
            else:
                model.objects.bulk_create(rows, batch_size=2000)
            self._count(model.__name__, len(rows))
        reset_queries()

    def _copy(self, model, rows):
        copy_rows(model, rows)

    def _insert_answers(self, rows):
        """Straight to the table: model instances and Django's per-value
        preparation cost more than everything else the front door writes."""
        meta = ScreeningAnswer._meta
        columns = ["screening_id", "indicator", "state", "when", "evidence", "source", "prefilled_from"]
        assert {f.column for f in meta.concrete_fields} == {"id", *columns}, "ScreeningAnswer has changed"
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        values = [
            (
                screening.pk,
                code,
                state,
                when,
                self._encrypted(evidence),
                source,
                f"return-interview:{interview.pk}" if interview is not None else "",
            )
            for screening, code, state, when, evidence, source, interview in rows
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: one statement for the lot, where executemany runs one per row.
                copy_sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                for start in range(0, len(values), 5000):
                    cursor.executemany(sql, values[start : start + 5000])

    def _encrypted(self, evidence):
        """Evidence is a handful of stock sentences: each distinct one is
        encrypted once and its token reused, which is safe only because the
        text is synthetic (real evidence is encrypted afresh every time)."""
        if not evidence:
            return evidence
        token = self.evidence_tokens.get(evidence)
        if token is None:
            token = self.evidence_tokens[evidence] = encrypt(evidence)
        return token
