"""The problem profile: what is happening in an area, about a kind of harm,
over a period (College of Policing, National Intelligence Model), for a panel
or the strategic board. The same content makes the page and the PDF.

A profile is a list of sections, each built by one function from the
`Sources` the profile shares (records read once, whatever the number of
sections that use them). To add a section, write a function that takes the
`Sources` and returns a `Section`, give it a template under
intelligence/problem_profile/, and add it to SECTIONS.

The area
--------
The area is the whole partnership, or some of the map's towns
(hoth.contexts.models.Town, which are points). A record is in a town when:

- it has a location of its own (partner intelligence placed on the map, an
  incident, where a missing child was found): the map's town nearest to it,
  if one is within TOWN_REACH_M;
- otherwise it is about a place, group or online space: the town recorded on
  the place when that names one of the map's towns, else the town nearest
  the place's location;
- otherwise it is about a child: the child's home, read the same way from the
  address they lived at on the last day of the period (or their latest).

A missing episode counts for the area when the child lives there or was found
there. With the whole partnership chosen, nothing is left out.

The theme
---------
A kind of harm (HarmType), or all. Referrals, cases, intelligence and
incidents carry their own harm types. A screening or a missing episode
counts for a theme when the child has a case or a referral that carries it.
Adults and places of concern are flagged without a kind of harm, so they are
counted whatever the theme.

Scope
-----
Counts, trends and the map are aggregates over every record of the
partnership, as the hotspot map is (hoth.intelligence.hotspots.data): a count
must not shrink because the analyst cannot open the casework behind it. What
the profile lists (the places in a hotspot, every subject of the network
picture) goes through the access gate: the network is loaded as the viewer
may see it (network_data.load_network) and places through
Context.objects.visible_to.

Children
--------
No child is named. Every child in the profile is "Child A", "Child B"...,
lettered in the order of their place in the network (most central first),
so the letters say nothing about who they are; an adult who is not of
concern is "Adult 1", "Adult 2"... Adults of concern, places, vehicles and
phones are named: they are what the profile is about. Which person each
pseudonym stands for is kept only in the audit event of the export.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

import h3
import numpy as np
from django.db.models import Q
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from hoth.access import policy
from hoth.analytics import hotspots, network
from hoth.analytics.geography import distances_m
from hoth.analytics.layout import layout
from hoth.intelligence.problem_profiles import drawing

TOWN_REACH_M = 10_000
# A longer period would make a monthly chart unreadable and the period before it ancient.
LONGEST_PERIOD_DAYS = 5 * 366
# The network: subjects within this many links of a subject in the area.
NETWORK_HOPS = 2
# A picture is readable up to about this many subjects; the tables cover all of them.
MOST_DRAWN = 150
TOP_HUBS = 10
# Cells with events that are neither hot nor cold are drawn pale, up to this many.
MOST_MAPPED_CELLS = 4000
TOP_CLUSTERS = 10
LAYOUT_SEED = 1

UNKNOWN = -1
WHERE_FOUND = (
    ("area", "Found in the area"),
    ("partnership", "Found elsewhere in the partnership"),
    ("outside", "Found outside the partnership"),
    ("unknown", "Where found not recorded"),
)
# A child screened, by the level of their latest screening in the period.
LEVELS = (
    ("high", "at High level"),
    ("medium", "at Medium level"),
    ("low", "at Low level"),
    ("none", "with no current concern"),
    ("", "level not recorded"),
)


# --- what the profile is about -------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """From `start` (inclusive) to `end` (exclusive), aware datetimes at local midnight."""

    start: datetime
    end: datetime

    def holds(self, moment):
        return moment is not None and self.start <= moment < self.end


@dataclass(frozen=True)
class Parameters:
    """The area (no towns: the whole partnership), the theme (None: every kind
    of harm) and the period, first and last days included."""

    towns: tuple = ()
    harm: object = None
    first_day: date = None
    last_day: date = None

    @property
    def period(self):
        start = timezone.make_aware(datetime.combine(self.first_day, time()))
        end = timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time()))
        return Window(start, end)

    @property
    def before(self):
        """The period of the same length just before, to compare with."""
        period = self.period
        return Window(period.start - (period.end - period.start), period.start)

    @property
    def area_name(self):
        names = [t.name for t in self.towns]
        if not names:
            return "the whole partnership"
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"

    @property
    def theme_name(self):
        return self.harm.name if self.harm else "All kinds of harm"

    @property
    def title(self):
        theme = self.harm.name if self.harm else "Harm outside the home"
        return f"{theme}: {self.area_name[:1].upper()}{self.area_name[1:]}"

    @property
    def period_name(self):
        return f"{self.first_day:%-d %B %Y} to {self.last_day:%-d %B %Y}"

    @property
    def before_name(self):
        before = self.before
        return f"{before.start:%-d %B %Y} to {(before.end - timedelta(days=1)):%-d %B %Y}"

    @property
    def query(self):
        """The query string that asks for this profile again, dates included,
        so the PDF shows the period the preview showed even after midnight."""
        pairs = [("towns", t.pk) for t in self.towns]
        if self.harm:
            pairs.append(("harm", self.harm.code))
        for name, day in (("start", self.first_day), ("end", self.last_day)):
            pairs += [(f"{name}_0", day.day), (f"{name}_1", day.month), (f"{name}_2", day.year)]
        return urlencode(pairs)

    def as_audit(self):
        return {
            "towns": [t.name for t in self.towns],
            "harm": self.harm.code if self.harm else None,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
        }


def default_first_day(last_day):
    """Twelve months ending on `last_day`."""
    try:
        year_before = last_day.replace(year=last_day.year - 1)
    except ValueError:  # 29 February
        year_before = last_day.replace(year=last_day.year - 1, day=28)
    return year_before + timedelta(days=1)


class Area:
    """The area rule of the module docstring, over the map's towns."""

    def __init__(self, chosen, towns):
        self.towns = list(towns)
        self.whole = not chosen
        ids = {t.pk for t in chosen}
        self.chosen = {i for i, t in enumerate(self.towns) if t.pk in ids}
        self.partnership = {i for i, t in enumerate(self.towns) if t.in_partnership}
        self.lat = np.array([t.latitude for t in self.towns], dtype=np.float64)
        self.lng = np.array([t.longitude for t in self.towns], dtype=np.float64)
        self.by_name = {t.name.casefold(): i for i, t in enumerate(self.towns)}

    def nearest(self, lats, lngs, reach=TOWN_REACH_M):
        """The index of the town nearest each point (within `reach` metres, unless None), or UNKNOWN."""
        lats = np.asarray(lats, dtype=np.float64)
        lngs = np.asarray(lngs, dtype=np.float64)
        found = np.full(len(lats), UNKNOWN, dtype=np.int64)
        located = np.isfinite(lats) & np.isfinite(lngs)
        if not self.towns or not located.any():
            return found
        metres = np.vstack(
            [distances_m(lat, lng, lats[located], lngs[located]) for lat, lng in zip(self.lat, self.lng)]
        )
        best = metres.argmin(axis=0)
        near = metres[best, np.arange(len(best))] <= (np.inf if reach is None else reach)
        found[np.flatnonzero(located)[near]] = best[near]
        return found

    def towns_of(self, rows):
        """Town indexes of (town name, lat, lng) rows: the name when it is one of the map's towns, else the location."""
        rows = list(rows)
        named = np.array(
            [self.by_name.get((name or "").strip().casefold(), UNKNOWN) for name, _, _ in rows], dtype=np.int64
        )
        lats = [np.nan if name_found != UNKNOWN or lat is None else lat for (_, lat, _), name_found in zip(rows, named)]
        lngs = [np.nan if lng is None else lng for _, _, lng in rows]
        located = self.nearest(lats, lngs)
        return np.where(named != UNKNOWN, named, located)

    def holds(self, town):
        return self.whole or town in self.chosen

    def holds_all(self, towns):
        towns = np.asarray(towns, dtype=np.int64)
        return np.ones(len(towns), bool) if self.whole else np.isin(towns, list(self.chosen))

    def where_found(self, town, nearest, located, out_of_area):
        """Where a missing child was found, as WHERE_FOUND names it: `town` is
        the town within reach of where they were found, `nearest` the nearest
        town however far, which says whether it was in the partnership."""
        if out_of_area:
            return "outside"
        if not located:
            return "unknown"
        if nearest != UNKNOWN and nearest not in self.partnership:
            return "outside"
        if self.whole or town in self.chosen:
            return "area"
        return "partnership"


