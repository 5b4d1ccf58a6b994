"""Where to draw each subject of a network picture: a force-directed layout
for pictures drawn on the server (the problem profile's PDF), where no
browser script can arrange the nodes.

Plain numpy and scipy, no Django. The caller passes the number of nodes and
the edges as pairs of node numbers; the answer is a position for each node in
"link lengths": the layout aims for linked subjects one unit apart, and no two
subjects are ever closer than `min_distance` units, so a drawing that gives
each unit the same number of points on the page never draws one node over
another, however it is scaled.

The steps, each a function:

1. `fruchterman_reingold`: each cluster (connected component) on its own
   (Fruchterman and Reingold, 1991): every pair of nodes pushes apart with a
   force k^2/d, every edge pulls its ends together with d^2/k, and the moves
   are capped by a temperature that cools to nothing. Started from positions
   drawn from a generator seeded with `seed`, so the same graph and seed give
   the same picture every time.
2. `separate`: nudge apart any two nodes still closer than `min_distance`.
3. `pack`: the clusters side by side in rows, largest first, so a network of
   many small clusters fills a page rather than a long strip.

The cost is quadratic in the size of a cluster (every pair repels), which is
right for pictures of up to a few hundred subjects: no one reads more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph

DEFAULT_ITERATIONS = 300
DEFAULT_MIN_DISTANCE = 0.5
# Space between clusters when packed, in link lengths.
CLUSTER_GAP = 1.0


@dataclass(frozen=True, eq=False)
class Layout:
    """`positions[i]` is node i's (x, y), in link lengths, with the picture's
    top left corner at (0, 0) and its bottom right at (width, height); y grows
    downwards, as on a page."""

    positions: np.ndarray
    width: float
    height: float


def _edges(n: int, u: npt.ArrayLike, v: npt.ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    u = np.asarray(u, dtype=np.int64).ravel()
    v = np.asarray(v, dtype=np.int64).ravel()
    if u.shape != v.shape:
        raise ValueError("each edge needs both of its ends")
    if len(u) and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
        raise ValueError(f"an edge names a node that is not one of the {n} nodes")
    keep = u != v
    return u[keep], v[keep]


def fruchterman_reingold(
    n: int,
    u: NDArray[np.int64],
    v: NDArray[np.int64],
    *,
    rng: np.random.Generator,
    iterations: int = DEFAULT_ITERATIONS,
) -> NDArray[np.float64]:
    """Positions (n, 2) of one connected graph, ideal edge length 1, centred on (0, 0)."""
    if n == 1:
        return np.zeros((1, 2))
    # Start spread over a square about as big as the answer will be.
    side = np.sqrt(n)
    position = rng.uniform(-side / 2, side / 2, size=(n, 2))
    k = 1.0
    temperature = side / 4
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=2))
        np.fill_diagonal(distance, 1.0)
        distance = np.maximum(distance, 1e-3)
        repulsion = k * k / distance**2
        np.fill_diagonal(repulsion, 0.0)
        move = (delta * repulsion[:, :, None]).sum(axis=1)
        if len(u):
            along = position[u] - position[v]
            length = np.maximum(np.sqrt((along**2).sum(axis=1)), 1e-3)
            pull = along * (length / k)[:, None]
            np.add.at(move, u, -pull)
            np.add.at(move, v, pull)
        size = np.maximum(np.sqrt((move**2).sum(axis=1)), 1e-9)
        position += move / size[:, None] * np.minimum(size, temperature)[:, None]
        temperature -= cooling
    return position - position.mean(axis=0)


def separate(
    position: npt.ArrayLike, min_distance: float = DEFAULT_MIN_DISTANCE, *, max_rounds: int = 500
) -> NDArray[np.float64]:
    """Push apart, half each way, every pair closer than `min_distance`, until none is."""
    position = np.array(position, dtype=np.float64)
    n = len(position)
    if n < 2:
        return position
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    # Nodes on the very same spot part in a fixed direction for each pair, so
    # the answer does not depend on anything but the input.
    angle = np.arange(n * n, dtype=np.float64).reshape(n, n) * 2.399963
    for _ in range(max_rounds):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=2))
        close = upper & (distance < min_distance * (1 + 1e-9))
        if not close.any():
            break
        i, j = np.nonzero(close)
        d = distance[i, j]
        direction = np.where(
            d[:, None] > 1e-12,
            delta[i, j] / np.maximum(d, 1e-12)[:, None],
            np.c_[np.cos(angle[i, j]), np.sin(angle[i, j])],
        )
        # A little further than needed, so a pair does not stop exactly at the limit.
        push = direction * ((min_distance * 1.01 - d) / 2)[:, None]
        move = np.zeros_like(position)
        np.add.at(move, i, push)
        np.add.at(move, j, -push)
        position += move
    return position


def pack(
    parts: Sequence[NDArray[np.float64]], gap: float = CLUSTER_GAP
) -> tuple[list[NDArray[np.float64]], float, float]:
    """Place each part (an array of positions) in rows, in the order given,
    without overlapping; returns the moved parts and the width and height."""
    boxes = []
    for part in parts:
        low, high = part.min(axis=0), part.max(axis=0)
        boxes.append((low, high - low))
    total = sum((w + gap) * (h + gap) for _, (w, h) in boxes)
    widest = max((w for _, (w, _h) in boxes), default=0.0)
    row_width = max(widest, np.sqrt(total) * 1.2)
    placed, x, y, row_height, width = [], 0.0, 0.0, 0.0, 0.0
    for part, (low, (w, h)) in zip(parts, boxes):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        placed.append(part - low + np.array([x, y]))
        width = max(width, x + w)
        row_height = max(row_height, h)
        x += w + gap
    return placed, width, y + row_height


def layout(
    n: int,
    u: npt.ArrayLike = (),
    v: npt.ArrayLike = (),
    *,
    seed: int = 1,
    iterations: int = DEFAULT_ITERATIONS,
    min_distance: float = DEFAULT_MIN_DISTANCE,
) -> Layout:
    """Positions for `n` nodes joined by edges (u[e], v[e]); see the module docstring."""
    if n < 0:
        raise ValueError("the number of nodes cannot be negative")
    if min_distance <= 0:
        raise ValueError("min_distance must be above 0")
    u, v = _edges(n, u, v)
    if n == 0:
        return Layout(np.zeros((0, 2)), 0.0, 0.0)
    matrix = sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)).tocsr()
    count, labels = csgraph.connected_components(matrix, directed=False)
    members = [np.flatnonzero(labels == c) for c in range(count)]
    # Largest clusters first; among equals, the one with the lowest node number.
    members.sort(key=lambda nodes: (-len(nodes), int(nodes[0])))
    rng = np.random.default_rng(seed)
    local = np.full(n, -1, dtype=np.int64)
    parts = []
    for nodes in members:
        local[nodes] = np.arange(len(nodes))
        inside = np.isin(u, nodes)
        part = fruchterman_reingold(len(nodes), local[u[inside]], local[v[inside]], rng=rng, iterations=iterations)
        parts.append(separate(part, min_distance))
    placed, width, height = pack(parts, gap=max(CLUSTER_GAP, min_distance))
    position = np.zeros((n, 2))
    for nodes, part in zip(members, placed):
        position[nodes] = part
    return Layout(position, float(width), float(height))
