"""Network analysis over graded, time-bounded links between subjects.

Pure Python over numpy arrays, no Django: the intelligence app loads subjects and
links with ``values_list`` into the column dataclasses below, calls these
functions, and stores or shows what they return. The same code serves the
browser's network view, the cluster page, new-link alerts and the benchmarks.

The pipeline, each step testable alone:

1. ``build_graph``: keep the links that were valid in a time window, graded at
   least a minimum rank (and, optionally, of chosen types or confidence), then
   collapse them into one undirected edge per pair of subjects. Every edge
   remembers the links behind it, so any answer can be explained by the links
   a practitioner can open.
2. ``clusters``: connected components (exact, scipy.sparse.csgraph).
3. ``communities``: tightly linked groups inside clusters (Leiden, through
   graspologic-native, MIT licensed).
4. ``hubs``: degree and betweenness; betweenness is exact on small networks and
   estimated from a random sample of subjects on large ones, and the result says
   which (``Hubs.exact`` and ``Hubs.method``).
5. ``bridges``: links whose loss would split a cluster, with the size of the
   part they alone connect.
6. ``shortest_path``: how one subject is connected to another, hop by hop,
   with the links on each hop.
7. ``shared_adults``: children exposed to the same adult.
8. ``neighbourhood``: a subject's network out to two hops, for drawing.
9. ``link_alert``: does accepting a new link join a child to a cluster with a
   person of concern or a child at High level in it, and whom.

``adjusted_rand_index`` and ``normalised_mutual_information`` judge communities
against known groups: hoth.synthetic.planted_network plants them, so tests and
benchmarks check that the analysis finds what was planted, not only that it
runs.

Links are associations and are treated as undirected. Node numbers ("index")
are internal; every result speaks in subject ids and link ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph


class Kind(IntEnum):
    """What a subject is. The Django side maps its models onto these codes."""

    CHILD = 1
    ADULT = 2
    PLACE = 3
    VEHICLE = 4
    PHONE = 5
    ONLINE_ACCOUNT = 6
    GROUP = 7


class LinkType(IntEnum):
    """The link types the issue names. Any small integer is accepted: these are
    the codes the generator and the tests use."""

    SEEN_WITH = 1  # child - adult
    FREQUENTS = 2  # child - place
    DRIVES = 3  # adult - vehicle
    USES = 4  # adult - phone or account
    PEER = 5  # child - child
    ASSOCIATED_WITH = 6  # adult - place, and anything else
    MEMBER_OF = 7  # person - group


# The screening levels, as ranks (hoth.analytics.screening.LEVELS).
HIGH_LEVEL = 3

# Betweenness is exact (Brandes: a breadth-first search from every subject) up
# to this many subjects; above it, estimated from this many sampled sources.
# Each source costs a pass over its cluster's links: about 0.3 s at a million
# subjects and five million links.
EXACT_BETWEENNESS_UP_TO = 1000
DEFAULT_BETWEENNESS_SAMPLES = 64

_NO = -1

_T = TypeVar("_T")


# --- input columns -------------------------------------------------------------------------------


def _column(values, dtype, name, length=None):
    array = np.asarray(values, dtype=dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional array")
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array):,} values but there are {length:,} rows")
    return array


@dataclass(frozen=True, eq=False)
class Subjects:
    """One row per subject: its id, what it is, whether it is a person of
    concern, and (children) its current screening level as a rank
    (0 none, 1 low, 2 medium, 3 high)."""

    ids: np.ndarray
    kind: np.ndarray
    of_concern: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__
    level: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__

    def __post_init__(self) -> None:
        ids = _column(self.ids, np.int64, "ids")
        n = len(ids)
        set_ = object.__setattr__
        set_(self, "ids", ids)
        set_(self, "kind", _column(self.kind, np.int8, "kind", n))
        set_(
            self,
            "of_concern",
            np.zeros(n, bool) if self.of_concern is None else _column(self.of_concern, bool, "of_concern", n),
        )
        set_(self, "level", np.zeros(n, np.int8) if self.level is None else _column(self.level, np.int8, "level", n))
        if n and len(np.unique(ids)) != n:
            raise ValueError("Subject ids must be unique")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class Links:
    """One row per link. ``valid_from``/``valid_to`` are dates (numpy
    datetime64[D]; None or NaT is open-ended). ``grade`` is a rank the caller
    derives from the link's grading, higher meaning more reliable; the rank
    scale is reference data and belongs to the intelligence app. ``confidence``
    (0 to 1) weights the edge for community detection."""

    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__
    valid_from: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__
    valid_to: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__
    grade: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__
    confidence: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__
    ids: np.ndarray = None  # type: ignore[assignment]  # None: the default column, set in __post_init__

    def __post_init__(self) -> None:
        source = _column(self.source, np.int64, "source")
        n = len(source)
        set_ = object.__setattr__
        set_(self, "source", source)
        set_(self, "target", _column(self.target, np.int64, "target", n))
        set_(self, "kind", np.zeros(n, np.int16) if self.kind is None else _column(self.kind, np.int16, "kind", n))
        open_ = np.full(n, np.datetime64("NaT"), "datetime64[D]")
        for name in ("valid_from", "valid_to"):
            value = getattr(self, name)
            set_(self, name, open_ if value is None else _column(value, "datetime64[D]", name, n))
        set_(self, "grade", np.zeros(n, np.int16) if self.grade is None else _column(self.grade, np.int16, "grade", n))
        confidence = (
            np.ones(n, np.float64) if self.confidence is None else _column(self.confidence, np.float64, "confidence", n)
        )
        if n and (np.isnan(confidence).any() or confidence.min() < 0 or confidence.max() > 1):
            raise ValueError("confidence must be between 0 and 1")
        set_(self, "confidence", confidence)
        set_(self, "ids", np.arange(n, dtype=np.int64) if self.ids is None else _column(self.ids, np.int64, "ids", n))

    def __len__(self) -> int:
        return len(self.source)


@dataclass(frozen=True)
class Selection:
    """Which links count. ``start``/``end`` bound the window (inclusive dates):
    a link counts when its validity overlaps it. ``types`` limits the link
    types; ``min_grade`` and ``min_confidence`` drop weaker links; ``grades``
    keeps only links of the listed grades, for a grading with two parts
    (source and intelligence) that no single threshold can express."""

    start: np.datetime64 | None = None
    end: np.datetime64 | None = None
    min_grade: int | None = None
    types: tuple[int, ...] | None = None
    min_confidence: float | None = None
    grades: tuple[int, ...] | None = None

    def mask(self, links: Links) -> NDArray[np.bool_]:
        keep = np.ones(len(links), bool)
        if self.start is not None:
            start = self.start.astype("datetime64[D]")
            keep &= np.isnat(links.valid_to) | (links.valid_to >= start)
        if self.end is not None:
            end = self.end.astype("datetime64[D]")
            keep &= np.isnat(links.valid_from) | (links.valid_from <= end)
        if self.min_grade is not None:
            keep &= links.grade >= self.min_grade
        if self.grades is not None:
            keep &= np.isin(links.grade, np.asarray(self.grades, np.int16))
        if self.types is not None:
            keep &= np.isin(links.kind, np.asarray(self.types, np.int16))
        if self.min_confidence is not None:
            keep &= links.confidence >= self.min_confidence
        return keep

    def describe(self) -> str:
        parts = []
        if self.start is not None or self.end is not None:
            parts.append(f"valid between {self.start or 'the beginning'} and {self.end or 'now'}")
        if self.min_grade is not None:
            parts.append(f"graded at least {self.min_grade}")
        if self.grades is not None:
            parts.append("of grades " + ", ".join(str(g) for g in self.grades))
        if self.types is not None:
            parts.append("of types " + ", ".join(str(t) for t in self.types))
        if self.min_confidence is not None:
            parts.append(f"with confidence at least {self.min_confidence:g}")
        return "links " + ", ".join(parts) if parts else "all links"


# --- the graph -----------------------------------------------------------------------------------


class _IdIndex:
    """Subject id -> node number. A lookup table when ids are dense enough
    (one gather instead of a binary search per id), else a sorted search."""

    def __init__(self, sorted_ids):
        self.ids = sorted_ids
        self.table = None
        if len(sorted_ids):
            low, high = int(sorted_ids[0]), int(sorted_ids[-1])
            if high - low < 4 * len(sorted_ids) + 1024:
                self.low = low
                self.table = np.full(high - low + 1, _NO, np.int64)
                self.table[sorted_ids - low] = np.arange(len(sorted_ids))

    def lookup(self, ids):
        """Node numbers of ``ids``; -1 where the id is not a subject."""
        ids = np.asarray(ids, np.int64)
        if not len(self.ids):
            return np.full(ids.shape, _NO, np.int64)
        if self.table is not None:
            offset = ids - self.low
            inside = (offset >= 0) & (offset < len(self.table))
            out = np.full(ids.shape, _NO, np.int64)
            out[inside] = self.table[offset[inside]]
            return out
        position = np.searchsorted(self.ids, ids)
        position = np.minimum(position, len(self.ids) - 1)
        return np.where(self.ids[position] == ids, position, _NO)


@dataclass(frozen=True, eq=False)
class Graph:
    """Subjects as nodes, one undirected edge per linked pair.

    ``indptr``/``indices`` are the symmetric adjacency in CSR form and
    ``entry_edge`` gives, for each CSR entry, its edge number. Edge ``e`` joins
    nodes ``edge_u[e] < edge_v[e]``, weighs ``weight[e]`` (its strongest link's
    confidence) and rests on links ``link_rows[link_ptr[e]:link_ptr[e + 1]]``
    (row numbers in ``links``)."""

    ids: np.ndarray
    kind: np.ndarray
    of_concern: np.ndarray
    level: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    entry_edge: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    weight: np.ndarray
    link_ptr: np.ndarray
    link_rows: np.ndarray
    links: Links
    selection: Selection = field(default_factory=Selection)

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return len(self.edge_u)

    @cached_property
    def _index(self) -> _IdIndex:
        return _IdIndex(self.ids)

    @overload
    def index(self, subject_ids: int | np.integer) -> int: ...
    @overload
    def index(self, subject_ids: Sequence[int] | NDArray[np.integer]) -> NDArray[np.int64]: ...
    def index(self, subject_ids: int | np.integer | Sequence[int] | NDArray[np.integer]) -> int | NDArray[np.int64]:
        """Node numbers for subject ids; raises for an id that is not a subject."""
        scalar = np.ndim(subject_ids) == 0
        nodes = self._index.lookup(np.atleast_1d(subject_ids))
        if (nodes < 0).any():
            missing = np.atleast_1d(subject_ids)[nodes < 0][:5].tolist()
            raise KeyError(f"Not subjects of this network: {missing}")
        return int(nodes[0]) if scalar else nodes

    @cached_property
    def degree(self) -> NDArray[np.int64]:
        """Distinct subjects each subject is linked to."""
        return np.diff(self.indptr).astype(np.int64)

    @cached_property
    def adjacency(self) -> sparse.csr_matrix:
        """The scipy sparse matrix (edge weights), for csgraph."""
        n = self.node_count
        return sparse.csr_matrix((self.weight[self.entry_edge], self.indices, self.indptr), shape=(n, n))

    @cached_property
    def cluster_labels(self) -> NDArray[np.int64]:
        """Connected component of each node (cached: alerts ask often)."""
        return clusters(self).labels

    def neighbours(self, node: int) -> NDArray[np.int32]:
        return self.indices[self.indptr[node] : self.indptr[node + 1]]

    def edge_link_rows(self, edge: int) -> NDArray[np.intp]:
        """Rows (in ``links``) of the links behind one edge, strongest grade first."""
        rows = self.link_rows[self.link_ptr[edge] : self.link_ptr[edge + 1]]
        return rows[np.lexsort((self.links.ids[rows], -self.links.grade[rows]))]

    def links_between(self, edge: int) -> NDArray[np.int64]:
        """Link ids of the links behind one edge, strongest grade first."""
        return self.links.ids[self.edge_link_rows(edge)]

    def edge_between(self, a: int, b: int) -> int | None:
        """Edge number between nodes a and b, or None."""
        row = slice(self.indptr[a], self.indptr[a + 1])
        hit = np.flatnonzero(self.indices[row] == b)
        return int(self.entry_edge[row][hit[0]]) if len(hit) else None


def build_graph(subjects: Subjects, links: Links, selection: Selection | None = None) -> Graph:
    """The network of the links ``selection`` keeps (all links without one).

    Every subject is a node, linked or not. A link to an id that is not among
    ``subjects`` is an error (the loader missed a subject); a link from a
    subject to itself is ignored.
    """
    selection = selection or Selection()
    order = np.argsort(subjects.ids, kind="stable")
    ids = subjects.ids[order]
    index = _IdIndex(ids)
    n = len(ids)

    rows = np.flatnonzero(selection.mask(links))
    u = index.lookup(links.source[rows])
    v = index.lookup(links.target[rows])
    unknown = (u < 0) | (v < 0)
    if unknown.any():
        bad = rows[unknown][:5]
        raise ValueError(f"Links {links.ids[bad].tolist()} name subjects that were not given")
    not_loop = u != v
    rows, u, v = rows[not_loop], u[not_loop], v[not_loop]
    low, high = np.minimum(u, v), np.maximum(u, v)
    key = low * n + high
    by_pair = np.argsort(key, kind="stable")
    key = key[by_pair]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    edge_u = (key[starts] // max(n, 1)).astype(np.int64)
    edge_v = (key[starts] % max(n, 1)).astype(np.int64)
    link_rows = rows[by_pair]
    link_ptr = np.r_[starts, len(key)].astype(np.int64)
    confidence = links.confidence[link_rows]
    weight = np.maximum.reduceat(confidence, starts) if len(starts) else np.zeros(0)
    # Leiden and csgraph read an edge of weight 0 as no edge: a link that was
    # kept counts, however faint.
    weight = np.maximum(weight, 1e-6)

    m = len(edge_u)
    edge_numbers = np.arange(m, dtype=np.int64)
    coo = sparse.coo_matrix(
        (np.r_[edge_numbers, edge_numbers], (np.r_[edge_u, edge_v], np.r_[edge_v, edge_u])), shape=(n, n)
    )
    csr = coo.tocsr()
    indptr = csr.indptr.astype(np.int64)
    indices = csr.indices.astype(np.int32)
    entry_edge = csr.data.astype(np.int64)
    return Graph(
        ids=ids,
        kind=subjects.kind[order],
        of_concern=subjects.of_concern[order],
        level=subjects.level[order],
        indptr=indptr,
        indices=indices,
        entry_edge=entry_edge,
        edge_u=edge_u,
        edge_v=edge_v,
        weight=weight,
        link_ptr=link_ptr,
        link_rows=link_rows,
        links=links,
        selection=selection,
    )


def subgraph(graph: Graph, subject_ids: npt.ArrayLike, keep_links: NDArray[np.bool_] | None = None) -> Graph:
    """The network among some of its subjects only (a cluster, say): those
    subjects and the kept links between them, under the same selection;
    `keep_links`, a mask over graph.links, drops some links besides."""
    nodes = np.sort(graph.index(np.atleast_1d(np.asarray(subject_ids, np.int64))))
    ids = graph.ids[nodes]
    subjects = Subjects(ids, graph.kind[nodes], graph.of_concern[nodes], graph.level[nodes])
    links = graph.links
    keep = np.isin(links.source, ids) & np.isin(links.target, ids)
    if keep_links is not None:
        keep &= keep_links
    kept = Links(
        source=links.source[keep],
        target=links.target[keep],
        kind=links.kind[keep],
        valid_from=links.valid_from[keep],
        valid_to=links.valid_to[keep],
        grade=links.grade[keep],
        confidence=links.confidence[keep],
        ids=links.ids[keep],
    )
    return build_graph(subjects, kept, graph.selection)


# --- clusters and communities --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Partition:
    """A label per node (``graph.ids`` order), numbered from the largest group
    down, with each group's size. ``method`` says how it was found."""

    labels: np.ndarray
    sizes: np.ndarray
    method: str
    quality: float | None = None

    @property
    def count(self) -> int:
        return len(self.sizes)

    def members(self, graph: Graph, label: int) -> NDArray[np.int64]:
        return graph.ids[self.labels == label]

    def of(self, graph: Graph, subject_id: int) -> int:
        return int(self.labels[graph.index(subject_id)])

    def groups(self, graph: Graph, min_size: int = 2) -> list[NDArray[np.int64]]:
        """Subject ids of each group with at least ``min_size`` members, largest first."""
        order = np.argsort(self.labels, kind="stable")
        bounds = np.r_[0, np.cumsum(self.sizes)]
        return [graph.ids[order[bounds[c] : bounds[c + 1]]] for c in range(self.count) if self.sizes[c] >= min_size]