class Pseudonyms:
    """Child A, Child B..., Adult 1, Adult 2... and (for someone whose age is
    not recorded) Person 1, given in the order asked, the same person always
    the same name within one profile."""

    def __init__(self):
        self.children = {}
        self.adults = {}
        self.people = {}

    @staticmethod
    def letters(number):
        """0 -> A, 25 -> Z, 26 -> AA: as spreadsheet columns."""
        name = ""
        number += 1
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(ord("A") + remainder) + name
        return name

    def child(self, person_id):
        if person_id not in self.children:
            self.children[person_id] = f"Child {self.letters(len(self.children))}"
        return self.children[person_id]

    def adult(self, person_id):
        if person_id not in self.adults:
            self.adults[person_id] = f"Adult {len(self.adults) + 1}"
        return self.adults[person_id]

    def person(self, person_id):
        """Someone whose age is not recorded, who may be a child."""
        if person_id not in self.people:
            self.people[person_id] = f"Person {len(self.people) + 1}, age not recorded"
        return self.people[person_id]

    def as_audit(self):
        """[label, person id] pairs: kept in the audit log, never in the profile."""
        return [[label, pk] for pk, label in (*self.children.items(), *self.adults.items(), *self.people.items())]


# --- the records, read once -----------------------------------------------------------------------


