"""Hotspot pages: the map of hot and cold cells (Getis-Ord Gi* on H3 cells,
drawn with Leaflet and no tile server beside a table that is the record),
emerging hotspots against the period before, and a hotspot's own page with
its places, events and children as far as the viewer may see them."""

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import h3
import numpy as np
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.analytics import hotspots, network
from hoth.audit import log
from hoth.contexts.models import Town
from hoth.intelligence.forms import HotspotFilterForm
from hoth.intelligence.hotspots.data import described_method, load_events, places_by_cell, records_in
from hoth.intelligence.network.data import current_selection, load_network

DEFAULT_PERIOD = timedelta(days=365)
# Places among the network's most linked subjects are highlighted on the map.
HUB_PLACES = 20


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def before(self):
        """The period of the same length just before, for emerging hotspots."""
        return Period(self.start - (self.end - self.start), self.start)


def _moment(day, end=False):
    return timezone.make_aware(datetime.combine(day + timedelta(days=1) if end else day, time()))


def chosen(request):
    """The filter form, the scan's Filter, its period and the query string to carry it on."""
    form = HotspotFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate()
    end = _moment(data.get("end") or today, end=True)
    start = _moment(data["start"]) if data.get("start") else end - DEFAULT_PERIOD
    period = Period(start, end)
    harm = data.get("harm")
    scan_filter = hotspots.Filter(
        harm_types=frozenset([harm.code]) if harm else None,
        kinds=frozenset(data["kinds"]) if data.get("kinds") else None,
    )
    query = urlencode([(k, v) for k, values in request.GET.lists() for v in values])
    words = [f"{start:%-d %B %Y} to {(end - timedelta(days=1)):%-d %B %Y}"]
    if harm:
        words.append(harm.name.lower())
    if data.get("kinds"):
        words.append(", ".join(hotspots.KIND_LABELS[k].lower() for k in data["kinds"]))
    return form, scan_filter, period, query, "; ".join(words)


def _scan(user, scan_filter, period):
    events = load_events(user)
    cells = hotspots.bin_events(events)
    now = hotspots.emerging(
        events, (period.before.start, period.before.end), (period.start, period.end), scan_filter, event_cells=cells
    )
    return events, now


def _hub_places(user):
    """Contexts that are among the network's most linked places today."""
    if not policy.can(user, "network.view"):
        return set()
    net = load_network(user=user, selection=current_selection())
    graph = net.graph
    places = np.flatnonzero((graph.kind == network.Kind.PLACE) & (graph.degree > 0))
    top = places[np.argsort(-graph.degree[places], kind="stable")][:HUB_PLACES]
    return {net.node(graph.ids[i]).reference for i in top}


@allowed("hotspot.view")
def hotspot_map(request):
    form, scan_filter, period, query, described = chosen(request)
    events, result = _scan(request.user, scan_filter, period)
    later = result.later
    trend = {result.later.cells[i]: str(result.trend[i]) for i in range(len(result.trend)) if result.trend[i]}
    rows = [
        (row, trend.get(row.cell, ""), json.dumps([list(p) for p in row.boundary]))
        for row in later.rows(significant_only=True)
    ]
    places = places_by_cell(request.user)
    hubs = _hub_places(request.user)
    regions = []
    for region in later.regions("hot"):
        found = [p for cell in region.cells for p in places.get(cell, [])]
        regions.append(
            {
                "region": region,
                "cell": region.cells[0],
                "places": found,
                "hubs": [p for p in found if p.reference in hubs],
                "trend": hotspots.region_trend(region.cells, trend),
            }
        )
    log.record("view", request=request, detail={"hotspots": True, "period": described, "events": later.events_counted})
    return render(
        request,
        "intelligence/hotspots.html",
        {
            "form": form,
            "query": query,
            "described": described,
            "rows": rows,
            "regions": regions,
            "cold": later.regions("cold"),
            "counted": later.events_counted,
            "cells": len(later.cell_ids),
            "method": described_method(later),
            "towns": [
                {"name": t.name, "lat": t.latitude, "lng": t.longitude, "partnership": t.in_partnership}
                for t in Town.objects.all()
            ],
            "trend_labels": hotspots.TREND_LABELS,
        },
    )


@allowed("hotspot.view")
def hotspot(request, cell):
    """The hotspot (touching hot cells) that a cell belongs to."""
    if not h3.is_valid_cell(cell):
        raise Http404("Not a cell of the map")
    form, scan_filter, period, query, described = chosen(request)
    events, result = _scan(request.user, scan_filter, period)
    later = result.later
    region = next((r for r in later.regions("hot") if cell in r.cells), None)
    cells = region.cells if region else (cell,)
    rows = later.events_in(cells)
    by_kind = {}
    for kind in events.kind_codes[rows]:
        by_kind[hotspots.KIND_LABELS[kind]] = by_kind.get(hotspots.KIND_LABELS[kind], 0) + 1
    profile = hotspots.time_profile(events, rows)
    records = records_in(request.user, events.ids[rows].tolist())
    located = places_by_cell(request.user)
    visible_places = [p for c in cells for p in located.get(c, [])]
    children = _children(request.user, records, visible_places)
    log.record(
        "view",
        request=request,
        detail={"hotspot": cell, "cells": list(cells), "period": described},
        people=sorted({c.pk for c in children}),
    )
    index = later.index(cell)
    return render(
        request,
        "intelligence/hotspot.html",
        {
            "cell": cell,
            "region": region,
            "cells": cells,
            "form": form,
            "query": query,
            "described": described,
            "count": len(rows),
            "by_kind": sorted(by_kind.items(), key=lambda kv: -kv[1]),
            "profile": profile,
            "hours": list(enumerate(profile.hours)),
            "weekdays": list(zip(WEEKDAYS, profile.weekdays)),
            "months": list(zip(MONTHS, profile.months)),
            "records": records,
            "places": visible_places,
            "children": children,
            "trend": result.trend_of(cell),
            "trend_label": hotspots.TREND_LABELS.get(result.trend_of(cell), ""),
            "z": float(later.z[index]) if index >= 0 else None,
            "q": float(later.q[index]) if index >= 0 else None,
            "boundaries": [
                {"cell": c, "boundary": json.dumps([list(p) for p in h3.cell_to_boundary(c)])} for c in cells
            ],
        },
    )


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _children(user, records, places):
    """Children found there after going missing, and (for those who work with
    intelligence) children with a current link to its places: only those the
    viewer may see."""
    from hoth.intelligence.models import Link, Subject
    from hoth.people.models import Person

    ids = set(records.people)
    subjects = Subject.objects.visible_to(user).filter(context__in=places)
    for source, target in (
        Link.objects.visible_to(user)
        .current()
        .filter(Q(source__in=subjects) | Q(target__in=subjects))
        .values_list("source__person_id", "target__person_id")
    ):
        ids |= {source, target} - {None}
    return [
        p
        for p in Person.objects.visible_to(user).filter(pk__in=ids).order_by("family_name", "given_names")
        if p.is_child
    ]
