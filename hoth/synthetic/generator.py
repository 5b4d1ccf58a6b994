"""The seeded generator of a synthetic Cheshire East partnership.

Agencies, teams, users in every role, and a register of children and adults as
partner agencies really hold them: the same person recorded by several
agencies with small differences, with the truth kept in TrueIdentity.

Determinism: every random choice comes from random.Random streams seeded from
the seed and a phase name, every date from ANCHOR_DATE, and nothing iterates a
set or dict of objects. The same seed and size give the same people (names,
dates of birth, identifiers, addresses) on every machine and database.

Scale: people are built and written in batches with bulk_create, so a million
people take bounded memory. bulk_create skips Person.save(), so the matching
keys and references are filled in here.

This is demo and test data only. Production never runs it.
"""

import itertools
import math
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries, transaction
from django.test.utils import override_settings

from hoth.accounts.models import Agency, Role, RoleAssignment, Team, User
from hoth.analytics.identifiers import nhs_check_digit, upn_check_letter
from hoth.people.matching_keys import fill_alias_key, fill_person_keys
from hoth.people.models import (
    Address,
    Alias,
    DobPrecision,
    Identifier,
    Involvement,
    OnlineHandle,
    Person,
    PhoneNumber,
)

from . import data
from .chance import weighted
from .demo_users import DEMO_USERS, demo_email
from .models import TrueIdentity
from .perturb import partial_date, swap_forenames, transposed_date, typo
from .places import Places