class Sources:
    """What the sections read, each kind of record loaded once with one query
    over both periods (the profile's and the one before it)."""

    def __init__(self, parameters, user, now=None):
        from hoth.contexts.models import Town

        self.parameters = parameters
        self.user = user
        self.now = now or timezone.now()
        self.period = parameters.period
        self.before = parameters.before
        self.windows = (self.period, self.before)
        self.theme = parameters.harm.code if parameters.harm else None
        self.area = Area(parameters.towns, Town.objects.all())
        self.pseudonyms = Pseudonyms()
        self.people_shown = set()
        # What the network showed, by subject id, with the name the profile gives each: the disruption section
        # lists activity against these, named the same way.
        self.network_names = {}

    def every(self, records):
        """All of `records`, for counting: the profile's figures are
        aggregates over the partnership (see Scope above), a read the gate
        allows by the problem_profile.export rule."""
        return policy.for_purpose(self.user, "problem_profile.export", records)

    def _span(self, field):
        return {f"{field}__gte": self.before.start, f"{field}__lt": self.period.end}

    @cached_property
    def homes(self):
        """{person id: town index} from the address lived at on the last day of the period, or the latest."""
        from hoth.people.models import Address

        last = self.parameters.last_day
        best = {}
        for person_id, town, lat, lng, valid_from, valid_to, pk in self.every(Address.objects).values_list(
            "person_id", "town", "latitude", "longitude", "valid_from", "valid_to", "pk"
        ):
            covers = (valid_from is None or valid_from <= last) and (valid_to is None or valid_to >= last)
            rank = (covers, valid_from or date.min, pk)
            if person_id not in best or rank > best[person_id][0]:
                best[person_id] = (rank, (town, lat, lng))
        ids = list(best)
        towns = self.area.towns_of(best[pk][1] for pk in ids)
        return dict(zip(ids, towns.tolist()))

    def home_in_area(self, person_id):
        return self.area.whole or self.area.holds(self.homes.get(person_id, UNKNOWN))

    @cached_property
    def contexts(self):
        """{context id: town index} for every place, group, school and online space."""
        from hoth.contexts.models import Context

        rows = list(self.every(Context.objects).values_list("pk", "town", "latitude", "longitude"))
        towns = self.area.towns_of(row[1:] for row in rows)
        return {row[0]: town for row, town in zip(rows, towns.tolist())}

    def context_in_area(self, context_id):
        return self.area.whole or self.area.holds(self.contexts.get(context_id, UNKNOWN))

    @cached_property
    def children_with_theme(self):
        """People with a case or a referral carrying the theme (None without a theme)."""
        from hoth.cases.models import Case
        from hoth.referrals.models import Referral

        if self.theme is None:
            return None
        cases = (
            self.every(Case.harm_types.through.objects)
            .filter(harmtype__code=self.theme)
            .values_list("case__person_id", flat=True)
        )
        referrals = (
            self.every(Referral.harm_types.through.objects)
            .filter(harmtype__code=self.theme, referral__person__isnull=False)
            .values_list("referral__person_id", flat=True)
        )
        return set(cases) | set(referrals)

    def child_has_theme(self, person_id):
        return self.theme is None or person_id in self.children_with_theme

    def _themed(self, queryset, field="harm_types__code"):
        return queryset.filter(**{field: self.theme}) if self.theme else queryset

    @cached_property
    def referrals(self):
        """(submitted at, about a child?) of referrals in the area and theme."""
        from hoth.referrals.models import Referral

        rows = self._themed(self.every(Referral.objects).submitted().filter(**self._span("submitted_at"))).values_list(
            "pk", "submitted_at", "subject", "person_id", "context_id"
        )
        found = []
        for _, submitted_at, subject, person_id, context_id in rows.distinct():
            if subject == Referral.Subject.CHILD:
                if self.home_in_area(person_id):
                    found.append((submitted_at, True))
            elif self.context_in_area(context_id):
                found.append((submitted_at, False))
        return found

    @cached_property
    def screenings(self):
        """(completed at, person id, level) of completed screenings of children in the area and theme."""
        from hoth.screening.models import Screening

        rows = (
            self.every(Screening.objects)
            .completed()
            .filter(**self._span("completed_at"))
            .values_list("completed_at", "person_id", "level")
        )
        return [row for row in rows if self.home_in_area(row[1]) and self.child_has_theme(row[1])]

    @cached_property
    def cases(self):
        """(opened at, closed at) of cases open at some time in either period, in the area and theme."""
        from hoth.cases.models import Case

        rows = self._themed(
            self.every(Case.objects)
            .filter(opened_at__lt=self.period.end)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=self.before.end))
        ).values_list("pk", "opened_at", "closed_at", "person_id")
        return [(opened, closed) for _, opened, closed, person_id in rows.distinct() if self.home_in_area(person_id)]

    @cached_property
    def missing(self):
        """(started at, person id, where found) of missing episodes counted for the area and theme."""
        from hoth.cases.models import MissingEpisode

        rows = list(
            self.every(MissingEpisode.objects)
            .filter(**self._span("started_at"))
            .values_list("started_at", "person_id", "found_latitude", "found_longitude", "found_out_of_area")
        )
        lats = [np.nan if r[2] is None else r[2] for r in rows]
        lngs = [np.nan if r[3] is None else r[3] for r in rows]
        towns = self.area.nearest(lats, lngs).tolist()
        nearest = self.area.nearest(lats, lngs, reach=None).tolist()
        found = []
        for (started, person_id, lat, lng, out_of_area), town, closest in zip(rows, towns, nearest):
            where = self.area.where_found(town, closest, lat is not None and lng is not None, out_of_area)
            if not self.child_has_theme(person_id):
                continue
            if self.home_in_area(person_id) or where == "area":
                found.append((started, person_id, where))
        return found

    @cached_property
    def intelligence(self):
        """(submitted at, graded?) of partner intelligence in the area and theme."""
        from hoth.intelligence.models import IntelligenceReport

        rows = list(
            self._themed(self.every(IntelligenceReport.objects).filter(**self._span("submitted_at")))
            .values_list("pk", "submitted_at", "status", "latitude", "longitude", "place_id", "about_person_id")
            .distinct()
        )
        towns = self.area.nearest(
            [np.nan if r[3] is None else r[3] for r in rows], [np.nan if r[4] is None else r[4] for r in rows]
        ).tolist()
        found = []
        for (_, submitted, status, lat, lng, place_id, person_id), town in zip(rows, towns):
            if lat is not None and lng is not None:
                inside = self.area.holds(town)
            elif place_id:
                inside = self.context_in_area(place_id)
            elif person_id:
                inside = self.home_in_area(person_id)
            else:
                inside = self.area.whole
            if inside:
                found.append((submitted, status == IntelligenceReport.Status.GRADED))
        return found

    @cached_property
    def incidents(self):
        """(occurred at, place id) of incidents at places in the area and theme."""
        from hoth.contexts.models import Incident

        rows = list(
            self._themed(
                self.every(Incident.objects).filter(**self._span("occurred_at")), "harm_type__code"
            ).values_list("occurred_at", "place_id", "latitude", "longitude")
        )
        towns = self.area.nearest(
            [np.nan if r[2] is None else r[2] for r in rows], [np.nan if r[3] is None else r[3] for r in rows]
        ).tolist()
        return [
            (occurred, place_id)
            for (occurred, place_id, lat, lng), town in zip(rows, towns)
            if (self.area.holds(town) if lat is not None and lng is not None else self.context_in_area(place_id))
        ]

    @cached_property
    def of_concern(self):
        """Adults of concern linked to the area, and places of concern in it, for each window: ({window: set}, ...)."""
        from hoth.intelligence.models import Link, Subject
        from hoth.intelligence.network.data import is_child

        subjects = {
            pk: (kind, person_id, dob, context_id)
            for pk, kind, person_id, dob, context_id in self.every(Subject.objects)
            .filter(of_concern=True)
            .values_list("pk", "kind", "person_id", "person__date_of_birth", "context_id")
        }
        links = (
            self.every(Link.objects)
            .accepted()
            .filter(Q(source__of_concern=True) | Q(target__of_concern=True))
            .values_list(
                "source_id",
                "target_id",
                "valid_from",
                "valid_to",
                "source__person_id",
                "source__context_id",
                "target__person_id",
                "target__context_id",
            )
        )
        last = self.parameters.last_day
        adults = {w: set() for w in self.windows}
        places = {w: set() for w in self.windows}

        def end_in_area(person_id, context_id):
            return self.home_in_area(person_id) if person_id else self.context_in_area(context_id)

        for source, target, valid_from, valid_to, s_person, s_context, t_person, t_context in links:
            for window in self.windows:
                first, last_day = window.start.date(), (window.end - timedelta(days=1)).date()
                if (valid_from and valid_from > last_day) or (valid_to and valid_to < first):
                    continue
                for me, other in ((source, (t_person, t_context)), (target, (s_person, s_context))):
                    if me not in subjects:
                        continue
                    kind, person_id, dob, context_id = subjects[me]
                    if kind == Subject.Kind.PERSON and not is_child(dob, last) and end_in_area(*other):
                        adults[window].add(me)
                    elif context_id and self.context_in_area(context_id):
                        places[window].add(me)
        incident_places = defaultdict(set)
        for occurred, place_id in self.incidents_any_theme:
            for window in self.windows:
                if window.holds(occurred):
                    incident_places[window].add(place_id)
        for pk, (_kind, _person_id, _dob, context_id) in subjects.items():
            if context_id and self.context_in_area(context_id):
                for window in self.windows:
                    if context_id in incident_places[window]:
                        places[window].add(pk)
        return adults, places

    @cached_property
    def incidents_any_theme(self):
        """Incidents at places, whatever the kind of harm: a place of concern is active when anything happens there."""
        from hoth.contexts.models import Incident

        return list(
            self.every(Incident.objects).filter(**self._span("occurred_at")).values_list("occurred_at", "place_id")
        )