def _by_size(labels):
    """Renumber labels so 0 is the largest group (ties by first member)."""
    _, first, inverse, counts = np.unique(labels, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse.ravel()], counts[order]


def clusters(graph: Graph) -> Partition:
    """Connected components: subjects joined by any chain of kept links."""
    if graph.node_count == 0:
        return Partition(np.zeros(0, np.int64), np.zeros(0, np.int64), "connected components")
    _, labels = csgraph.connected_components(graph.adjacency, directed=False)
    labels, sizes = _by_size(labels)
    return Partition(labels, sizes, "connected components (exact)")


def communities(
    graph: Graph, *, density: float = 0.05, method: str = "modularity", seed: int = 1, iterations: int = 1
) -> Partition:
    """Groups of subjects more densely linked among themselves than to the
    rest, found with Leiden (graspologic-native, MIT licensed). Each community
    is connected, so lies inside one cluster. Seeded: the same network and seed
    give the same communities.

    ``density`` is what "densely" means: about the share of pairs in a group
    that must be linked (weighted by confidence) for the group to hold
    together; 0.05 is one pair in twenty.

    - ``method="modularity"`` (default) maximises modularity with its
      resolution set so that, for subjects of average degree, the bar is
      ``density`` (resolution = density * n^2 / (2 * total weight)). Plain
      modularity (resolution 1) has a "resolution limit": on a large network it
      merges small groups that share a single link, so a group of five would
      vanish in the whole partnership though found in one town. Scaling the
      resolution with the network's size removes that.
    - ``method="cpm"`` uses the Constant Potts Model at ``density`` exactly (no
      degree correction); about twice as slow with graspologic-native.
    """
    import graspologic_native

    if method not in ("modularity", "cpm"):
        raise ValueError("method must be 'modularity' or 'cpm'")
    if not density > 0:
        raise ValueError("density must be above 0")
    n = graph.node_count
    labels = np.arange(n, dtype=np.int64)
    score = None
    resolution = density
    if graph.edge_count:
        data = graph.weight[graph.entry_edge].astype(np.float64)
        if method == "modularity":
            resolution = density * n * n / (2.0 * float(graph.weight.sum()))
        score, found = graspologic_native.leiden_csr(
            graph.indptr,
            graph.indices,
            data,
            n,
            resolution=resolution,
            use_modularity=method == "modularity",
            seed=seed,
            iterations=iterations,
        )
        nodes = np.fromiter(found.keys(), np.int64, len(found))
        values = np.fromiter(found.values(), np.int64, len(found))
        # Unlinked subjects are communities of one.
        labels = np.arange(n, dtype=np.int64) + (values.max() + 1 if len(values) else 0)
        labels[nodes] = values
    labels, sizes = _by_size(labels)
    name = "modularity" if method == "modularity" else "Constant Potts Model"
    return Partition(
        labels, sizes, f"Leiden ({name}, density {density:g}, resolution {resolution:.4g}, seed {seed})", score
    )


