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

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from hoth.analytics import hotspots

KEY_SEPARATOR = ":"


def _key(kind, pk):
    return f"{kind}{KEY_SEPARATOR}{pk}"


def _rows():
    """(lat, lng, when, kind, harm codes, key) for every located event."""
    from hoth.cases.models import Case, MissingEpisode
    from hoth.contexts.models import Incident
    from hoth.referrals.models import Referral

    from .models import IntelligenceReport

    case_harms = {}
    for person_id, code in Case.harm_types.through.objects.values_list("case__person_id", "harmtype__code"):
        case_harms.setdefault(person_id, set()).add(code)
    for pk, lat, lng, when, person_id in (MissingEpisode.objects.filter(found_latitude__isnull=False)
                                          .annotate(when=Coalesce("ended_at", "started_at"))
                                          .values_list("pk", "found_latitude", "found_longitude", "when",
                                                       "person_id")):
        yield lat, lng, when, "missing_found", tuple(sorted(case_harms.get(person_id, ()))), _key("missing", pk)

    harms = {}
    for pk, code in IntelligenceReport.harm_types.through.objects.values_list("intelligencereport_id",
                                                                            "harmtype__code"):
        harms.setdefault(pk, []).append(code)
    for pk, lat, lng, day, moment, submitted in (IntelligenceReport.objects.filter(latitude__isnull=False)
                                                 .values_list("pk", "latitude", "longitude", "happened_on",
                                                              "happened_at_time", "submitted_at")):
        when = timezone.make_aware(datetime.combine(day, moment or time(12))) if day else submitted
        yield lat, lng, when, "intelligence", tuple(sorted(harms.get(pk, ()))), _key("intelligence", pk)

    harms = {}
    for pk, code in Referral.harm_types.through.objects.filter(referral__subject="context").values_list(
            "referral_id", "harmtype__code"):
        harms.setdefault(pk, []).append(code)
    for pk, lat, lng, when in (Referral.objects.submitted().filter(subject="context", context__latitude__isnull=False)
                               .values_list("pk", "context__latitude", "context__longitude", "submitted_at")):
        yield lat, lng, when, "referral_place", tuple(sorted(harms.get(pk, ()))), _key("referral", pk)

    for pk, lat, lng, when, code in (Incident.objects.filter(latitude__isnull=False)
                                     .annotate(code=F("harm_type__code"))
                                     .values_list("pk", "latitude", "longitude", "occurred_at", "code")):
        yield lat, lng, when, "incident", (code,) if code else (), _key("incident", pk)


def load_events():
    """Every located event of the partnership as an `Events`; ids are keys like "missing:12"."""
    return hotspots.Events.from_records(_rows())


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
    from hoth.cases.models import MissingEpisode
    from hoth.contexts.models import Context, Incident
    from hoth.referrals.models import Referral

    from .models import IntelligenceReport

    wanted = {}
    for key in keys:
        kind, pk = str(key).split(KEY_SEPARATOR)
        wanted.setdefault(kind, set()).add(int(pk))
    found = Records()
    found.missing = list(MissingEpisode.objects.visible_to(user).filter(pk__in=wanted.get("missing", ()))
                         .select_related("person").order_by("-started_at"))
    found.intelligence = list(IntelligenceReport.objects.visible_to(user)
                              .filter(pk__in=wanted.get("intelligence", ())).order_by("-submitted_at"))
    found.referrals = list(Referral.objects.visible_to(user).filter(pk__in=wanted.get("referral", ()))
                           .select_related("context").order_by("-submitted_at"))
    found.incidents = list(Incident.objects.filter(pk__in=wanted.get("incident", ()),
                                                   place__in=Context.objects.visible_to(user))
                           .select_related("place", "harm_type").order_by("-occurred_at"))
    shown = len(found.missing) + len(found.intelligence) + len(found.referrals) + len(found.incidents)
    found.hidden = sum(len(v) for v in wanted.values()) - shown
    return found