# --- sections ------------------------------------------------------------------------------------


@dataclass
class Section:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    label: str
    now: int
    before: int
    sub: bool = False

    @property
    def change(self):
        return self.now - self.before

    @property
    def change_words(self):
        if self.change == 0:
            return "No change"
        sign = "+" if self.change > 0 else "\u2212"
        if self.before == 0:
            return f"{sign}{abs(self.change)}"
        return f"{sign}{abs(self.change)} ({sign}{abs(round(100 * self.change / self.before))}%)"


def _count(rows, window, at=0):
    return sum(1 for row in rows if window.holds(row[at]))


def summary_section(sources):
    """Counts for the area, theme and period, beside the period before."""
    p, b = sources.period, sources.before
    measures = []

    def add(label, now, before, sub=False):
        measures.append(Measure(label, now, before, sub))

    referrals = sources.referrals
    add("Referrals", _count(referrals, p), _count(referrals, b))
    add(
        "about children",
        sum(1 for r in referrals if p.holds(r[0]) and r[1]),
        sum(1 for r in referrals if b.holds(r[0]) and r[1]),
        sub=True,
    )
    add(
        "about places, groups and online spaces",
        sum(1 for r in referrals if p.holds(r[0]) and not r[1]),
        sum(1 for r in referrals if b.holds(r[0]) and not r[1]),
        sub=True,
    )

    levels = {}
    for window in (p, b):
        latest = {}
        for completed, person_id, level in sorted(sources.screenings, key=lambda r: r[0]):
            if window.holds(completed):
                latest[person_id] = level or ""
        levels[window] = Counter(latest.values())
    add("Children screened", sum(levels[p].values()), sum(levels[b].values()))
    for code, label in LEVELS:
        if code or levels[p][code] or levels[b][code]:
            add(label, levels[p][code], levels[b][code], sub=True)

    def open_at(moment):
        return sum(1 for opened, closed in sources.cases if opened < moment and (closed is None or closed >= moment))

    add("Cases open at the end of the period", open_at(p.end), open_at(b.end))

    missing = sources.missing
    add("Missing episodes", _count(missing, p), _count(missing, b))
    add(
        "children who went missing",
        len({m[1] for m in missing if p.holds(m[0])}),
        len({m[1] for m in missing if b.holds(m[0])}),
        sub=True,
    )
    for code, label in WHERE_FOUND:
        if code == "partnership" and sources.area.whole:
            continue
        add(
            label[:1].lower() + label[1:],
            sum(1 for m in missing if p.holds(m[0]) and m[2] == code),
            sum(1 for m in missing if b.holds(m[0]) and m[2] == code),
            sub=True,
        )

    intelligence = sources.intelligence
    add("Partner intelligence received", _count(intelligence, p), _count(intelligence, b))
    add(
        "graded so far",
        sum(1 for i in intelligence if p.holds(i[0]) and i[1]),
        sum(1 for i in intelligence if b.holds(i[0]) and i[1]),
        sub=True,
    )
    add("Incidents at places", _count(sources.incidents, p), _count(sources.incidents, b))
    adults, places = sources.of_concern
    add("Adults of concern linked to the area", len(adults[p]), len(adults[b]))
    add("Places of concern in the area with links or incidents", len(places[p]), len(places[b]))
    return Section(
        "summary",
        "Summary",
        "intelligence/problem_profile/_summary.html",
        {"measures": measures, "headline": {m.label: m.now for m in measures if not m.sub}},
    )


