"""Loading located events from the database into the pure hotspot analysis
(hoth.analytics.hotspots), and finding again the records behind a hotspot.

Four kinds of event have a place and a time:

- where a missing child was found (MissingEpisode.found_latitude/longitude,
  at the time they came back), with the harm types of the child's cases;
- partner intelligence placed on the map (from its postcode), at the time it
  happened or was submitted;
- a place named in a referral: a referral about a context that has a location,
  at the time it was submitted;
- an incident at a place.

The map counts every event of the partnership: a count in a 200-metre cell is
an aggregate, and hotspots must not vanish because one analyst cannot read
the casework behind them. The records behind a hotspot are listed only as far
as the viewer may see each (`records_in`).
"""

from dataclasses import dataclass, field
from datetime import datetime, time

import h3
import numpy as np
from django.db.models import F
from django.db.models.functions import Coalesce

from hoth.access import policy
from hoth.analytics import hotspots
from hoth.cases.models import Case, MissingEpisode
from hoth.contexts.models import Context, Incident
from hoth.intelligence.models import IntelligenceReport
from hoth.referrals.models import Referral

KEY_SEPARATOR = ":"
NOON = time(12)


def _key(kind, pk):
    return f"{kind}{KEY_SEPARATOR}{pk}"


@dataclass
class _Columns:
    """The events of one source as columns, times as UK wall-clock datetime64."""

    kind: str
    key: str
    pks: list = field(default_factory=list)
    lat: list = field(default_factory=list)
    lng: list = field(default_factory=list)
    times: np.ndarray = None
    harms: list = field(default_factory=list)

    def add(self, pk, lat, lng, harms):
        self.pks.append(pk)
        self.lat.append(lat)
        self.lng.append(lng)
        self.harms.append(harms)


def _utc(moments):
    """Aware datetimes as UK wall-clock datetime64 (hotspots.uk_wall_clock), without a time zone call each."""
    utc = np.fromiter((m.timestamp() for m in moments), np.float64, len(moments)).astype("datetime64[s]")
    return hotspots.uk_wall_clock(utc)


def _harms_by(rows):
    found = {}
    for pk, code in rows:
        found.setdefault(pk, []).append(code)
    return found


def _sources(user, purpose):
    """Each kind of located event as _Columns, read with one query (and one
    for harm types) per kind."""

    def every(records):
        return policy.for_purpose(user, purpose, records)

    case_harms = {}
    for person_id, code in every(Case.harm_types.through.objects).values_list("case__person_id", "harmtype__code"):
        case_harms.setdefault(person_id, set()).add(code)
    found = _Columns("missing_found", "missing")
    moments = []
    for pk, lat, lng, when, person_id in (
        every(MissingEpisode.objects)
        .filter(found_latitude__isnull=False)
        .annotate(when=Coalesce("ended_at", "started_at"))
        .values_list("pk", "found_latitude", "found_longitude", "when", "person_id")
    ):
        found.add(pk, lat, lng, tuple(sorted(case_harms.get(person_id, ()))))
        moments.append(when)
    found.times = _utc(moments)
    yield found

    # Intelligence happened on a day (at a time, or midday when the time is not known), which is
    # already wall-clock time; failing a day, when it was submitted.
    harms = _harms_by(
        every(IntelligenceReport.harm_types.through.objects).values_list("intelligencereport_id", "harmtype__code")
    )
    reports = _Columns("intelligence", "intelligence")
    days, submitted = [], []
    for pk, lat, lng, day, moment, sent in (
        every(IntelligenceReport.objects)
        .filter(latitude__isnull=False)
        .values_list("pk", "latitude", "longitude", "happened_on", "happened_at_time", "submitted_at")
    ):
        reports.add(pk, lat, lng, tuple(sorted(harms.get(pk, ()))))
        days.append(datetime.combine(day, moment or NOON) if day else None)
        submitted.append(sent)
    local = np.array(days, "datetime64[s]")
    unknown = np.isnat(local)
    local[unknown] = _utc([s for s, d in zip(submitted, days) if d is None])
    reports.times = local
    yield reports

    harms = _harms_by(
        every(Referral.harm_types.through.objects)
        .filter(referral__subject=Referral.Subject.CONTEXT)
        .values_list("referral_id", "harmtype__code")
    )
    referrals = _Columns("referral_place", "referral")
    moments = []
    for pk, lat, lng, when in (
        every(Referral.objects)
        .submitted()
        .filter(subject=Referral.Subject.CONTEXT, context__latitude__isnull=False)
        .values_list("pk", "context__latitude", "context__longitude", "submitted_at")
    ):
        referrals.add(pk, lat, lng, tuple(sorted(harms.get(pk, ()))))
        moments.append(when)
    referrals.times = _utc(moments)
    yield referrals

    incidents = _Columns("incident", "incident")
    moments = []
    for pk, lat, lng, when, code in (
        every(Incident.objects)
        .filter(latitude__isnull=False)
        .annotate(code=F("harm_type__code"))
        .values_list("pk", "latitude", "longitude", "occurred_at", "code")
    ):
        incidents.add(pk, lat, lng, (code,) if code else ())
        moments.append(when)
    incidents.times = _utc(moments)
    yield incidents


