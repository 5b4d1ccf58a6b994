"""Seeded synthetic located events around the towns of Cheshire East, with the
truth kept: background events spread evenly over the towns (so no town is hot
just for being big), plus hotspots planted at known places with their own harm
type, kind of event and time pattern, one of them appearing only in the later
of two years. The hotspot tests and benchmarks/hotspots.py check that the
analytics find what was planted here.

Plain numpy; no Django. Coordinates of the planted places are real places
(a station, a park, a common), the events are invented.
"""

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from hoth.analytics.hotspots import KINDS, Events
from hoth.synthetic.data import TOWNS

EARLIER = (datetime(2024, 1, 1), datetime(2025, 1, 1))
LATER = (datetime(2025, 1, 1), datetime(2026, 1, 1))

# Background harm types, "" for an event recorded without one.
HARMS = (("cce", 30), ("cse", 20), ("serious-youth-violence", 15), ("online-harm", 5), ("", 30))
# Events of concern happen more after school and in the evening than at night.
HOUR_WEIGHTS = np.array([0.4] * 7 + [0.6, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 2], dtype=float)
EVENING = range(18, 24)
SUMMER_HOLIDAY = ((7, 22), (8, 31))  # 22 July to 31 August
SUMMER_MONTHS = (7, 8)
SUMMER_FACTOR = 2.0  # background events per day in the summer holiday against the rest of the year


@dataclass(frozen=True)
class PlantedHotspot:
    name: str
    lat: float
    lng: float
    harm: str
    kind: str
    # Planted events as a share of each window's background events.
    earlier_share: float
    later_share: float
    evening: bool = False  # most of its events between 18:00 and midnight
    summer: bool = False  # most of its events in the summer holiday
    spread_m: float = 70.0  # standard deviation of the events around the place, metres


PLANTED = (
    PlantedHotspot("Crewe station", 53.0894, -2.4334, "cce", "missing_found", 0.012, 0.012, evening=True),
    PlantedHotspot("Macclesfield West Park", 53.2612, -2.1335, "cse", "intelligence", 0.006, 0.018, summer=True),
    PlantedHotspot(
        "Sandbach Scotch Common", 53.1448, -2.3624, "serious-youth-violence", "incident", 0.0, 0.012, evening=True
    ),
)


@dataclass(frozen=True)
class SyntheticEvents:
    events: Events
    planted: tuple[PlantedHotspot, ...]
    planted_of: np.ndarray  # per event: index into planted, -1 for background
    earlier: tuple[datetime, datetime]
    later: tuple[datetime, datetime]


def generate(background: int = 20_000, seed: int = 1, planted=PLANTED) -> SyntheticEvents:
    """`background` events spread over both windows, plus the planted ones."""
    rng = np.random.default_rng(seed)
    per_window = background // 2
    parts = []
    for window, share_name in ((EARLIER, "earlier_share"), (LATER, "later_share")):
        parts.append(_background(rng, per_window, window))
        for number, spot in enumerate(planted):
            count = int(round(getattr(spot, share_name) * per_window))
            if count:
                parts.append(_planted(rng, spot, number, count, window))
    lat, lng, times, kinds, harms, origin = (np.concatenate(column) for column in zip(*parts))
    events = Events.from_arrays(lat, lng, times, kinds, harms, ids=np.arange(len(lat)))
    return SyntheticEvents(events, tuple(planted), origin, EARLIER, LATER)


def _background(rng, count, window):
    areas = np.array([(t.north - t.south) * (t.east - t.west) for t in TOWNS])
    town = rng.choice(len(TOWNS), size=count, p=areas / areas.sum())
    south, north = np.array([t.south for t in TOWNS])[town], np.array([t.north for t in TOWNS])[town]
    west, east = np.array([t.west for t in TOWNS])[town], np.array([t.east for t in TOWNS])[town]
    lat = south + rng.random(count) * (north - south)
    lng = west + rng.random(count) * (east - west)
    times = _times(rng, count, window, HOUR_WEIGHTS, SUMMER_FACTOR)
    kinds = np.asarray(KINDS)[rng.integers(0, len(KINDS), count)]
    codes, weights = zip(*HARMS)
    weights = np.array(weights, dtype=float)
    harms = np.asarray(codes)[rng.choice(len(codes), size=count, p=weights / weights.sum())]
    return lat, lng, times, kinds, harms, np.full(count, -1)


def _planted(rng, spot, number, count, window):
    metres_per_degree_lat = 111_320.0
    metres_per_degree_lng = metres_per_degree_lat * np.cos(np.radians(spot.lat))
    lat = spot.lat + rng.normal(0, spot.spread_m, count) / metres_per_degree_lat
    lng = spot.lng + rng.normal(0, spot.spread_m, count) / metres_per_degree_lng
    hours = HOUR_WEIGHTS.copy()
    if spot.evening:
        hours[:] = 0.15 / 18
        hours[list(EVENING)] = 0.85 / 6
    times = _times(rng, count, window, hours, 12.0 if spot.summer else SUMMER_FACTOR)
    return (lat, lng, times, np.full(count, spot.kind), np.full(count, spot.harm), np.full(count, number))


def _times(rng, count, window, hour_weights, summer_factor):
    start, end = (np.datetime64(w, "D") for w in window)
    days = np.arange(start, end, dtype="datetime64[D]")
    day_weights = np.where([_in_summer_holiday(d) for d in days.tolist()], summer_factor, 1.0)
    day = rng.choice(days, size=count, p=day_weights / day_weights.sum())
    hour = rng.choice(24, size=count, p=hour_weights / hour_weights.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, count)
    return day.astype("datetime64[s]") + seconds.astype("timedelta64[s]")


def _in_summer_holiday(day: date):
    (first_month, first_day), (last_month, last_day) = SUMMER_HOLIDAY
    return (first_month, first_day) <= (day.month, day.day) <= (last_month, last_day)
