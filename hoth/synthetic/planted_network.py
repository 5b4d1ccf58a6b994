"""A seeded synthetic network with its truth: groups of subjects with dense
links inside and sparse links between, hub adults linked to children across
groups, and planted noise (expired or poorly graded links) that a selection
must drop. Tests and benchmarks/network.py check that hoth.analytics.network
recovers what is planted here. numpy only, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hoth.analytics.network import Kind, Links, LinkType, Selection, Subjects


@dataclass(frozen=True, eq=False)
class PlantedNetwork:
    """A synthetic network and its truth: the group of every subject (aligned
    with ``subjects.ids``), the hub adults, and the selection that keeps the
    real links and drops the planted noise (expired or poorly graded links)."""

    subjects: Subjects
    links: Links
    groups: np.ndarray
    hubs: np.ndarray
    selection: Selection


def planted_network(
    subjects=3_000,
    links=15_000,
    *,
    seed=1,
    group_sizes=(5, 30),
    outer_share=0.15,
    noise_share=0.05,
    hub_every=2_000,
    hub_children=(40, 80),
) -> PlantedNetwork:
    """A seeded network with planted groups and hubs, built with numpy only
    (a million subjects in seconds).

    - Subjects fall into groups of ``group_sizes`` (a peer group and the
      adults, places and phones around it). Most links are inside a group,
      between two members chosen at random, so groups are dense (about half of
      all pairs in a group are linked).
    - ``outer_share`` of links join two subjects anywhere: sparse background.
    - One hub adult, a person of concern, for every ``hub_every`` subjects,
      belongs to a group and is also "seen with" ``hub_children`` children
      spread across other groups.
    - ``noise_share`` of links join random subjects but either expired before
      2025 or are graded 0: ``selection`` (2025-01-01 to 2026-11-27, grade at
      least 1) drops exactly these.
    Subject ids are not 0..n-1 and come shuffled, as from a database.
    """
    rng = np.random.default_rng(seed)
    n = int(subjects)
    low, high = group_sizes
    hub_count = max(1, n // hub_every)
    # Groups cover every subject; hubs are drawn from the adults afterwards.
    sizes = rng.integers(low, high + 1, size=n // low + 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n) + 1]
    sizes[-1] -= sizes.sum() - n
    if sizes[-1] < low and len(sizes) > 1:  # a short remainder joins the group before it
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    group_of_slot = np.repeat(np.arange(len(sizes)), sizes)
    group_start = np.r_[0, np.cumsum(sizes)[:-1]]
    slot_of_node = rng.permutation(n)  # node -> slot; members of a group are contiguous slots
    node_of_slot = np.empty(n, np.int64)
    node_of_slot[slot_of_node] = np.arange(n)
    groups = group_of_slot[slot_of_node]

    roll = rng.random(n)
    kind = np.where(
        roll < 0.6,
        Kind.CHILD,
        np.where(
            roll < 0.85, Kind.ADULT, np.where(roll < 0.95, Kind.PLACE, np.where(roll < 0.98, Kind.VEHICLE, Kind.PHONE))
        ),
    ).astype(np.int8)
    adults = np.flatnonzero(kind == Kind.ADULT)
    hubs = rng.choice(adults, size=min(hub_count, len(adults)), replace=False)
    of_concern = np.zeros(n, bool)
    of_concern[hubs] = True
    of_concern[rng.choice(adults, size=max(1, len(adults) // 200), replace=False)] = True
    level = np.where(kind == Kind.CHILD, rng.choice(4, size=n, p=[0.55, 0.25, 0.15, 0.05]), 0).astype(np.int8)

    children = np.flatnonzero(kind == Kind.CHILD)
    per_hub = rng.integers(hub_children[0], hub_children[1] + 1, size=len(hubs))
    hub_src = np.repeat(hubs, per_hub)
    hub_dst = rng.choice(children, size=len(hub_src))
    total = int(links)
    noise = int(total * noise_share)
    outer = int(total * outer_share)
    inner = max(0, total - noise - outer - len(hub_src))
    pair_weight = sizes * (sizes - 1.0)
    group = rng.choice(len(sizes), size=inner, p=pair_weight / pair_weight.sum())
    size = sizes[group]
    first = (rng.random(inner) * size).astype(np.int64)
    second = (first + 1 + (rng.random(inner) * (size - 1)).astype(np.int64)) % size
    inner_src = node_of_slot[group_start[group] + first]
    inner_dst = node_of_slot[group_start[group] + second]
    outer_src, outer_dst = rng.integers(0, n, size=outer), rng.integers(0, n, size=outer)
    noise_src, noise_dst = rng.integers(0, n, size=noise), rng.integers(0, n, size=noise)
    source = np.r_[inner_src, outer_src, hub_src, noise_src]
    target = np.r_[inner_dst, outer_dst, hub_dst, noise_dst]
    m = len(source)
    real = m - noise

    link_kind = np.full(m, LinkType.ASSOCIATED_WITH, np.int16)
    k_s, k_t = kind[source], kind[target]
    link_kind[(k_s == Kind.CHILD) & (k_t == Kind.CHILD)] = LinkType.PEER
    link_kind[(k_s == Kind.CHILD) ^ (k_t == Kind.CHILD)] = LinkType.SEEN_WITH
    with_child = (k_s == Kind.CHILD) | (k_t == Kind.CHILD)
    link_kind[((k_s == Kind.PLACE) | (k_t == Kind.PLACE)) & with_child] = LinkType.FREQUENTS
    link_kind[(k_s == Kind.VEHICLE) | (k_t == Kind.VEHICLE)] = LinkType.DRIVES
    link_kind[(k_s == Kind.PHONE) | (k_t == Kind.PHONE)] = LinkType.USES

    day = np.datetime64("2023-01-01", "D")
    valid_from = day + rng.integers(0, 700, size=m).astype("timedelta64[D]")
    valid_to = np.full(m, np.datetime64("NaT"), "datetime64[D]")
    # Some real links end, but inside the window.
    ending = rng.random(real) < 0.2
    valid_to[:real][ending] = np.datetime64("2025-02-01", "D") + rng.integers(0, 600, size=int(ending.sum())).astype(
        "timedelta64[D]"
    )
    grade = np.r_[rng.integers(1, 5, size=real), np.zeros(noise, np.int64)].astype(np.int16)
    expired = np.r_[np.zeros(real, bool), rng.random(noise) < 0.5]
    valid_from[expired] = np.minimum(valid_from[expired], np.datetime64("2024-06-01", "D"))
    valid_to[expired] = np.datetime64("2024-12-31", "D")
    grade[expired] = rng.integers(1, 5, size=int(expired.sum()))  # expired, but graded well
    confidence = np.round(rng.uniform(0.5, 1.0, size=m), 2)

    # Ids as a database would give them: not 0..n-1, rows in no particular order.
    subject_ids = 10_000 + 3 * np.arange(n, dtype=np.int64)
    link_order = rng.permutation(m)
    subject_order = rng.permutation(n)
    subjects_out = Subjects(
        subject_ids[subject_order], kind[subject_order], of_concern[subject_order], level[subject_order]
    )
    links_out = Links(
        subject_ids[source[link_order]],
        subject_ids[target[link_order]],
        link_kind[link_order],
        valid_from[link_order],
        valid_to[link_order],
        grade[link_order],
        confidence[link_order],
        ids=500_000 + np.arange(m, dtype=np.int64),
    )
    selection = Selection(start=np.datetime64("2025-01-01"), end=np.datetime64("2026-11-27"), min_grade=1)
    return PlantedNetwork(subjects_out, links_out, groups[subject_order], np.sort(subject_ids[hubs]), selection)


def planted_noise(planted: PlantedNetwork) -> np.ndarray:
    """Which links of a planted network are its noise (for tests)."""
    return ~planted.selection.mask(planted.links)
