"""Hotspots: where events of concern cluster on the map, and where clustering is new.

Plain Python over numpy arrays; no Django, so the map, the hotspot pages, the
problem profile and the tests all find the same hotspots. Django code loads the
located events (missing children found, partner intelligence, referral places,
incidents at places) into an `Events` and shows what comes back.

The pipeline, each step a function that can be tested alone:

1. `bin_events`: each event to the H3 cell it falls in (resolution 9 by
   default: cells of about 0.1 km2, edge about 200 m, so a station forecourt or
   a park is one or two cells and a town such as Crewe a few hundred).
2. `study_area`: the cells compared with each other, by default those with at
   least one event after the filters. Empty cells count only when the caller
   passes them as `area` (for example every cell covering the partnership's
   towns): with the whole county as the area every town is "hot" against the
   empty countryside, which is true and tells an analyst nothing.
3. `neighbour_weights`: binary weights from H3 adjacency (a cell's neighbours
   are the cells within `ring` steps of it, 6 for ring 1), built from the cell
   ids rather than from polygons, which is exact for a hexagon grid and fast.
4. `gi_star`: Getis-Ord Gi* (esda.G_Local with star=True, binary weights, the
   cell itself in its own neighbourhood with weight 1). A positive z-score
   means the cell and its neighbours hold more events than the study area's
   mean would give them.
5. `classify`: a cell is hot (cold) when its z-score is positive (negative)
   and its two-sided p-value, after the Benjamini-Hochberg false discovery
   rate correction over all cells by default, is below `alpha` (0.05). Without
   a correction about one cell in twenty of a map with no hotspots at all
   would be flagged. `level` is the signed confidence bin used on the map
   (+3 hot at 99%, +2 at 95%, +1 at 90%, and negative for cold), as ArcGIS's
   Gi_Bin is, from the same corrected p-values.

Inference: "analytical" (the default) uses the normal approximation of Gi*'s
z-score; "permutation" uses esda's conditional randomisation (999 permutations,
seed fixed by `seed`, so the same input gives the same answer every time) and
doubles its one-tailed pseudo p-value to make it two-sided. The smallest
permutation p-value is 2/(permutations + 1), so with the false discovery rate
correction over thousands of cells a permutation scan needs more permutations
or no correction to flag anything; the analytical test is the one used, like
ArcGIS's Hot Spot Analysis, for counts on a grid. Every scan records which
inference, correction and seed it used.

Emerging hotspots (`emerging`) compare a later window with an earlier one over
the same cells. Each cell's neighbourhood count (the events Gi* sums for it) is
tested for a change in its share of all events: given the cell's events in
both windows together, under no change the later ones follow a binomial with
the later window's share of all events. A rise is significant and at least
`min_ratio` (1.5) times the earlier share; a fall likewise the other way. Then:

- "new": hot in the later window, not in the earlier, and risen;
- "intensifying": hot in both, and risen;
- "persistent": hot in both, neither risen nor fallen;
- "diminishing": hot in the earlier window and fallen (hot later or not);
- "" otherwise (including a cell hot later only whose rise is not significant:
  it is still hot in the later scan, but not shown to be emerging).

Times are local wall-clock times (naive datetimes or datetime64); aware
datetimes are converted to UK time first, so "evening" means the evening.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from typing import Any, Self
from zoneinfo import ZoneInfo

import h3
import numpy as np
import numpy.typing as npt
from h3.api import basic_int as h3i
from numpy.typing import NDArray
from scipy import sparse, stats
from scipy.sparse.csgraph import connected_components

KIND_LABELS = {
    "missing_found": "Where a missing child was found",
    "intelligence": "Partner intelligence",
    "referral_place": "Place named in a referral",
    "incident": "Incident at a place",
}
KINDS = tuple(KIND_LABELS)

DEFAULT_RESOLUTION = 9
DEFAULT_RING = 1
DEFAULT_ALPHA = 0.05
DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 1
DEFAULT_MIN_RATIO = 1.5
BIN_CHUNK = 65_536
INFERENCES = ("analytical", "permutation")
CORRECTIONS = ("fdr", "none")
TREND_LABELS = {
    "new": "New hotspot",
    "intensifying": "Intensifying hotspot",
    "persistent": "Persistent hotspot",
    "diminishing": "Diminishing hotspot",
}
TRENDS = tuple(TREND_LABELS)
# Confidence bins of the map's shading, most confident first: (level, corrected p below).
CONFIDENCE_BINS = ((3, 0.01), (2, 0.05), (1, 0.10))
CONFIDENCE_PERCENT = {3: 99, 2: 95, 1: 90, 0: 0}

UK = ZoneInfo("Europe/London")


def region_trend(cells: Iterable[str], trend_of: Mapping[str, str]) -> str:
    """A hotspot's trend: the most pressing of its cells' trends (new before
    intensifying before persistent before diminishing), or "" when none has one."""
    found = {trend_of.get(cell, "") for cell in cells}
    return next((name for name in TRENDS if name in found), "")


# --- events ----------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Events:
    """Located events as parallel arrays, one row per event.

    `harm` is a boolean matrix (events x `harm_codes`): an event may carry
    several harm types (a referral often does) and is still counted once.
    `ids` are the caller's own keys (for example "intelligence:123") so a
    hotspot's page can list its events; by default the row numbers.
    """

    lat: np.ndarray
    lng: np.ndarray
    time: np.ndarray  # datetime64[s], local wall-clock time
    kind: np.ndarray  # int8 index into KINDS
    harm: np.ndarray  # bool (n, len(harm_codes))
    ids: np.ndarray
    harm_codes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.lat)

    @classmethod
    def from_arrays(
        cls,
        lat: npt.ArrayLike,
        lng: npt.ArrayLike,
        time: NDArray[np.datetime64] | Iterable[datetime | date | np.datetime64 | None],
        kind: npt.ArrayLike,
        harm: Iterable[str | Iterable[str] | None] | None = None,
        ids: npt.ArrayLike | None = None,
    ) -> Self:
        """Build and check the arrays. `kind` holds KINDS codes; `harm` holds,
        per event, None or "", one harm type code, or an iterable of codes (or
        is None for no harm types at all). Raises ValueError naming what is wrong."""
        lat = np.asarray(lat, dtype=np.float64)
        lng = np.asarray(lng, dtype=np.float64)
        if lat.ndim != 1 or lng.shape != lat.shape:
            raise ValueError("lat and lng must be one-dimensional and the same length")
        n = len(lat)
        bad = ~np.isfinite(lat) | ~np.isfinite(lng) | (np.abs(lat) > 90) | (np.abs(lng) > 180)
        if bad.any():
            raise ValueError(f"event {int(np.argmax(bad))} has no valid coordinates")
        times = _as_datetime64(time)
        if times.shape != (n,):
            raise ValueError("there must be one time for each event")
        if np.isnat(times).any():
            raise ValueError(f"event {int(np.argmax(np.isnat(times)))} has no time")
        kinds = _codes_to_index(kind, KINDS, "kind", n)
        codes, matrix = _harm_matrix(harm, n)
        ids = np.arange(n) if ids is None else np.asarray(ids)
        if ids.shape != (n,):
            raise ValueError("there must be one id for each event")
        return cls(lat, lng, times, kinds, matrix, ids, codes)

    @classmethod
    def from_records(cls, records: Iterable[Sequence[Any]]) -> Self:
        """From (lat, lng, time, kind, harm types[, id]) rows, as Django code
        loads them from the database."""
        rows = list(records)
        if not rows:
            return cls.from_arrays([], [], [], [], None, None)
        with_ids = len(rows[0]) > 5
        columns = list(zip(*rows))
        return cls.from_arrays(
            columns[0],
            columns[1],
            list(columns[2]),
            list(columns[3]),
            list(columns[4]),
            list(columns[5]) if with_ids else None,
        )

    @property
    def kind_codes(self) -> NDArray[np.str_]:
        return np.asarray(KINDS)[self.kind]

    def key(self, index: int) -> Any:
        return self.ids[index].item()


def _as_datetime64(values):
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[s]")
    converted = []
    for value in values:
        if value is None:
            converted.append(np.datetime64("NaT"))
            continue
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UK).replace(tzinfo=None)
        elif isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        converted.append(np.datetime64(value, "s"))
    return np.array(converted, dtype="datetime64[s]")


def _last_sunday(year, month):
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def uk_wall_clock(utc: npt.ArrayLike) -> NDArray[np.datetime64]:
    """UTC times (datetime64) as UK wall-clock times: GMT, or BST from 01:00
    UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
    Vectorised, for loaders with a million events: one zoneinfo call an event
    costs seconds."""
    utc = np.asarray(utc, "datetime64[s]")
    local = utc.copy()
    years = utc.astype("datetime64[Y]").astype(np.int64) + 1970
    for year in np.unique(years[~np.isnat(utc)]).tolist():
        start, end = (
            np.datetime64(datetime.combine(_last_sunday(year, month), time_of_day(1)), "s") for month in (3, 10)
        )
        local[(years == year) & (utc >= start) & (utc < end)] += np.timedelta64(1, "h")
    return local


def _codes_to_index(values, vocabulary, what, n):
    values = np.asarray(values, dtype=object if not isinstance(values, np.ndarray) else None)
    if values.shape != (n,):
        raise ValueError(f"there must be one {what} for each event")
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    unique, inverse = np.unique(values.astype(str), return_inverse=True)
    unknown = [str(u) for u in unique if u not in vocabulary]
    if unknown:
        raise ValueError(f"unknown {what} {unknown[0]!r}: expected one of {', '.join(vocabulary)}")
    lookup = np.array([vocabulary.index(u) for u in unique], dtype=np.int8)
    return lookup[inverse]


def _harm_matrix(harm, n):
    if harm is None:
        return (), np.zeros((n, 0), dtype=bool)
    if isinstance(harm, np.ndarray) and harm.dtype.kind in "US":
        # One code per event (or "" for none), vectorised for big arrays.
        unique, inverse = np.unique(harm, return_inverse=True)
        codes = tuple(str(u) for u in unique if u)
        matrix = np.zeros((n, len(codes)), dtype=bool)
        for column, code in enumerate(codes):
            matrix[:, column] = inverse == int(np.searchsorted(unique, code))
        return codes, matrix
    per_event: list[tuple[str, ...]] = []
    for value in harm:
        if value is None or value == "":
            per_event.append(())
        elif isinstance(value, str):
            per_event.append((value,))
        else:
            per_event.append(tuple(value))
    if len(per_event) != n:
        raise ValueError("there must be one set of harm types for each event")
    codes = tuple(sorted({code for row in per_event for code in row}))
    position = {code: c for c, code in enumerate(codes)}
    matrix = np.zeros((n, len(codes)), dtype=bool)
    for row, values in enumerate(per_event):
        for code in values:
            matrix[row, position[code]] = True
    return codes, matrix


# --- filters ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """Which events a scan counts. None means no restriction. A period runs
    from `start` (inclusive) to `end` (exclusive); `harm_types` keeps events
    carrying any of the types."""

    harm_types: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    start: datetime | date | None = None
    end: datetime | date | None = None

    def __post_init__(self) -> None:
        for name in ("harm_types", "kinds"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset([value] if isinstance(value, str) else value))
        if self.kinds is not None and not self.kinds <= set(KINDS):
            raise ValueError(f"unknown kind {sorted(self.kinds - set(KINDS))[0]!r}")
        if self.start is not None and self.end is not None and _dt64(self.start) >= _dt64(self.end):
            raise ValueError("the period must end after it starts")

    def mask(self, events: Events) -> NDArray[np.bool_]:
        keep = np.ones(len(events), dtype=bool)
        if self.harm_types is not None:
            columns = [c for c, code in enumerate(events.harm_codes) if code in self.harm_types]
            keep &= events.harm[:, columns].any(axis=1) if columns else False
        if self.kinds is not None:
            keep &= np.isin(events.kind, [KINDS.index(k) for k in self.kinds])
        if self.start is not None:
            keep &= events.time >= _dt64(self.start)
        if self.end is not None:
            keep &= events.time < _dt64(self.end)
        return keep

    def within(self, start: datetime | date | None, end: datetime | date | None) -> Filter:
        """The same filter over a narrower period (for the windows of `emerging`)."""
        starts = [s for s in (self.start, start) if s is not None]
        ends = [e for e in (self.end, end) if e is not None]
        start, end = max(starts, key=_dt64) if starts else None, min(ends, key=_dt64) if ends else None
        if start is not None and end is not None and _dt64(start) >= _dt64(end):
            raise ValueError("a window lies outside the filter's period")
        return Filter(self.harm_types, self.kinds, start, end)


def _dt64(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UK).replace(tzinfo=None)
    return np.datetime64(value, "s")


# --- the pipeline's steps --------------------------------------------------------------------------


def bin_events(events: Events, resolution: int = DEFAULT_RESOLUTION) -> NDArray[np.uint64]:
    """The H3 cell (as an integer id) of every event."""
    if not 0 <= resolution <= 15:
        raise ValueError("the H3 resolution must be between 0 and 15")
    to_cell = h3i.latlng_to_cell
    cells = np.empty(len(events), dtype=np.uint64)
    # In slices, so the Python floats h3 needs never exist for all events at once.
    for start in range(0, len(events), BIN_CHUNK):
        lat = events.lat[start : start + BIN_CHUNK].tolist()
        lng = events.lng[start : start + BIN_CHUNK].tolist()
        cells[start : start + len(lat)] = np.fromiter(
            map(to_cell, lat, lng, [resolution] * len(lat)), dtype=np.uint64, count=len(lat)
        )
    return cells


def study_area(
    event_cells: NDArray[np.uint64], area: Iterable[str] | None = None, resolution: int | None = None
) -> NDArray[np.uint64]:
    """The sorted cells the scan compares: `area` when given, else the cells with events."""
    if area is None:
        return np.unique(event_cells)
    ids = np.unique(np.fromiter((h3.str_to_int(c) for c in area), dtype=np.uint64))
    if resolution is not None and len(ids):
        found = {h3i.get_resolution(int(c)) for c in ids}
        if found != {resolution}:
            raise ValueError(f"the area's cells must all be at resolution {resolution}")
    return ids


def neighbour_weights(cells: NDArray[np.uint64], ring: int = DEFAULT_RING) -> sparse.csr_matrix:
    """Binary adjacency (no diagonal) between the cells within `ring` steps of
    each other, limited to the study area."""
    if ring < 1:
        raise ValueError("the neighbourhood ring must be at least 1")
    position = {c: i for i, c in enumerate(cells.tolist())}
    rows, cols = [], []
    for i, cell in enumerate(cells.tolist()):
        for other in h3i.grid_disk(cell, ring):
            j = position.get(other)
            if j is not None and j != i:
                rows.append(i)
                cols.append(j)
    n = len(cells)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


@dataclass(frozen=True)
class GiStar:
    z: np.ndarray
    p: np.ndarray  # two-sided, uncorrected


def gi_star(
    counts: npt.ArrayLike,
    adjacency: sparse.csr_matrix,
    inference: str = "analytical",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> GiStar:
    """Getis-Ord Gi* z-scores and two-sided p-values through esda.

    A cell where the statistic cannot be computed (fewer than three cells, or
    every cell holding the same count) gets z 0 and p 1: no evidence either way.
    """
    if inference not in INFERENCES:
        raise ValueError(f"inference must be one of {', '.join(INFERENCES)}")
    counts = np.asarray(counts, dtype=np.float64)
    n = len(counts)
    if n < 3 or counts.sum() == 0 or np.all(counts == counts[0]):
        return GiStar(np.zeros(n), np.ones(n))
    # esda and libpysal take seconds to import: only a scan pays for them.
    import esda
    from libpysal.weights import WSP

    with warnings.catch_warnings():
        # Islands (a cell with no neighbour in the area) are expected: Gi*
        # still compares the cell's own count with the mean. esda also warns
        # that its permutation default will change; the doubling below makes
        # the p-value two-sided whatever that default is.
        warnings.simplefilter("ignore")
        weights = WSP(adjacency.copy(), id_order=list(range(n))).to_W(silence_warnings=True)
        result = esda.G_Local(
            counts,
            weights,
            transform="B",
            star=True,
            permutations=permutations if inference == "permutation" else 0,
            keep_simulations=False,
            n_jobs=1,
            seed=seed,
        )
    z = np.nan_to_num(np.asarray(result.Zs, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    if inference == "permutation":
        p = np.minimum(1.0, 2 * np.asarray(result.p_sim, dtype=np.float64))
    else:
        p = 2 * stats.norm.sf(np.abs(z))
    p = np.where(z == 0, 1.0, p)
    return GiStar(z, p)


def adjust(p: npt.ArrayLike, correction: str = "fdr") -> NDArray[np.float64]:
    """p-values corrected for testing many cells at once (Benjamini-Hochberg)."""
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}")
    p = np.asarray(p, dtype=np.float64)
    if correction == "none" or len(p) == 0:
        return p.copy()
    return stats.false_discovery_control(p, method="bh")


def classify(
    z: NDArray[np.float64], q: NDArray[np.float64], alpha: float = DEFAULT_ALPHA
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.int8]]:
    """(hot, cold, level) from z-scores and corrected p-values; see the module docstring."""
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    significant = q < alpha
    hot = significant & (z > 0)
    cold = significant & (z < 0)
    level = np.zeros(len(z), dtype=np.int8)
    for value, threshold in reversed(CONFIDENCE_BINS):
        level[q < threshold] = value
    level = np.where(z < 0, -level, level).astype(np.int8)
    level[z == 0] = 0
    return hot, cold, level


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellResult:
    """One cell as the map and the table show it. Coordinates are (lat, lng),
    the order Leaflet takes."""

    cell: str
    count: int
    z: float
    p: float
    q: float
    classification: str  # "hot", "cold" or "not significant"
    level: int  # -3 .. 3
    confidence: int  # 99, 95, 90 or 0
    centre: tuple[float, float]
    boundary: tuple[tuple[float, float], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "count": self.count,
            "z": round(self.z, 3),
            "p": self.p,
            "q": self.q,
            "classification": self.classification,
            "level": self.level,
            "confidence": self.confidence,
            "centre": list(self.centre),
            "boundary": [list(point) for point in self.boundary],
        }


@dataclass(frozen=True)
class Region:
    """Touching hot (or cold) cells taken together: one hotspot on the map."""

    kind: str  # "hot" or "cold"
    cells: tuple[str, ...]
    events: int
    peak_z: float
    centre: tuple[float, float]


@dataclass(frozen=True, eq=False)
class HotspotScan:
    """A Gi* scan: arrays over the study area's cells, in `cells` order, and
    how the scan was made."""

    resolution: int
    ring: int
    inference: str
    permutations: int  # 0 for analytical inference
    seed: int | None  # None for analytical inference
    alpha: float
    correction: str
    filter: Filter
    cell_ids: np.ndarray  # uint64 H3 ids
    counts: np.ndarray
    z: np.ndarray
    p: np.ndarray
    q: np.ndarray
    hot: np.ndarray
    cold: np.ndarray
    level: np.ndarray
    event_cell: np.ndarray = field(repr=False)  # per event: index into cells, -1 if not counted
    outside: int = 0  # events kept by the filter but outside the given area

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(h3.int_to_str(int(c)) for c in self.cell_ids)

    @property
    def events_counted(self) -> int:
        return int(self.counts.sum())

    def index(self, cell: str) -> int:
        """Position of a cell in the arrays, or -1 when it is not in the study area."""
        value = np.uint64(h3.str_to_int(cell))
        i = int(np.searchsorted(self.cell_ids, value))
        return i if i < len(self.cell_ids) and self.cell_ids[i] == value else -1

    def classification(self, cell: str) -> str:
        i = self.index(cell)
        if i < 0:
            return "not significant"
        return "hot" if self.hot[i] else "cold" if self.cold[i] else "not significant"

    def hot_cells(self) -> tuple[str, ...]:
        return tuple(h3.int_to_str(int(c)) for c in self.cell_ids[self.hot])

    def cold_cells(self) -> tuple[str, ...]:
        return tuple(h3.int_to_str(int(c)) for c in self.cell_ids[self.cold])

    def rows(self, significant_only: bool = False) -> tuple[CellResult, ...]:
        """The cells with their polygons, hottest first."""
        chosen = np.flatnonzero(self.hot | self.cold) if significant_only else np.arange(len(self.cell_ids))
        chosen = chosen[np.argsort(-self.z[chosen], kind="stable")]
        rows = []
        for i in chosen.tolist():
            cell = h3.int_to_str(int(self.cell_ids[i]))
            rows.append(
                CellResult(
                    cell=cell,
                    count=int(self.counts[i]),
                    z=float(self.z[i]),
                    p=float(self.p[i]),
                    q=float(self.q[i]),
                    classification="hot" if self.hot[i] else "cold" if self.cold[i] else "not significant",
                    level=int(self.level[i]),
                    confidence=CONFIDENCE_PERCENT[abs(int(self.level[i]))],
                    centre=h3.cell_to_latlng(cell),
                    boundary=tuple(h3.cell_to_boundary(cell)),
                )
            )
        return tuple(rows)

    def events_in(self, cells: Iterable[str]) -> NDArray[np.intp]:
        """Row numbers of the counted events in the given cells (for a hotspot's page)."""
        positions = [i for i in (self.index(c) for c in cells) if i >= 0]
        return np.flatnonzero(np.isin(self.event_cell, positions))

    def regions(self, kind: str = "hot") -> tuple[Region, ...]:
        """Touching cells of one kind as hotspots, the strongest first."""
        chosen = np.flatnonzero(self.hot if kind == "hot" else self.cold)
        if not len(chosen):
            return ()
        adjacency = neighbour_weights(self.cell_ids[chosen], ring=1)
        count, labels = connected_components(adjacency, directed=False)
        regions = []
        for label in range(count):
            members = chosen[labels == label]
            cells = tuple(h3.int_to_str(int(c)) for c in self.cell_ids[members])
            centres = np.array([h3.cell_to_latlng(c) for c in cells])
            weights = self.counts[members].astype(float) + 1e-9
            lat, lng = (float(v) for v in np.average(centres, axis=0, weights=weights))
            peak = float(self.z[members].max() if kind == "hot" else self.z[members].min())
            regions.append(Region(kind, cells, int(self.counts[members].sum()), peak, (lat, lng)))
        regions.sort(key=lambda r: -abs(r.peak_z))
        return tuple(regions)


def scan(
    events: Events,
    filter: Filter | None = None,
    *,
    resolution: int = DEFAULT_RESOLUTION,
    ring: int = DEFAULT_RING,
    area: Iterable[str] | None = None,
    inference: str = "analytical",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
    alpha: float = DEFAULT_ALPHA,
    correction: str = "fdr",
    event_cells: NDArray[np.uint64] | None = None,
) -> HotspotScan:
    """Hot and cold cells of the events the filter keeps. `event_cells` (from
    `bin_events` at the same resolution) saves binning again."""
    filter = filter or Filter()
    if event_cells is None:
        event_cells = bin_events(events, resolution)
    keep = filter.mask(events)
    cells = study_area(event_cells[keep], area, resolution)
    return _scan_cells(
        event_cells, keep, cells, filter, resolution, ring, inference, permutations, seed, alpha, correction
    )


def _scan_cells(
    event_cells, keep, cells, filter, resolution, ring, inference, permutations, seed, alpha, correction, adjacency=None
):
    if inference not in INFERENCES:
        raise ValueError(f"inference must be one of {', '.join(INFERENCES)}")
    if len(cells):
        position = np.minimum(np.searchsorted(cells, event_cells), len(cells) - 1)
        inside = keep & (cells[position] == event_cells)
    else:
        position = np.zeros(len(event_cells), dtype=np.int64)
        inside = np.zeros(len(event_cells), dtype=bool)
    event_cell = np.where(inside, position, -1)
    counts = np.bincount(event_cell[inside], minlength=len(cells)).astype(np.int64)
    if adjacency is None:
        adjacency = neighbour_weights(cells, ring)
    result = gi_star(counts, adjacency, inference, permutations, seed)
    q = adjust(result.p, correction)
    hot, cold, level = classify(result.z, q, alpha)
    permutation = inference == "permutation"
    return HotspotScan(
        resolution,
        ring,
        inference,
        permutations if permutation else 0,
        seed if permutation else None,
        alpha,
        correction,
        filter,
        cells,
        counts,
        result.z,
        result.p,
        q,
        hot,
        cold,
        level,
        event_cell,
        int((keep & ~inside).sum()),
    )


# --- emerging hotspots -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class EmergingScan:
    """Two scans over the same cells and each cell's trend between them."""

    earlier: HotspotScan
    later: HotspotScan
    ratio: np.ndarray  # later share of events in the neighbourhood / earlier share (inf when new)
    p_rise: np.ndarray  # corrected as the scans are
    p_fall: np.ndarray
    trend: np.ndarray  # "" or one of TRENDS
    min_ratio: float

    @property
    def cell_ids(self) -> NDArray[np.uint64]:
        return self.later.cell_ids

    def trend_of(self, cell: str) -> str:
        i = self.later.index(cell)
        return str(self.trend[i]) if i >= 0 else ""

    def cells_with(self, *trends: str) -> tuple[str, ...]:
        chosen = np.isin(self.trend, trends)
        return tuple(h3.int_to_str(int(c)) for c in self.cell_ids[chosen])

    def emerging_cells(self) -> tuple[str, ...]:
        """Cells that became, or grew as, hotspots: "new" and "intensifying"."""
        return self.cells_with("new", "intensifying")


def emerging(
    events: Events,
    earlier: tuple[datetime | date, datetime | date],
    later: tuple[datetime | date, datetime | date],
    filter: Filter | None = None,
    *,
    resolution: int = DEFAULT_RESOLUTION,
    ring: int = DEFAULT_RING,
    area: Iterable[str] | None = None,
    inference: str = "analytical",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
    alpha: float = DEFAULT_ALPHA,
    correction: str = "fdr",
    min_ratio: float = DEFAULT_MIN_RATIO,
    event_cells: NDArray[np.uint64] | None = None,
) -> EmergingScan:
    """Compare the later window (start, end) with the earlier one over the same
    cells: the cells with events in either window, or `area`."""
    if min_ratio < 1:
        raise ValueError("min_ratio must be at least 1")
    if _dt64(earlier[0]) >= _dt64(earlier[1]) or _dt64(later[0]) >= _dt64(later[1]):
        raise ValueError("each window must end after it starts")
    if _dt64(earlier[1]) > _dt64(later[0]):
        raise ValueError("the earlier window must end before the later one starts")
    filter = filter or Filter()
    if event_cells is None:
        event_cells = bin_events(events, resolution)
    before, after = filter.within(*earlier), filter.within(*later)
    keep_before, keep_after = before.mask(events), after.mask(events)
    cells = study_area(event_cells[keep_before | keep_after], area, resolution)
    adjacency = neighbour_weights(cells, ring)
    options = (resolution, ring, inference, permutations, seed, alpha, correction)
    first = _scan_cells(event_cells, keep_before, cells, before, *options, adjacency=adjacency)
    second = _scan_cells(event_cells, keep_after, cells, after, *options, adjacency=adjacency)

    # The neighbourhood counts Gi* sums for each cell, the cell itself included.
    neighbourhood = adjacency + sparse.identity(len(cells), format="csr")
    s_before = neighbourhood @ first.counts.astype(np.float64)
    s_after = neighbourhood @ second.counts.astype(np.float64)
    n_before, n_after = first.events_counted, second.events_counted
    total = (s_before + s_after).round().astype(np.int64)
    after_int = s_after.round().astype(np.int64)
    if n_before and n_after:
        share = n_after / (n_before + n_after)
        p_rise = np.where(total > 0, stats.binom.sf(after_int - 1, total, share), 1.0)
        p_fall = np.where(total > 0, stats.binom.cdf(after_int, total, share), 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (s_after / n_after) / (s_before / n_before)
        ratio = np.where(total == 0, 1.0, ratio)
    else:
        p_rise = p_fall = np.ones(len(cells))
        ratio = np.ones(len(cells))
    p_rise, p_fall = adjust(p_rise, correction), adjust(p_fall, correction)
    risen = (p_rise < alpha) & (ratio >= min_ratio)
    fallen = (p_fall < alpha) & (ratio <= 1 / min_ratio)

    trend = np.full(len(cells), "", dtype="<U12")
    trend[second.hot & ~first.hot & risen] = "new"
    trend[second.hot & first.hot & risen] = "intensifying"
    trend[second.hot & first.hot & ~risen & ~fallen] = "persistent"
    trend[first.hot & fallen] = "diminishing"
    return EmergingScan(first, second, ratio, p_rise, p_fall, trend, min_ratio)


# --- when ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeProfile:
    """When a set of events happened: counts by hour of day, day of week
    (Monday first) and month (January first)."""

    hours: tuple[int, ...]
    weekdays: tuple[int, ...]
    months: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.hours)

    def share_of_hours(self, hours: Iterable[int]) -> float:
        return sum(self.hours[h] for h in hours) / self.total if self.total else 0.0

    def share_of_months(self, months: Iterable[int]) -> float:
        """`months` numbered 1 (January) to 12."""
        return sum(self.months[m - 1] for m in months) / self.total if self.total else 0.0


def time_profile(events: Events, rows: Sequence[int] | NDArray[np.integer] | None = None) -> TimeProfile:
    times = events.time if rows is None else events.time[np.asarray(rows, dtype=np.int64)]
    days = times.astype("datetime64[D]")
    hours = ((times - days).astype("timedelta64[h]").astype(np.int64)) % 24
    weekdays = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    months = times.astype("datetime64[M]").astype(np.int64) % 12
    return TimeProfile(
        tuple(np.bincount(hours, minlength=24).tolist()),
        tuple(np.bincount(weekdays, minlength=7).tolist()),
        tuple(np.bincount(months, minlength=12).tolist()),
    )