def _months(first_day, last_day):
    months = []
    day = first_day.replace(day=1)
    while day <= last_day:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def trends_section(sources):
    """Monthly counts over the period, drawn and tabled."""
    params = sources.parameters
    months = _months(params.first_day, params.last_day)
    index = {(m.year, m.month): i for i, m in enumerate(months)}

    def monthly(rows):
        counts = [0] * len(months)
        for row in rows:
            if sources.period.holds(row[0]):
                day = timezone.localtime(row[0])
                counts[index[(day.year, day.month)]] += 1
        return counts

    series = [
        ("Referrals", monthly(sources.referrals)),
        ("Missing episodes", monthly(sources.missing)),
        ("Intelligence", monthly(sources.intelligence)),
        ("Incidents", monthly(sources.incidents)),
    ]
    labels = [f"{m:%b %Y}" if len(months) <= 12 or m.month == 1 or i == 0 else f"{m:%b}" for i, m in enumerate(months)]
    chart = drawing.trend_chart(
        labels, series, label="Monthly counts over the period: the table beside it gives the same figures"
    )
    rows = [(f"{m:%b %Y}", [values[i] for _, values in series]) for i, m in enumerate(months)]
    part = params.first_day.day != 1 or (params.last_day + timedelta(days=1)).day != 1
    return Section(
        "trends",
        "Trends",
        "intelligence/problem_profile/_trends.html",
        {
            "chart": mark_safe(chart),
            "names": [name for name, _ in series],
            "rows": rows,
            "totals": [sum(values) for _, values in series],
            "part_months": part,
        },
    )