# --- hubs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hub:
    subject: int
    kind: int
    degree: int
    betweenness: float


@dataclass(frozen=True, eq=False)
class Hubs:
    """Degree and betweenness of every node (``graph.ids`` order).

    Betweenness is normalised as networkx does (the share of pairs of other
    subjects whose shortest paths pass through the subject). When ``exact`` is
    False it was estimated from shortest paths out of ``sources`` randomly
    chosen subjects, and ``method`` says so in words for the page."""

    degree: np.ndarray
    betweenness: np.ndarray
    exact: bool
    sources: int
    method: str

    def top(self, graph: Graph, n: int = 20, by: str = "betweenness", kinds: Iterable[int] | None = None) -> list[Hub]:
        """The ``n`` subjects ranked highest ``by`` betweenness or degree (the
        other breaking ties), optionally only of some ``kinds``."""
        if by not in ("betweenness", "degree"):
            raise ValueError("by must be 'betweenness' or 'degree'")
        primary, secondary = (self.betweenness, self.degree) if by == "betweenness" else (self.degree, self.betweenness)
        eligible = np.ones(graph.node_count, bool) if kinds is None else np.isin(graph.kind, list(kinds))
        nodes = np.flatnonzero(eligible)
        nodes = nodes[np.lexsort((graph.ids[nodes], -secondary[nodes], -primary[nodes]))][:n]
        return [
            Hub(int(graph.ids[i]), int(graph.kind[i]), int(self.degree[i]), float(self.betweenness[i])) for i in nodes
        ]