def load_events(user, purpose="hotspot.view"):
    """Every located event of the partnership as an `Events`; ids are keys
    like "missing:12". Unscoped by design (see above), so read for a purpose
    the gate must allow: the map, or a problem profile's map."""
    sources = list(_sources(user, purpose))
    return hotspots.Events.from_arrays(
        lat=[v for c in sources for v in c.lat],
        lng=[v for c in sources for v in c.lng],
        time=np.concatenate([c.times for c in sources]) if sources else np.zeros(0, "datetime64[s]"),
        kind=[c.kind for c in sources for _ in c.pks],
        harm=[h for c in sources for h in c.harms],
        ids=np.array([_key(c.key, pk) for c in sources for pk in c.pks]),
    )


def places_by_cell(user, resolution=hotspots.DEFAULT_RESOLUTION):
    """{cell: [Context]} for every located place the user may see."""
    places = {}
    for place in (
        Context.objects.visible_to(user)
        .filter(kind__in=["place", "school"], latitude__isnull=False)
        .only("reference", "name", "kind", "place_type", "town", "latitude", "longitude")
    ):
        places.setdefault(h3.latlng_to_cell(place.latitude, place.longitude, resolution), []).append(place)
    return places


def described_method(scan):
    """How a scan decided, in words a panel can check."""
    return (
        f"Getis-Ord Gi* over {len(scan.cell_ids):,} H3 cells at resolution {scan.resolution} (about 200 metres "
        f"across), each compared with its {6 * scan.ring} neighbours; a cell is hot or cold when its p-value, "
        f"corrected for testing every cell (Benjamini-Hochberg), is below {scan.alpha:g}."
    )


@dataclass
class Records:
    """The records behind some events that the viewer may see, and how many they may not."""

    missing: list = field(default_factory=list)
    intelligence: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    hidden: int = 0

    @property
    def people(self):
        return sorted({e.person_id for e in self.missing})


def records_in(user, keys):
    """The records behind event keys, each through its own access gate."""
    wanted = {}
    for key in keys:
        kind, pk = str(key).split(KEY_SEPARATOR)
        wanted.setdefault(kind, set()).add(int(pk))
    found = Records()
    found.missing = list(
        MissingEpisode.objects.visible_to(user)
        .filter(pk__in=wanted.get("missing", ()))
        .select_related("person")
        .order_by("-started_at")
    )
    found.intelligence = list(
        IntelligenceReport.objects.visible_to(user)
        .filter(pk__in=wanted.get("intelligence", ()))
        .order_by("-submitted_at")
    )
    found.referrals = list(
        Referral.objects.visible_to(user)
        .filter(pk__in=wanted.get("referral", ()))
        .select_related("context")
        .order_by("-submitted_at")
    )
    found.incidents = list(
        Incident.objects.visible_to(user)
        .filter(pk__in=wanted.get("incident", ()))
        .select_related("place", "harm_type")
        .order_by("-occurred_at")
    )
    shown = len(found.missing) + len(found.intelligence) + len(found.referrals) + len(found.incidents)
    found.hidden = sum(len(v) for v in wanted.values()) - shown
    return found