def _events_in_area(events, area):
    if area.whole or not len(events):
        return events
    keep = area.holds_all(area.nearest(events.lat, events.lng))
    return replace(
        events,
        lat=events.lat[keep],
        lng=events.lng[keep],
        time=events.time[keep],
        kind=events.kind[keep],
        harm=events.harm[keep],
        ids=None if events.ids is None else events.ids[keep],
    )


def map_section(sources):
    """The hotspot scan for the area, theme and period, as hot and cold
    cells with the towns, and a table of the hotspots and their places."""
    from hoth.intelligence.hotspots.data import described_method, load_events, places_by_cell

    events = _events_in_area(load_events(sources.user, "problem_profile.export"), sources.area)
    scan_filter = hotspots.Filter(harm_types=frozenset([sources.theme]) if sources.theme else None)
    result = hotspots.emerging(
        events, (sources.before.start, sources.before.end), (sources.period.start, sources.period.end), scan_filter
    )
    later = result.later
    names = later.cells
    trend = {names[i]: str(t) for i, t in enumerate(result.trend) if t}
    regions = later.regions("hot")
    places = places_by_cell(sources.user)
    rows = []
    for number, region in enumerate(regions, start=1):
        rows.append(
            {
                "number": number,
                "region": region,
                "trend": hotspots.TREND_LABELS.get(hotspots.region_trend(region.cells, trend), ""),
                "places": sorted({p.name for c in region.cells for p in places.get(c, [])}),
                "town": _nearest_town_name(sources.area, *region.centre),
            }
        )
    cells = [
        drawing.MapCell(row.boundary, row.level, trend.get(row.cell) in ("new", "intensifying"))
        for row in later.rows(significant_only=True)
    ]
    quiet = np.flatnonzero((later.counts > 0) & ~later.hot & ~later.cold)
    if len(quiet) <= MOST_MAPPED_CELLS:
        cells += [drawing.MapCell(tuple(h3.cell_to_boundary(names[i])), 0) for i in quiet.tolist()]
    chosen = [t for i, t in enumerate(sources.area.towns) if i in sources.area.chosen]
    frame = chosen or [t for t in sources.area.towns if t.in_partnership]
    picture = _map_picture(cells, rows, frame, sources.area.towns, chosen)
    return Section(
        "map",
        "Hotspots",
        "intelligence/problem_profile/_map.html",
        {
            "picture": mark_safe(picture),
            "rows": rows,
            "cold": len(later.regions("cold")),
            "counted": later.events_counted,
            "cells": len(later.cell_ids),
            "method": f"{described_method(later)} Emerging hotspots compare the period with the one before it.",
        },
    )


def _nearest_town_name(area, lat, lng):
    town = area.nearest([lat], [lng])[0]
    return area.towns[town].name if town != UNKNOWN else ""


def _map_picture(cells, rows, frame, towns, chosen):
    """The map framed on the area's towns and its cells; other towns inside the
    frame are drawn lighter. No map without events: the towns alone say nothing."""
    if not cells:
        return ""
    points = [point for cell in cells for point in cell.boundary] + [(t.latitude, t.longitude) for t in frame]
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)
    margin = 0.02
    shown = [
        t
        for t in towns
        if south - margin <= t.latitude <= north + margin and west - margin * 1.6 <= t.longitude <= east + margin * 1.6
    ]
    # The whole partnership's own towns are drawn as the area's.
    chosen_ids = {t.pk for t in chosen or frame}
    marks = [drawing.MapMark(row["number"], *row["region"].centre) for row in rows]
    map_towns = [drawing.MapTown(t.name, t.latitude, t.longitude, t.pk in chosen_ids) for t in shown]
    frame_points = [(t.latitude, t.longitude) for t in frame]
    return drawing.hotspot_map(
        cells,
        marks,
        map_towns,
        extent=frame_points,
        label="A map of the hot and cold cells, the numbered hotspots and the towns: the "
        "table beside it lists the hotspots",
    )


def _links_about_other_harms(sources, theme):
    """Ids of accepted links resting on intelligence or a referral that names kinds of harm, none of them the theme."""
    from hoth.intelligence.models import Link

    accepted = sources.every(Link.objects).accepted()
    ids = set(
        accepted.filter(intelligence__harm_types__isnull=False)
        .exclude(intelligence__harm_types__code=theme)
        .values_list("pk", flat=True)
    )
    ids |= set(
        accepted.filter(referral__harm_types__isnull=False)
        .exclude(referral__harm_types__code=theme)
        .values_list("pk", flat=True)
    )
    return ids