def _entries(indptr, nodes):
    """For every CSR entry of ``nodes``: the node it belongs to and its position."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    total = int(counts.sum())
    if not total:
        return nodes[:0], starts[:0]
    return np.repeat(nodes, counts), np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)


def _expand(indptr, indices, nodes):
    """(from, to) for every link of ``nodes``, in one gather."""
    tail, positions = _entries(indptr, nodes)
    return tail, indices[positions]


def _dependencies(indptr, indices, degree, source, n, scaled=False):
    """Brandes' accumulation from one source: how much each node lies on the
    shortest paths from ``source`` to every other node.

    Level-synchronous, so each level is a handful of vectorised operations over
    the level's links, and direction-optimising (Beamer and others): when the
    frontier has more links than the subjects not yet reached, it looks from
    each unreached subject for neighbours in the frontier instead. Both ways
    find every shortest-path link into the next level, which is all Brandes
    needs; the second touches far fewer links in the broad middle levels.

    With ``scaled``, each pair's share is weighted by how far along the path
    from the source the node lies (Geisberger, Sanders and Schultes' "linear
    scaling"). Summed over all sources this is the same betweenness; from a
    sample of sources it stops the subjects next to a sampled source from
    looking like hubs merely for being next to it."""
    distance = np.full(n, _NO, np.int32)
    distance[source] = 0
    unseen = np.ones(n, bool)  # a byte per node: cheaper to look up than the distances
    unseen[source] = False
    sigma = np.zeros(n, np.float64)
    sigma[source] = 1.0
    frontier = np.array([source], np.int64)
    unreached = None
    unreached_links = int(indptr[-1] - degree[source])
    levels = []
    depth = 0
    while len(frontier):
        if int(degree[frontier].sum()) <= unreached_links:
            tail, head = _expand(indptr, indices, frontier)
            # Nodes one level further were all unseen until this expansion,
            # so the links into unseen nodes are exactly the shortest-path links.
            on_path = unseen[head]
        else:
            unreached = np.flatnonzero(unseen) if unreached is None else unreached[unseen[unreached]]
            head, tail = _expand(indptr, indices, unreached)
            on_path = distance[tail] == depth
        tail, head = tail[on_path], head[on_path]
        if not len(head):
            break
        depth += 1
        unseen[head] = False
        distance[head] = depth
        paths = np.bincount(head, weights=sigma[tail], minlength=n)
        frontier = np.flatnonzero(paths > 0)  # much faster than nonzero on floats
        sigma[frontier] = paths[frontier]
        unreached_links -= int(degree[frontier].sum())
        levels.append((tail, head, frontier))
    # Brandes: delta(v) = sigma(v) * sum over next nodes w of (1 + delta(w)) / sigma(w),
    # the sum taken per link and the product per node. Scaled: the pair
    # (source, t) gives v the share d(v)/d(t), so use 1/d(w) for 1 and multiply
    # by d(v) at the end.
    delta = np.zeros(n, np.float64)
    share = np.zeros(n, np.float64)
    for depth, (tail, head, nodes) in zip(range(len(levels), 0, -1), reversed(levels)):
        share[nodes] = ((1.0 / depth if scaled else 1.0) + delta[nodes]) / sigma[nodes]
        delta += np.bincount(tail, weights=share[head], minlength=n) * sigma
    if scaled:
        delta *= np.maximum(distance, 0)
    delta[source] = 0.0
    return delta


def betweenness(graph: Graph, *, samples: int | None = None, seed: int = 1) -> tuple[NDArray[np.float64], bool, int]:
    """(betweenness per node, exact?, sources used).

    Exact when ``samples`` is None and the network has at most
    EXACT_BETWEENNESS_UP_TO subjects, or when ``samples`` covers every
    subject. Otherwise estimated from ``samples`` sources chosen at random
    (default DEFAULT_BETWEENNESS_SAMPLES) with linear scaling
    (see ``_dependencies``), and scaled up to the whole network."""
    n = graph.node_count
    if samples is None:
        samples = n if n <= EXACT_BETWEENNESS_UP_TO else DEFAULT_BETWEENNESS_SAMPLES
    exact = samples >= n
    if exact:
        sources = np.arange(n)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=samples, replace=False))
    indptr, indices, degree = graph.indptr, graph.indices, graph.degree
    total = np.zeros(n, np.float64)
    for source in sources[degree[sources] > 0]:
        total += _dependencies(indptr, indices, degree, int(source), n, scaled=not exact)
    if n > 2:
        # networkx's normalisation for undirected graphs. Exact sums count each
        # pair from both ends; the linearly scaled sample counts each pair once
        # in expectation, so doubles and scales up.
        total *= 1.0 / ((n - 1) * (n - 2))
        if not exact:
            total *= 2.0 * n / len(sources)
    else:
        total[:] = 0.0
    return total, exact, len(sources)


def hubs(graph: Graph, *, samples: int | None = None, seed: int = 1) -> Hubs:
    """Degree and betweenness of every subject; see ``betweenness``."""
    values, exact, used = betweenness(graph, samples=samples, seed=seed)
    if exact:
        method = "Betweenness is exact (shortest paths from every subject)."
    else:
        method = (
            f"Betweenness is approximate: estimated from shortest paths out of {used:,} randomly chosen "
            f"subjects of {graph.node_count:,} (seed {seed}), because the exact figure would take too long "
            "at this size. Subjects far above the rest stand out; close rankings may change with another sample."
        )
    return Hubs(graph.degree, values, exact, used, method)


@dataclass(frozen=True, eq=False)
class Analysis:
    """The whole-network picture: clusters, communities and hubs, and how long
    each took (seconds)."""

    clusters: Partition
    communities: Partition
    hubs: Hubs
    seconds: dict[str, float]


def analyse(graph: Graph, *, density: float = 0.05, samples: int | None = None, seed: int = 1) -> Analysis:
    """Clusters, communities and hubs in one go, on two cores: Leiden runs in
    Rust without the interpreter lock, so it runs on a thread of its own while
    this thread finds the clusters and the betweenness."""
    from concurrent.futures import ThreadPoolExecutor
    from time import perf_counter

    seconds: dict[str, float] = {}

    def timed(name: str, function: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        started = perf_counter()
        result = function(*args, **kwargs)
        seconds[name] = perf_counter() - started
        return result

    with ThreadPoolExecutor(1) as pool:
        found = pool.submit(timed, "communities", communities, graph, density=density, seed=seed)
        components = timed("clusters", clusters, graph)
        central = timed("hubs", hubs, graph, samples=samples, seed=seed)
        return Analysis(components, found.result(), central, seconds)


# --- bridges -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bridge:
    """A pair of subjects whose links are the only connection between two parts
    of a cluster. ``cut_off`` is the size of the smaller part."""

    subjects: tuple[int, int]
    link_ids: tuple[int, ...]
    cut_off: int


def _forest(graph: Graph):
    """A breadth-first spanning forest: parent (or -1), depth, and the nodes
    of each depth."""
    n = graph.node_count
    labels = graph.cluster_labels
    roots = np.unique(labels, return_index=True)[1]
    parent = np.full(n, _NO, np.int64)
    depth = np.full(n, _NO, np.int64)
    depth[roots] = 0
    frontier = roots.astype(np.int64)
    levels = []
    indices = graph.indices
    while len(frontier):
        levels.append(frontier)
        tail, head = _expand(graph.indptr, indices, frontier)
        fresh = depth[head] == _NO
        tail, head = tail[fresh], head[fresh]
        head, first = np.unique(head, return_index=True)
        parent[head] = tail[first]
        depth[head] = len(levels)
        frontier = head
    return parent, depth, levels


def bridges(graph: Graph, *, min_cut_off: int = 1) -> list[Bridge]:
    """Every link pair whose removal would split its cluster, most consequential
    first (``cut_off``: how many subjects it alone joins to the rest).

    Exact and deterministic, without recursion (Tarjan's 1974 method for any
    spanning tree): number a breadth-first forest in preorder; the tree edge
    into a subtree is a bridge exactly when no other edge leaves the subtree,
    i.e. when every non-tree edge from inside lands inside its preorder range.
    """
    n = graph.node_count
    if not graph.edge_count:
        return []
    parent, _, levels = _forest(graph)
    size = np.ones(n, np.int64)
    for level in reversed(levels[1:]):
        np.add.at(size, parent[level], size[level])
    # Preorder: a child comes after its parent and after all earlier siblings' subtrees.
    pre = np.zeros(n, np.int64)
    roots = levels[0]
    pre[roots] = np.r_[0, np.cumsum(size[roots])[:-1]]
    for level in levels[1:]:
        level = level[np.argsort(parent[level], kind="stable")]
        parents = parent[level]
        before = np.cumsum(size[level]) - size[level]
        group_start = np.r_[True, parents[1:] != parents[:-1]]
        before -= np.maximum.accumulate(np.where(group_start, before, 0))
        pre[level] = pre[parents] + 1 + before
    # Lowest and highest preorder reachable from each node by one edge other
    # than the one to its parent, then over each subtree.
    tail = np.repeat(np.arange(n), np.diff(graph.indptr))
    head = graph.indices.astype(np.int64)
    other = parent[tail] != head
    tail, head = tail[other], head[other]
    low = pre.copy()
    high = pre.copy()
    np.minimum.at(low, tail, pre[head])
    np.maximum.at(high, tail, pre[head])
    for level in reversed(levels[1:]):
        np.minimum.at(low, parent[level], low[level])
        np.maximum.at(high, parent[level], high[level])
    child = np.flatnonzero((parent >= 0) & (low >= pre) & (high < pre + size))
    cluster_size = np.bincount(graph.cluster_labels)[graph.cluster_labels[child]]
    cut_off = np.minimum(size[child], cluster_size - size[child])
    keep = cut_off >= min_cut_off
    child, cut_off = child[keep], cut_off[keep]
    order = np.lexsort((graph.ids[child], -cut_off))
    found = []
    for c, cut in zip(child[order], cut_off[order]):
        p = int(parent[c])
        a, b = sorted((int(graph.ids[p]), int(graph.ids[c])))
        edge = graph.edge_between(p, int(c))
        assert edge is not None  # p is c's parent in the spanning forest, so they are linked
        found.append(Bridge((a, b), tuple(int(x) for x in graph.links_between(edge)), int(cut)))
    return found


# --- paths and neighbourhoods --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One hop of a path: two subjects and the links between them (strongest grade first)."""

    source: int
    target: int
    link_ids: tuple[int, ...]
    link_types: tuple[int, ...]


@dataclass(frozen=True)
class Path:
    subjects: tuple[int, ...]
    steps: tuple[Step, ...]

    @property
    def hops(self) -> int:
        return len(self.steps)


def shortest_path(graph: Graph, source_id: int, target_id: int, *, max_hops: int | None = None) -> Path | None:
    """How ``source_id`` is connected to ``target_id``: the fewest hops, and
    the links on each hop; None when they are not connected (within
    ``max_hops``). Breadth-first from both ends, one whole level at a time
    from the smaller side, so a near pair costs little on a large network."""
    a, b = graph.index(source_id), graph.index(target_id)
    if a == b:
        return Path((int(graph.ids[a]),), ())
    n = graph.node_count
    indices = graph.indices
    dist = [np.full(n, _NO, np.int32), np.full(n, _NO, np.int32)]
    parent = [np.full(n, _NO, np.int64), np.full(n, _NO, np.int64)]
    frontier = [np.array([a]), np.array([b])]
    dist[0][a] = dist[1][b] = 0
    radius = [0, 0]
    meeting = None
    while len(frontier[0]) and len(frontier[1]):
        if max_hops is not None and radius[0] + radius[1] >= max_hops:
            return None
        side = 0 if _work(graph, frontier[0]) <= _work(graph, frontier[1]) else 1
        tail, head = _expand(graph.indptr, indices, frontier[side])
        fresh = dist[side][head] == _NO
        tail, head = tail[fresh], head[fresh]
        head, first = np.unique(head, return_index=True)
        radius[side] += 1
        dist[side][head] = radius[side]
        parent[side][head] = tail[first]
        frontier[side] = head
        met = head[dist[1 - side][head] != _NO]
        if len(met):
            meeting = int(met[np.argmin(dist[1 - side][met])])
            break
    if meeting is None:
        return None
    forward = [meeting]
    while forward[-1] != a:
        forward.append(int(parent[0][forward[-1]]))
    backward = [meeting]
    while backward[-1] != b:
        backward.append(int(parent[1][backward[-1]]))
    nodes = forward[::-1] + backward[1:]
    steps = []
    for x, y in zip(nodes, nodes[1:]):
        edge = graph.edge_between(x, y)
        assert edge is not None  # consecutive subjects on the path are linked
        rows = graph.edge_link_rows(edge)
        steps.append(
            Step(
                int(graph.ids[x]),
                int(graph.ids[y]),
                tuple(int(i) for i in graph.links.ids[rows]),
                tuple(int(t) for t in graph.links.kind[rows]),
            )
        )
    return Path(tuple(int(graph.ids[i]) for i in nodes), tuple(steps))


def _work(graph, frontier):
    return int((graph.indptr[frontier + 1] - graph.indptr[frontier]).sum())


@dataclass(frozen=True, eq=False)
class Neighbourhood:
    """A subject's network out to ``hops``: the subjects reached (centre first),
    how many hops away each is, and every edge among them with its links."""

    centre: int
    subjects: np.ndarray
    distance: np.ndarray
    kinds: np.ndarray
    edge_sources: np.ndarray
    edge_targets: np.ndarray
    edge_link_ids: tuple[tuple[int, ...], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "centre": self.centre,
            "subjects": [
                {"id": int(s), "hops": int(d), "kind": int(k)}
                for s, d, k in zip(self.subjects, self.distance, self.kinds)
            ],
            "links": [
                {"source": int(s), "target": int(t), "link_ids": list(ids)}
                for s, t, ids in zip(self.edge_sources, self.edge_targets, self.edge_link_ids)
            ],
        }


def neighbourhood(graph: Graph, subject_id: int, *, hops: int = 2) -> Neighbourhood:
    """Everyone within ``hops`` links of the subject and every edge among them
    (the induced subgraph, as networkx's ego_graph), for the network view."""
    centre = graph.index(subject_id)
    nodes = np.array([centre], np.int64)
    frontier = nodes
    sizes = [1]
    for _ in range(hops):
        _, head = _expand(graph.indptr, graph.indices, frontier)
        frontier = np.setdiff1d(head, nodes)
        nodes = np.r_[nodes, frontier]
        sizes.append(len(frontier))
    distance = np.repeat(np.arange(hops + 1), sizes)
    tail, positions = _entries(graph.indptr, nodes)
    head = graph.indices[positions]
    edges = np.sort(graph.entry_edge[positions[(tail < head) & np.isin(head, nodes)]])
    return Neighbourhood(
        centre=int(graph.ids[centre]),
        subjects=graph.ids[nodes],
        distance=distance,
        kinds=graph.kind[nodes],
        edge_sources=graph.ids[graph.edge_u[edges]],
        edge_targets=graph.ids[graph.edge_v[edges]],
        edge_link_ids=tuple(tuple(int(i) for i in graph.links_between(e)) for e in edges),
    )


# --- children and adults -------------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    """An adult and the children directly linked with them."""

    adult: int
    children: tuple[int, ...]


def shared_adults(
    graph: Graph, *, min_children: int = 2, adult_kinds: Iterable[int] = (Kind.ADULT,), child_id: int | None = None
) -> list[Exposure]:
    """Adults linked with at least ``min_children`` children, most children
    first; with ``child_id``, only the adults that child is linked with (so
    the list reads "exposed to the same adult as this child")."""
    u, v = graph.edge_u, graph.edge_v
    adult_kinds = np.asarray(list(adult_kinds), np.int8)
    is_child = graph.kind == Kind.CHILD
    is_adult = np.isin(graph.kind, adult_kinds)
    adults = np.r_[u[is_adult[u] & is_child[v]], v[is_adult[v] & is_child[u]]]
    children = np.r_[v[is_adult[u] & is_child[v]], u[is_adult[v] & is_child[u]]]
    if child_id is not None:
        mine = adults[children == graph.index(child_id)]
        keep = np.isin(adults, mine)
        adults, children = adults[keep], children[keep]
    order = np.lexsort((graph.ids[children], adults))
    adults, children = adults[order], children[order]
    exposures = []
    if len(adults):
        bounds = np.r_[np.flatnonzero(np.r_[True, adults[1:] != adults[:-1]]), len(adults)]
        for s, e in zip(bounds[:-1], bounds[1:]):
            if e - s >= min_children:
                exposures.append(Exposure(int(graph.ids[adults[s]]), tuple(int(c) for c in graph.ids[children[s:e]])))
    exposures.sort(key=lambda x: (-len(x.children), x.adult))
    return exposures


# --- new-link alerts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Joined:
    """Children a new link connects to persons of concern and/or children at
    High level they were not connected with before. ``direct`` when one of
    these children is linked straight to one of them."""

    children: tuple[int, ...]
    persons_of_concern: tuple[int, ...]
    high_level_children: tuple[int, ...]
    direct: bool

    @property
    def reason(self) -> str:
        parts = []
        if self.persons_of_concern:
            parts.append(f"{len(self.persons_of_concern)} person(s) of concern")
        if self.high_level_children:
            parts.append(f"{len(self.high_level_children)} child(ren) at High level")
        how = "directly" if self.direct else "through the cluster"
        return f"Links {len(self.children)} child(ren) {how} to " + " and ".join(parts)


@dataclass(frozen=True)
class Alert:
    """Why accepting a link should be told to the coordinator and to the lead
    professionals of the children concerned: one ``Joined`` per side of the
    link that gains something to worry about."""

    link: tuple[int, int]
    joined: tuple[Joined, ...]

    @property
    def children(self) -> tuple[int, ...]:
        return tuple(sorted({c for j in self.joined for c in j.children}))

    @property
    def direct(self) -> bool:
        return any(j.direct for j in self.joined)


def link_alert(graph: Graph, source_id: int, target_id: int, *, high_level: int = HIGH_LEVEL) -> Alert | None:
    """Whether accepting a link between two subjects must raise an alert.

    ``graph`` is the network as it stands without the new link. A link
    between two clusters connects the children of each to everyone in the
    other: it alerts for a side whose children thereby reach a person of
    concern or a child at High level. A link inside one cluster connects
    nobody new, so it alerts only when it links a child straight to such a
    person (closer than before). None when there is nothing to tell.
    """
    a, b = graph.index(source_id), graph.index(target_id)
    labels = graph.cluster_labels
    is_child = graph.kind == Kind.CHILD
    is_high = is_child & (graph.level >= high_level)
    concerning = graph.of_concern | is_high

    def found(nodes, children, direct):
        nodes = nodes[concerning[nodes]]
        poc = tuple(sorted(int(x) for x in graph.ids[nodes[graph.of_concern[nodes]]]))
        high = tuple(sorted(int(x) for x in graph.ids[nodes[is_high[nodes]]]))
        kids = tuple(sorted(int(x) for x in graph.ids[children]))
        return Joined(kids, poc, high, direct) if poc or high else None

    joined = []
    if labels[a] != labels[b]:
        for mine, theirs in ((a, b), (b, a)):
            members = np.flatnonzero(labels == labels[mine])
            children = members[is_child[members]]
            if len(children):
                side = found(
                    np.flatnonzero(labels == labels[theirs]), children, bool(is_child[mine] and concerning[theirs])
                )
                if side:
                    joined.append(side)
    else:
        for mine, theirs in ((a, b), (b, a)):
            if is_child[mine] and concerning[theirs]:
                joined.append(found(np.array([theirs]), np.array([mine]), True))
    return Alert((int(graph.ids[a]), int(graph.ids[b])), tuple(joined)) if joined else None


# --- judging partitions --------------------------------------------------------------------------


def _contingency(a, b):
    a = np.unique(np.asarray(a), return_inverse=True)[1].ravel()
    b = np.unique(np.asarray(b), return_inverse=True)[1].ravel()
    if len(a) != len(b):
        raise ValueError("Both labellings must cover the same items")
    pairs = a.astype(np.int64) * (int(b.max()) + 1 if len(b) else 1) + b
    return np.unique(pairs, return_counts=True)[1], np.bincount(a), np.bincount(b)


def _pairs(counts):
    counts = counts.astype(np.float64)
    return float((counts * (counts - 1) / 2).sum())


def adjusted_rand_index(truth: npt.ArrayLike, found: npt.ArrayLike) -> float:
    """Agreement of two labellings corrected for chance (Hubert and Arabie):
    1 identical, about 0 random."""
    joint, a, b = _contingency(truth, found)
    n = float(len(np.asarray(truth)))
    total = n * (n - 1) / 2
    if total == 0:
        return 1.0
    index, sum_a, sum_b = _pairs(joint), _pairs(a), _pairs(b)
    expected = sum_a * sum_b / total
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def normalised_mutual_information(truth: npt.ArrayLike, found: npt.ArrayLike) -> float:
    """Mutual information over the mean of the two entropies (arithmetic, as
    scikit-learn's default): 1 identical, 0 independent."""
    joint, a, b = _contingency(truth, found)
    n = float(len(np.asarray(truth)))
    if n == 0:
        return 1.0

    def entropy(counts):
        p = counts[counts > 0] / n
        return float(-(p * np.log(p)).sum())

    h_a, h_b = entropy(a), entropy(b)
    if h_a == 0 and h_b == 0:
        return 1.0
    mutual = h_a + h_b - entropy(joint)
    return max(0.0, mutual / ((h_a + h_b) / 2))
