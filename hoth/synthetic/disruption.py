"""Disruption histories in the synthetic partnership: plans against the
subjects the Pursue side planted (hoth.synthetic.pursue), the orders,
notices, licensing action and non-legal tactics used against them, breaches,
outcomes, and reviews of each plan at the monthly panel or between panels.

Built after Pursue, from the same seed and ending on the same day. It reads
the planted truth (PlantedNetwork, PlantedMember, PlantedHotspot) and the
panels Protect held, and writes:

- county lines: Child Abduction Warning Notices against the hub and the other
  adults, one for each runner the law lets one protect (under 16, or under 18
  and looked after), expiring the day before that child turns 16 or 18; Slavery
  and Trafficking Risk Orders and Criminal Behaviour Orders; a Drug Dealing
  Telecommunications Restriction Order on the deal line; a closure notice and
  order on the trap house, with patrols;
- child sexual exploitation: warning notices and Sexual Risk Orders against
  the hub, taxi licensing against the driver, the taxi and the firm, hotel
  guest information notices and guardianship training at the hotel, takeaway
  and taxi firm, Trading Standards and licensing reviews, and a takedown
  request for the online account;
- peer groups: education and patrols for the group and its park, takedown of
  its group chat; hotspots: patrols, campaigns, dispersal and Public Spaces
  Protection Orders at the planted hotspot places;
- the people and places of concern the panel agreed a disruption plan for
  (PanelDecision "disruption") that are not in a planted network.

Every history goes through hoth.disruption.rows, which checks it against the
state machine and the date rules of hoth.disruption.flow, as the services
would. The children an activity protects are the network's children (the
children linked to the subject, for the others). The day each activity was
first recorded is often a few days after one of those children went missing
(the episode that prompted it), so the effect beside it, read from the
children's screenings and missing episodes written by the earlier steps, has
a "before" to compare with; an outcome's assessment is worked out from that
same effect (hoth.analytics.disruption) on the day it was recorded.

Orders past their expiry date were marked expired by the daily reminders
(hoth.disruption.reminders) and carry their reminder times; orders in force
expiring within the warning window carry none, so `manage.py
remind_disruption_expiry` finds them. The demo analyst owns the plans against
the first county line and the first exploitation network, with orders
expiring in the next four weeks; the demo panel chair's planned panel has a
person of concern whose plan is due for review there (added to its agenda as
the service adds one when Protect's agenda has none).

Reviews at a panel that Protect already confirmed are linked to its item
about the subject. Items are not added to confirmed panels: their positions
are quoted in the tasks the panel agreed, and a confirmed panel's record is
closed.

Determinism: each subject's history comes from its own random stream (seeded
from the seed and the subject's reference), dates from the day generated,
and rows are read in orders that do not depend on primary keys.

Scale: plans grow with the planted networks; everything is held in memory
(thousands of rows at the medium size) and written with write_rows (COPY on
PostgreSQL).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F

from hoth.accounts.models import Role, User
from hoth.analytics import disruption as maths
from hoth.cases.models import MissingEpisode
from hoth.contexts.models import Context
from hoth.disruption import flow
from hoth.disruption import rows as disruption_rows
from hoth.disruption.models import (
    Breach,
    DisruptionActivity,
    DisruptionPlan,
    DisruptionPlanReview,
    OutcomeAssessment,
    Tactic,
)
from hoth.intelligence.models import IntelligenceReport, Link, Mention, Subject
from hoth.panels.models import AgendaItem, Meeting, PanelDecision, Section
from hoth.people.models import Person
from hoth.screening.models import Screening

from . import data
from . import disruption_text as text
from .chance import weighted
from .demo_users import DEMO_USERS, demo_email
from .front_door import LONDON, age_on, local
from .models import PlantedHotspot, PlantedMember, PlantedNetwork
from .writing import write_rows

YEARS = 3
WARNING_DAYS = 28  # hoth.disruption.services.expiry_warning_days() by default
SOON_SHARE = 0.15  # of orders and notices with an expiry date that are made to expire within WARNING_DAYS
OVERDUE_SHARE = 0.15  # of open plans whose last review is overdue
CLOSE_SHARE = 0.35  # of plans whose activities have all ended that the panel closed
NEXT_STEP_SHARE = 0.3  # of plans with a tactic planned or applied for in the last six weeks
MOST_CHILDREN = 8  # linked to one activity
REMINDER_HOUR = 7  # the daily reminders run early in the morning

POLICE, COUNCIL, PARTNERSHIP = "police", "council", "partnership"
# Who leads each tactic when it is not the police.
LEADS = {
    "licensing-review": COUNCIL,
    "taxi-licensing": COUNCIL,
    "trading-standards-intervention": COUNCIL,
    "public-spaces-protection-order": COUNCIL,
    "education-response": COUNCIL,
    "hotspot-campaign": PARTNERSHIP,
}

# (days, weight): how long each tactic runs once it takes effect; None: until further order.
DURATIONS = {
    "sexual-risk-order": [(730, 60), (None, 40)],
    "slavery-trafficking-risk-order": [(730, 80), (None, 20)],
    "slavery-trafficking-prevention-order": [(1826, 60), (None, 40)],
    "criminal-behaviour-order": [(730, 50), (1095, 30), (None, 20)],
    "knife-crime-prevention-order": [(365, 50), (730, 50)],
    "serious-crime-prevention-order": [(1826, 70), (1095, 30)],
    "sexual-harm-prevention-order": [(1826, 70), (None, 30)],
    "drug-dealing-telecommunications-restriction-order": [(183, 70), (91, 30)],
    "closure-notice-and-order": [(91, 80), (183, 20)],
    "hotel-guest-information-notice": [(183, 70), (91, 30)],
    "public-spaces-protection-order": [(1095, 60), (730, 40)],
    "dispersal-direction": [(1, 50), (2, 50)],
    "community-protection-notice": [(None, 100)],
}
# (shortest, longest) days a non-legal tactic runs before it is completed.
RUNS = {
    "increased-patrols": (42, 84),
    "hotspot-campaign": (28, 56),
    "guardianship-training": (28, 70),
    "platform-takedown-request": (7, 42),
    "education-response": (84, 120),
    "relocation": (30, 90),
}
# Licensing and taxi licensing end in a suspension (which expires) this often; otherwise revocation or conditions.
SUSPENSION_SHARE = 0.4
BREACH_CHANCE = {
    "child-abduction-warning-notice": 0.3,
    "sexual-risk-order": 0.25,
    "criminal-behaviour-order": 0.3,
    "sexual-harm-prevention-order": 0.2,
    "serious-crime-prevention-order": 0.2,
    "slavery-trafficking-risk-order": 0.2,
    "slavery-trafficking-prevention-order": 0.2,
    "knife-crime-prevention-order": 0.25,
    "drug-dealing-telecommunications-restriction-order": 0.15,
    "closure-notice-and-order": 0.2,
    "hotel-guest-information-notice": 0.1,
    "public-spaces-protection-order": 0.2,
    "community-protection-notice": 0.3,
    "dispersal-direction": 0.1,
    "licensing-review": 0.1,
    "taxi-licensing": 0.1,
}
BREACH_ACTIONS = [("arrested", 40), ("charged", 15), ("reported", 15), ("warned", 20), ("none", 10)]

# A step of a plan: (tactic code, chance, (first, last) days after the plan starts, the children it protects).
# Children: "each" one activity for each child the tactic can protect (up to three), "one" for one such
# child, "all" the subject's children, "none" no children.
RECIPES = {
    ("county_lines", "hub"): [
        ("child-abduction-warning-notice", 0.9, (0, 45), "each"),
        ("slavery-trafficking-risk-order", 0.6, (30, 180), "all"),
        ("criminal-behaviour-order", 0.35, (90, 360), "all"),
    ],
    ("county_lines", "adult"): [
        ("child-abduction-warning-notice", 0.7, (0, 60), "one"),
        ("criminal-behaviour-order", 0.3, (60, 300), "all"),
        ("knife-crime-prevention-order", 0.2, (30, 200), "none"),
    ],
    ("county_lines", "deal_line"): [("drug-dealing-telecommunications-restriction-order", 1.0, (0, 40), "all")],
    ("county_lines", "trap_house"): [
        ("closure-notice-and-order", 0.9, (0, 60), "all"),
        ("increased-patrols", 0.6, (0, 30), "all"),
    ],
    ("cse", "hub"): [
        ("child-abduction-warning-notice", 0.9, (0, 45), "each"),
        ("sexual-risk-order", 0.8, (20, 200), "all"),
    ],
    ("cse", "adult"): [
        ("taxi-licensing", 0.5, (0, 60), "none"),
        ("sexual-risk-order", 0.3, (30, 240), "all"),
        ("child-abduction-warning-notice", 0.4, (0, 90), "one"),
    ],
    ("cse", "hotel"): [
        ("hotel-guest-information-notice", 1.0, (0, 45), "all"),
        ("guardianship-training", 0.8, (0, 60), "all"),
    ],
    ("cse", "takeaway"): [
        ("guardianship-training", 0.7, (0, 60), "all"),
        ("trading-standards-intervention", 0.4, (14, 120), "all"),
        ("licensing-review", 0.3, (60, 240), "all"),
    ],
    ("cse", "adult_away"): [
        ("child-abduction-warning-notice", 0.6, (0, 90), "one"),
        ("sexual-risk-order", 0.4, (30, 240), "all"),
    ],
    ("cse", "taxi_firm"): [("taxi-licensing", 0.6, (0, 90), "all"), ("guardianship-training", 0.6, (0, 60), "all")],
    ("cse", "vehicle"): [("taxi-licensing", 0.6, (0, 60), "all")],
    ("cse", "online"): [("platform-takedown-request", 1.0, (0, 30), "all")],
    ("peer_group", "group"): [
        ("education-response", 0.8, (0, 60), "all"),
        ("increased-patrols", 0.5, (0, 90), "all"),
        ("dispersal-direction", 0.3, (30, 200), "all"),
    ],
    ("peer_group", "park"): [("increased-patrols", 0.7, (0, 60), "all"), ("hotspot-campaign", 0.4, (30, 200), "all")],
    ("peer_group", "online"): [("platform-takedown-request", 0.8, (0, 45), "all")],
    ("hotspot", "station"): [
        ("increased-patrols", 1.0, (0, 30), "all"),
        ("dispersal-direction", 0.6, (30, 300), "all"),
        ("hotspot-campaign", 0.5, (60, 400), "all"),
    ],
    ("hotspot", "park"): [
        ("hotspot-campaign", 0.9, (0, 60), "all"),
        ("increased-patrols", 0.7, (0, 90), "all"),
        ("public-spaces-protection-order", 0.4, (90, 400), "all"),
    ],
    ("hotspot", "common"): [
        ("increased-patrols", 1.0, (0, 30), "all"),
        ("dispersal-direction", 0.6, (14, 200), "all"),
        ("public-spaces-protection-order", 0.4, (60, 250), "all"),
    ],
    ("hotspot", "hotel"): [("increased-patrols", 0.7, (0, 60), "all")],
    ("background", "person"): [
        ("child-abduction-warning-notice", 1.0, (0, 30), "each"),
        ("community-protection-notice", 0.3, (30, 200), "all"),
    ],
    ("background", "shop"): [
        ("trading-standards-intervention", 0.6, (0, 60), "all"),
        ("licensing-review", 0.3, (60, 240), "all"),
        ("increased-patrols", 0.5, (0, 60), "all"),
    ],
    ("background", "takeaway"): [
        ("guardianship-training", 0.6, (0, 60), "all"),
        ("trading-standards-intervention", 0.3, (14, 120), "all"),
        ("licensing-review", 0.3, (60, 240), "all"),
    ],
    ("background", "hotel"): [
        ("guardianship-training", 0.8, (0, 60), "all"),
        ("hotel-guest-information-notice", 0.4, (14, 120), "all"),
    ],
    ("background", "taxi_firm"): [
        ("taxi-licensing", 0.5, (0, 90), "all"),
        ("guardianship-training", 0.6, (0, 60), "all"),
    ],
    ("background", "park"): [
        ("increased-patrols", 0.8, (0, 60), "all"),
        ("hotspot-campaign", 0.4, (30, 200), "all"),
        ("public-spaces-protection-order", 0.2, (90, 300), "all"),
    ],
    ("background", "house"): [
        ("closure-notice-and-order", 0.4, (0, 90), "all"),
        ("increased-patrols", 0.5, (0, 60), "all"),
    ],
    ("background", "school"): [("education-response", 0.8, (0, 60), "all")],
    ("background", "other"): [("increased-patrols", 0.7, (0, 60), "all"), ("hotspot-campaign", 0.3, (30, 200), "all")],
}
# What a plan turns to next once its own steps are used: a longer or stronger order.
FOLLOW_UPS = {
    ("county_lines", "hub"): ["slavery-trafficking-prevention-order", "serious-crime-prevention-order"],
    ("county_lines", "adult"): ["slavery-trafficking-risk-order"],
    ("county_lines", "trap_house"): ["community-protection-notice"],
    ("cse", "hub"): ["sexual-harm-prevention-order"],
    ("cse", "hotel"): ["licensing-review"],
}
# Of each planted role, how often it has a plan at all.
PLAN_CHANCE = {
    "hub": 1.0,
    "adult": 0.6,
    "deal_line": 0.8,
    "trap_house": 1.0,
    "hotel": 1.0,
    "takeaway": 0.7,
    "taxi_firm": 0.7,
    "vehicle": 0.6,
    "online": 0.7,
    "group": 0.7,
    "park": 0.6,
}
CHILD_ROLES = ("runner", "child", "member", "peer_of_concern")


@dataclass(eq=False)
class Target:
    """A subject the partnership has a disruption plan against."""

    subject: Subject
    recipe: tuple  # a RECIPES key
    name: str
    town: str = ""
    alias: str = ""
    network: str = ""  # the planted network's key
    children: list = field(default_factory=list)  # person ids of the children it could protect
    steps: list = field(default_factory=list)
    start: object = None  # the day the plan started
    earliest: object = None
    demo: bool = False
    soon: tuple = ()  # tactic codes made to expire within the warning window
    upcoming: object = None  # the day of the planned panel it is on the agenda of
    # (day, item id, chair id, moment, panel decision, position) of the confirmed panels that discussed it
    items: list = field(default_factory=list)
    plan: DisruptionPlan = None
    reviews: list = field(default_factory=list)


@dataclass(eq=False)
class Made:
    """An activity as generated: its row, with what the reviews and tests read."""

    row: DisruptionActivity
    history: list
    children: list
    breaches: list = field(default_factory=list)
    reports: list = field(default_factory=list)


class Disruption:
    def __init__(self, generator, today):
        self.g = generator
        self.today = today
        self.now = local(today, 12)
        self.start = today - timedelta(days=365 * YEARS)
        self.counts = {}
        self.tokens = {}
        self.targets = []
        self.plans, self.activities, self.reviews = [], [], []
        self.new_items = []

    def _count(self, name, n=1):
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    # ------------------------------------------------------------ running

    def run(self):
        self.load()
        self.plan_targets()
        if not self.targets:
            return self.counts
        self.load_children()
        self.start_networks()
        for target in self.targets:
            self.build(target)
        self.choose_upcoming()
        self.write()
        return self.counts

    # ------------------------------------------------------------ what is there

    def load(self):
        from hoth.disruption import reference

        if not Tactic.objects.exists():
            reference.load()
        self.tactics = {t.code: t for t in Tactic.objects.filter(is_active=True)}
        g = self.g
        demo = {demo_email(local_part) for local_part, *_ in DEMO_USERS}
        ids = {email: user_id for email, user_id, *_ in g.staff}
        self.demo_analyst = ids[demo_email("analyst")]
        self.demo_coordinator = ids[demo_email("coordinator")]
        self.agency = {
            POLICE: g.agencies[data.POLICE],
            COUNCIL: g.agencies[data.COUNCIL],
            PARTNERSHIP: g.agencies[data.PARTNERSHIP],
        }
        by = {
            (POLICE, Role.ANALYST): [],
            (POLICE, Role.COORDINATOR): [],
            (COUNCIL, Role.COORDINATOR): [],
            (PARTNERSHIP, Role.ANALYST): [],
        }
        for email, user_id, agency, role, _ in g.staff:
            for lead, found in self.agency.items():
                if (
                    agency.pk == found.pk
                    and (lead, role) in by
                    and (email not in demo or user_id in (self.demo_analyst, self.demo_coordinator))
                ):
                    by[(lead, role)].append(user_id)
        # Who may be an officer or an owner: those who may see every subject's disruption plan.
        self.officers = {
            POLICE: by[(POLICE, Role.COORDINATOR)] + by[(POLICE, Role.ANALYST)],
            COUNCIL: by[(COUNCIL, Role.COORDINATOR)],
            PARTNERSHIP: by[(PARTNERSHIP, Role.ANALYST)] or by[(COUNCIL, Role.COORDINATOR)],
        }
        self.owners = {
            POLICE: [
                u
                for u in by[(POLICE, Role.ANALYST)] + by[(PARTNERSHIP, Role.ANALYST)] + by[(POLICE, Role.COORDINATOR)]
                if u != self.demo_analyst
            ],
            COUNCIL: by[(COUNCIL, Role.COORDINATOR)] + by[(PARTNERSHIP, Role.ANALYST)],
        }
        self.panel_items = {}  # ("person" or "context", id) -> [(day, item id, chair id, moment, decision)]
        self.upcoming_items = {}
        self.upcoming_meeting = None
        items = (
            AgendaItem.objects.filter(
                meeting__kind=Meeting.Kind.PANEL,
                status=AgendaItem.Status.ACCEPTED,
                section__in=[Section.PERSON, Section.PLACE],
            )
            .order_by("meeting__starts_at", "position")
            .values_list(
                "pk",
                "person_id",
                "context_id",
                "meeting__starts_at",
                "meeting__status",
                "meeting__chair_id",
                "panel_decision",
                "position",
                "meeting_id",
            )
        )
        for pk, person_id, context_id, starts, status, chair, decision, position, meeting_id in items:
            key = ("person", person_id) if person_id else ("context", context_id)
            moment = starts.astimezone(LONDON)
            if status == Meeting.Status.CONFIRMED:
                self.panel_items.setdefault(key, []).append((moment.date(), pk, chair, moment, decision, position))
            elif status == Meeting.Status.PLANNED and moment.date() >= self.today:
                self.upcoming_items[key] = (moment.date(), pk)
                self.upcoming_meeting = (moment.date(), meeting_id)
        chairs = {i[2] for items in self.panel_items.values() for i in items if i[2]}
        everyone = sorted(
            {u for pool in list(self.officers.values()) + list(self.owners.values()) for u in pool}
            | {self.demo_analyst, self.demo_coordinator}
            | chairs
        )
        self.users = User.objects.in_bulk(everyone)

    def plan_targets(self):
        """Which subjects have a plan, with the steps it may take."""
        members = list(
            PlantedMember.objects.select_related(
                "network", "subject__person", "subject__context", "subject__vehicle", "subject__phone"
            ).order_by("network__key", "pk")
        )
        children, recruiters = {}, {}
        for member in members:
            if member.role in CHILD_ROLES:
                children.setdefault(member.network.key, []).append(member.subject.person_id)
            if member.role == "peer_of_concern":
                recruiters[member.network.key] = member.subject.person_id
        self.network_children = children
        self.networks = list(PlantedNetwork.objects.order_by("key").values_list("key", "began_on"))
        street = self._street_aliases([m.subject.person_id for m in members if m.subject.person_id])
        demo_networks = {"county-lines-1", "cse-1"}
        by_subject = {}
        for member in members:
            subject, network = member.subject, member.network
            role = member.role
            if role == "place":
                role = subject.context.place_type
            recipe = (network.kind, role)
            if recipe not in RECIPES:
                continue
            rng = self.g._stream(f"disruption:{subject.reference}")
            demo = network.key in demo_networks and role in ("hub", "deal_line", "trap_house", "hotel")
            if not demo and rng.random() >= PLAN_CHANCE.get(role, 0.5):
                continue
            # What is done against the group protects its members, not the peer recruiting them.
            kids = [c for c in children.get(network.key, []) if c != recruiters.get(network.key)]
            if role == "adult" and network.kind == "cse" and member.out_of_area:
                recipe = ("cse", "adult_away")  # no taxi licence to act on in Manchester
            target = Target(
                subject=subject,
                recipe=recipe,
                name=self._name(subject),
                town=network.town,
                alias=street.get(subject.person_id, ""),
                network=network.key,
                children=list(kids),
                earliest=network.began_on + timedelta(days=30),
                demo=demo,
            )
            if demo and role in ("deal_line", "hotel"):
                target.soon = ("drug-dealing-telecommunications-restriction-order", "hotel-guest-information-notice")
            self.targets.append(target)
            by_subject[subject.pk] = target
        self.hotspot_targets(by_subject)
        self.background_targets(by_subject, {m.subject_id for m in members})
        for target in self.targets:
            key = (
                ("person", target.subject.person_id)
                if target.subject.person_id
                else ("context", target.subject.context_id)
            )
            target.items = self.panel_items.get(key, [])
            target.upcoming = self.upcoming_items.get(key)

    def hotspot_targets(self, by_subject):
        for hotspot in PlantedHotspot.objects.select_related("place").order_by("name"):
            subject = Subject.objects.select_related("context").filter(context_id=hotspot.place_id).first()
            if subject is None:
                continue
            place_type = hotspot.place.place_type
            key = "common" if hotspot.emerging else {"station": "station", "hotel": "hotel"}.get(place_type, "park")
            steps = RECIPES[("hotspot", key)]
            target = by_subject.get(subject.pk)
            if target is not None:
                target.steps = RECIPES[target.recipe] + list(steps)  # the network's hotel is a hotspot too
                continue
            rng = self.g._stream(f"disruption-hotspot:{subject.reference}")
            earliest = self.today - timedelta(days=330) if hotspot.emerging else self.start + timedelta(days=60)
            latest = self.today - timedelta(days=60)
            start = earliest + timedelta(days=rng.randint(0, (latest - earliest).days // 2))
            target = Target(
                subject=subject,
                recipe=("hotspot", key),
                name=hotspot.name,
                town=hotspot.town,
                earliest=earliest,
                start=start,
            )
            self.targets.append(target)
            by_subject[subject.pk] = target
        self._linked_children([t for t in self.targets if t.recipe[0] == "hotspot"])

    def background_targets(self, by_subject, planted):
        """People and places of concern outside the planted networks that the panel agreed a disruption
        plan for: their plan starts at that panel."""
        decided = {}
        for key, items in sorted(self.panel_items.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            first = next(
                (
                    i
                    for i in items
                    if i[4] == PanelDecision.DISRUPTION_PLAN
                    and i[0] >= self.start + timedelta(days=30)
                    and i[0] <= self.today - timedelta(days=14)
                ),
                None,
            )
            if first is not None:
                decided[key] = first
        if not decided:
            return
        people = [pk for kind, pk in decided if kind == "person"]
        contexts = [pk for kind, pk in decided if kind == "context"]
        subjects = list(Subject.objects.filter(person_id__in=people).select_related("person"))
        subjects += list(Subject.objects.filter(context_id__in=contexts).select_related("context"))
        subjects.sort(key=lambda s: s.reference)
        found = []
        for subject in subjects:
            if subject.pk in planted or subject.pk in by_subject:
                continue
            if subject.kind == Subject.Kind.PERSON:
                if (
                    not subject.of_concern
                    or subject.person.date_of_birth is None
                    or age_on(subject.person.date_of_birth, self.today) < 18
                ):
                    continue
                recipe, key = ("background", "person"), ("person", subject.person_id)
            elif subject.kind == Subject.Kind.PLACE:
                place_type = subject.context.place_type or (
                    "school" if subject.context.kind == Context.Kind.SCHOOL else "other"
                )
                recipe = ("background", place_type if ("background", place_type) in RECIPES else "other")
                key = ("context", subject.context_id)
            else:
                continue
            day = decided[key][0]
            target = Target(
                subject=subject,
                recipe=recipe,
                name=self._name(subject),
                town=subject.context.town if subject.context_id else "",
                earliest=day,
                start=day,
            )
            self.targets.append(target)
            by_subject[subject.pk] = target
            found.append(target)
        self._linked_children(found)

    def _linked_children(self, targets):
        """The children linked to each target's subject by accepted links, and for a place the children
        who are subjects and were found there after going missing."""
        if not targets:
            return
        ids = [t.subject.pk for t in targets]
        by_pk = {t.subject.pk: t for t in targets}
        children = {
            pk
            for pk, dob in Person.objects.filter(subject__isnull=False, date_of_birth__isnull=False).values_list(
                "pk", "date_of_birth"
            )
            if age_on(dob, self.today) < 18
        }
        person_of = dict(
            Subject.objects.filter(kind=Subject.Kind.PERSON, person_id__in=children).values_list("pk", "person_id")
        )
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            for source, target in (
                Link.objects.accepted().filter(source_id__in=chunk).order_by("pk").values_list("source_id", "target_id")
            ):
                if target in person_of and person_of[target] not in by_pk[source].children:
                    by_pk[source].children.append(person_of[target])
            for source, target in (
                Link.objects.accepted().filter(target_id__in=chunk).order_by("pk").values_list("source_id", "target_id")
            ):
                if source in person_of and person_of[source] not in by_pk[target].children:
                    by_pk[target].children.append(person_of[source])
        for target in targets:
            context = target.subject.context
            if context is None or context.latitude is None:
                continue
            near = (
                MissingEpisode.objects.filter(
                    person_id__in=children,
                    found_latitude__range=(context.latitude - 0.002, context.latitude + 0.002),
                    found_longitude__range=(context.longitude - 0.003, context.longitude + 0.003),
                )
                .order_by("started_at", "pk")
                .values_list("person_id", flat=True)
            )
            for person_id in near:
                if person_id not in target.children:
                    target.children.append(person_id)

    def _street_aliases(self, people):
        from hoth.people.models import Alias

        found = {}
        for person_id, name in (
            Alias.objects.filter(person_id__in=people, kind=Alias.Kind.STREET)
            .order_by("person_id", "pk")
            .values_list("person_id", "name")
        ):
            found.setdefault(person_id, name)
        return found

    @staticmethod
    def _name(subject):
        if subject.person_id:
            return subject.person.full_name
        if subject.context_id:
            return subject.context.name
        if subject.vehicle_id:
            return subject.vehicle.display_registration
        return subject.phone.e164

    def load_children(self):
        """Each child's date of birth, care status, screenings and missing episodes: what the effect reads."""
        wanted = sorted({c for t in self.targets for c in t.children})
        self.child = {
            pk: (dob, care)
            for pk, dob, care in Person.objects.filter(pk__in=wanted).values_list("pk", "date_of_birth", "care_status")
        }
        self.screenings, self.episodes = {}, {}
        for first in range(0, len(wanted), 500):
            chunk = wanted[first : first + 500]
            for person_id, at, level in (
                Screening.objects.completed()
                .filter(person_id__in=chunk)
                .exclude(level="")
                .order_by("person_id", "completed_at", "pk")
                .values_list("person_id", "completed_at", "level")
            ):
                self.screenings.setdefault(person_id, []).append((at.astimezone(LONDON).date(), level))
            for person_id, at in (
                MissingEpisode.objects.filter(person_id__in=chunk)
                .order_by("person_id", "started_at", "pk")
                .values_list("person_id", "started_at")
            ):
                self.episodes.setdefault(person_id, []).append(at.astimezone(LONDON).date())
        self.mentions = {}
        ids = [t.subject.pk for t in self.targets]
        for first in range(0, len(ids), 500):
            for subject_id, report_id, graded_at in (
                Mention.objects.filter(
                    subject_id__in=ids[first : first + 500], report__status=IntelligenceReport.Status.GRADED
                )
                .order_by("subject_id", "report__graded_at", "report_id")
                .values_list("subject_id", "report_id", "report__graded_at")
            ):
                self.mentions.setdefault(subject_id, []).append((graded_at, report_id))

    def start_networks(self):
        """When the partnership turned to each network: often a few days after one of its children went
        missing in its first year (what brought the network to light), otherwise some weeks after it began."""
        self.network_start = {}
        for key, began in self.networks:
            rng = self.g._stream(f"disruption-network:{key}")
            first = began + timedelta(days=30)
            latest = max(first, self.today - timedelta(days=60))
            missing = sorted(
                d
                for c in self.network_children.get(key, [])
                for d in self.episodes.get(c, ())
                if first <= d <= min(latest, began + timedelta(days=365))
            )
            if missing and rng.random() < 0.8:
                start = missing[0] + timedelta(days=rng.randint(2, 10))
            else:
                start = first + timedelta(days=rng.randint(0, 120))
            self.network_start[key] = min(latest, start)
        for target in self.targets:
            if target.network and target.start is None:
                target.start = self.network_start[target.network]

    def choose_upcoming(self):
        """The demo panel chair's planned panel reviews a person of concern's plan: one on its agenda
        already, or else the demo analyst's hub, added to the agenda. Every plan whose subject is on that
        agenda is next reviewed there."""
        if self.upcoming_meeting is None:
            return
        day, meeting_id = self.upcoming_meeting
        with_plans = [t for t in self.targets if t.plan is not None and t.plan.is_open]
        on_agenda = [t for t in with_plans if t.upcoming is not None]
        if not any(t.subject.person_id for t in on_agenda):
            chosen = next((t for t in with_plans if t.demo and t.recipe[1] == "hub"), None) or next(
                (t for t in with_plans if t.subject.person_id), None
            )
            if chosen is not None:
                chosen.upcoming = (day, None)
                on_agenda.append(chosen)
                self.new_items.append((meeting_id, chosen.subject.person_id))
        for target in on_agenda:
            target.plan.next_review_on = target.upcoming[0]
            if target.reviews:
                target.reviews[-1].next_review_on = target.upcoming[0]

    # ------------------------------------------------------------ one subject's plan

    def build(self, target):
        rng = self.g._stream(f"disruption-plan:{target.subject.reference}")
        today = self.today
        latest = today - timedelta(days=21)
        start = self._start(rng, target, latest)
        if start is None:
            return
        target.start = start
        lead = self._plan_lead(target)
        owner = self._owner(rng, target, lead)
        fill = {
            "name": target.name,
            "alias": target.alias or target.name,
            "town": target.town or "the town",
            "platform": getattr(target.subject.context, "platform", "") or "the platform",
        }
        objective = rng.choice(
            text.OBJECTIVES.get(target.recipe)
            or text.OBJECTIVES[("background", "place" if target.subject.context_id else "person")]
        ).format(**fill)
        plan = disruption_rows.plan_row(
            target.subject,
            owner=self.users[owner],
            lead_agency=self.agency[lead],
            objective=objective,
            next_review_on=None,
            created_at=local(start, rng.randint(11, 16), rng.randrange(60)),
        )
        made = []
        steps = target.steps or RECIPES[target.recipe]
        usable = [s for s in steps if s[0] in self.tactics and self.tactics[s[0]].applies_to(target.subject.kind)]
        chosen = [s for s in usable if target.demo or rng.random() < s[1]] or usable[:1]
        for code, _, (first, last), who in chosen:
            low, high = start + timedelta(days=first), min(start + timedelta(days=last), today - timedelta(days=1))
            if low > high:
                continue
            for children in self._children_sets(rng, target, code, who, low):
                activity = self.activity(rng, target, plan, code, low, high, children)
                if activity is not None:
                    made.append(activity)
        if rng.random() < NEXT_STEP_SHARE or target.demo:
            used = {m.row.tactic.code for m in made}
            codes = [s[0] for s in steps] + FOLLOW_UPS.get(target.recipe, [])
            code = next(
                (
                    c
                    for c in codes
                    if c in self.tactics
                    and c not in used
                    and self.tactics[c].applies_to(target.subject.kind)
                    and self.tactics[c].kind in (flow.CIVIL_ORDER, flow.CRIMINAL_ORDER, flow.REGULATORY, flow.NOTICE)
                ),
                None,
            )
            low = max(start, today - timedelta(days=42))
            if code is not None and low < today:
                for children in self._children_sets(rng, target, code, "all", low)[:1]:
                    activity = self.activity(
                        rng, target, plan, code, low, today - timedelta(days=1), children, recent=True
                    )
                    if activity is not None:
                        made.append(activity)
        if not made:
            return
        made.sort(key=lambda m: (m.row.created_at, m.row.tactic.code))
        self.plans.append(plan)
        self.activities += [(plan, m) for m in made]
        self._count("DisruptionPlan")
        target.plan = plan
        self.plan_reviews(rng, target, plan, made)

    def _start(self, rng, target, latest):
        """The plan starts at the first panel that agreed it, or when the partnership turned to the network."""
        earliest = max(target.earliest or self.start, self.start)
        if latest < earliest:
            return None
        decided = next(
            (i[0] for i in target.items if i[4] == PanelDecision.DISRUPTION_PLAN and earliest <= i[0] <= latest), None
        )
        if decided is not None:
            return decided
        start = target.start or earliest
        if target.network:
            start += timedelta(days=rng.randint(0, 45))
        if target.demo:
            # Long enough ago for an order granted then to be running out now.
            start = min(start, self.today - timedelta(days=270))
        return min(max(start, earliest), latest)

    def _plan_lead(self, target):
        steps = target.steps or RECIPES[target.recipe]
        council = sum(LEADS.get(s[0]) == COUNCIL for s in steps)
        return COUNCIL if council * 2 > len(steps) else POLICE

    def _owner(self, rng, target, lead):
        if target.demo:
            return self.demo_analyst
        if lead == POLICE and (rng.random() < 0.35 or not self.owners[POLICE]):
            return self.demo_analyst
        if lead == COUNCIL and (rng.random() < 0.4 or not self.owners[COUNCIL]):
            return self.demo_coordinator
        return rng.choice(self.owners[lead])

    def _children_sets(self, rng, target, code, who, day):
        """The children each activity of this step protects: under 18 on the day it was recorded, and
        for a warning notice those the law lets it protect, one notice each."""

        def under(pk, years, when=day):
            dob = self.child.get(pk, (None, ""))[0]
            return dob is not None and age_on(dob, when + timedelta(days=10)) < years

        children = [c for c in target.children if under(c, 18)]
        if who == "none":
            return [[]]
        if who == "all":
            return [children[:MOST_CHILDREN]]
        eligible = [c for c in children if under(c, 16) or self.child[c][1] == "cla"]
        if not eligible:
            return []
        return [[c] for c in eligible[: 3 if who == "each" else 1]]

    # ------------------------------------------------------------ one activity

    def activity(self, rng, target, plan, code, low, high, children, recent=False):
        tactic = self.tactics[code]
        first = self._first_day(rng, low, high, children)
        soon = code in target.soon or (
            not recent and tactic.kind != flow.NON_LEGAL and code in DURATIONS and rng.random() < SOON_SHARE
        )
        built = self.history(rng, tactic, first, children, soon=soon, earliest=low)
        if built is None:
            return None
        history, expires_on = built
        lead = LEADS.get(code, POLICE)
        officer = (
            plan.owner_id
            if self.users[plan.owner_id].agency_id == self.agency[lead].pk and (rng.random() < 0.4)
            else rng.choice(self.officers[lead] or self.officers[POLICE])
        )
        latest = self.now - timedelta(hours=1)
        created = min(local(history[0][1], rng.randint(9, 16), rng.randrange(60)), latest)
        fill = {
            "name": target.name,
            "town": target.town or "the town",
            "platform": getattr(target.subject.context, "platform", "") or "the platform",
        }
        details = rng.choice(text.DETAILS.get(code, [""])).format(**fill)
        row = disruption_rows.activity_row(
            plan,
            tactic,
            officer=self.users[officer],
            lead_agency=self.agency[lead],
            history=history,
            expires_on=expires_on,
            details=details,
            created_at=created,
        )
        row.changed_at = max(created, min(local(history[-1][1], rng.randint(9, 17), rng.randrange(60)), latest))
        made = Made(row=row, history=history, children=list(children))
        if row.status == flow.EXPIRED:
            # The daily reminders warned before it ran out and marked it expired the day after.
            warned = max(row.expires_on - timedelta(days=WARNING_DAYS), row.granted_on)
            row.expiry_warned_at = local(warned, REMINDER_HOUR)
            row.expired_told_at = local(row.expires_on + timedelta(days=1), REMINDER_HOUR)
            row.changed_at = row.expired_told_at
        self.breaches(rng, target, made)
        self.outcome(rng, made)
        if lead != COUNCIL:
            before = [r for at, r in self.mentions.get(target.subject.pk, []) if at < created]
            made.reports = before[max(0, len(before) - rng.randint(0, 2)) :]
        return made

    def _first_day(self, rng, low, high, children):
        """Often a few days after one of its children went missing: the episode that prompted it."""
        prompts = sorted(d for c in children for d in self.episodes.get(c, ()) if low - timedelta(days=14) <= d < high)
        if prompts and rng.random() < 0.7:
            day = rng.choice(prompts) + timedelta(days=rng.randint(1, 14))
            return min(max(day, low), high)
        return low + timedelta(days=rng.randint(0, (high - low).days))

    def _duration(self, rng, tactic, children, granted):
        if tactic.code == "child-abduction-warning-notice":
            if not children or rng.random() < 0.2:
                return None
            dob, care = self.child[children[0]]
            years = 16 if age_on(dob, granted) < 16 else 18
            ends = (
                dob.replace(year=dob.year + years)
                if not (dob.month == 2 and dob.day == 29)
                else dob.replace(year=dob.year + years, day=28)
            )
            ends -= timedelta(days=1)
            return (ends - granted).days if ends > granted else None
        if tactic.kind == flow.REGULATORY:
            if tactic.code != "trading-standards-intervention" and rng.random() < SUSPENSION_SHARE:
                return rng.randint(28, 183)
            return None
        options = DURATIONS.get(tactic.code)
        if options:
            return weighted(rng, options)
        # A tactic an administrator has said always ends on a date: a year, if nothing here says otherwise.
        return 365 if tactic.has_duration else None

    def history(self, rng, tactic, first, children, *, soon=False, earliest):
        """[(status, day)] and the expiry date, as the activity went until today."""
        kind, today = tactic.kind, self.today

        def days(a, b):
            return timedelta(days=rng.randint(a, b))

        planned = applied = None
        if kind in (flow.CIVIL_ORDER, flow.CRIMINAL_ORDER):
            on_conviction = kind == flow.CRIMINAL_ORDER and rng.random() < 0.6
            if on_conviction:
                planned, granted = first, first + days(14, 120)  # made by the court on sentencing
            else:
                planned = first if rng.random() < 0.5 else None
                applied = planned + days(3, 28) if planned else first
                granted = applied + days(7, 56)
        elif kind == flow.REGULATORY:
            planned = first
            applied = planned + days(3, 21)
            granted = applied + days(14, 56)
        elif kind == flow.NOTICE:
            planned, granted = first, first + days(0, 10)
        else:
            planned, granted = first, first + days(1, 14)
        duration = self._duration(rng, tactic, children, granted)
        if soon and duration:
            # Granted so long ago that it runs out within the warning window.
            expires = today + days(1, WARNING_DAYS - 1)
            shift = (expires - timedelta(days=duration)) - granted
            if first + shift >= earliest and granted + shift <= today - timedelta(days=1):
                planned = planned + shift if planned else None
                applied = applied + shift if applied else None
                granted += shift
            else:
                soon = False
        expires = granted + timedelta(days=duration) if duration else None
        history = []
        if planned is not None:
            if planned > today:
                return None
            history.append((flow.PLANNED, planned))
        if applied is not None:
            if applied > today:
                return history, None
            history.append((flow.APPLIED, applied))
            r = rng.random()
            if not soon and r < (0.2 if kind == flow.REGULATORY else 0.12):
                ended = applied + days(14, 60)
                return (history + [(flow.REFUSED, ended)], None) if ended <= today else (history, None)
            if not soon and r < 0.18:
                ended = applied + days(7, 40)
                return (history + [(flow.WITHDRAWN, ended)], None) if ended <= today else (history, None)
        elif not soon and kind in (flow.NOTICE, flow.NON_LEGAL) and rng.random() < 0.04:
            ended = planned + days(3, 20)
            if ended < granted and ended <= today:
                return history + [(flow.WITHDRAWN, ended)], None
        if granted > today:
            return (history, None) if history else None
        history.append((flow.IN_FORCE, granted))
        if soon:
            return history, expires
        if kind == flow.NON_LEGAL:
            ended = granted + days(*RUNS.get(tactic.code, (28, 84)))
            if ended > today:
                return history, None
            if rng.random() < 0.06:
                return history + [(flow.WITHDRAWN, granted + (ended - granted) // 2)], None
            return history + [(flow.COMPLETED, ended)], None
        if kind == flow.REGULATORY and expires is None:
            ended = granted + days(0, 30 if tactic.code != "trading-standards-intervention" else 60)
            return (history + [(flow.COMPLETED, ended)], None) if ended <= today else (history, None)
        ending = (expires or today) - granted
        room = min(ending.days - 1, (today - granted).days)
        if kind in (flow.CIVIL_ORDER, flow.CRIMINAL_ORDER) and room > 30 and rng.random() < 0.08:
            return history + [(flow.DISCHARGED, granted + days(30, room))], expires
        if kind == flow.NOTICE and room > 10 and rng.random() < 0.05:
            return history + [(flow.WITHDRAWN, granted + days(10, room))], expires
        if expires is not None and expires < today:
            return history + [(flow.EXPIRED, expires)], expires
        return history, expires

    def breaches(self, rng, target, made):
        row = made.row
        chance = BREACH_CHANCE.get(row.tactic.code, 0)
        if row.granted_on is None or not chance or rng.random() >= chance:
            return
        last = min(row.ended_on or self.today, self.today)
        if (last - row.granted_on).days < 3:
            return
        days = sorted(
            row.granted_on + timedelta(days=rng.randint(3, (last - row.granted_on).days))
            for _ in range(1 if rng.random() < 0.8 else 2)
        )
        fill = {"town": target.town or "the town"}
        for day in days:
            action = weighted(rng, BREACH_ACTIONS)
            recorded = min(
                local(day + timedelta(days=rng.randint(0, 2)), rng.randint(9, 18), rng.randrange(60)),
                self.now - timedelta(hours=1),
            )
            breach = disruption_rows.breach_row(
                row,
                occurred_on=day,
                what=rng.choice(text.BREACHES.get(row.tactic.code, text.BREACH_DEFAULT)).format(**fill),
                action=action,
                recorded_by=row.officer,
                recorded_at=max(recorded, local(day, 8)),
                action_details=text.ACTION_DETAILS[action],
            )
            if action in ("arrested", "charged"):
                breach.police_reference = f"CC-{day:%y%m%d}-{rng.randrange(100_000):05d}"
            made.breaches.append(breach)

    def effect_on(self, children, start, day):
        """The children's figures for an activity that took effect on `start`, as read on `day`."""
        each = [
            maths.child_effect(c, start, day, self.screenings.get(c, []), self.episodes.get(c, [])) for c in children
        ]
        return maths.summarise(each, start, day)

    def outcome(self, rng, made):
        row = made.row
        ended = row.ended_on
        day = None
        if ended is not None:
            # Judged once it has ended and the effect's after window has run, when it has by today.
            after = row.granted_on + timedelta(days=maths.WINDOW_DAYS) if row.granted_on else ended
            day = min(max(ended, after) + timedelta(days=rng.randint(1, 14)), self.today)
        if row.status == flow.REFUSED and row.tactic.kind in text.REFUSED_OUTCOMES and rng.random() < 0.6:
            words, assessment = text.REFUSED_OUTCOMES[row.tactic.kind], OutcomeAssessment.NO_EFFECT
        elif row.status in (flow.EXPIRED, flow.DISCHARGED, flow.COMPLETED) and rng.random() < 0.85:
            if made.children:
                summary = self.effect_on(made.children, row.granted_on, day)
                assessment = assess(summary)
                words = rng.choice(text.OUTCOMES[assessment]).format(
                    before=summary.missing_before,
                    after=summary.missing_after,
                    days=summary.window_days,
                    lower=summary.lower,
                    higher=summary.higher,
                    children=summary.children,
                )
            else:
                assessment = weighted(rng, [("disrupted", 35), ("partly", 35), ("no_effect", 20), ("too_early", 10)])
                words = text.NO_CHILDREN_OUTCOMES[assessment]
        else:
            return
        at = min(local(day, rng.randint(9, 17), rng.randrange(60)), self.now - timedelta(hours=1))
        row.outcome, row.outcome_assessment = words, assessment
        row.outcome_recorded_at = max(at, row.changed_at)
        row.outcome_recorded_by = row.officer
        row.changed_at = row.outcome_recorded_at

    # ------------------------------------------------------------ reviews

    def plan_reviews(self, rng, target, plan, made):
        """Reviews from the plan's start to today: at each panel that discussed the subject, and between
        panels when one was due. Some plans' last review is overdue; some were closed once everything in
        them had ended."""
        today = self.today
        start = target.start
        events = self._events(made)
        ends = [m.row.ended_on for m in made]
        closing_from = None
        if (
            all(m.row.status in flow.ENDED for m in made)
            and max(ends) <= today - timedelta(days=30)
            and (not target.demo and target.upcoming is None and rng.random() < CLOSE_SHARE)
        ):
            closing_from = max(ends) + timedelta(days=7)
        # The demo analyst's plan against the first trap house is always one of them.
        overdue = (
            closing_from is None
            and target.upcoming is None
            and (rng.random() < OVERDUE_SHARE or (target.demo and target.recipe[1] == "trap_house"))
        )
        last, due = start, start + timedelta(days=rng.randint(28, 56))
        reviews = []
        while True:
            item = next((i for i in target.items if last < i[0] <= due + timedelta(days=14) and i[0] < today), None)
            if item is not None:
                when = item[0]
            else:
                if due >= today or (overdue and due >= today - timedelta(days=45)):
                    break
                late = weighted(rng, [(0, 70), (rng.randint(1, 10), 25), (rng.randint(11, 30), 5)])
                when = due + timedelta(days=late)
                when = min(when, today - timedelta(days=1))
                if when <= last:
                    when = last + timedelta(days=1)
                    if when >= today:
                        break
            happened = [e for e in events if last < e[0] <= when]
            closing = closing_from is not None and when >= closing_from
            if closing:
                decision = DisruptionPlanReview.Decision.CLOSE
                next_due = None
            else:
                breached = any(e[1] == "breach" for e in happened)
                decision = (
                    DisruptionPlanReview.Decision.CHANGE
                    if rng.random() < (0.5 if breached else 0.1)
                    else DisruptionPlanReview.Decision.CONTINUE
                )
                next_due = when + timedelta(days=rng.randint(42, 91))
                if overdue and next_due >= today:
                    # The review this one set is the one that has not happened.
                    next_due = max(when + timedelta(days=1), today - timedelta(days=rng.randint(1, 40)))
            words = self._what_changed(rng, target, made, happened, last, when, decision)
            if item is not None:
                _, item_id, chair, moment, _, position = item
                reviewer, recorded = chair, moment + timedelta(minutes=8 * position + 5)
            else:
                reviewer = plan.owner_id
                recorded = local(when, rng.randint(9, 16), rng.randrange(60))
            review = disruption_rows.review_row(
                plan,
                reviewed_on=when,
                what_changed=words,
                decision=decision,
                reviewed_by=self.users[reviewer],
                recorded_at=recorded,
                next_review_on=next_due,
            )
            if item is not None:
                review.agenda_item_id = item[1]
            reviews.append(review)
            if closing:
                plan.status, plan.closed_on, plan.next_review_on = DisruptionPlan.Status.CLOSED, when, None
                break
            last, due = when, next_due
        if plan.status == DisruptionPlan.Status.OPEN:
            plan.next_review_on = due  # choose_upcoming moves it to the planned panel if it is on its agenda
        target.reviews = reviews
        self.reviews += [(plan, r) for r in reviews]

    def _events(self, made):
        events = []
        for m in made:
            name = m.row.tactic.name
            for status, day in m.history:
                if status == flow.EXPIRED:
                    day = m.row.expires_on
                events.append((day, "recorded" if status == flow.PLANNED else status, name))
            for breach in m.breaches:
                events.append((breach.occurred_on, "breach", name, Breach.Action(breach.action).label.lower()))
        return sorted(events, key=lambda e: (e[0], e[1], e[2]))

    def _what_changed(self, rng, target, made, happened, last, when, decision):
        lines = []
        for event in happened[:4]:
            fill = {"tactic": event[2], "day": f"{event[0]:%-d %B %Y}", "action": event[3] if len(event) > 3 else ""}
            lines.append(text.REVIEW_EVENTS[event[1]].format(**fill))
        if not lines:
            lines.append(rng.choice(text.REVIEW_QUIET))
        children = sorted({c for m in made for c in m.children})
        if children:
            missing = sum(1 for c in children for d in self.episodes.get(c, ()) if last < d <= when)
            lines.append(
                rng.choice(text.REVIEW_MISSING).format(
                    times="once" if missing == 1 else f"{missing} times",
                    episodes="One missing episode" if missing == 1 else f"{missing} missing episodes",
                )
                if missing
                else text.REVIEW_NOT_MISSING
            )
        if decision == DisruptionPlanReview.Decision.CHANGE:
            ended = [e for e in happened if e[1] in flow.ENDED]
            if any(e[1] == "breach" for e in happened):
                lines.append(text.REVIEW_CHANGE["breach"])
            elif ended:
                lines.append(text.REVIEW_CHANGE["ended"].format(tactic=ended[-1][2]))
            else:
                lines.append(text.REVIEW_CHANGE["other"])
        elif decision == DisruptionPlanReview.Decision.CLOSE:
            lines.append(rng.choice(text.REVIEW_CLOSE))
        return " ".join(lines)

    # ------------------------------------------------------------ writing

    def write(self):
        tokens = self.tokens
        write_rows(DisruptionPlan, self.plans, tokens=tokens)
        self._count("DisruptionPlan (closed)", sum(p.status == DisruptionPlan.Status.CLOSED for p in self.plans))
        references = self.g.reference_maker("D", "disruption-references")
        taken = set(DisruptionActivity.objects.values_list("reference", flat=True))
        rows = []
        for plan, made in self.activities:
            made.row.plan = plan
            reference = references.next()
            while reference in taken:
                reference = references.next()
            taken.add(reference)
            made.row.reference = reference
            rows.append(made.row)
        write_rows(DisruptionActivity, rows, tokens=tokens)
        self._count("DisruptionActivity", len(rows))
        for row in rows:
            self._count(f"DisruptionActivity ({row.status})")
        self._count(
            "DisruptionActivity (in force, expiring within 28 days)",
            sum(r.expiring_within(self.today, WARNING_DAYS) for r in rows),
        )
        Children = DisruptionActivity.children.through
        Reports = DisruptionActivity.intelligence.through
        children, reports, breaches = [], [], []
        for _, made in self.activities:
            children += disruption_rows.children_rows(made.row, made.children)
            reports += [Reports(disruptionactivity_id=made.row.pk, intelligencereport_id=r) for r in made.reports]
            breaches += made.breaches
        write_rows(Children, children)
        write_rows(Reports, reports)
        write_rows(Breach, breaches, tokens=tokens)
        self._count("Breach", len(breaches))
        reviews = []
        for plan, review in self.reviews:
            review.plan = plan
            reviews.append(review)
        write_rows(DisruptionPlanReview, reviews, tokens=tokens)
        self._count("DisruptionPlanReview (at a panel)", sum(r.agenda_item_id is not None for r in reviews))
        self._count("DisruptionPlanReview (between panels)", sum(r.agenda_item_id is None for r in reviews))
        self.add_items()

    def add_items(self):
        """A person of concern put on the planned panel's agenda as the service puts one there: in the
        persons section, the items after it moved down one."""
        order = list(Section.values)
        for meeting_id, person_id in self.new_items:
            accepted = list(
                AgendaItem.objects.filter(meeting_id=meeting_id, status=AgendaItem.Status.ACCEPTED)
                .order_by("position", "pk")
                .values_list("section", "position")
            )
            before = [p for s, p in accepted if order.index(s) <= order.index(Section.PERSON)]
            position = (max(before) if before else 0) + 1
            AgendaItem.objects.filter(meeting_id=meeting_id, position__gte=position).update(position=F("position") + 1)
            write_rows(
                AgendaItem,
                [
                    AgendaItem(
                        meeting_id=meeting_id,
                        position=position,
                        status=AgendaItem.Status.ACCEPTED,
                        section=Section.PERSON,
                        person_id=person_id,
                    )
                ],
            )
            self._count("AgendaItem (panel, added for disruption)")


def assess(summary):
    """The judgement a panel would record from the effect: fewer missing episodes and lower levels
    after than before."""
    if summary.after_days < 60:
        return OutcomeAssessment.TOO_EARLY
    better = (summary.missing_before - summary.missing_after) + (summary.lower - summary.higher)
    if better > 0 and summary.missing_after == 0 and summary.higher == 0:
        return OutcomeAssessment.DISRUPTED
    if better > 0:
        return OutcomeAssessment.PARTLY
    return OutcomeAssessment.NO_EFFECT