def _area_network(sources, net):
    """The network rule (see network_section): the graph of the area and theme."""
    from hoth.intelligence.models import Subject

    graph = net.graph
    keep_nodes = np.ones(graph.node_count, bool)
    keep_links = np.ones(len(graph.links), bool)
    if sources.theme:
        people = np.array([net.node(s).person_id or 0 for s in graph.ids], dtype=np.int64)
        themed = np.isin(people, list(sources.children_with_theme))
        keep_nodes &= ~((graph.kind == network.Kind.CHILD) & ~themed)
        keep_links &= ~np.isin(graph.links.ids, list(_links_about_other_harms(sources, sources.theme)))
        graph = network.subgraph(graph, graph.ids[keep_nodes], keep_links)
    if sources.area.whole:
        members = graph.degree > 0
    else:
        places = dict(sources.every(Subject.objects).filter(context__isnull=False).values_list("pk", "context_id"))
        anchors = np.zeros(graph.node_count, bool)
        for i, subject_id in enumerate(graph.ids.tolist()):
            node = net.node(subject_id)
            if node.person_id:
                anchors[i] = sources.home_in_area(node.person_id)
            elif subject_id in places:
                anchors[i] = sources.context_in_area(places[subject_id])
        reach = anchors.copy()
        adjacency = graph.adjacency
        for _ in range(NETWORK_HOPS):
            reach |= (adjacency @ reach.astype(np.float64)) > 0
        members = reach & (graph.degree > 0)
    return network.subgraph(graph, graph.ids[members])


def _describe_node(net, sources, subject_id, kind, of_concern):
    node = net.node(subject_id)
    if kind == network.Kind.CHILD:
        return sources.pseudonyms.child(node.person_id)
    if node.age_unknown:
        return sources.pseudonyms.person(node.person_id)
    if kind == network.Kind.ADULT and not of_concern:
        return sources.pseudonyms.adult(node.person_id)
    return node.label


def network_section(sources):
    """The network of the area and theme, as the viewer may see it.

    The rule: accepted links valid at some time in the period, as the viewer
    may see them; with a theme, without the children who have no case or
    referral of that kind and without links resting on intelligence or a
    referral about other kinds only. Then the subjects in the area (places,
    groups and online spaces there, people who live there) and everyone
    within NETWORK_HOPS links of them; the whole partnership: every linked
    subject."""
    from hoth.intelligence.network.data import load_network

    params = sources.parameters
    selection = network.Selection(start=np.datetime64(params.first_day), end=np.datetime64(params.last_day))
    net = load_network(user=sources.user, selection=selection)
    graph = _area_network(sources, net)
    clusters = network.clusters(graph)
    central = network.hubs(graph)
    order = np.lexsort((graph.ids, -central.degree, -central.betweenness))
    # Pseudonyms in order of centrality, so a letter says nothing about who a child is.
    names = {}
    for i in order.tolist():
        subject_id = int(graph.ids[i])
        names[subject_id] = _describe_node(net, sources, subject_id, int(graph.kind[i]), bool(graph.of_concern[i]))
    persons = {net.node(s).person_id for s in graph.ids.tolist() if net.node(s).person_id}
    sources.people_shown |= persons
    sources.network_names = names

    hubs = [
        {
            "name": names[h.subject],
            "kind": net.node(h.subject).kind_name,
            "degree": h.degree,
            "betweenness": h.betweenness,
            "cluster": clusters.of(graph, h.subject) + 1,
            "of_concern": net.node(h.subject).of_concern,
        }
        for h in central.top(graph, TOP_HUBS)
        if h.degree > 0
    ]
    cluster_rows = []
    for label in range(min(clusters.count, TOP_CLUSTERS)):
        members = np.flatnonzero(clusters.labels == label)
        kinds = graph.kind[members]
        anchor = members[np.lexsort((graph.ids[members], -central.degree[members]))[0]]
        cluster_rows.append(
            {
                "number": label + 1,
                "size": len(members),
                "children": int((kinds == network.Kind.CHILD).sum()),
                "adults_of_concern": int(((kinds == network.Kind.ADULT) & graph.of_concern[members]).sum()),
                "places": int(
                    np.isin(kinds, [network.Kind.PLACE, network.Kind.GROUP, network.Kind.ONLINE_ACCOUNT]).sum()
                ),
                "around": names[int(graph.ids[anchor])],
            }
        )

    drawn = _drawn(graph, clusters, central)
    picture = ""
    if len(drawn):
        labelled = {h.subject for h in central.top(graph, TOP_HUBS) if h.degree > 0}
        picture = _network_picture(graph, drawn, names, labelled)
    return Section(
        "network",
        "The network",
        "intelligence/problem_profile/_network.html",
        {
            "picture": mark_safe(picture),
            "hubs": hubs,
            "clusters": cluster_rows,
            "subjects": graph.node_count,
            "links": graph.edge_count,
            "cluster_count": clusters.count,
            "drawn": len(drawn),
            "children": int((graph.kind == network.Kind.CHILD).sum()),
            "adults_of_concern": int(((graph.kind == network.Kind.ADULT) & graph.of_concern).sum()),
            "hub_method": central.method,
        },
    )


def _drawn(graph, clusters, central):
    """Node numbers to draw: the largest clusters first, their most central
    subjects first, up to MOST_DRAWN."""
    order = np.lexsort((graph.ids, -central.degree, -central.betweenness, clusters.labels))
    return np.sort(order[:MOST_DRAWN])


