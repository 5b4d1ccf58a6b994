"""The Pursue side of the synthetic partnership: people, places, vehicles and
phones of concern, planted networks of exploitation, graded intelligence and
links, link proposals and alerts, and hotspots with time patterns, with the
truth kept so that tests and benchmarks check that the analysis finds what
was planted.

Built after the Protect side (hoth.synthetic.protect), from the same seed and
ending on the same day. It reads what the front door made (children with
screenings, so their levels are real; their cases and lead professionals;
places; missing episodes) and adds:

- Planted networks (PlantedNetwork, PlantedMember), each a dense group of
  subjects with one hub adult where there is one:
  - county lines from Manchester and Liverpool into Crewe and Macclesfield:
    out-of-area adults (new people with addresses in those cities), the deal
    line phone they use, the car they drive, a trap house they use, a local
    tenant, and local children as runners who frequent it and go missing,
    found at the trap house or back in the city the line runs from;
  - child sexual exploitation networks around a hotel, a takeaway and a taxi
    firm, with a hub adult linked to children from several towns;
  - peer groups, each with an older child of concern who recruits the others.
- Background links (children found at places after going missing, adults of
  concern seen with a child or two, friends) in small clusters that never
  join two planted networks, and noise that does (NoiseLink): links that
  ended long ago, poorly graded links, and proposals an analyst rejected.
- Graded intelligence (3x5x2 with sanitised versions and handling codes, some
  with conditions and the agencies they allow), reports waiting to be graded,
  and historic reports imported with their 5x5x5 grades, with the subjects
  they mention. Every accepted link rests on a report or a record and carries
  its grading, validity and confidence.
- Link proposals made by the service's own proposer (hoth.intelligence.
  proposals) from missing episodes, referrals and screenings that name the
  networks' adults, places and cars; a few rejected; and new-link alerts raised
  by the service (hoth.intelligence.alerts) for recent links, one of them about
  a child the demo practitioner leads.
- Hotspots (PlantedHotspot): incidents at places, missing children found and
  located intelligence concentrated at four places (evenings at Crewe station,
  the summer holiday in a Macclesfield park, weekends at a hotel of a planted
  network, and evening violence at a Sandbach common that starts only in the
  last year), over an even background of located events across the towns.

Determinism: every choice comes from random.Random streams seeded from the
seed and a phase name ("pursue-networks", "pursue-hotspots", ...), every date
from the day generated, and nothing iterates a set or a dict of objects; rows
are read back in orders that do not depend on primary keys. The same seed and
day give the same intelligence picture. Proposals and alerts come from the
service's code; their times are then set from the records they rest on.

Scale: the planted networks and the background grow with the number of
children screened, the located events with the size's referrals; located
events are written a chunk at a time (COPY on PostgreSQL), so memory stays
bounded at the large size.

What a later step (disruption) reads: PlantedNetwork and PlantedMember (the
hub adults, trap houses, deal lines, vehicles, online accounts and the places
of each network, and its children), and PlantedHotspot (each hotspot's place).
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import h3
from django.db import reset_queries
from django.test.utils import override_settings

from hoth.accounts.models import Role
from hoth.analytics.geography import distances_m
from hoth.analytics.hotspots import DEFAULT_RESOLUTION
from hoth.cases.models import Case, MissingEpisode, ReturnInterview
from hoth.contexts.models import Context, Incident, Town
from hoth.intelligence.models import (
    Confidence,
    GradingCode,
    IntelligenceReport,
    Link,
    LinkType,
    Mention,
    Phone,
    Scheme,
    Subject,
    Vehicle,
)
from hoth.people.matching_keys import fill_alias_key, fill_person_keys
from hoth.people.models import Address, Alias, DobPrecision, Identifier, Person, PhoneNumber
from hoth.referrals.models import HarmType, NamedAssociate, Referral
from hoth.screening.models import Screening, ScreeningAnswer

from . import data
from . import pursue_text as text
from .chance import weighted
from .demo_users import DEMO_USERS, demo_email
from .front_door import LONDON, age_on, local, school_holiday
from .hotspot_events import EVENING, HOUR_WEIGHTS
from .models import NoiseLink, PlantedHotspot, PlantedMember, PlantedNetwork, TrueIdentity
from .places import Places
from .writing import write_rows

YEARS = 3
NETWORK_EVERY = 80  # children screened for each planted network of each kind
MOST_NETWORKS = 400  # of each kind, whatever the size
ROUTES = [
    ("Manchester", "Crewe"),
    ("Liverpool", "Macclesfield"),
    ("Liverpool", "Crewe"),
    ("Manchester", "Macclesfield"),
]
HOTSPOT_SHARE = 0.02  # events a year at a planted hotspot, as a share of the background's
HOTSPOT_MINIMUM = 36  # events a year at a planted hotspot, however small the partnership
HOTSPOT_SPREAD_M = 50  # how far events at a hotspot scatter round the place (standard deviation)
HOTSPOT_CLEARANCE_M = 1500  # network places are drawn at least this far from planted hotspots
BACKGROUND_INTELLIGENCE_SHARE = 0.75  # of the background's located events; the rest are incidents at places
# Incidents at each ordinary place over the three years: few, so that two or three places a
# street apart are not a hotspot, which they would be with a dozen incidents each.
INCIDENTS_PER_PLACE = 5
EVENTS_PER_CHUNK = 20_000
SUMMER_FACTORS = {"background": 2.0, "evening": 2.0, "weekend": 2.0, "summer": 12.0}
WEEKEND_FACTOR = 6.0
MOST_ALERTS = 10
MOST_PROPOSALS = 24  # records read by the proposer: each costs it a few queries
# DVLA: I and Q never appear in the last three letters of a current-style registration, and
# I, Q and Z never in its first two, so a registration with an I or a Q at the end is well
# formed but was never issued: no real car is ever named as the car of a network.
MEMORY_TAG_FIRST = "ABCDEFGHKLMNOPRSVWY"
MEMORY_TAG_SECOND = "ABCDEFGHJKLMNOPRSTUVWXY"
RANDOM_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"
AGE_IDENTIFIERS = list(range(15, 25)) + list(range(65, 75))
CARS = [
    ("Volkswagen", "Golf"),
    ("Ford", "Fiesta"),
    ("Vauxhall", "Corsa"),
    ("Audi", "A3"),
    ("BMW", "1 Series"),
    ("Mercedes-Benz", "A-Class"),
    ("Seat", "Leon"),
    ("Peugeot", "208"),
]
TAXIS = [("Toyota", "Prius"), ("Skoda", "Octavia"), ("Kia", "Niro"), ("Toyota", "Corolla")]
COLOURS = ["Black", "Silver", "Grey", "White", "Blue", "Red"]
BACKGROUND_PLACE_TYPES = [
    ("shop", 30),
    ("park", 20),
    ("takeaway", 15),
    ("other", 25),
    ("station", 4),
    ("hotel", 3),
    ("taxi_firm", 3),
]
BACKGROUND_HARMS = [("cce", 30), ("cse", 20), ("serious-youth-violence", 15), ("online-harm", 5), ("", 30)]
INCIDENT_OF_HARM = {
    "cce": "drugs",
    "cse": "sexual",
    "serious-youth-violence": "violence",
    "online-harm": "other",
    "": "asb",
}
GOOD_GRADES = ([("1", 35), ("2", 65)], [("A", 25), ("B", 45), ("C", 30)])
POOR_GRADES = [("3", "E"), ("3", "D"), ("2", "E"), ("3", "E")]
LEGACY_GOOD = [("A", "1"), ("B", "2"), ("B", "3"), ("C", "3")]  # read as 1A, 1A, 1B, 2B
LEGACY_POOR = ("D", "5")  # read as 3E


@dataclass(frozen=True)
class HotspotPlan:
    key: str
    name: str
    town: str
    place_type: str
    lat: float | None  # None: the hotel of the first child sexual exploitation network
    lng: float | None
    harm: str
    kinds: tuple  # ((event kind, share), ...)
    incident: str  # Incident.Kind of its incidents
    pattern: str  # PlantedHotspot.Pattern
    emerging: bool = False


# The station, park and common are real public places (as in hotspot_events); the events are invented.
HOTSPOTS = (
    HotspotPlan(
        "station",
        "Crewe station forecourt",
        "Crewe",
        "station",
        53.0894,
        -2.4334,
        "cce",
        (("missing_found", 0.3), ("incident", 0.45), ("intelligence", 0.25)),
        "drugs",
        "evening",
    ),
    HotspotPlan(
        "park",
        "West Park, Macclesfield",
        "Macclesfield",
        "park",
        53.2612,
        -2.1335,
        "cse",
        (("intelligence", 0.6), ("incident", 0.4)),
        "sexual",
        "summer",
    ),
    HotspotPlan(
        "common",
        "Scotch Common, Sandbach",
        "Sandbach",
        "park",
        53.1448,
        -2.3624,
        "serious-youth-violence",
        (("incident", 0.8), ("intelligence", 0.2)),
        "violence",
        "evening",
        emerging=True,
    ),
    HotspotPlan(
        "hotel", "", "", "hotel", None, None, "cse", (("incident", 0.5), ("intelligence", 0.5)), "sexual", "weekend"
    ),
)


# ------------------------------------------------------------ small helpers


def jitter(rng, lat, lng, metres):
    """A point scattered round (lat, lng) with a standard deviation of `metres`."""
    return (
        round(lat + rng.gauss(0, metres) / 111_320, 6),
        round(lng + rng.gauss(0, metres) / (111_320 * math.cos(math.radians(lat))), 6),
    )


def metres_between(a, b):
    return float(distances_m(a[0], a[1], [b[0]], [b[1]])[0])


def town_area(town):
    return (town.north - town.south) * (town.east - town.west) * math.cos(math.radians(town.south))


@dataclass(eq=False)
class Thing:
    """A subject to be: a person, place, group, online space, vehicle or phone."""

    kind: str
    reference: str
    name: str
    person: Person | None = None  # a person written by this step
    person_id: int | None = None  # a person already in the register
    context: Context | None = None
    context_id: int | None = None
    vehicle: Vehicle | None = None
    phone: Phone | None = None
    is_child: bool = False
    town: str = ""
    alias: str = ""
    of_concern: bool = False
    concern: str = ""
    network: object = None
    first_seen: date | None = None
    subject: Subject | None = None
    point: tuple | None = None  # (lat, lng) of a place
    postcode: str = ""

    def seen(self, day):
        if self.first_seen is None or day < self.first_seen:
            self.first_seen = day

    @property
    def pk_of_person(self):
        return self.person.pk if self.person is not None else self.person_id


@dataclass(eq=False)
class Child:
    pk: int
    reference: str
    given: str
    family: str
    dob: date
    sex: str
    school_id: int | None
    town: str
    level: str
    harms: list = field(default_factory=list)
    lead: int | None = None  # lead professional of an open case
    referral: tuple | None = None  # (pk, submitted_at) of the latest referral about them
    used: bool = False
    thing: Thing | None = None

    @property
    def first_name(self):
        return self.given.split()[0]


@dataclass(eq=False)
class Adult:
    pk: int
    reference: str
    given: str
    family: str
    sex: str
    town: str
    aliases: list = field(default_factory=list)
    used: bool = False


@dataclass(eq=False)
class Planted:
    key: str
    kind: str
    name: str
    town: str
    origin: str
    harm: str
    began: date
    members: list = field(default_factory=list)  # (Thing, role, out of area)
    hub: Thing | None = None
    children: list = field(default_factory=list)  # Things
    adults: list = field(default_factory=list)
    places: list = field(default_factory=list)
    fill: dict = field(default_factory=dict)

    def add(self, thing, role, out_of_area=False):
        if thing.network is not None:
            raise ValueError(f"{thing.reference} is already in {thing.network.key}")
        thing.network = self
        self.members.append((thing, role, out_of_area))
        return thing


@dataclass(eq=False)
class PlannedLink:
    source: Thing
    target: Thing
    type: str
    valid_from: date
    role: str = ""
    valid_to: date | None = None
    report: IntelligenceReport | None = None
    episode: MissingEpisode | None = None
    scheme: str = Scheme.NATIONAL
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    confidence: str = Confidence.MEDIUM
    because: str = ""
    decided_by: int | None = None
    decided_at: datetime | None = None
    noise: str = ""
    alert: bool = False
    link: Link | None = None


class Pursue:
    def __init__(self, generator, today):
        self.g = generator
        self.today = today
        self.now = local(today, 12)
        self.start = today - timedelta(days=365 * YEARS)
        self.counts = {}
        # Stock sentences recur: each distinct text is encrypted once (hoth.synthetic.writing).
        self.tokens = {}
        self.things = {}
        self.thing_order = []
        self.links = []
        self.reports = []
        self.report_harms = []  # (report, harm code)
        self.report_shared = []  # (report, agency id)
        self.mentions = []  # (report, Thing, added by, added at)
        self.episodes = []  # (MissingEpisode, ReturnInterview or None)
        self.incidents = []
        self.contexts = []
        self.vehicles, self.phones = [], []
        self.people = []  # (Person, address, identifiers, phones, aliases, cluster id): people new to the register
        self.aliases = []  # Alias rows for people already in the register
        self.networks = []
        self.hotspots = []  # (HotspotPlan, Context, events)
        self.crafted = []  # (kind, record, when): records written to name subjects, for the proposer
        self.associates = []  # NamedAssociate rows for the crafted referrals
        self.linked = set()  # (id of source, id of target) of every accepted link planned
        self.incident_serial = 0

    def _stream(self, phase):
        return self.g._stream(f"pursue-{phase}")

    def _count(self, name, n):
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    # ------------------------------------------------------------ running

    def run(self):
        self.load_reference_data()
        self.load()
        self.plan_places()
        self.plan_networks()
        self.plan_background()
        self.plan_noise()
        self.plan_legacy()
        self.plan_waiting()
        self.plan_hotspots()
        self.plan_proposals()
        self.write()
        self.write_background_events()
        self.propose()
        self.raise_alerts()
        return self.counts

    # ------------------------------------------------------------ what is there already

    def load_reference_data(self):
        from hoth.contexts import reference as towns_reference
        from hoth.intelligence import reference as intelligence_reference

        if not GradingCode.objects.exists():
            intelligence_reference.load()
        if not Town.objects.exists():
            towns_reference.load()

    def load(self):
        g = self.g
        ids = {email: user_id for email, user_id, *_ in g.staff}
        demo = {demo_email(local_part) for local_part, *_ in DEMO_USERS}
        self.demo_analyst = ids[demo_email("analyst")]
        self.demo_practitioner = ids[demo_email("practitioner")]
        self.agency_of = {user_id: agency.pk for _, user_id, agency, *_ in g.staff}
        self.analysts = [self.demo_analyst] + [
            u for e, u, _, role, _ in g.staff if role == Role.ANALYST and e not in demo
        ]
        self.creators = self.analysts + [u for e, u, _, role, _ in g.staff if role == Role.COORDINATOR]
        self.submitters = {}
        for email, user_id, agency, role, _ in g.staff:
            if role == Role.PRACTITIONER and email not in demo and agency.type != "neighbouring_authority":
                self.submitters.setdefault(agency.type, []).append(user_id)
        self.police_users = self.submitters.get("police") or [self.demo_analyst]
        self.police = g.agencies[data.POLICE].pk
        self.share_with = (
            [g.agencies[data.COUNCIL].pk]
            + [a.pk for a in g.by_type.get("youth_justice", [])]
            + [a.pk for a in g.by_type.get("health", [])[:1]]
        )
        self.harm_types = dict(HarmType.objects.values_list("code", "pk"))
        self.towns = {t.name: t for t in data.TOWNS}
        self.town_weights = [(t, town_area(t)) for t in data.TOWNS]
        self.away = None  # addresses in Manchester and Liverpool, made when first needed

        screened = Screening.objects.completed().values("person_id")
        levels = {}
        for person_id, level in (
            Screening.objects.completed().order_by("person_id", "completed_at", "pk").values_list("person_id", "level")
        ):
            levels[person_id] = level
        towns = dict(
            Address.objects.filter(person__in=screened, valid_to__isnull=True)
            .order_by("person_id", "valid_from")
            .values_list("person_id", "town")
        )
        harms = {}
        for person_id, code in Case.harm_types.through.objects.order_by(
            "case__person_id", "harmtype__code"
        ).values_list("case__person_id", "harmtype__code"):
            harms.setdefault(person_id, []).append(code)
        for person_id, code in (
            Referral.harm_types.through.objects.filter(referral__person__isnull=False)
            .order_by("referral__person_id", "harmtype__code")
            .values_list("referral__person_id", "harmtype__code")
        ):
            if code not in harms.setdefault(person_id, []):
                harms[person_id].append(code)
        leads = dict(
            Case.objects.open().order_by("person_id", "opened_at").values_list("person_id", "lead_professional_id")
        )
        referrals = {}
        for person_id, pk, submitted in (
            Referral.objects.submitted()
            .filter(person__isnull=False)
            .order_by("person_id", "submitted_at", "pk")
            .values_list("person_id", "pk", "submitted_at")
        ):
            referrals[person_id] = (pk, submitted)
        rows = (
            Person.objects.filter(pk__in=screened)
            .order_by("true_identity__cluster_id")
            .values_list("pk", "reference", "given_names", "family_name", "date_of_birth", "sex", "school_id")
        )
        self.children = []
        for pk, reference, given, family, dob, sex, school in rows:
            if dob is None or age_on(dob, self.today) >= 18:
                continue
            self.children.append(
                Child(
                    pk,
                    reference,
                    given,
                    family,
                    dob,
                    sex,
                    school,
                    towns.get(pk, "Crewe"),
                    levels.get(pk, ""),
                    harms.get(pk, []),
                    leads.get(pk),
                    referrals.get(pk),
                )
            )
        self.child_by_pk = {c.pk: c for c in self.children}
        self.by_town = {}
        shuffle = self._stream("children")
        for child in self.children:
            self.by_town.setdefault(child.town, []).append(child)
        for town in sorted(self.by_town):
            shuffle.shuffle(self.by_town[town])
        self.everyone = [c for town in sorted(self.by_town) for c in self.by_town[town]]
        demo_led = [c for c in self.children if c.lead == self.demo_practitioner]
        self.demo_child = next((c for c in demo_led if age_on(c.dob, self.today) >= 11), None)
        self.demo_candidate = next((c for c in demo_led if c is not self.demo_child), None)

        oldest = date(self.today.year - 20, 1, 1)
        adults = list(
            Person.objects.filter(true_identity__is_primary=True, date_of_birth__lte=oldest)
            .filter(intelligence_subject=True)
            .order_by("true_identity__cluster_id")
            .values_list("pk", "reference", "given_names", "family_name", "sex")
        )
        others = list(
            Person.objects.filter(true_identity__is_primary=True, date_of_birth__lte=oldest, intelligence_subject=False)
            .order_by("true_identity__cluster_id")
            .values_list("pk", "reference", "given_names", "family_name", "sex")[: max(40, len(adults))]
        )
        pks = [row[0] for row in adults + others]
        adult_towns = dict(
            Address.objects.filter(person__in=pks, valid_to__isnull=True)
            .order_by("person_id", "valid_from")
            .values_list("person_id", "town")
        )
        street = {}
        for person_id, name in (
            Alias.objects.filter(person__in=pks, kind=Alias.Kind.STREET)
            .order_by("person_id", "pk")
            .values_list("person_id", "name")
        ):
            street.setdefault(person_id, []).append(name)
        self.concern_adults = [
            Adult(pk, ref, given, family, sex, adult_towns.get(pk, "Crewe"), street.get(pk, []))
            for pk, ref, given, family, sex in adults
        ]
        self.plain_adults = [
            Adult(pk, ref, given, family, sex, adult_towns.get(pk, "Crewe"), street.get(pk, []))
            for pk, ref, given, family, sex in others
        ]

        self.fd_contexts = list(
            Context.objects.order_by("pk").values_list(
                "pk", "reference", "kind", "place_type", "name", "town", "latitude", "longitude", "postcode", "handle"
            )
        )
        self.fd_place_at = {
            (lat, lng): row
            for row in self.fd_contexts
            if row[2] == Context.Kind.PLACE
            for lat, lng in [(row[6], row[7])]
        }
        self.fd_episodes = list(
            MissingEpisode.objects.filter(found_latitude__isnull=False)
            .order_by("person__true_identity__cluster_id", "started_at")
            .values_list("pk", "person_id", "started_at", "found_latitude", "found_longitude")
        )
        self.taken_phones = set(PhoneNumber.objects.values_list("e164", flat=True).distinct())
        self.context_refs = self._references("C", Context.objects.values_list("reference", flat=True))
        self.vehicle_refs = self._references("V", Vehicle.objects.values_list("reference", flat=True))
        self.phone_refs = self._references("T", Phone.objects.values_list("reference", flat=True))
        self.report_refs = self._references("I", IntelligenceReport.objects.values_list("reference", flat=True))
        self.registrations = set(Vehicle.objects.values_list("registration", flat=True))
        rng = self._stream("phones")
        free = [f"+447700900{n:03d}" for n in range(1000)]
        rng.shuffle(free)
        used = set(Phone.objects.values_list("e164", flat=True))
        # Numbers no one in the register has first: a deal line is not a child's own phone.
        self.free_phones = [n for n in free if n not in self.taken_phones and n not in used] + [
            n for n in free if n in self.taken_phones and n not in used
        ]
        self.unique_aliases = [f"{prefix} {name}" for prefix in data.STREET_NAME_PREFIXES for name in data.STREET_NAMES]
        self._stream("aliases").shuffle(self.unique_aliases)

    def _references(self, letter, existing):
        maker = self.g.reference_maker(letter, f"pursue-references-{letter}")
        taken = set(existing)

        def next_reference():
            while True:
                reference = maker.next()
                if reference not in taken:
                    taken.add(reference)
                    return reference

        return next_reference

    # ------------------------------------------------------------ making things

    def day(self, rng, first, last):
        span = (last - first).days
        return first + timedelta(days=rng.randint(0, max(0, span)))

    def person_thing(self, *, pk=None, person=None, reference, name, is_child, town="", alias=""):
        key = ("person", pk) if person is None else ("new person", id(person))
        thing = self.things.get(key)
        if thing is None:
            thing = Thing(
                Subject.Kind.PERSON,
                reference,
                name,
                person=person,
                person_id=pk,
                is_child=is_child,
                town=town,
                alias=alias,
            )
            self.things[key] = thing
            self.thing_order.append(thing)
        return thing

    def child_thing(self, child):
        if child.thing is None:
            child.thing = self.person_thing(
                pk=child.pk,
                reference=child.reference,
                name=f"{child.given} {child.family}",
                is_child=True,
                town=child.town,
            )
        return child.thing

    def adult_thing(self, adult, alias=""):
        thing = self.person_thing(
            pk=adult.pk,
            reference=adult.reference,
            name=f"{adult.given} {adult.family}",
            is_child=False,
            town=adult.town,
            alias=alias,
        )
        if alias and not thing.alias:
            thing.alias = alias
        return thing

    def context_thing(self, context=None, row=None):
        """A context as a subject: one written by this step, or a row of the front door's."""
        if context is not None:
            key = ("context", context.reference)
            kind = {Context.Kind.PEER_GROUP: Subject.Kind.GROUP, Context.Kind.ONLINE: Subject.Kind.ONLINE}.get(
                context.kind, Subject.Kind.PLACE
            )
            values = dict(
                reference=context.reference,
                name=context.name,
                context=context,
                town=context.town,
                point=(context.latitude, context.longitude) if context.latitude is not None else None,
                postcode=context.postcode,
            )
        else:
            pk, reference, kind_, place_type, name, town, lat, lng, postcode, handle = row
            key = ("context", reference)
            kind = {Context.Kind.PEER_GROUP: Subject.Kind.GROUP, Context.Kind.ONLINE: Subject.Kind.ONLINE}.get(
                kind_, Subject.Kind.PLACE
            )
            values = dict(
                reference=reference,
                name=name,
                context_id=pk,
                town=town,
                point=(lat, lng) if lat is not None else None,
                postcode=postcode,
            )
        thing = self.things.get(key)
        if thing is None:
            thing = Thing(kind, **values)
            self.things[key] = thing
            self.thing_order.append(thing)
        return thing

    def new_context(
        self,
        rng,
        town,
        kind,
        *,
        place_type="",
        name="",
        description="",
        address=None,
        point=None,
        platform="",
        handle="",
        school_id=None,
    ):
        fill = {
            "stem": rng.choice(data.STREET_STEMS),
            "town": town,
            "street": rng.choice(data.STREET_NAMES),
            "platform": platform or rng.choice(data.ONLINE_PLATFORMS),
        }
        context = Context(
            reference=self.context_refs(),
            kind=kind,
            town=town,
            place_type=place_type,
            name=(name or rng.choice(text.PLACE_NAMES[place_type])).format(**fill)[:200],
            description=description,
            platform=platform,
            handle=handle,
            school_id=school_id,
            created_by_id=rng.choice(self.creators),
            created_at=local(self.start) - timedelta(days=rng.randint(1, 400)),
        )
        if kind in (Context.Kind.PLACE, Context.Kind.SCHOOL):
            address = address or self.g.places.address(rng, self.towns[town])
            context.address = f"{address['line1']}, {town}"
            context.postcode = address["postcode"]
            context.latitude, context.longitude = point or (address["latitude"], address["longitude"])
        self.contexts.append(context)
        return context

    def network_place(self, rng, town, place_type, description):
        """A place of a network, kept clear of the planted hotspots so each hotspot is its own."""
        avoid = [(h.lat, h.lng) for h in HOTSPOTS if h.lat is not None]
        if getattr(self, "cse_hotel", None) is not None:
            avoid.append(self.cse_hotel.point)
        address = self.g.places.address(rng, self.towns[town])
        for _ in range(30):
            if all(
                metres_between((address["latitude"], address["longitude"]), p) >= HOTSPOT_CLEARANCE_M for p in avoid
            ):
                break
            address = self.g.places.address(rng, self.towns[town])
        return self.new_context(
            rng, town, Context.Kind.PLACE, place_type=place_type, description=description, address=address
        )

    def new_vehicle(self, rng, taxi=False):
        make, model = rng.choice(TAXIS if taxi else CARS)
        while True:
            letters = [rng.choice(RANDOM_LETTERS) for _ in range(3)]
            letters[rng.randrange(3)] = rng.choice("IQ")
            registration = (
                f"{rng.choice(MEMORY_TAG_FIRST)}{rng.choice(MEMORY_TAG_SECOND)}"
                f"{rng.choice(AGE_IDENTIFIERS):02d}{''.join(letters)}"
            )
            if registration not in self.registrations:
                self.registrations.add(registration)
                break
        vehicle = Vehicle(
            reference=self.vehicle_refs(),
            registration=registration,
            make=make,
            model=model,
            colour="Silver" if taxi else rng.choice(COLOURS),
            created_by_id=rng.choice(self.analysts),
            created_at=local(self.start) - timedelta(days=rng.randint(1, 200)),
        )
        self.vehicles.append(vehicle)
        thing = Thing(
            Subject.Kind.VEHICLE, vehicle.reference, f"Vehicle {vehicle.display_registration}", vehicle=vehicle
        )
        self.things[("vehicle", registration)] = thing
        self.thing_order.append(thing)
        return thing

    def new_phone(self, rng, description):
        """A phone of concern, or None once the Ofcom drama range (1,000 numbers) is spent."""
        if not self.free_phones:
            return None
        phone = Phone(
            reference=self.phone_refs(),
            e164=self.free_phones.pop(0),
            description=description[:200],
            created_by_id=rng.choice(self.analysts),
            created_at=local(self.start) - timedelta(days=rng.randint(1, 200)),
        )
        self.phones.append(phone)
        thing = Thing(Subject.Kind.PHONE, phone.reference, f"Phone {phone.e164}", phone=phone)
        self.things[("phone", phone.e164)] = thing
        self.thing_order.append(thing)
        return thing

    def out_of_area_adult(self, rng, city, *, age, alias):
        """A new person in the register: an adult of concern living in Manchester or Liverpool."""
        g = self.g
        if self.away is None:
            self.away = Places(self._stream("out-of-area-places"), 2000, towns=data.OUT_OF_AREA_TOWNS)
        ethnicity = weighted(rng, data.ETHNICITY_MIX)
        given, family, language = g.names.pick(rng, ethnicity, "M", adult=True)
        dob = g._dob(rng, age)
        address = self.away.address(rng, self.away.by_name[city])
        person = Person(
            reference=g.references.next(),
            given_names=given,
            family_name=family,
            date_of_birth=dob,
            dob_precision=DobPrecision.EXACT,
            sex="M",
            ethnicity=ethnicity,
            first_language=language,
            intelligence_subject=True,
            source_agency_id=self.police,
            created_at=local(self.start) - timedelta(days=rng.randint(1, 700)),
        )
        fill_person_keys(person)
        cluster = g.n_clusters
        g.n_clusters += 1
        g.n_adults += 1
        identifiers = [("police", g._police_id(rng, cluster), self.police)]
        if rng.random() < 0.8:
            identifiers.append(("nhs", g.nhs.next(), rng.choice(g.health).pk))
        self.people.append((person, address, identifiers, [g._phone(rng)], [alias], cluster))
        return self.person_thing(
            person=person, reference=person.reference, name=f"{given} {family}", is_child=False, town=city, alias=alias
        )

    def local_adult(self, rng, town, *, concern=True, alias=""):
        """An adult already in the register, living in or near `town`."""
        pool = self.concern_adults if concern else self.plain_adults
        near = [town, *self.towns[town].nearby] if town in self.towns else [town]
        found = (
            next((a for a in pool if not a.used and a.town in near and a.sex == "M"), None)
            or next((a for a in pool if not a.used and a.sex == "M"), None)
            or next((a for a in pool if not a.used), None)
        )
        if found is None:
            return None
        found.used = True
        if alias and alias not in found.aliases:
            self.aliases.append(fill_alias_key(Alias(person_id=found.pk, kind=Alias.Kind.STREET, name=alias)))
            found.aliases.append(alias)
        return self.adult_thing(found, alias=alias or (found.aliases[0] if found.aliases else ""))

    def take_children(self, rng, count, *, towns=None, harm="", sex="", ages=(12, 17), first=None):
        """`count` children not yet in a network, preferring those of `towns`, with `harm`
        on their record, of `sex`, and with an open case (so their level and lead are real)."""
        chosen = [first] if first is not None and not first.used else []
        for child in chosen:
            child.used = True
        wanted = count - len(chosen)
        pools = [self.by_town.get(t, []) for t in towns] if towns else []
        pools.append(self.everyone)
        for pool in pools:
            if wanted <= 0:
                break
            candidates = []
            for child in pool:
                if not child.used and ages[0] <= age_on(child.dob, self.today) <= ages[1]:
                    candidates.append(child)
                    if len(candidates) >= 60:
                        break
            candidates.sort(key=lambda c: (harm not in c.harms, bool(sex) and c.sex != sex, c.lead is None))
            for child in candidates[:wanted]:
                child.used = True
                chosen.append(child)
            wanted = count - len(chosen)
        return chosen

    def unique_alias(self, rng):
        if self.unique_aliases:
            return self.unique_aliases.pop()
        return f"{rng.choice(data.STREET_NAME_PREFIXES)} {rng.choice(data.STREET_NAMES)}"

    def flag(self, thing, concern):
        thing.of_concern = True
        thing.concern = concern

    # ------------------------------------------------------------ intelligence and links

    def grading(self, rng, quality="good"):
        if quality == "good":
            return Scheme.NATIONAL, weighted(rng, GOOD_GRADES[0]), weighted(rng, GOOD_GRADES[1])
        if quality == "legacy":
            return (Scheme.LEGACY, *rng.choice(LEGACY_GOOD))
        if quality == "legacy-poor":
            return (Scheme.LEGACY, *LEGACY_POOR)
        return (Scheme.NATIONAL, *rng.choice(POOR_GRADES))

    def report(
        self,
        rng,
        *,
        what,
        sanitised,
        day,
        harms=(),
        quality="good",
        place=None,
        point=None,
        where="",
        postcode="",
        submitter=None,
        graded=True,
        about=None,
        when=None,
    ):
        """A piece of partner intelligence as the service stores it (hoth.intelligence.services),
        graded by an analyst unless `graded` is False."""
        submitter = submitter or rng.choice(self.police_users)
        when = when or local(day, rng.choice([9, 11, 13, 15, 17, 19, 20, 21, 22]), rng.randrange(60))
        # Written up within a day or two of happening, and never after the day generated.
        submitted = max(min(when + timedelta(hours=rng.randint(1, 60)), self.now - timedelta(hours=2)), when)
        report = IntelligenceReport(
            reference=self.report_refs(),
            status=IntelligenceReport.Status.SUBMITTED,
            source=IntelligenceReport.Source.WEB,
            what=what,
            happened_on=day,
            happened_at_time=when.timetz().replace(tzinfo=None),
            where=where[:300],
            place=place,
            postcode=postcode,
            about_person_id=about,
            how_known=weighted(rng, [("seen", 35), ("other_person", 25), ("child", 15), ("record", 20), ("other", 5)]),
            submitted_by_id=submitter,
            submitted_by_agency_id=self.agency_of[submitter],
            submitted_at=submitted,
        )
        report.how_known_detail = text.HOW_KNOWN_DETAIL[report.how_known]
        if point is not None:
            report.latitude, report.longitude = point
        if graded:
            scheme, source, assessment = self.grading(rng, quality)
            report.status = IntelligenceReport.Status.GRADED
            report.scheme, report.source_evaluation, report.intelligence_assessment = scheme, source, assessment
            conditional = rng.random() < 0.3
            if scheme == Scheme.LEGACY:
                report.handling_code = "3" if conditional else rng.choice(["2", "2", "4"])
            else:
                report.handling_code = "C" if conditional else "P"
            if conditional:
                report.handling_conditions = rng.choice(text.HANDLING_CONDITIONS)
                for agency in rng.sample(self.share_with, min(len(self.share_with), rng.randint(1, 2))):
                    self.report_shared.append((report, agency))
            report.sanitised = sanitised
            report.graded_by_id = self.analysts[0] if rng.random() < 0.5 else rng.choice(self.analysts)
            report.graded_at = min(
                submitted + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6)), self.now - timedelta(minutes=30)
            )
        self.reports.append(report)
        for code in harms:
            if code:
                self.report_harms.append((report, code))
        return report

    def link(
        self,
        source,
        target,
        type,
        *,
        valid_from,
        role="",
        valid_to=None,
        report=None,
        episode=None,
        because="",
        decided_at=None,
        confidence=None,
        rng=None,
        noise="",
    ):
        """An accepted link resting on a report (graded as it is) or on a record (graded by the analyst
        who accepted the proposal)."""
        planned = PlannedLink(
            source,
            target,
            type,
            valid_from,
            role=role,
            valid_to=valid_to,
            report=report,
            episode=episode,
            because=because,
            noise=noise,
        )
        if report is not None:
            planned.scheme, planned.source_evaluation = report.scheme, report.source_evaluation
            planned.intelligence_assessment = report.intelligence_assessment
            planned.decided_by = report.graded_by_id
            planned.decided_at = decided_at or report.graded_at + timedelta(minutes=rng.randint(5, 240))
        else:
            planned.scheme, planned.source_evaluation, planned.intelligence_assessment = self.grading(rng)
            planned.decided_by = rng.choice(self.analysts)
            planned.decided_at = decided_at
        planned.decided_at = min(planned.decided_at, self.now - timedelta(minutes=10))
        grade = planned.intelligence_assessment
        planned.confidence = confidence or {
            "A": Confidence.HIGH,
            "1": Confidence.HIGH,
            "B": Confidence.HIGH,
            "2": Confidence.HIGH,
        }.get(grade, Confidence.MEDIUM)
        if grade in ("C", "3") and rng.random() < 0.3:
            planned.confidence = Confidence.LOW
        if grade in ("D", "E", "5"):
            planned.confidence = Confidence.LOW
        source.seen(valid_from)
        target.seen(valid_from)
        self.linked.add((id(source), id(target)))
        self.links.append(planned)
        return planned

    def is_linked(self, source, target):
        return (id(source), id(target)) in self.linked or (id(target), id(source)) in self.linked

    def batch(self, rng, planted, pairs, *, what, day, place=None, quality="good", alert=False):
        """One report resting the links `pairs` [(source, target, type, role)], mentioning their subjects.
        With `alert`, the report is recent and accepting its first link raised a new-link alert."""
        if alert:
            day = self.today - timedelta(days=rng.randint(3, 20))
        fill = dict(planted.fill)
        point = None
        if place is not None and place.point is not None and rng.random() < 0.7:
            point = jitter(rng, *place.point, 30)
        report = self.report(
            rng,
            what=what.format(**fill),
            sanitised=text.SANITISED[planted.kind].format(**fill),
            day=day,
            harms=[planted.harm],
            quality=quality,
            place=place.context if place is not None and place.context is not None else None,
            point=point,
            where=text.WHERE.format(place=place.name, town=place.town) if place else "",
            postcode=place.postcode if place is not None and point is not None else "",
            submitter=rng.choice(self.submitter_pool(rng)),
        )
        made = []
        for source, target, type, role in pairs:
            made.append(self.link(source, target, type, role=role, valid_from=day, report=report, rng=rng))
        made[0].alert = alert
        seen = []
        for planned in made:
            for thing in (planned.source, planned.target):
                if thing not in seen:
                    seen.append(thing)
        for thing in seen:
            self.mentions.append((report, thing, report.graded_by_id, report.graded_at))
        return made

    def submitter_pool(self, rng):
        kind = weighted(
            rng,
            [
                ("police", 60),
                ("childrens_social_care", 15),
                ("education", 8),
                ("health", 7),
                ("youth_justice", 5),
                ("voluntary_sector", 5),
            ],
        )
        return self.submitters.get(kind) or self.police_users

    # ------------------------------------------------------------ places of the hotspots, schools, the background

    def plan_places(self):
        rng = self._stream("places")
        self.hotspot_places = {}
        for plan in HOTSPOTS:
            if plan.lat is None:
                continue
            address = self.g.places.address(rng, self.towns[plan.town])
            description = text.HOTSPOT_DESCRIPTIONS["common" if plan.key == "common" else plan.place_type]
            self.hotspot_places[plan.key] = self.new_context(
                rng,
                plan.town,
                Context.Kind.PLACE,
                place_type=plan.place_type,
                name=plan.name,
                description=description,
                address=address,
                point=(plan.lat, plan.lng),
            )
        self.schools = {}
        for town in data.TOWNS:
            for school in self.g.secondary[town.name]:
                self.schools[school.pk] = self.new_context(
                    rng,
                    town.name,
                    Context.Kind.SCHOOL,
                    place_type=Context.PlaceType.SCHOOL,
                    name=school.name,
                    description=text.BACKGROUND_PLACE_DESCRIPTION,
                    school_id=school.pk,
                )
        incidents = YEARS * self.g.size.referrals * (1 - BACKGROUND_INTELLIGENCE_SHARE)
        count = max(4 * len(data.TOWNS), round(incidents / INCIDENTS_PER_PLACE) - len(self.schools))
        # Spread over the towns by area, as the background's intelligence is.
        self.background_places = list(self.schools.values())
        for _ in range(count):
            town = weighted(rng, self.town_weights)
            self.background_places.append(
                self.new_context(
                    rng,
                    town.name,
                    Context.Kind.PLACE,
                    place_type=weighted(rng, BACKGROUND_PLACE_TYPES),
                    description=text.BACKGROUND_PLACE_DESCRIPTION,
                )
            )

    # ------------------------------------------------------------ the planted networks

    def plan_networks(self):
        rng = self._stream("networks")
        per_kind = min(MOST_NETWORKS, max(1, len(self.children) // NETWORK_EVERY))
        demo_harms = self.demo_child.harms if self.demo_child else []
        self.demo_network = "cse" if "cse" in demo_harms and "cce" not in demo_harms else "county_lines"
        county = max(2, per_kind)
        for number in range(max(county, per_kind)):
            if number < county:
                self.county_line(rng, number)
            if number < per_kind:
                self.cse_network(rng, number)
                self.peer_group(rng, number)
        self.networks = [n for n in self.networks if n.children]

    def _demo_first(self, kind, planted):
        if self.demo_child is not None and self.demo_network == kind and not self.demo_child.used:
            return self.demo_child
        return None

    def county_line(self, rng, number):
        origin, town = ROUTES[number % len(ROUTES)]
        began = self.day(rng, self.start + timedelta(days=30), self.today - timedelta(days=300))
        alias = self.unique_alias(rng)
        planted = Planted(
            f"county-lines-{number + 1}",
            PlantedNetwork.Kind.COUNTY_LINES,
            f"The '{alias}' line: {origin} to {town}",
            town,
            origin,
            "cce",
            began,
        )
        runners = self.take_children(
            rng,
            rng.randint(4, 6),
            towns=[town, *self.towns[town].nearby],
            harm="cce",
            ages=(13, 17),
            first=self._demo_first("county_lines", planted),
        )
        if len(runners) < 2:
            for child in runners:
                child.used = False
            return
        self.networks.append(planted)
        hub = planted.add(
            self.out_of_area_adult(rng, origin, age=rng.randint(22, 34), alias=alias), PlantedMember.Role.HUB, True
        )
        planted.hub = hub
        elders = [
            planted.add(
                self.out_of_area_adult(rng, origin, age=rng.randint(19, 26), alias=rng.choice(data.STREET_NAMES)),
                PlantedMember.Role.ADULT,
                True,
            )
            for _ in range(rng.choice([1, 2]))
        ]
        planted.adults = [hub, *elders]
        phone = self.new_phone(rng, f"The '{alias}' line (deal line)")
        vehicle = self.new_vehicle(rng)
        trap = self.context_thing(
            self.network_place(rng, town, Context.PlaceType.HOUSE, text.TRAP_HOUSE_DESCRIPTION.format(origin=origin))
        )
        planted.add(trap, PlantedMember.Role.TRAP_HOUSE)
        planted.places = [trap]
        if phone is not None:
            planted.add(phone, PlantedMember.Role.DEAL_LINE)
        planted.add(vehicle, PlantedMember.Role.VEHICLE)
        fill = {"alias": alias, "origin": origin, "town": town}
        self.flag(hub, text.CONCERN["county_lines_hub"].format(**fill))
        for elder in elders:
            self.flag(elder, text.CONCERN["county_lines_adult"].format(**fill))
        self.flag(trap, text.CONCERN["trap_house"].format(**fill))
        self.flag(vehicle, text.CONCERN["vehicle"].format(**fill))
        if phone is not None:
            self.flag(phone, text.CONCERN["deal_line"].format(**fill))
        registration = vehicle.vehicle.display_registration
        planted.fill = {
            "a": f"'{elders[0].alias}'",
            "a2": hub.name,
            "alias": alias,
            "origin": origin,
            "town": town,
            "place": trap.name,
            "vehicle": f"{vehicle.vehicle.colour.lower()} {vehicle.vehicle.make} {vehicle.vehicle.model}",
            "registration": registration,
            "phone": phone.phone.e164 if phone else "a withheld number",
            "c": "a local child",
            "c2": "another child",
        }
        resident = self.local_adult(rng, town, concern=False) if rng.random() < 0.7 else None
        if resident is not None:
            planted.add(resident, PlantedMember.Role.RESIDENT)
        reports = text.REPORTS["county_lines"]
        day = lambda: self.day(rng, began, self.today - timedelta(days=21))  # noqa: E731
        if phone is not None:
            self.batch(
                rng,
                planted,
                [(hub, phone, LinkType.USES, "")] + [(e, phone, LinkType.USES, "") for e in elders],
                what=reports[2],
                day=day(),
            )
        self.batch(
            rng,
            planted,
            [(elders[0], vehicle, LinkType.DRIVES, ""), (hub, vehicle, LinkType.DRIVES, "")],
            what=reports[4].replace("{c}", "a young person"),
            day=day(),
        )
        pairs = [(hub, trap, LinkType.ASSOCIATED_WITH, "")] + [(e, trap, LinkType.ASSOCIATED_WITH, "") for e in elders]
        if resident is not None:
            pairs.append((resident, trap, LinkType.ASSOCIATED_WITH, "tenant"))
        self.batch(rng, planted, pairs, what=reports[1], day=day(), place=trap)
        self.hub_adults(rng, planted, hub, elders)
        for k, child in enumerate(runners):
            thing = planted.add(self.child_thing(child), PlantedMember.Role.RUNNER)
            planted.children.append(thing)
            self.runner_episodes(rng, planted, child, thing, trap)
            fill_child = {"c": child.first_name, "c2": runners[(k + 1) % len(runners)].first_name}
            planted.fill.update(fill_child)
            pairs = [(thing, hub, LinkType.SEEN_WITH, "runner")]
            if rng.random() < 0.25:
                pairs.append((thing, rng.choice(elders), LinkType.SEEN_WITH, "runner"))
            if not self.is_linked(thing, trap):
                pairs.append((thing, trap, LinkType.FREQUENTS, "runner"))
            if phone is not None and rng.random() < 0.35:
                pairs.append((thing, phone, LinkType.USES, "runner"))
            if rng.random() < 0.3:
                pairs.append((thing, vehicle, LinkType.SEEN_WITH, ""))
            what = rng.choice([reports[0], reports[3], reports[5], reports[6]])
            self.batch(rng, planted, pairs, what=what, day=day(), place=trap, alert=self.alert_child(child, planted))
        self.peers(rng, planted, planted.children)

    def hub_adults(self, rng, planted, hub, others):
        """How the hub and the other adults are known to be linked: sometimes for years, from imported
        historic intelligence graded 5x5x5."""
        for other in others:
            if rng.random() < 0.5:
                legacy = self.legacy_report(
                    rng,
                    text.LEGACY[1].format(a=hub.name, a2=other.name, origin=planted.origin or planted.town),
                    harms=[planted.harm],
                )
                made = self.link(
                    hub, other, LinkType.ASSOCIATED_WITH, valid_from=legacy.happened_on, report=legacy, rng=rng
                )
                self.mentions.append((legacy, hub, legacy.graded_by_id, legacy.graded_at))
                self.mentions.append((legacy, other, legacy.graded_by_id, legacy.graded_at))
                made.decided_at = legacy.graded_at
            else:
                self.batch(
                    rng,
                    planted,
                    [(hub, other, LinkType.ASSOCIATED_WITH, "")],
                    what=text.REPORTS["link"][0].replace("{c}", hub.name).replace("{other}", other.name),
                    day=self.day(rng, planted.began, self.today - timedelta(days=30)),
                )

    def peers(self, rng, planted, children):
        """A few friendships among the network's children."""
        for k in range(len(children) - 1):
            if rng.random() < 0.5:
                a, b = children[k], children[k + 1]
                self.batch(
                    rng,
                    planted,
                    [(a, b, LinkType.PEER, "")],
                    what=text.REPORTS["link"][1]
                    .replace("{c}", a.name.split()[0])
                    .replace("{other}", b.name.split()[0]),
                    day=self.day(rng, planted.began, self.today - timedelta(days=30)),
                )

    def alert_child(self, child, planted):
        """Whether the link that put this child into the network is recent and raised a new-link
        alert: the demo practitioner's child, and the first child of every other network (one with
        an open case when there is one, as take_children puts them first), up to MOST_ALERTS."""
        alerted = sum(getattr(n, "alerted", False) for n in self.networks)
        if child is not self.demo_child and (getattr(planted, "alerted", False) or alerted >= MOST_ALERTS):
            return False
        planted.alerted = True
        return True

    def runner_episodes(self, rng, planted, child, thing, trap):
        """A runner goes missing once or twice, found at the trap house or back in the city the line
        runs from; the first found at the trap house is what the runner's link to it rests on."""
        for _n in range(rng.choice([1, 1, 2])):
            start_day = self.day(rng, planted.began, self.today - timedelta(days=10))
            start = local(start_day, rng.choice([16, 18, 19, 20, 21, 22]), rng.randrange(60))
            end = min(start + timedelta(hours=rng.randint(6, 70)), self.now - timedelta(hours=3))
            fill = {**planted.fill, "c": child.first_name, "station": text.STATIONS[planted.origin]}
            at_trap = rng.random() < 0.5
            episode = self.episode(
                rng,
                child,
                start,
                end,
                who_with=rng.choice(text.WHO_WITH).format(**fill),
                place=trap if at_trap else None,
                away=planted.origin,
                fill=fill,
            )
            if at_trap and not self.is_linked(thing, trap):
                metres = metres_between((episode.found_latitude, episode.found_longitude), trap.point)
                self.link(
                    thing,
                    trap,
                    LinkType.FREQUENTS,
                    role="runner",
                    valid_from=start.date(),
                    episode=episode,
                    because=f"Found {metres:.0f} m from {trap.name} ({trap.reference}) after the missing "
                    f"episode of {start:%-d %B %Y}",
                    decided_at=end + timedelta(days=rng.randint(2, 9)),
                    rng=rng,
                )

    def episode(self, rng, child, start, end, *, who_with, place=None, away="", fill=None, at=None):
        """A missing episode written as the front door writes them, with its return home interview."""
        recorder = rng.choice(self.police_users)
        episode = MissingEpisode(
            person_id=child.pk,
            kind=MissingEpisode.Kind.MISSING,
            started_at=start,
            ended_at=end,
            reported_by=rng.choice(["Parent", "Grandparent", "Foster carer", "Residential home staff"]),
            police_reference=f"MFH/{start.year % 100:02d}/{self.g.missing_serial():06d}",
            recorded_by_id=recorder,
            recorded_at=start + timedelta(hours=rng.randint(1, 3)),
            who_with=who_with,
            notes=rng.choice(text.MISSING_NOTES),
            condition_on_return=weighted(
                rng, [("unharmed", 70), ("intoxicated", 12), ("distressed", 10), ("not_known", 8)]
            ),
        )
        if place is not None:
            episode.where_found = rng.choice(text.WHERE_FOUND_AT).format(place=place.name)
            episode.found_postcode = place.postcode
            episode.found_latitude, episode.found_longitude = at or jitter(rng, *place.point, 25)
        else:
            episode.where_found = rng.choice(text.WHERE_FOUND_AWAY).format(**fill)
            episode.found_out_of_area = True
        offered = end + timedelta(hours=rng.randint(3, 70))
        interview = None
        if offered < self.now:
            outcome = weighted(rng, [("accepted", 65), ("declined", 25), ("na", 5)])
            interview = ReturnInterview(
                episode=episode,
                outcome=outcome,
                offered_at=offered,
                interviewer="Return home interview worker",
                interviewer_agency_id=self.g.agencies["Cheshire East Safe Spaces"].pk,
            )
            if outcome == "accepted":
                interview.held_at = min(offered + timedelta(hours=rng.randint(1, 48)), self.now - timedelta(hours=1))
                interview.child_said = rng.choice(text.CHILD_SAID)
        else:
            interview = ReturnInterview(episode=episode, outcome=ReturnInterview.Outcome.NOT_YET_OFFERED)
        self.episodes.append((episode, interview))
        return episode

    def cse_network(self, rng, number):
        towns = [t.name for t in sorted(data.TOWNS, key=lambda t: -len(self.by_town.get(t.name, [])))]
        town = towns[number % min(6, len(towns))]
        began = self.day(rng, self.start + timedelta(days=30), self.today - timedelta(days=300))
        alias = self.unique_alias(rng)
        planted = Planted(f"cse-{number + 1}", PlantedNetwork.Kind.CSE, "", town, "", "cse", began)
        victims = self.take_children(
            rng,
            rng.randint(4, 6),
            towns=[town, *self.towns[town].nearby],
            harm="cse",
            sex="F",
            ages=(12, 17),
            first=self._demo_first("cse", planted),
        )
        hub = self.local_adult(rng, town, alias=alias)
        if len(victims) < 2 or hub is None:
            for child in victims:
                child.used = False
            return
        self.networks.append(planted)
        planted.add(hub, PlantedMember.Role.HUB)
        planted.hub = hub
        hotel = self.context_thing(
            self.network_place(rng, town, Context.PlaceType.HOTEL, text.CSE_PLACE_DESCRIPTIONS["hotel"])
        )
        takeaway = self.context_thing(
            self.network_place(rng, town, Context.PlaceType.TAKEAWAY, text.CSE_PLACE_DESCRIPTIONS["takeaway"])
        )
        taxi_firm = self.context_thing(
            self.network_place(rng, town, Context.PlaceType.TAXI_FIRM, text.CSE_PLACE_DESCRIPTIONS["taxi_firm"])
        )
        planted.name = f"Sexual exploitation around {hotel.name}, {town}"
        if number == 0:
            self.cse_hotel = hotel  # the weekend hotspot
        for place in (hotel, takeaway, taxi_firm):
            planted.add(place, PlantedMember.Role.PLACE)
            self.flag(place, text.CONCERN["cse_place"])
        planted.places = [hotel, takeaway, taxi_firm]
        driver = self.local_adult(rng, town, alias=rng.choice(data.STREET_NAMES))
        others = [driver] if driver is not None else []
        if rng.random() < 0.3:
            others.append(
                self.out_of_area_adult(rng, "Manchester", age=rng.randint(24, 45), alias=rng.choice(data.STREET_NAMES))
            )
        for other in others:
            planted.add(other, PlantedMember.Role.ADULT, other.town == "Manchester")
        planted.adults = [hub, *others]
        vehicle = self.new_vehicle(rng, taxi=True)
        planted.add(vehicle, PlantedMember.Role.VEHICLE)
        self.flag(vehicle, text.CONCERN["cse_vehicle"])
        platform = rng.choice(["Snapchat", "Instagram"])
        handle = f"@{alias.lower().replace(' ', '')}{rng.randint(1, 99)}"
        online = self.context_thing(
            self.new_context(
                rng,
                town,
                Context.Kind.ONLINE,
                name=rng.choice(text.CSE_ACCOUNT_NAMES).format(platform=platform, handle=handle),
                platform=platform,
                handle=handle,
                description=text.ONLINE_DESCRIPTION,
            )
        )
        planted.add(online, PlantedMember.Role.ONLINE)
        self.flag(online, text.CONCERN["online"])
        phone = self.new_phone(rng, f"{alias}'s number") if rng.random() < 0.5 else None
        if phone is not None:
            planted.add(phone, PlantedMember.Role.PHONE)
        fill = {"town": town, "hotel": hotel.name, "hub": hub.name, "taxi": taxi_firm.name}
        self.flag(hub, text.CONCERN["cse_hub"].format(**fill))
        for other in others:
            self.flag(other, text.CONCERN["cse_adult"].format(**fill))
        v = vehicle.vehicle
        planted.fill = {
            "a": hub.name,
            "a2": others[0].name if others else hub.name,
            "alias": alias,
            "town": town,
            "origin": "Manchester",
            "hotel": hotel.name,
            "takeaway": takeaway.name,
            "taxi": taxi_firm.name,
            "place": hotel.name,
            "online": online.name,
            "vehicle": f"{v.colour.lower()} {v.make} {v.model}",
            "registration": v.display_registration,
            "phone": phone.phone.e164 if phone else "",
            "c": "a girl",
            "c2": "another girl",
        }
        reports = text.REPORTS["cse"]
        day = lambda: self.day(rng, began, self.today - timedelta(days=21))  # noqa: E731
        self.batch(
            rng,
            planted,
            [(hub, hotel, LinkType.ASSOCIATED_WITH, ""), (hub, takeaway, LinkType.ASSOCIATED_WITH, "")],
            what=reports[1],
            day=day(),
            place=hotel,
        )
        pairs = [(hub, online, LinkType.USES, "")] + ([(hub, phone, LinkType.USES, "")] if phone else [])
        self.batch(rng, planted, pairs, what=reports[3], day=day())
        if driver is not None:
            self.batch(
                rng,
                planted,
                [
                    (driver, taxi_firm, LinkType.ASSOCIATED_WITH, "driver"),
                    (driver, vehicle, LinkType.DRIVES, ""),
                    (hub, taxi_firm, LinkType.ASSOCIATED_WITH, ""),
                ],
                what=reports[0],
                day=day(),
                place=taxi_firm,
            )
        else:
            self.batch(
                rng,
                planted,
                [(hub, vehicle, LinkType.DRIVES, ""), (hub, taxi_firm, LinkType.ASSOCIATED_WITH, "")],
                what=reports[0],
                day=day(),
                place=taxi_firm,
            )
        self.hub_adults(rng, planted, hub, others)
        for k, child in enumerate(victims):
            thing = planted.add(self.child_thing(child), PlantedMember.Role.CHILD)
            planted.children.append(thing)
            planted.fill.update({"c": child.first_name, "c2": victims[(k + 1) % len(victims)].first_name})
            pairs = [(thing, hub, LinkType.SEEN_WITH, "")]
            places = [p for p in (hotel, takeaway) if rng.random() < 0.6] or [rng.choice([hotel, takeaway])]
            pairs += [(thing, p, LinkType.FREQUENTS, "") for p in places]
            if rng.random() < 0.5:
                pairs.append((thing, online, LinkType.USES, ""))
            if rng.random() < 0.3:
                pairs.append((thing, vehicle, LinkType.SEEN_WITH, ""))
            if others and rng.random() < 0.3:
                pairs.append((thing, others[0], LinkType.SEEN_WITH, ""))
            self.batch(
                rng,
                planted,
                pairs,
                what=rng.choice([reports[1], reports[2], reports[4], reports[5]]),
                day=day(),
                place=places[0],
                alert=self.alert_child(child, planted),
            )
        self.peers(rng, planted, planted.children)

    def peer_group(self, rng, number):
        towns = [t.name for t in sorted(data.TOWNS, key=lambda t: -len(self.by_town.get(t.name, [])))]
        town = towns[(number + 2) % min(8, len(towns))]
        began = self.day(rng, self.start + timedelta(days=30), self.today - timedelta(days=250))
        planted = Planted(
            f"peer-group-{number + 1}",
            PlantedNetwork.Kind.PEER_GROUP,
            "",
            town,
            "",
            "serious-youth-violence" if number % 2 else "cce",
            began,
        )
        recruiter = self.take_children(rng, 1, towns=[town], harm=planted.harm, ages=(15, 17))
        members = self.take_children(
            rng,
            rng.randint(4, 6),
            towns=[town, *self.towns[town].nearby],
            harm=planted.harm,
            ages=(12, 16),
            first=self._demo_first("peer_group", planted),
        )
        if not recruiter or len(members) < 2:
            for child in recruiter + members:
                child.used = False
            return
        self.networks.append(planted)
        school_id = next((c.school_id for c in members if c.school_id in self.schools), None)
        school_name = self.schools[school_id].name if school_id else f"a school in {town}"
        unused = [
            row
            for row in self.fd_contexts
            if row[2] == Context.Kind.PEER_GROUP and row[5] == town and ("context", row[1]) not in self.things
        ]
        if unused:
            group = self.context_thing(row=unused[0])
        else:
            group = self.context_thing(
                self.new_context(
                    rng,
                    town,
                    Context.Kind.PEER_GROUP,
                    name=rng.choice(text.PEER_GROUP_NAMES),
                    description=text.PEER_GROUP_DESCRIPTION.format(school=school_name),
                )
            )
        planted.name = f"{group.name}, {town}"
        planted.add(group, PlantedMember.Role.GROUP)
        park = self.context_thing(
            self.network_place(rng, town, Context.PlaceType.PARK, text.HOTSPOT_DESCRIPTIONS["park"])
        )
        planted.add(park, PlantedMember.Role.PLACE)
        planted.places = [park]
        platform = rng.choice(["Snapchat", "WhatsApp", "Instagram"])
        chat = self.context_thing(
            self.new_context(
                rng,
                town,
                Context.Kind.ONLINE,
                name=rng.choice(text.GROUP_CHAT_NAMES),
                platform=platform,
                handle=f"@{rng.choice(data.STREET_NAMES).lower().replace(' ', '')}{rng.randint(10, 99)}",
                description=text.ONLINE_DESCRIPTION,
            )
        )
        planted.add(chat, PlantedMember.Role.ONLINE)
        poc = planted.add(self.child_thing(recruiter[0]), PlantedMember.Role.PEER_OF_CONCERN)
        self.flag(poc, text.CONCERN["peer_of_concern"].format(group=group.name))
        planted.children.append(poc)
        planted.fill = {
            "town": town,
            "school": school_name,
            "group": group.name,
            "place": park.name,
            "online": chat.name,
            "c": recruiter[0].first_name,
            "c2": "a younger pupil",
        }
        reports = text.REPORTS["peer_group"]
        day = lambda: self.day(rng, began, self.today - timedelta(days=21))  # noqa: E731
        self.batch(
            rng,
            planted,
            [
                (poc, group, LinkType.MEMBER_OF, "recruiter"),
                (poc, park, LinkType.FREQUENTS, ""),
                (poc, chat, LinkType.USES, ""),
            ],
            what=reports[0],
            day=day(),
            place=park,
        )
        for _k, child in enumerate(members):
            thing = planted.add(self.child_thing(child), PlantedMember.Role.MEMBER)
            planted.children.append(thing)
            planted.fill.update({"c": recruiter[0].first_name, "c2": child.first_name})
            # The peer of concern first: accepting that link is what would raise an alert.
            pairs = [(poc, thing, LinkType.PEER, ""), (thing, group, LinkType.MEMBER_OF, "member")]
            if rng.random() < 0.6:
                pairs.append((thing, park, LinkType.FREQUENTS, ""))
            if rng.random() < 0.6:
                pairs.append((thing, chat, LinkType.USES, ""))
            self.batch(
                rng,
                planted,
                pairs,
                what=rng.choice(reports),
                day=day(),
                place=park,
                alert=self.alert_child(child, planted),
            )
        self.peers(rng, planted, planted.children[1:])

    # ------------------------------------------------------------ background links and noise

    def plan_background(self):
        """Everyday links in small clusters that never touch a planted network: children found at the
        front door's places after going missing, adults of concern seen with a child or two, friends."""
        rng = self._stream("background")
        free = [c for c in self.children if not c.used]
        at_place = {}
        linked = set()
        for pk, person_id, started, lat, lng in self.fd_episodes:
            child = self.child_by_pk.get(person_id)
            row = self.fd_place_at.get((lat, lng))
            if child is None or child.used or row is None or person_id in linked or at_place.get(row[1], 0) >= 4:
                continue
            if rng.random() < 0.6:
                continue
            linked.add(person_id)
            at_place[row[1]] = at_place.get(row[1], 0) + 1
            place = self.context_thing(row=row)
            thing = self.child_thing(child)
            started = started.astimezone(LONDON)
            # As the proposer words it (the front door records a child found at a place at its point).
            self.link(
                thing,
                place,
                LinkType.FREQUENTS,
                valid_from=started.date(),
                episode=MissingEpisode(pk=pk),
                rng=rng,
                because=f"Found 0 m from {place.name} ({place.reference}) after the missing episode of "
                f"{started:%-d %B %Y}",
                decided_at=started + timedelta(days=rng.randint(2, 12)),
            )
        lonely = [c for c in free if c.pk not in linked]
        per_kind = max(1, len(self.children) // NETWORK_EVERY)
        for _number in range(max(2, per_kind)):
            adult = self.local_adult(rng, weighted(rng, self.town_weights).name)
            if adult is None or not lonely:
                break
            town = adult.town
            self.flag(adult, text.CONCERN["lone_adult"].format(town=town))
            near = [c for c in lonely if c.town == town][:2] or lonely[:1]
            for child in near[: rng.choice([1, 2])]:
                lonely.remove(child)
                thing = self.child_thing(child)
                day = self.day(rng, self.start, self.today - timedelta(days=30))
                report = self.report(
                    rng,
                    what=text.REPORTS["link"][0].format(c=child.first_name, other=adult.name),
                    sanitised=text.SANITISED["link"],
                    day=day,
                    harms=[rng.choice(["cce", "cse"])],
                )
                self.link(thing, adult, LinkType.SEEN_WITH, valid_from=day, report=report, rng=rng)
                self.mentions += [
                    (report, thing, report.graded_by_id, report.graded_at),
                    (report, adult, report.graded_by_id, report.graded_at),
                ]
        for _ in range(max(2, per_kind * 2)):
            if len(lonely) < 2:
                break
            a = lonely.pop(0)
            b = next((c for c in lonely if c.school_id and c.school_id == a.school_id), lonely[0])
            lonely.remove(b)
            day = self.day(rng, self.start, self.today - timedelta(days=30))
            report = self.report(
                rng,
                what=text.REPORTS["link"][1].format(c=a.first_name, other=b.first_name),
                sanitised=text.SANITISED["link"],
                day=day,
                harms=[],
            )
            one, two = self.child_thing(a), self.child_thing(b)
            self.link(one, two, LinkType.PEER, valid_from=day, report=report, rng=rng)
            self.mentions += [
                (report, one, report.graded_by_id, report.graded_at),
                (report, two, report.graded_by_id, report.graded_at),
            ]

    def plan_noise(self):
        """Links between two planted networks that a careful analysis drops: one that ended long ago,
        and poorly graded ones (3x5x2 and an imported 5x5x5). Rejected proposals come later."""
        rng = self._stream("noise")
        if len(self.networks) < 2:
            return
        reasons = ["expired", "poor", "legacy-poor"]
        for number in range(max(3, len(self.networks) // 2)):
            first, second = rng.sample(self.networks, 2)
            child = rng.choice(first.children)
            adult = second.hub or rng.choice(second.children)
            reason = reasons[number % len(reasons)]
            fill = {"a": adult.name, "c": child.name.split()[0]}
            if reason == "expired":
                day = self.day(rng, self.start, self.start + timedelta(days=200))
                report = self.report(
                    rng,
                    what=text.EXPIRED.format(year=day.year, **fill),
                    sanitised=text.SANITISED["link"],
                    day=day,
                    harms=[second.harm],
                )
                planned = self.link(
                    child,
                    adult,
                    LinkType.SEEN_WITH,
                    valid_from=day,
                    valid_to=day + timedelta(days=rng.randint(30, 180)),
                    report=report,
                    rng=rng,
                    noise=NoiseLink.Reason.EXPIRED,
                )
            elif reason == "poor":
                day = self.day(rng, self.start + timedelta(days=200), self.today - timedelta(days=30))
                report = self.report(
                    rng,
                    what=rng.choice(text.POOR).format(**fill),
                    sanitised=text.SANITISED["link"],
                    day=day,
                    harms=[second.harm],
                    quality="poor",
                )
                planned = self.link(
                    child,
                    adult,
                    LinkType.SEEN_WITH,
                    valid_from=day,
                    report=report,
                    rng=rng,
                    noise=NoiseLink.Reason.POORLY_GRADED,
                )
            else:
                report = self.legacy_report(
                    rng, text.LEGACY_NOISE.format(**fill), harms=[second.harm], quality="legacy-poor"
                )
                planned = self.link(
                    child,
                    adult,
                    LinkType.SEEN_WITH,
                    valid_from=report.happened_on,
                    report=report,
                    rng=rng,
                    noise=NoiseLink.Reason.POORLY_GRADED,
                )
            self.mentions += [
                (report, child, report.graded_by_id, report.graded_at),
                (report, adult, report.graded_by_id, report.graded_at),
            ]
            planned.confidence = Confidence.LOW

    # ------------------------------------------------------------ imported and waiting intelligence

    def legacy_report(self, rng, what, *, harms=(), quality="legacy"):
        """Historic intelligence as hoth.intelligence.imports stores it: graded 5x5x5 as it was given,
        imported by an analyst in one go before the three years began."""
        day = self.day(rng, self.start - timedelta(days=4 * 365), self.start - timedelta(days=60))
        imported = local(self.start - timedelta(days=30), 10)
        report = self.report(
            rng,
            what=what,
            sanitised="Historic partner intelligence; details held by Cheshire Constabulary.",
            day=day,
            harms=harms,
            quality=quality,
            submitter=self.demo_analyst,
        )
        report.source = IntelligenceReport.Source.IMPORT
        report.how_known = IntelligenceReport.HowKnown.RECORD
        report.how_known_detail = ""
        report.submitted_at = local(day + timedelta(days=rng.randint(0, 20)), 9)
        report.submitted_by_agency_id = self.police
        report.graded_by_id, report.graded_at = self.demo_analyst, imported
        report.imported_reference = f"CC/INT/{day.year % 100:02d}/{len(self.reports):06d}"
        return report

    def plan_legacy(self):
        """Historic reports about the networks' adults that rest no link: the profile's timeline."""
        rng = self._stream("legacy")
        for planted in self.networks:
            for adult in planted.adults[:2]:
                fill = {**planted.fill, "a": adult.name}
                report = self.legacy_report(
                    rng, rng.choice([text.LEGACY[0], text.LEGACY[2]]).format(**fill), harms=[planted.harm]
                )
                self.mentions.append((report, adult, report.graded_by_id, report.graded_at))

    def plan_waiting(self):
        """Intelligence waiting for the analyst: written in the last fortnight by practitioners about
        children they work with, naming the networks' adults, places and cars."""
        rng = self._stream("waiting")
        count = max(8, min(150, len(self.children) // 20))
        pool = [(planted, thing) for planted in self.networks for thing in planted.children]
        if not pool:
            return
        leads = {c.thing: c.lead for c in self.children if c.thing is not None}
        for number in range(count):
            planted, child = pool[(number * 7) % len(pool)]
            if number == 0 and self.demo_child is not None and self.demo_child.thing in [t for _, t in pool]:
                child = self.demo_child.thing
                planted = child.network
            lead = leads.get(child)
            submitter = lead if lead is not None and (number == 0 or lead != self.demo_practitioner) else None
            fill = {
                **planted.fill,
                "c": child.name.split()[0],
                "alias": planted.fill.get("alias", "Tiny"),
                "vehicle": planted.fill.get("vehicle", "dark hatchback"),
                "online": planted.fill.get("online", "an unknown Snapchat account"),
                "origin": planted.origin or "Manchester",
            }
            place = planted.places[0] if planted.places else None
            day = self.today - timedelta(days=rng.randint(1, 12))
            point = jitter(rng, *place.point, 30) if place is not None and rng.random() < 0.5 else None
            report = self.report(
                rng,
                what=rng.choice(text.WAITING).format(**fill),
                sanitised="",
                day=day,
                harms=[planted.harm],
                graded=False,
                submitter=submitter or rng.choice(self.submitter_pool(rng)),
                about=child.pk_of_person if submitter else None,
                place=place.context if place is not None and point else None,
                point=point,
                where=text.WHERE.format(place=place.name, town=place.town) if place else "",
                postcode=place.postcode if point else "",
            )
            report.submitted_at = min(
                local(day + timedelta(days=1), rng.randint(9, 17), rng.randrange(60)), self.now - timedelta(hours=2)
            )
            if submitter:
                self.mentions.append((report, child, submitter, report.submitted_at))

    # ------------------------------------------------------------ hotspots

    def plan_hotspots(self):
        rng = self._stream("hotspots")
        per_year = max(HOTSPOT_MINIMUM, round(HOTSPOT_SHARE * self.g.size.referrals))
        whole = (self.start, self.today - timedelta(days=1))
        last_year = (self.today - timedelta(days=365), self.today - timedelta(days=1))
        station_children = self.station_children()
        found = 0
        for plan in HOTSPOTS:
            if plan.key == "hotel":
                hotel = getattr(self, "cse_hotel", None)
                if hotel is None:
                    continue
                context = hotel.context
                plan = HotspotPlan(
                    plan.key,
                    hotel.name,
                    hotel.town,
                    "hotel",
                    context.latitude,
                    context.longitude,
                    plan.harm,
                    plan.kinds,
                    plan.incident,
                    plan.pattern,
                )
            else:
                context = self.hotspot_places[plan.key]
            count = round(1.5 * per_year) if plan.emerging else YEARS * per_year
            window = last_year if plan.emerging else whole
            moments = self.moments(rng, window, plan.pattern, count)
            kinds = []
            for kind, share in plan.kinds:
                kinds += [kind] * round(share * count)
            kinds = (kinds + [plan.kinds[0][0]] * count)[:count]
            rng.shuffle(kinds)
            written = 0
            place = self.context_thing(context)
            if not place.of_concern:
                self.flag(place, text.CONCERN["hotspot"])
            for when, kind in zip(moments, kinds):
                point = jitter(rng, plan.lat, plan.lng, HOTSPOT_SPREAD_M)
                if kind == "missing_found":
                    # In turn, at most four times each.
                    child = station_children[found % len(station_children)] if station_children else None
                    if child is None or found >= 4 * len(station_children):
                        kind = "incident"
                    else:
                        found += 1
                        start = when - timedelta(hours=rng.randint(3, 30))
                        self.episode(
                            rng,
                            child,
                            start,
                            when,
                            who_with=rng.choice(text.WHO_WITH[2:]).format(c=child.first_name, town=child.town),
                            place=place,
                            at=point,
                        )
                if kind == "incident":
                    self.incident(rng, context, when, plan.incident, plan.harm, point)
                elif kind == "intelligence":
                    report = self.report(
                        rng,
                        what=rng.choice(text.REPORTS["background"]).format(street=context.name, town=context.town),
                        sanitised=text.SANITISED["background"].format(town=context.town),
                        day=when.date(),
                        harms=[plan.harm],
                        place=context,
                        point=point,
                        where=text.WHERE.format(place=context.name, town=context.town),
                        postcode=context.postcode,
                        when=when,
                    )
                    if rng.random() < 0.2:
                        self.mentions.append((report, place, report.graded_by_id, report.graded_at))
                written += 1
            self.hotspots.append((plan, context, written))

    def station_children(self):
        """Children found at the station after going missing: the runners of the lines into Crewe
        first, then children of Crewe and the towns round it."""
        runners = [
            self.child_by_pk[t.person_id]
            for n in self.networks
            if n.town == "Crewe" and n.kind == PlantedNetwork.Kind.COUNTY_LINES
            for t in n.children
        ]
        others = [
            c
            for t in ("Crewe", "Nantwich", "Sandbach", "Alsager")
            for c in self.by_town.get(t, [])
            if c not in runners and age_on(c.dob, self.today) >= 12
        ]
        return runners + others

    def moments(self, rng, window, pattern, count):
        """`count` local times in `window` (first day, last day) with the pattern's days and hours."""
        first, last = window
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        summer = SUMMER_FACTORS.get(pattern, 2.0)
        weights = []
        for day in days:
            weight = summer if school_holiday(day) == "summer" else 1.0
            if pattern == "weekend" and day.weekday() >= 4:
                weight *= WEEKEND_FACTOR
            weights.append(weight)
        hours = [float(w) for w in HOUR_WEIGHTS]
        if pattern == "evening":
            hours = [0.85 / len(EVENING) if h in EVENING else 0.15 / (24 - len(EVENING)) for h in range(24)]
        chosen_days = rng.choices(days, weights=weights, k=count)
        chosen_hours = rng.choices(range(24), weights=hours, k=count)
        return sorted(local(d, h, rng.randrange(60)) for d, h in zip(chosen_days, chosen_hours))

    def next_incident(self):
        self.incident_serial += 1
        return self.incident_serial

    def incident(self, rng, place, when, kind, harm, point):
        self.incidents.append(
            Incident(
                place=place,
                occurred_at=when,
                kind=kind,
                harm_type_id=self.harm_types.get(harm),
                description=rng.choice(text.INCIDENTS[kind]),
                latitude=point[0],
                longitude=point[1],
                police_reference=f"CC-{when:%y%m%d}-{self.next_incident():05d}",
                recorded_by_id=rng.choice(self.police_users),
                recorded_at=min(when + timedelta(hours=rng.randint(1, 12)), self.now),
            )
        )

    # ------------------------------------------------------------ records that name subjects

    def plan_proposals(self):
        """Records the service's proposer will read: missing episodes, referrals and screenings of children
        outside the networks that name a network's adult, place or car (proposals for the analyst),
        and referrals of a network's child naming another network's hub (proposals rejected)."""
        rng = self._stream("proposals")
        named = [n for n in self.networks if n.hub is not None and n.hub.alias and " " in n.hub.alias]
        if not named:
            return
        # Children with a lead professional first: accepting their proposal tells the lead.
        candidates = sorted((c for c in self.children if not c.used and c.thing is None), key=lambda c: c.lead is None)
        if self.demo_candidate is not None and self.demo_candidate in candidates:
            candidates.remove(self.demo_candidate)
            candidates.insert(0, self.demo_candidate)
        count = max(4, min(MOST_PROPOSALS, len(self.networks)))
        for number, child in enumerate(candidates[:count]):
            child.used = True
            planted = named[number % len(named)]
            fill = {
                **planted.fill,
                "c": child.first_name,
                "alias": planted.hub.alias,
                "station": text.STATIONS.get(planted.origin, ""),
            }
            place = planted.places[0]
            way = number % 3
            answer = self.evidence_answer(child) if way == 2 else None
            if way == 0 or (way == 1 and child.referral is None) or (way == 2 and answer is None):
                start = local(self.today - timedelta(days=rng.randint(4, 25)), rng.choice([18, 20, 22]))
                end = start + timedelta(hours=rng.randint(8, 40))
                episode = self.episode(rng, child, start, end, who_with=text.WHO_WITH[0].format(**fill), place=place)
                self.crafted.append(("missing", episode, end + timedelta(hours=2)))
            elif way == 1:
                name, details = text.ASSOCIATE
                self.associates.append(
                    NamedAssociate(
                        referral_id=child.referral[0],
                        kind=NamedAssociate.Kind.PERSON,
                        name=name.format(**fill),
                        details=details.format(**fill),
                    )
                )
                self.crafted.append(("referral", child.referral[0], child.referral[1]))
            else:
                self.crafted.append(("screening", (answer, fill), None))
        bridges = [
            (n, c)
            for n in self.networks
            for c in n.children
            if c.person_id is not None and self.child_by_pk[c.person_id].referral is not None
        ]
        for number in range(max(2, min(20, len(self.networks) // 2))):
            if not bridges or len(named) < 2:
                break
            planted, child = bridges[(number * 5) % len(bridges)]
            other = next(n for n in named[number % len(named) :] + named if n is not planted)
            record = self.child_by_pk[child.person_id]
            name, details = text.ASSOCIATE_BRIDGE
            fill = {"alias": other.hub.alias, "c": record.first_name}
            self.associates.append(
                NamedAssociate(
                    referral_id=record.referral[0],
                    kind=NamedAssociate.Kind.PERSON,
                    name=name.format(**fill),
                    details=details.format(**fill),
                )
            )
            self.crafted.append(("bridge", (record.referral[0], child, other.hub), record.referral[1]))

    # ------------------------------------------------------------ writing

    def write(self):
        tokens = self.tokens
        self.write_people()
        write_rows(Context, self.contexts, tokens=tokens)
        write_rows(Vehicle, self.vehicles)
        write_rows(Phone, self.phones)
        self._count("Context (pursue)", len(self.contexts))
        self._count("Vehicle", len(self.vehicles))
        self._count("Phone", len(self.phones))
        subjects = []
        for thing in self.thing_order:
            record = {}
            if thing.kind == Subject.Kind.PERSON:
                record["person_id"] = thing.pk_of_person
            elif thing.vehicle is not None:
                record["vehicle"] = thing.vehicle
            elif thing.phone is not None:
                record["phone"] = thing.phone
            elif thing.context is not None:
                record["context"] = thing.context
            else:
                record["context_id"] = thing.context_id
            first = thing.first_seen or self.start
            created = local(first, 10) - timedelta(days=1)
            flagger = self.analysts[(len(subjects) * 7) % len(self.analysts)]
            thing.subject = Subject(
                reference=thing.reference,
                kind=thing.kind,
                of_concern=thing.of_concern,
                concern=thing.concern,
                flagged_by_id=flagger if thing.of_concern else None,
                flagged_at=created + timedelta(hours=2) if thing.of_concern else None,
                created_at=created,
                created_by_id=flagger,
                **record,
            )
            subjects.append(thing.subject)
        write_rows(Subject, subjects, tokens=tokens)
        self._count("Subject", len(subjects))
        self._count("Subject (of concern)", sum(s.of_concern for s in subjects))
        self.write_reports(self.reports, self.report_harms, self.report_shared)
        write_rows(
            Mention,
            [
                Mention(report=r, subject=t.subject, added_by_id=by, added_at=at)
                for r, t, by, at in self._unique_mentions()
            ],
        )
        self.write_episodes()
        links = []
        for planned in self.links:
            planned.link = Link(
                source=planned.source.subject,
                target=planned.target.subject,
                type=planned.type,
                role=planned.role,
                status=Link.Status.ACCEPTED,
                valid_from=planned.valid_from,
                valid_to=planned.valid_to,
                scheme=planned.scheme,
                source_evaluation=planned.source_evaluation,
                intelligence_assessment=planned.intelligence_assessment,
                confidence=planned.confidence,
                intelligence=planned.report,
                missing_episode=planned.episode,
                proposed_because=planned.because[:300],
                created_by_id=planned.decided_by if planned.report is not None else None,
                created_at=planned.decided_at if planned.report is not None else planned.decided_at - timedelta(days=2),
                decided_by_id=planned.decided_by,
                decided_at=planned.decided_at,
                changed_at=planned.decided_at,
            )
            links.append(planned.link)
        write_rows(Link, links, tokens=tokens)
        self._count("Link (accepted)", len(links))
        write_rows(Incident, self.incidents, tokens=tokens)
        self._count("Incident", len(self.incidents))
        write_rows(NamedAssociate, self.associates)
        self.write_truth()
        self.mark_intelligence_subjects()
        reset_queries()

    def _unique_mentions(self):
        seen = set()
        for report, thing, by, at in self.mentions:
            key = (id(report), id(thing))
            if key not in seen:
                seen.add(key)
                yield report, thing, by, at

    def write_people(self):
        people = [p for p, *_ in self.people]
        Person.objects.bulk_create(people)
        addresses, identifiers, phones, aliases, truths = [], [], [], list(self.aliases), []
        for person, address, ids, numbers, names, cluster in self.people:
            addresses.append(Address(person=person, valid_from=self.start - timedelta(days=400), **address))
            identifiers += [Identifier(person=person, scheme=s, value=v, issued_by_id=issuer) for s, v, issuer in ids]
            phones += [PhoneNumber(person=person, e164=n, label="Mobile") for n in numbers]
            aliases += [fill_alias_key(Alias(person=person, kind=Alias.Kind.STREET, name=n)) for n in names]
            truths.append(TrueIdentity(person=person, cluster_id=cluster, is_primary=True, perturbations=""))
        for model, rows in [
            (Address, addresses),
            (Identifier, identifiers),
            (PhoneNumber, phones),
            (Alias, aliases),
            (TrueIdentity, truths),
        ]:
            model.objects.bulk_create(rows)
        self._count("Person (out of area)", len(people))
        self._count("Alias (street, pursue)", len(aliases))

    def write_reports(self, reports, harms, shared):
        write_rows(IntelligenceReport, reports, tokens=self.tokens)
        Harms = IntelligenceReport.harm_types.through
        Shared = IntelligenceReport.shared_with.through
        write_rows(
            Harms,
            [Harms(intelligencereport=r, harmtype_id=self.harm_types[c]) for r, c in harms if c in self.harm_types],
        )
        write_rows(Shared, [Shared(intelligencereport=r, agency_id=a) for r, a in shared])
        for report in reports:
            if report.status == IntelligenceReport.Status.SUBMITTED:
                name = "IntelligenceReport (waiting to be graded)"
            elif report.source == IntelligenceReport.Source.IMPORT:
                name = "IntelligenceReport (imported, 5x5x5)"
            else:
                name = "IntelligenceReport (graded)"
            self._count(name, 1)

    def write_episodes(self):
        write_rows(MissingEpisode, [e for e, _ in self.episodes], tokens=self.tokens)
        write_rows(ReturnInterview, [i for _, i in self.episodes if i is not None], tokens=self.tokens)
        self._count("MissingEpisode (pursue)", len(self.episodes))
        self.recount_reviews(sorted({e.person_id for e, _ in self.episodes}))

    def recount_reviews(self, people):
        """Plan reviews count the missing episodes since the last review (hoth.plans.selectors.
        missing_episodes_between): those written here are counted as if recorded before the review."""
        from hoth.plans.models import Review

        started = {}
        for person_id, at in MissingEpisode.objects.filter(person__in=people).values_list("person_id", "started_at"):
            started.setdefault(person_id, []).append(at.astimezone(LONDON).date())
        changed = []
        for review in Review.objects.filter(case__person__in=people).select_related("case").order_by("pk"):
            count = sum(
                1 for day in started.get(review.case.person_id, []) if review.period_start < day <= review.held_on
            )
            if count != review.missing_episodes_since_last:
                review.missing_episodes_since_last = count
                changed.append(review)
        Review.objects.bulk_update(changed, ["missing_episodes_since_last"], batch_size=1000)

    def write_truth(self):
        networks, members = [], []
        for planted in self.networks:
            row = PlantedNetwork(
                key=planted.key,
                kind=planted.kind,
                name=planted.name[:200],
                town=planted.town,
                origin=planted.origin,
                harm_type=planted.harm,
                began_on=planted.began,
            )
            networks.append(row)
            members += [
                PlantedMember(network=row, subject=thing.subject, role=role, out_of_area=out)
                for thing, role, out in planted.members
            ]
        write_rows(PlantedNetwork, networks)
        write_rows(PlantedMember, members)
        write_rows(NoiseLink, [NoiseLink(link=p.link, reason=p.noise) for p in self.links if p.noise])
        rows = []
        for plan, context, events in self.hotspots:
            rows.append(
                PlantedHotspot(
                    name=plan.name,
                    town=plan.town,
                    place=context,
                    latitude=plan.lat,
                    longitude=plan.lng,
                    resolution=DEFAULT_RESOLUTION,
                    cell=h3.latlng_to_cell(plan.lat, plan.lng, DEFAULT_RESOLUTION),
                    harm_type=plan.harm,
                    kinds=",".join(k for k, _ in plan.kinds),
                    pattern=plan.pattern,
                    emerging=plan.emerging,
                    events=events,
                )
            )
        write_rows(PlantedHotspot, rows)
        self._count("PlantedNetwork", len(networks))
        self._count("PlantedHotspot", len(rows))

    def mark_intelligence_subjects(self):
        """People who are subjects are in the intelligence picture (as services.subject_for_person
        marks them), so analysts may see them."""
        ids = [t.pk_of_person for t in self.thing_order if t.kind == Subject.Kind.PERSON]
        for first in range(0, len(ids), 5000):
            Person.objects.filter(pk__in=ids[first : first + 5000]).update(intelligence_subject=True)

    def write_background_events(self):
        """The even background of located events across the towns: intelligence anywhere in a town,
        incidents round its ordinary places. Written a chunk at a time."""
        rng = self._stream("background-events")
        total = YEARS * self.g.size.referrals
        window = (self.start, self.today - timedelta(days=1))
        written = 0
        while written < total:
            count = min(EVENTS_PER_CHUNK, total - written)
            reports, harms, shared, incidents = [], [], [], []
            self.reports, self.report_harms, self.report_shared, self.incidents = reports, harms, shared, incidents
            for when in self.moments(rng, window, "background", count):
                town = weighted(rng, self.town_weights)
                harm = weighted(rng, BACKGROUND_HARMS)
                if rng.random() < BACKGROUND_INTELLIGENCE_SHARE:
                    point = (round(rng.uniform(town.south, town.north), 6), round(rng.uniform(town.west, town.east), 6))
                    street = f"{rng.choice(data.STREET_STEMS)} {rng.choice(data.STREET_SUFFIXES)}"
                    self.report(
                        rng,
                        what=rng.choice(text.REPORTS["background"]).format(street=street, town=town.name),
                        sanitised=text.SANITISED["background"].format(town=town.name),
                        day=when.date(),
                        harms=[harm],
                        quality="good" if rng.random() < 0.9 else "poor",
                        point=point,
                        where=f"{street}, {town.name}",
                        when=when,
                    )
                else:
                    place = rng.choice(self.background_places)
                    point = jitter(rng, place.latitude, place.longitude, 120)
                    self.incident(rng, place, when, INCIDENT_OF_HARM[harm], harm, point)
            self.write_reports(reports, harms, shared)
            write_rows(Incident, incidents, tokens=self.tokens)
            self._count("Incident", len(incidents))
            written += count
            reset_queries()

    # ------------------------------------------------------------ proposals and alerts, by the service's own code

    def propose(self):
        """The service's proposer reads each crafted record as it would on saving it. Proposals are
        dated from their record; the analyst's rejections are written as hoth.intelligence.services.
        reject_link writes them, without its audit event, as the rest of the generated history is."""
        from hoth.intelligence.proposals import Proposer

        if not self.crafted:
            return
        rng = self._stream("decisions")
        proposer = Proposer()
        last_subject = first_subject = Subject.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        rejected = 0
        for kind, record, when in self.crafted:
            if kind == "missing":
                made = proposer.from_missing_episode(MissingEpisode.objects.select_related("person").get(pk=record.pk))
            elif kind == "screening":
                made, when = self.propose_from_screening(proposer, *record)
            else:
                referral_id = record if kind == "referral" else record[0]
                made = proposer.from_referral(
                    Referral.objects.select_related("person").prefetch_related("associates").get(pk=referral_id)
                )
            if not made:
                continue
            Link.objects.filter(pk__in=[link.pk for link in made]).update(created_at=when, changed_at=when)
            # A child the proposer made a subject of: a subject since the record was written.
            Subject.objects.filter(pk__gt=last_subject).update(created_at=when)
            last_subject = Subject.objects.order_by("-pk").values_list("pk", flat=True).first()
            if kind == "bridge":
                _, child, hub = record
                for link in made:
                    if {link.source_id, link.target_id} != {child.subject.pk, hub.subject.pk}:
                        continue
                    decided = min(when + timedelta(days=rng.randint(1, 5)), self.now - timedelta(hours=1))
                    Link.objects.filter(pk=link.pk).update(
                        status=Link.Status.REJECTED,
                        decided_by_id=rng.choice(self.analysts),
                        decided_at=decided,
                        changed_at=decided,
                        rejection_reason=rng.choice(text.REJECTIONS),
                    )
                    NoiseLink.objects.create(link=link, reason=NoiseLink.Reason.REJECTED)
                    rejected += 1
        self._count("Subject", Subject.objects.filter(pk__gt=first_subject).count())
        self._count("Link (proposed)", Link.objects.proposed().count())
        self._count("Link (rejected)", rejected)

    def evidence_answer(self, child):
        """(answer id, screening id) of the child's latest screening answer whose evidence the
        proposer reads, if any."""
        return (
            ScreeningAnswer.objects.filter(
                screening__person_id=child.pk, state="present", indicator__in=_evidence_indicators()
            )
            .order_by("-screening__completed_at", "indicator")
            .values_list("pk", "screening_id")
            .first()
        )

    def propose_from_screening(self, proposer, answer, fill):
        """The screening's evidence now names the car and the place, as the screener wrote it."""
        answer_id, screening_id = answer
        ScreeningAnswer.objects.filter(pk=answer_id).update(evidence=text.EVIDENCE.format(**fill))
        screening = Screening.objects.select_related("person").get(pk=screening_id)
        return proposer.from_screening(screening), screening.completed_at

    def raise_alerts(self):
        """New-link alerts as the service raises them when an analyst accepts a link
        (hoth.intelligence.alerts.raise_alert), for the recent links that put a child into a
        network; the alert and its notifications are then dated from the link."""
        from django.urls import reverse

        from hoth.intelligence.alerts import raise_alert
        from hoth.notifications.models import Notification

        chosen = [p for p in self.links if p.alert]
        raised = 0
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for planned in chosen:
                alert = raise_alert(Link.objects.get(pk=planned.link.pk))
                if alert is None:
                    continue
                when = planned.decided_at + timedelta(minutes=1)
                type(alert).objects.filter(pk=alert.pk).update(created_at=when)
                Notification.objects.filter(url=reverse("intelligence:alert", args=[alert.pk])).update(created_at=when)
                raised += 1
        self._count("LinkAlert", raised)


def _evidence_indicators():
    from hoth.intelligence.proposals import EVIDENCE_INDICATORS

    return EVIDENCE_INDICATORS
