"""How fast the hotspot scan is, and whether it still finds what was planted.

    HOTH_DEBUG=1 .venv/bin/python benchmarks/hotspots.py [--size small,medium] [--seed 1]

Pure analytics: no Django and no database. For each size it generates located
events around the towns of Cheshire East with hotspots planted at known places
(hoth/synthetic/hotspot_events.py: Crewe station, a Macclesfield park, and a
Sandbach common that appears only in the later of the two years), then times
hoth.analytics.hotspots step by step at the default settings (H3 resolution 9,
ring-1 neighbours, analytical Gi* with the false discovery rate correction):
binning the events on H3 cells, building the weights, Gi*, and classifying. A
second table times the variants at the same size: the whole `scan` call, a
scan with 999 seeded permutations, an emerging-hotspot comparison of the two
years, and turning every cell into a row with its polygon for the map.

Sizes: small 10,000, medium 100,000 and large 1,000,000 background events,
plus the planted ones (about 3% more). Goal: the scan over a million located
events under 30 s on 2 cores. "scan peak MB" is what one scan allocates beyond
the events it is given (tracemalloc, numpy included, on an extra untimed scan);
"process peak MB" is the process's peak resident set (ru_maxrss, generation and
the esda import included), so run one size per process for a clean figure.
"""

import argparse
import resource
import sys
import time
import tracemalloc

import common

sys.path.insert(0, str(common.ROOT))

SIZES = {"small": 10_000, "medium": 100_000, "large": 1_000_000}


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def county_cells():
    """Every resolution-9 cell in the box around the towns of Cheshire East."""
    import h3

    from hoth.synthetic.data import TOWNS

    south, north = min(t.south for t in TOWNS) - 0.01, max(t.north for t in TOWNS) + 0.01
    west, east = min(t.west for t in TOWNS) - 0.01, max(t.east for t in TOWNS) + 0.01
    box = h3.LatLngPoly([(south, west), (south, east), (north, east), (north, west)])
    return h3.polygon_to_cells(box, 9)


def planted_hot(result, planted):
    import h3

    return sum(result.classification(h3.latlng_to_cell(p.lat, p.lng, result.resolution)) == "hot" for p in planted)


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def run(size, seed):
    import h3
    import numpy as np

    from hoth.analytics import hotspots
    from hoth.synthetic.hotspot_events import PLANTED, generate

    synthetic, generate_s = timed(generate, background=SIZES[size], seed=seed)
    events = synthetic.events

    # The scan's own steps, as hotspots.scan runs them.
    event_cells, bin_s = timed(hotspots.bin_events, events, hotspots.DEFAULT_RESOLUTION)
    started = time.perf_counter()
    keep = hotspots.Filter().mask(events)
    cells = hotspots.study_area(event_cells[keep])
    adjacency = hotspots.neighbour_weights(cells, hotspots.DEFAULT_RING)
    weights_s = time.perf_counter() - started
    counts = np.bincount(np.searchsorted(cells, event_cells[keep]), minlength=len(cells))
    gi, gi_s = timed(hotspots.gi_star, counts, adjacency)
    started = time.perf_counter()
    hot, cold, _ = hotspots.classify(gi.z, hotspots.adjust(gi.p, "fdr"))
    classify_s = time.perf_counter() - started

    result, scan_s = timed(hotspots.scan, events)
    found = planted_hot(result, PLANTED)
    permuted, permutation_s = timed(
        hotspots.scan, events, event_cells=event_cells, inference="permutation", correction="none"
    )
    trends, emerging_s = timed(hotspots.emerging, events, synthetic.earlier, synthetic.later)
    new = [trends.trend_of(h3.latlng_to_cell(p.lat, p.lng, result.resolution)) for p in PLANTED]
    rows, rows_s = timed(result.rows)
    # Memory the scan itself allocates (numpy's arrays included), apart from
    # the events it is given: traced on one more, untimed, scan.
    tracemalloc.start()
    hotspots.scan(events)
    scan_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    # The whole county's box as the area: empty cells count, so about ten
    # times the cells (and the towns stand out against the countryside).
    county, county_s = timed(hotspots.scan, events, event_cells=event_cells, area=county_cells())

    steps = {
        "size": size,
        "events": len(events),
        "cells": len(cells),
        "generate ms": generate_s * 1000,
        "bin ms": bin_s * 1000,
        "weights ms": weights_s * 1000,
        "Gi* ms": gi_s * 1000,
        "classify ms": classify_s * 1000,
        "scan ms": (bin_s + weights_s + gi_s + classify_s) * 1000,
        "hot": int(hot.sum()),
        "cold": int(cold.sum()),
        "planted hot": f"{found}/{len(PLANTED)}",
        "scan peak MB": scan_peak_mb,
        "process peak MB": peak_mb(),
    }
    variants = [
        (size, "scan (analytical, FDR)", scan_s * 1000, int(result.hot.sum()), f"{found}/{len(PLANTED)} planted hot"),
        (
            size,
            f"scan ({permuted.permutations} permutations, seed {permuted.seed}, no correction, binned)",
            permutation_s * 1000,
            int(permuted.hot.sum()),
            f"{planted_hot(permuted, PLANTED)}/{len(PLANTED)} planted hot",
        ),
        (
            size,
            "emerging (two years, with binning)",
            emerging_s * 1000,
            len(trends.emerging_cells()),
            "trends " + ", ".join(t or "-" for t in new),
        ),
        (size, "rows with polygons, every cell", rows_s * 1000, len(rows), ""),
        (
            size,
            f"scan over the county's box ({len(county.cell_ids):,} cells)",
            county_s * 1000,
            int(county.hot.sum()),
            f"{planted_hot(county, PLANTED)}/{len(PLANTED)} planted hot",
        ),
    ]
    return steps, variants


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small,medium", help="comma-separated: small, medium, large")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sizes = [s.strip() for s in args.size.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}: choose from {', '.join(SIZES)}")

    # esda and libpysal take seconds to import; a server process pays that once.
    started = time.perf_counter()
    import esda  # noqa: F401
    import libpysal  # noqa: F401

    print(f"import esda and libpysal: {time.perf_counter() - started:.1f} s (once per process, not in the figures)")
    print(f"peak memory after imports: {peak_mb():,.0f} MB\n")

    all_steps, all_variants = [], []
    for size in sizes:
        steps, variants = run(size, args.seed)
        all_steps.append(steps)
        all_variants.extend(variants)
    headers = list(all_steps[0])
    common.table(headers, [[row[h] for h in headers] for row in all_steps])
    print()
    common.table(["size", "variant", "ms", "cells flagged", "found"], all_variants)


if __name__ == "__main__":
    main()