def _network_picture(graph, drawn, names, labelled):
    position = {int(node): i for i, node in enumerate(drawn)}
    u, v = [], []
    for a, b in zip(graph.edge_u.tolist(), graph.edge_v.tolist()):
        if a in position and b in position:
            u.append(position[a])
            v.append(position[b])
    placed = layout(len(drawn), u, v, seed=LAYOUT_SEED)
    nodes = []
    for i, node in enumerate(drawn.tolist()):
        subject_id = int(graph.ids[node])
        concern = bool(graph.of_concern[node])
        shown = concern or subject_id in labelled
        nodes.append(
            drawing.NetworkNode(
                float(placed.positions[i, 0]),
                float(placed.positions[i, 1]),
                int(graph.kind[node]),
                names[subject_id] if shown else "",
                concern,
            )
        )
    return drawing.network_picture(
        nodes,
        list(zip(u, v)),
        label=(
            "A picture of the network: subjects coloured and shaped by kind, those of concern outlined, the most "
            "central and those of concern named; the tables beside it list the hubs and clusters"
        ),
    )


def _in_force_on(activity, day):
    """Whether the activity was in force on `day`, from its dates (its status is
    only today's). An order is in force on its expiry day, which is also the day
    an expired one is recorded as ended."""
    started, expires = activity.granted_on, activity.expires_on
    ended = None if activity.status == activity.Status.EXPIRED else activity.ended_on
    return (
        started is not None
        and started <= day
        and (ended is None or ended > day)
        and (expires is None or expires >= day)
    )


def disruption_section(sources):
    """Disruption against the subjects the network shows (after network_section):
    what took effect and was breached in the period, what was in force at its
    end, beside the period before; and each activity, the subject named as the
    network names it. Children it protects are counted, never named."""
    from hoth.disruption.models import DisruptionActivity

    activities = list(
        DisruptionActivity.objects.visible_to(sources.user)
        .filter(subject_id__in=list(sources.network_names))
        .select_related("tactic")
        .prefetch_related("breaches", "children")
        .order_by("subject_id", "granted_on", "pk")
    )
    # The two periods as (first day, last day).
    periods = [(w.start.date(), w.end.date() - timedelta(days=1)) for w in (sources.period, sources.before)]

    def during(day, period):
        return day is not None and period[0] <= day <= period[1]

    def measure(label, count, sub=False):
        return Measure(label, *(count(period) for period in periods), sub=sub)

    measures = [
        measure(
            "Disruption activities that took effect",
            lambda period: sum(during(a.granted_on, period) for a in activities),
        ),
        measure(
            "of which orders and notices",
            lambda period: sum(during(a.granted_on, period) and a.tactic.is_legal for a in activities),
            sub=True,
        ),
        measure(
            "In force at the end of the period", lambda period: sum(_in_force_on(a, period[1]) for a in activities)
        ),
        measure(
            "Breaches", lambda period: sum(during(x.occurred_on, period) for a in activities for x in a.breaches.all())
        ),
    ]
    period = periods[0]
    rows = [
        {
            "subject": sources.network_names[a.subject_id],
            "tactic": a.tactic.name,
            "status": a.status_label,
            "applied_on": a.applied_on,
            "granted_on": a.granted_on,
            "expires_on": a.expires_on,
            "started_label": a.started_label,
            "breaches": sum(during(x.occurred_on, period) for x in a.breaches.all()),
            "children": len(a.children.all()),
        }
        for a in activities
        if _in_force_on(a, period[1]) or during(a.granted_on, period) or during(a.applied_on, period)
    ]
    return Section(
        "disruption",
        "Disruption",
        "intelligence/problem_profile/_disruption.html",
        {"measures": measures, "rows": rows},
    )


# The sections in the order the profile gives them; disruption reads what the network section showed.
SECTIONS = (summary_section, trends_section, map_section, network_section, disruption_section)


# --- the profile ---------------------------------------------------------------------------------


@dataclass
class Profile:
    parameters: Parameters
    made_by: object
    made_at: datetime
    sections: list
    people: list
    pseudonyms: Pseudonyms

    @property
    def title(self):
        return self.parameters.title

    # For "About the figures", which states the rules these constants set.
    town_reach_km = TOWN_REACH_M // 1000
    network_hops = NETWORK_HOPS

    def audit_detail(self, output):
        headline = next((s.context["headline"] for s in self.sections if s.key == "summary"), {})
        return {
            "problem_profile": self.parameters.as_audit(),
            "output": output,
            "counts": headline,
            "pseudonyms": self.pseudonyms.as_audit(),
        }


def build(parameters, user, *, now=None, sections=SECTIONS):
    """The profile for `user`: every section in order, and the people it shows."""
    sources = Sources(parameters, user, now=now)
    built = [make(sources) for make in sections]
    return Profile(parameters, user, sources.now, built, sorted(sources.people_shown), sources.pseudonyms)