ANCHOR_DATE = date.fromisoformat(data.ANCHOR_DATE_ISO)
ANCHOR_TIME = datetime(ANCHOR_DATE.year, ANCHOR_DATE.month, ANCHOR_DATE.day, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Size:
    children: int
    adults: int
    # Multiplies the number of generated (non-demo) users per agency.
    staff: int
    batch: int = 2000
    # The front door over three years (hoth.synthetic.front_door).
    referrals: int = 600
    meetings_per_week: int = 1
    contexts_per_town: int = 5


SIZES = {
    "tiny": Size(children=40, adults=60, staff=1, batch=500, referrals=150, contexts_per_town=2),  # for tests
    "small": Size(children=300, adults=600, staff=1, referrals=600),  # the demo: seconds
    "medium": Size(children=20_000, adults=60_000, staff=6, referrals=15_000, contexts_per_town=10),  # a minute
    # About a million Person rows once agencies' duplicate records are added.
    "large": Size(
        children=250_000,
        adults=600_000,
        staff=40,
        batch=5000,
        referrals=150_000,
        meetings_per_week=10,
        contexts_per_town=25,
    ),
}

DUPLICATE_SHARE = 0.15  # of individuals recorded again by another agency
PRACTITIONER_CASELOAD = (8, 18)
TEAM_CASELOAD = (2, 6)
PANEL_CASELOAD = (10, 20)
ADULT_CASELOAD = (3, 10)  # probation, police and youth justice also work with adults

# ---------------------------------------------------------------- small pure helpers


class Permutation:
    """i -> a distinct number below `modulus` for each i: an affine map with a
    multiplier coprime to the modulus, so identifiers are unique without
    remembering the ones already issued."""

    def __init__(self, rng, modulus):
        self.modulus = modulus
        a = rng.randrange(modulus // 3, modulus) | 1
        while math.gcd(a, modulus) != 1:
            a += 2
        self.a, self.b = a, rng.randrange(modulus)

    def __call__(self, i):
        return (self.a * i + self.b) % self.modulus


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class References:
    """References in the register's own format (P- for a person, R- a referral,
    K- a case, C- a context, and seven characters with no 0/O or 1/I), unique
    and the same for the same seed."""

    BITS = 35  # 32 ** 7 == 2 ** 35

    def __init__(self, rng, letter="P"):
        self.letter = letter
        self.permute = Permutation(rng, 2**self.BITS)
        self.multiplier = rng.randrange(2**20, 2**self.BITS) | 1
        self.count = 0

    def next(self):
        # An affine map alone leaves neighbouring references looking alike;
        # xor-shifts and a second odd multiplier (each a bijection on 35 bits)
        # scatter them while keeping every reference unique.
        mask = 2**self.BITS - 1
        n = self.permute(self.count)
        n ^= n >> 17
        n = (n * self.multiplier) & mask
        n ^= n >> 13
        self.count += 1
        chars = []
        for _ in range(7):
            n, r = divmod(n, len(REFERENCE_ALPHABET))
            chars.append(REFERENCE_ALPHABET[r])
        return f"{self.letter}-" + "".join(chars)


class NhsNumbers:
    """Valid NHS numbers from the 999 range, which is never issued to real
    patients: a synthetic number can never be someone's real one."""

    def __init__(self, rng):
        self.permute = Permutation(rng, 1_000_000)
        self.count = 0

    def next(self):
        while self.count < 1_000_000:
            first_nine = f"999{self.permute(self.count):06d}"
            self.count += 1
            check = nhs_check_digit(first_nine)
            if check is not None:
                return first_nine + str(check)
        return ""  # the range is spent: more people than the large size


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def ascii_local(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ---------------------------------------------------------------- names


class Names:
    def __init__(self):
        self.pools = dict(data.NAME_POOLS)
        # Common surnames by falling frequency (Smith far more than Hough),
        # roughly Zipf as surnames are; then a long tail of rarer ones.
        self.common = data.BRITISH_FAMILY
        self.common_cumulative = list(itertools.accumulate(1 / (rank + 20) for rank in range(len(self.common))))
        self.rare = [
            stem + ending
            for stem in data.SURNAME_STEMS
            for ending in data.SURNAME_ENDINGS
            if stem[-1] != ending[0] and not (stem.endswith("sh") and ending[0] == "s")
        ]

    def british_family_name(self, rng):
        if rng.random() < data.COMMON_SURNAME_SHARE:
            return rng.choices(self.common, cum_weights=self.common_cumulative)[0]
        return rng.choice(self.rare)

    def _pool(self, group, adult):
        if group == "W1":
            male = data.BRITISH_ADULT_MALE if adult else data.BRITISH_CHILD_MALE
            female = data.BRITISH_ADULT_FEMALE if adult else data.BRITISH_CHILD_FEMALE
            return male, female, data.BRITISH_FAMILY, [("English", 1.0)]
        return self.pools[group]

    def pick(self, rng, ethnicity, sex, adult):
        given_groups, family_groups = data.MIXED_POOLS.get(ethnicity, ([ethnicity], [ethnicity]))
        male, female, _, languages = self._pool(rng.choice(given_groups), adult)
        _, _, families, _ = self._pool(rng.choice(family_groups), adult)
        forenames = female if sex == "F" else male if sex == "M" else rng.choice([male, female])
        first = rng.choice(forenames)
        given = first
        if rng.random() < 0.4:
            middle = rng.choice(forenames)
            if middle != first:
                given = f"{first} {middle}"
        family = self.british_family_name(rng) if families is data.BRITISH_FAMILY else rng.choice(families)
        if family == "Begum" and sex != "F":
            family = "Miah"
        language = weighted(rng, languages) if ethnicity not in data.MIXED_POOLS else "English"
        return given, family, language


# ---------------------------------------------------------------- the generator


@dataclass
class Individual:
    """One real person, before any agency records them."""

    cluster_id: int
    is_child: bool
    index: int  # among children, or among adults, in the order generated
    sex: str
    ethnicity: str
    given_names: str
    family_name: str
    language: str
    date_of_birth: date
    address: dict
    previous_address: dict = None
    school_id: int = None
    send_status: str = ""
    care_status: str = ""
    intelligence_subject: bool = False
    identifiers: list = field(default_factory=list)  # (scheme, value, issuer_id)
    phones: list = field(default_factory=list)
    handles: list = field(default_factory=list)  # (platform, handle)
    aliases: list = field(default_factory=list)  # (kind, name)
    source_agency_id: int = None


class Generator:
    """`today` is the day the front door's three years of history end on (the
    clock's date by default): the same seed and day give the same history, and
    the queue, the next meeting and the overdue tasks are current on that day.
    The register itself is worked out from ANCHOR_DATE and never moves."""

    anchor_date = ANCHOR_DATE

    def __init__(
        self,
        size="small",
        seed=1,
        out=None,
        today=None,
        front_door=True,
        protect=True,
        pursue=True,
        disruption=True,
        information_governance=True,
    ):
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}")
        self.size_name, self.size, self.seed = size, SIZES[size], seed
        self.today = today or date.today()
        # The directory dates its reviews from the day given, or ANCHOR_DATE.
        self.directory_today = today
        self.with_front_door = front_door
        # The Protect side needs the front door's cases; the Pursue side both.
        self.with_protect = front_door and protect
        self.with_pursue = self.with_protect and pursue
        # Disruption histories are against the subjects Pursue planted.
        self.with_disruption = self.with_pursue and disruption
        # The data protection officer's demo reads every side's records.
        self.with_information_governance = self.with_disruption and information_governance
        self.out = out
        self.counts = {}
        self.rng = self._stream("people")
        self.learning_disability_rng = self._stream("learning-disability")
        self.missing_serials = Permutation(self._stream("missing-serials"), 1_000_000)
        self.missing_count = 0
        self.references = References(self._stream("references"))
        self.nhs = NhsNumbers(self._stream("nhs"))
        self.police_ids = Permutation(self._stream("police"), 1_000_000)
        self.la_ids = Permutation(self._stream("la"), 9_000_000)
        self.names = Names()
        self.upn_serials = {}
        self.leads = set()
        self.buffer = []
        self.n_children = self.n_adults = self.n_clusters = 0

    def _stream(self, phase):
        # String seeds are hashed with SHA-512 by random.seed: stable across runs.
        return random.Random(f"hoth-synthetic:{self.seed}:{phase}")

    def say(self, text):
        if self.out:
            self.out(text)

    def _count(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n

    def reference_maker(self, letter, phase):
        return References(self._stream(phase), letter)

    def missing_serial(self):
        """A police missing-person log number: unique, scattered."""
        self.missing_count += 1
        return self.missing_serials(self.missing_count)

    # ------------------------------------------------------------ run

    def run(self):
        started = time.monotonic()
        # Django keeps every query's SQL while DEBUG is on; bulk inserts' SQL
        # runs to megabytes and building it costs more than the insert.
        with override_settings(DEBUG=False), transaction.atomic():
            self.make_agencies()
            self.make_users()
            self.plan_involvements()
            self.make_people()
            if self.with_front_door:
                self.make_front_door()
                self.make_child_population()
            if self.with_protect:
                self.make_directory()
                self.make_protect()
            if self.with_pursue:
                self.make_pursue()
            if self.with_disruption:
                self.make_disruption()
            if self.with_information_governance:
                self.make_information_governance()
        self.refresh_statistics()
        self.seconds = time.monotonic() - started
        return self.counts

    def refresh_statistics(self):
        """After a bulk load the planner still believes the tables are empty
        until autovacuum gets round to them, and picks plans that are a
        hundred times slower; a real data migration ends the same way."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def make_child_population(self):
        """The synthetic child population the board's disproportionality
        figures divide by (hoth.synthetic.population), unless estimates are
        loaded already."""
        from hoth.contexts import reference as towns_reference
        from hoth.contexts.models import Town
        from hoth.insight import population
        from hoth.insight.models import ChildPopulation

        from .population import SOURCE, rows

        if ChildPopulation.objects.exists():
            return
        if not Town.objects.exists():
            towns_reference.load()
        loaded = population.load(population.as_csv(rows(self.today.year)), source=SOURCE, user=None, synthetic=True)
        self._count("child population rows", loaded.rows)

    def make_front_door(self):
        from .front_door import FrontDoor

        started = time.monotonic()
        self.say(f"  the front door: three years of referrals to {self.today:%-d %B %Y}…")
        for name, n in FrontDoor(self, self.today).run().items():
            self._count(name, n)
        self.front_door_seconds = time.monotonic() - started

    def make_directory(self):
        from .directory import generate_directory

        started = time.monotonic()
        self._count("Service (support directory)", len(generate_directory(self.seed, self.directory_today)))
        self.say(f"  the support directory: {time.monotonic() - started:.1f} s")

    def make_protect(self):
        from .protect import Protect

        started = time.monotonic()
        self.say("  protect: case teams, plans, reviews, notes, closures, NRM and the monthly panel…")
        for name, n in Protect(self, self.today).run().items():
            self._count(name, n)
        self.protect_seconds = time.monotonic() - started
        self.say(f"  protect: {self.protect_seconds:.1f} s")

    def make_pursue(self):
        from .pursue import Pursue

        started = time.monotonic()
        self.say(
            "  pursue: people, places, vehicles and phones of concern, planted networks, graded intelligence "
            "and links, hotspots…"
        )
        for name, n in Pursue(self, self.today).run().items():
            self._count(name, n)
        self.pursue_seconds = time.monotonic() - started
        self.say(f"  pursue: {self.pursue_seconds:.1f} s")

    def make_disruption(self):
        from .disruption import Disruption

        started = time.monotonic()
        self.say(
            "  disruption: plans, orders, notices, licensing action, patrols and campaigns against the planted "
            "subjects, breaches, outcomes and reviews…"
        )
        for name, n in Disruption(self, self.today).run().items():
            self._count(name, n)
        self.disruption_seconds = time.monotonic() - started
        self.say(f"  disruption: {self.disruption_seconds:.1f} s")

    def make_information_governance(self):
        from .information_governance import InformationGovernance

        started = time.monotonic()
        self.say(
            "  information governance: an archive past its retention triggers, subject access requests and "
            "the retention review proposed for the day…"
        )
        for name, n in InformationGovernance(self, self.today).run().items():
            self._count(name, n)
        self.say(f"  information governance: {time.monotonic() - started:.1f} s")

    # ------------------------------------------------------------ agencies and teams

    def make_agencies(self):
        rng = self._stream("agencies")
        specs = [(name, kind, town, teams) for name, kind, town, teams in data.AGENCIES]
        self.school_codes = {}
        for town_name in [t.name for t in data.TOWNS]:
            secondaries, primaries = data.SCHOOLS[town_name]
            for name in secondaries + primaries:
                specs.append((name, "education", town_name, data.SCHOOL_TEAMS))
        ap_name, ap_town = data.ALTERNATIVE_PROVISION
        specs.append((ap_name, "education", ap_town, data.SCHOOL_TEAMS))
        self.agencies, self.teams = {}, {}
        created = teams_created = 0
        for name, kind, town, team_names in specs:
            agency, was_created = Agency.objects.get_or_create(name=name, defaults={"type": kind, "town": town})
            created += was_created
            self.agencies[name] = agency
            for team_name in team_names:
                team, team_created = Team.objects.get_or_create(agency=agency, name=team_name)
                self.teams[(name, team_name)] = team
                teams_created += team_created
        self._count("Agency", created)
        self._count("Team", teams_created)
        # DfE-style establishment numbers: 2xxx primary, 4xxx secondary.
        primary_no, secondary_no = 2000 + rng.randrange(100), 4000 + rng.randrange(100)
        self.secondary, self.primary = {}, {}
        for town in data.TOWNS:
            secondaries, primaries = data.SCHOOLS[town.name]
            self.secondary[town.name] = [self.agencies[n] for n in secondaries]
            self.primary[town.name] = [self.agencies[n] for n in primaries]
            for n in secondaries:
                secondary_no += rng.randint(1, 9)
                self.school_codes[self.agencies[n].pk] = secondary_no
            for n in primaries:
                primary_no += rng.randint(1, 9)
                self.school_codes[self.agencies[n].pk] = primary_no
        self.alternative_provision = self.agencies[ap_name]
        self.school_codes[self.alternative_provision.pk] = 4999 - rng.randrange(10)
        by_type = {}
        for name, _, _, _ in specs:
            agency = self.agencies[name]
            by_type.setdefault(agency.type, []).append(agency)
        self.by_type = by_type

    # ------------------------------------------------------------ users

    def make_users(self):
        rng = self._stream("users")
        self.password_hash = make_password(data.DEMO_PASSWORD, salt=f"hothdemo{self.seed}")
        existing = set(User.objects.values_list("email", flat=True))
        planned = []  # (email, full_name, job, agency, [teams], [roles])
        for local, role, agency_name, team_name, full_name, job in DEMO_USERS:
            teams = [self.teams[(agency_name, team_name)]] if team_name else []
            planned.append((demo_email(local), full_name, job, self.agencies[agency_name], teams, [role]))
        used = {p[0] for p in planned} | existing
        staff = self.size.staff
        names = Names()

        def person_name():
            sex = rng.choice("FM")
            given, family, _ = names.pick(rng, weighted(rng, data.ETHNICITY_MIX), sex, adult=True)
            return given.split()[0], family

        def add(agency, role, job, teams):
            given, family = person_name()
            domain = slug(agency.name)[:40] + ".example"
            base = f"{ascii_local(given)}.{ascii_local(family)}"
            email, n = f"{base}@{domain}", 1
            while email in used:
                n += 1
                email = f"{base}{n}@{domain}"
            used.add(email)
            planned.append((email, f"{given} {family}", job, agency, teams, [role]))

        practitioner_weights = {
            "childrens_social_care": 3,
            "police": 2,
            "health": 1,
            "probation": 1,
            "youth_justice": 1,
            "voluntary_sector": 1,
            "neighbouring_authority": 0.25,
            "education": 0.34,
            "partnership": 0,
        }
        # Lists in a fixed order: data.AGENCIES, then the schools town by town.
        for agency in self._agency_order():
            teams = [t for (a, _), t in self.teams.items() if a == agency.name]
            weight = practitioner_weights[agency.type]
            n = math.ceil(weight * staff) if weight else 0
            jobs = data.JOB_TITLES["practitioner"][agency.type]
            for _ in range(n):
                add(agency, Role.PRACTITIONER, rng.choice(jobs), [rng.choice(teams)] if teams else [])
            add(agency, Role.AGENCY_ADMIN, data.JOB_TITLES["agency_admin"], [])
        council, police, partnership = (
            self.agencies[data.COUNCIL],
            self.agencies[data.POLICE],
            self.agencies[data.PARTNERSHIP],
        )
        hoth_team = self.teams[(data.COUNCIL, "Harm Outside the Home Team")]
        ceu = self.teams[(data.POLICE, "Child Exploitation Unit")]
        intel = self.teams[(data.POLICE, "Intelligence Unit")]
        ceop = self.teams[(data.PARTNERSHIP, "Child Exploitation Operational Panel")]
        few = max(1, staff // 3)
        for _ in range(few):
            add(council, Role.COORDINATOR, data.JOB_TITLES["coordinator"], [hoth_team])
            add(police, Role.COORDINATOR, data.JOB_TITLES["coordinator"], [ceu])
            add(police, Role.ANALYST, data.JOB_TITLES["analyst"], [intel])
            add(partnership, Role.ANALYST, data.JOB_TITLES["analyst"], [])
            add(partnership, Role.PANEL_CHAIR, data.JOB_TITLES["panel_chair"], [ceop])
            add(rng.choice([council, police, partnership]), Role.MANAGER, data.JOB_TITLES["manager"], [])
            add(rng.choice([council, police, partnership]), Role.AUDITOR, data.JOB_TITLES["auditor"], [])
        add(partnership, Role.SYSTEM_ADMIN, data.JOB_TITLES["system_admin"], [])

        planned = [p for p in planned if p[0] not in existing]
        joined = ANCHOR_TIME - timedelta(days=400)
        users = [
            User(
                email=email,
                full_name=name,
                job_title=job,
                agency=agency,
                password=self.password_hash,
                date_joined=joined,
            )
            for email, name, job, agency, _, _ in planned
        ]
        User.objects.bulk_create(users, batch_size=1000)
        by_email = {u.email: u for u in User.objects.filter(email__in=[p[0] for p in planned])}
        roles, memberships = [], []
        Membership = User.teams.through
        for email, _, _, _, teams, role_list in planned:
            user = by_email[email]
            roles += [RoleAssignment(user=user, role=r, granted_at=joined) for r in role_list]
            memberships += [Membership(user_id=user.pk, team_id=t.pk) for t in teams]
        RoleAssignment.objects.bulk_create(roles, batch_size=1000)
        Membership.objects.bulk_create(memberships, batch_size=1000)
        self._count("User", len(users))
        self._count("RoleAssignment", len(roles))
        self._count("Team membership", len(memberships))
        # Kept as (email, user id, agency, role, first team) in creation order.
        self.staff = [
            (email, by_email[email].pk, agency, role_list[0], teams[0].pk if teams else None)
            for email, _, _, agency, teams, role_list in planned
        ]

    def _agency_order(self):
        names = [a[0] for a in data.AGENCIES]
        for town in data.TOWNS:
            secondaries, primaries = data.SCHOOLS[town.name]
            names += secondaries + primaries
        names.append(data.ALTERNATIVE_PROVISION[0])
        return [self.agencies[n] for n in names]

    # ------------------------------------------------------------ who works with whom

    def plan_involvements(self):
        """Caseloads: which children (and adults) each practitioner, panel chair
        and team works with, by the index of the child or adult to come."""
        rng = self._stream("involvements")
        n_children, n_adults = self.size.children, self.size.adults
        self.child_work, self.adult_work = {}, {}
        self.school_quota = {}  # school agency id -> [[user id, remaining], ...]
        for _email, user_id, agency, role, _team_id in self.staff:
            if role == Role.PANEL_CHAIR:
                size, kind = rng.randint(*PANEL_CASELOAD), Involvement.Kind.ASSIGNED
            elif role == Role.PRACTITIONER:
                size, kind = rng.randint(*PRACTITIONER_CASELOAD), None
            else:
                continue
            if agency.type == "education":
                self.school_quota.setdefault(agency.pk, []).append([user_id, size])
                continue
            for index in rng.sample(range(n_children), min(size, n_children)):
                chosen = kind or rng.choice(
                    [Involvement.Kind.ASSIGNED, Involvement.Kind.ASSIGNED, Involvement.Kind.RAISED, "maybe_lead"]
                )
                self.child_work.setdefault(index, []).append(("user", user_id, chosen, agency.type))
            if role == Role.PRACTITIONER and agency.type in ("police", "probation", "youth_justice"):
                for index in rng.sample(range(n_adults), min(rng.randint(*ADULT_CASELOAD), n_adults)):
                    self.adult_work.setdefault(index, []).append(("user", user_id, Involvement.Kind.ASSIGNED, ""))
        for (agency_name, _team_name), team in self.teams.items():
            if self.agencies[agency_name].type == "education":
                continue
            for index in rng.sample(range(n_children), min(rng.randint(*TEAM_CASELOAD), n_children)):
                self.child_work.setdefault(index, []).append(("team", team.pk, Involvement.Kind.TEAM, ""))

    # ------------------------------------------------------------ people

    def make_people(self):
        rng = self.rng
        expected_addresses = int((self.size.children * 2 + self.size.adults) * 1.4)
        self.places = Places(self._stream("places"), expected_addresses)
        self.health = self.by_type["health"]
        self.council = self.agencies[data.COUNCIL]
        self.police = self.agencies[data.POLICE]
        self.recording_agencies = [
            a
            for a in self._agency_order()
            if a.type in ("childrens_social_care", "police", "health", "youth_justice", "voluntary_sector", "probation")
        ]
        report_every = max(self.size.batch * 5, 10_000)
        next_report = report_every
        while self.n_children < self.size.children:
            self._household(rng)
            if len(self.buffer) >= self.size.batch:
                self._flush()
            if self.n_clusters >= next_report:
                self.say(f"  {self.n_clusters:,} individuals…")
                next_report += report_every
        while self.n_adults < self.size.adults:
            self._add(self._adult(rng, age=self._adult_age(rng), intelligence_share=0.15))
            if len(self.buffer) >= self.size.batch:
                self._flush()
            if self.n_clusters >= next_report:
                self.say(f"  {self.n_clusters:,} individuals…")
                next_report += report_every
        self._flush()

    def _household(self, rng):
        """A child, sometimes a brother or sister, and the adults they live with."""
        ethnicity = weighted(rng, data.ETHNICITY_MIX)
        address = self.places.address(rng)
        town = self.places.by_name[address["town"]]
        child = self._child(rng, ethnicity, address, town)
        children = [child]
        if rng.random() < 0.12 and self.n_children < self.size.children:
            sibling = self._child(rng, ethnicity, address, town, family_name=child.family_name)
            children.append(sibling)
        for c in children:
            self._add(c)
        parent_group = ethnicity
        if ethnicity in data.MIXED_POOLS:
            parent_group = rng.choice(data.MIXED_POOLS[ethnicity][0])
        eldest = max(self._age(c.date_of_birth) for c in children)
        for parent_no in range(rng.choice([0, 1, 1, 1, 2, 2])):
            if self.n_adults >= self.size.adults:
                break
            sex = "F" if parent_no == 0 and rng.random() < 0.8 else rng.choice("FM")
            parent = self._adult(
                rng,
                age=eldest + rng.randint(18, 42),
                ethnicity=parent_group,
                sex=sex,
                address=address,
                intelligence_share=0.02,
            )
            if rng.random() < 0.75:
                parent.family_name = child.family_name
            self._add(parent)

    def _age(self, dob):
        return ANCHOR_DATE.year - dob.year - ((ANCHOR_DATE.month, ANCHOR_DATE.day) < (dob.month, dob.day))

    def _dob(self, rng, age):
        days = rng.randint(int(age * 365.25) + 1, int((age + 1) * 365.25) - 1)
        return ANCHOR_DATE - timedelta(days=days)

    def _child_age(self, rng):
        x = rng.random()
        if x < 0.85:
            return rng.randint(10, 17)
        if x < 0.95:
            return rng.randint(5, 9)
        return rng.randint(0, 4)

    def _adult_age(self, rng):
        x = rng.random()
        if x < 0.4:
            return rng.randint(18, 24)
        if x < 0.8:
            return rng.randint(25, 40)
        return rng.randint(41, 70)

    def _base(self, rng, is_child, age, ethnicity=None, sex=None, address=None):
        ethnicity = ethnicity or weighted(rng, data.ETHNICITY_MIX)
        sex = sex or ("U" if rng.random() < 0.005 else rng.choice("FM"))
        given, family, language = self.names.pick(rng, ethnicity, sex, adult=not is_child)
        if is_child and language != "English" and rng.random() < 0.5:
            language = "English"  # born here: English first, the family's language at home
        individual = Individual(
            cluster_id=self.n_clusters,
            is_child=is_child,
            index=self.n_children if is_child else self.n_adults,
            sex=sex,
            ethnicity=ethnicity,
            given_names=given,
            family_name=family,
            language=language,
            date_of_birth=self._dob(rng, age),
            address=address or self.places.address(rng),
        )
        self.n_clusters += 1
        if is_child:
            self.n_children += 1
        else:
            self.n_adults += 1
        if rng.random() < 0.2:
            individual.previous_address = self.places.address(rng)
        return individual

    def _child(self, rng, ethnicity, address, town, family_name=None):
        age = self._child_age(rng)
        c = self._base(rng, True, age, ethnicity=ethnicity, address=address)
        if family_name:
            c.family_name = family_name
        c.send_status = weighted(rng, [("", 72), ("sen_support", 20), ("ehcp", 8)]) if age >= 4 else ""
        c.care_status = weighted(rng, [("", 68), ("cin", 15), ("cpp", 7), ("cla", 10)])
        c.intelligence_subject = rng.random() < 0.04
        school = None
        if 4 <= age <= 10:
            school = rng.choice(self.primary[town.name])
        elif 11 <= age <= 15 or (age in (16, 17) and rng.random() < 0.7):
            if rng.random() < 0.03:
                school = self.alternative_provision
            elif rng.random() < 0.8:
                school = rng.choice(self.secondary[town.name])
            else:
                school = rng.choice(self.secondary[rng.choice(town.nearby)])
        c.school_id = school.pk if school else None
        if rng.random() < 0.97:
            c.identifiers.append(("nhs", self.nhs.next(), rng.choice(self.health).pk))
        if school:
            c.identifiers.append(("upn", self._upn(school, c.date_of_birth), school.pk))
        if rng.random() < 0.6 or c.care_status:
            c.identifiers.append(("la", f"{1_000_000 + self.la_ids(c.cluster_id)}", self.council.pk))
        if rng.random() < 0.2 or c.intelligence_subject:
            c.identifiers.append(("police", self._police_id(rng, c.cluster_id), self.police.pk))
        if age >= 11:
            if rng.random() < 0.6:
                c.phones.append(self._phone(rng))
            if rng.random() < 0.35:
                c.handles.append(self._handle(rng, c))
        self._nickname(rng, c, 0.1)
        if c.intelligence_subject and rng.random() < 0.4 or rng.random() < 0.02:
            c.aliases.append(("street", rng.choice(data.STREET_NAMES)))
        c.source_agency_id = rng.choice([self.council.pk, self.council.pk, c.school_id or self.council.pk])
        return c

    def _adult(self, rng, age, ethnicity=None, sex=None, address=None, intelligence_share=0.0):
        a = self._base(rng, False, age, ethnicity=ethnicity, sex=sex, address=address)
        a.intelligence_subject = rng.random() < intelligence_share
        if age <= 24 and rng.random() < 0.08:
            a.care_status = "care_leaver"
        if rng.random() < 0.85:
            a.identifiers.append(("nhs", self.nhs.next(), rng.choice(self.health).pk))
        if a.intelligence_subject or rng.random() < 0.1:
            a.identifiers.append(("police", self._police_id(rng, a.cluster_id), self.police.pk))
        if rng.random() < 0.1:
            a.identifiers.append(("la", f"{1_000_000 + self.la_ids(a.cluster_id)}", self.council.pk))
        if rng.random() < (0.8 if a.intelligence_subject else 0.55):
            a.phones.append(self._phone(rng))
            if a.intelligence_subject and rng.random() < 0.4:
                a.phones.append(self._phone(rng))  # a second, "burner" phone
        if rng.random() < (0.5 if a.intelligence_subject else 0.15):
            a.handles.append(self._handle(rng, a))
        self._nickname(rng, a, 0.08)
        if a.intelligence_subject and rng.random() < 0.5:
            a.aliases.append(("street", rng.choice(data.STREET_NAMES)))
        if a.sex == "F" and age >= 25 and rng.random() < 0.1:
            a.aliases.append(("previous", f"{a.given_names.split()[0]} {self.names.british_family_name(rng)}"))
        a.source_agency_id = (
            self.police.pk
            if a.intelligence_subject
            else rng.choice([self.council.pk, self.police.pk, rng.choice(self.health).pk])
        )
        return a

    def _nickname(self, rng, individual, share):
        nicknames = data.NICKNAMES.get(individual.given_names.split()[0])
        if nicknames and rng.random() < share:
            individual.aliases.append(("nickname", rng.choice(nicknames)))

    def _upn(self, school, dob):
        """A unique pupil number: check letter, LA code, school number, year of
        entry, serial. The LA code steps on (895, 896, ...) if a school's year
        runs past 999 serials, which keeps every UPN unique at the large size."""
        year = (dob.year + 5) % 100
        key = (self.school_codes[school.pk], year)
        serial = self.upn_serials.get(key, 0)
        self.upn_serials[key] = serial + 1
        body = f"{895 + serial // 1000}{key[0]:04d}{year:02d}{serial % 1000:03d}"
        return upn_check_letter(body) + body

    def _police_id(self, rng, n):
        """Police National Computer style: year, serial, check letter."""
        number = self.police_ids(n)
        return f"{rng.randint(10, 26):02d}/{number:06d}{data.POSTCODE_UNIT_LETTERS[number % 20]}"

    def _phone(self, rng):
        # Ofcom's range for drama: never a real subscriber's number.
        return f"+447700900{rng.randrange(1000):03d}"

    def _handle(self, rng, individual):
        given = ascii_local(individual.given_names.split()[0])
        style = rng.randrange(4)
        if style == 0:
            handle = f"{given}_{ascii_local(individual.address['town'])[:5]}{rng.randint(1, 99)}"
        elif style == 1:
            handle = f"{given}{rng.choice(['x', 'xo', 'z', '.official', '_'])}{individual.date_of_birth.year % 100:02d}"
        elif style == 2:
            handle = f"{given[:3]}{ascii_local(individual.family_name)[:4]}{rng.randint(0, 999)}"
        else:
            street_name = ascii_local(rng.choice(data.STREET_NAMES))
            handle = f"{street_name}{rng.choice(['_cw', '_sk', '.real', 'x'])}{rng.randint(1, 99)}"
        return rng.choice(data.ONLINE_PLATFORMS), "@" + handle

    # ------------------------------------------------------------ records of an individual

    def _add(self, individual):
        rng = self.rng
        self.buffer.append((individual, self._record(individual), "", True))
        if rng.random() < DUPLICATE_SHARE:
            others = [a for a in self.recording_agencies if a.pk != individual.source_agency_id]
            for agency in rng.sample(others, 1 if rng.random() < 0.7 else 2):
                record, changes = self._perturbed(rng, individual, agency)
                self.buffer.append((individual, record, ",".join(changes), False))

    def _record(self, i, **overrides):
        values = {
            "given_names": i.given_names,
            "family_name": i.family_name,
            "date_of_birth": i.date_of_birth,
            "dob_precision": DobPrecision.EXACT,
            "sex": i.sex,
            "ethnicity": i.ethnicity if self.rng.random() >= data.ETHNICITY_NOT_RECORDED else "NK",
            "first_language": i.language,
            "interpreter_needed": i.language != "English" and not i.is_child and self.rng.random() < 0.3,
            "send_status": i.send_status,
            "care_status": i.care_status,
            "school_id": i.school_id,
            "intelligence_subject": i.intelligence_subject,
            "source_agency_id": i.source_agency_id,
            "address": i.address,
            "previous_address": i.previous_address,
            "identifiers": i.identifiers,
            "phones": i.phones,
            "handles": i.handles,
            "aliases": i.aliases,
        }
        values.update(overrides)
        return values

    def _perturbed(self, rng, i, agency):
        """Another agency's record of `i`: what that agency would know, with the
        differences between agencies' records that make linkage hard."""
        changes = []
        given, family, dob, precision = i.given_names, i.family_name, i.date_of_birth, DobPrecision.EXACT
        address = i.address
        kinds = [
            "typo_family",
            "typo_given",
            "nickname",
            "swapped_forenames",
            "partial_dob",
            "transposed_dob",
            "moved_address",
            "no_dob",
            "middle_name_dropped",
        ]
        # About one in ten agencies' records agree exactly with the first.
        how_many = 0 if rng.random() < 0.1 else rng.choice([1, 1, 2, 2, 3])
        for kind in rng.sample(kinds, len(kinds)):
            if len(changes) == how_many:
                break
            if kind == "typo_family":
                family = typo(rng, family)
            elif kind == "typo_given":
                words = given.split()
                given = " ".join([typo(rng, words[0]), *words[1:]])
            elif kind == "nickname":
                nicknames = data.NICKNAMES.get(given.split()[0])
                if not nicknames:
                    continue
                given = rng.choice(nicknames)
            elif kind == "swapped_forenames":
                given, family = swap_forenames(given, family)
            elif kind == "partial_dob" and dob and precision == DobPrecision.EXACT:
                dob, precision = partial_date(rng, dob)
            elif kind == "transposed_dob" and dob and precision == DobPrecision.EXACT:
                swapped = transposed_date(dob)
                if swapped is None:
                    continue
                dob = swapped
            elif kind == "moved_address":
                address = self.places.address(rng)
            elif kind == "no_dob":
                dob, precision = None, DobPrecision.EXACT
            elif kind == "middle_name_dropped" and len(given.split()) > 1:
                given = given.split()[0]
            else:
                continue
            changes.append(kind)
        changes = changes or ["same"]
        # Each agency holds the identifier it issues, and sometimes the NHS number.
        keep = {
            "health": {"nhs"},
            "police": {"police"},
            "childrens_social_care": {"la", "nhs"},
            "youth_justice": {"police", "la"},
            "probation": {"police"},
            "voluntary_sector": set(),
        }[agency.type]
        identifiers = [x for x in i.identifiers if x[0] in keep or (x[0] == "nhs" and rng.random() < 0.3)]
        record = self._record(
            i,
            given_names=given,
            family_name=family,
            date_of_birth=dob,
            dob_precision=precision,
            source_agency_id=agency.pk,
            address=address,
            previous_address=None,
            identifiers=identifiers,
            phones=[p for p in i.phones if rng.random() < 0.5],
            handles=[],
            aliases=[],
            school_id=i.school_id if rng.random() < 0.6 else None,
            send_status="" if agency.type != "childrens_social_care" else i.send_status,
            care_status=i.care_status if agency.type == "childrens_social_care" else "",
        )
        return record, changes

    # ------------------------------------------------------------ writing a batch

    def _flush(self):
        if not self.buffer:
            return
        rng = self.rng
        people = []
        ld = self.learning_disability_rng
        for _individual, r, _, _ in self.buffer:
            person = Person(
                reference=self.references.next(),
                given_names=r["given_names"],
                family_name=r["family_name"],
                date_of_birth=r["date_of_birth"],
                dob_precision=r["dob_precision"],
                sex=r["sex"],
                ethnicity=r["ethnicity"],
                first_language=r["first_language"],
                interpreter_needed=r["interpreter_needed"],
                send_status=r["send_status"],
                care_status=r["care_status"],
                school_id=r["school_id"],
                intelligence_subject=r["intelligence_subject"],
                source_agency_id=r["source_agency_id"],
                # From its own stream, so adding it left every other choice as it was.
                has_learning_disability=ld.random() < {"ehcp": 0.35, "sen_support": 0.08}.get(r["send_status"], 0),
                created_at=ANCHOR_TIME - timedelta(days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 600)),
            )
            fill_person_keys(person)
            people.append(person)
        Person.objects.bulk_create(people)
        addresses, identifiers, phones, handles, aliases, truths, involvements = [], [], [], [], [], [], []
        for person, (individual, r, changes, primary) in zip(people, self.buffer):
            moved_in = ANCHOR_DATE - timedelta(days=rng.randint(30, 3650))
            addresses.append(Address(person=person, valid_from=moved_in, **r["address"]))
            if r["previous_address"]:
                addresses.append(
                    Address(
                        person=person,
                        valid_from=moved_in - timedelta(days=rng.randint(200, 2000)),
                        valid_to=moved_in - timedelta(days=1),
                        **r["previous_address"],
                    )
                )
            identifiers += [
                Identifier(person=person, scheme=s, value=v, issued_by_id=issuer)
                for s, v, issuer in r["identifiers"]
                if v
            ]
            phones += [PhoneNumber(person=person, e164=p, label="Mobile") for p in r["phones"]]
            handles += [OnlineHandle(person=person, platform=p, handle=h) for p, h in r["handles"]]
            aliases += [fill_alias_key(Alias(person=person, kind=k, name=n)) for k, n in r["aliases"]]
            truths.append(
                TrueIdentity(person=person, cluster_id=individual.cluster_id, is_primary=primary, perturbations=changes)
            )
            if primary:
                involvements += self._involvements(rng, person, individual)
        Address.objects.bulk_create(addresses)
        Identifier.objects.bulk_create(identifiers)
        PhoneNumber.objects.bulk_create(phones)
        OnlineHandle.objects.bulk_create(handles)
        Alias.objects.bulk_create(aliases)
        TrueIdentity.objects.bulk_create(truths)
        Involvement.objects.bulk_create(involvements)
        for model, rows in [
            (Person, people),
            (Address, addresses),
            (Identifier, identifiers),
            (PhoneNumber, phones),
            (OnlineHandle, handles),
            (Alias, aliases),
            (TrueIdentity, truths),
            (Involvement, involvements),
        ]:
            self._count(model.__name__, len(rows))
        self.buffer = []
        # With DEBUG on, Django keeps the last 9,000 queries' SQL; a batch insert's
        # SQL runs to megabytes, so forget it to keep memory bounded.
        reset_queries()

    def _involvements(self, rng, person, individual):
        work = (self.child_work if individual.is_child else self.adult_work).pop(individual.index, [])
        started = ANCHOR_TIME - timedelta(days=rng.randint(7, 700))
        rows = []
        for who, pk, kind, agency_type in work:
            if kind == "maybe_lead":
                lead_agency = agency_type in ("childrens_social_care", "youth_justice", "voluntary_sector")
                if lead_agency and person.pk not in self.leads and rng.random() < 0.5:
                    kind = Involvement.Kind.LEAD_PROFESSIONAL
                    self.leads.add(person.pk)
                else:
                    kind = Involvement.Kind.ASSIGNED
            column = "user_id" if who == "user" else "team_id"
            rows.append(Involvement(person=person, kind=kind, started_at=started, **{column: pk}))
        quota = self.school_quota.get(individual.school_id) if individual.is_child else None
        if quota:
            # The school's practitioners in the order they were created (the
            # demo user first), each taking pupils until their caseload is full.
            open_ = [q for q in quota if q[1] > 0]
            if open_:
                slot = open_[0]
                slot[1] -= 1
                rows.append(
                    Involvement(person=person, user_id=slot[0], kind=Involvement.Kind.ASSIGNED, started_at=started)
                )
        return rows


def generate(
    size="small",
    seed=1,
    out=None,
    today=None,
    front_door=True,
    protect=True,
    pursue=True,
    disruption=True,
    information_governance=True,
):
    generator = Generator(
        size=size,
        seed=seed,
        out=out,
        today=today,
        front_door=front_door,
        protect=protect,
        pursue=pursue,
        disruption=disruption,
        information_governance=information_governance,
    )
    generator.run()
    return generator
