"""Loading subjects and links from the database into the pure network
analysis (hoth.analytics.network), and naming its answers again.

The analysis speaks in subject ids; `Network` keeps the graph with what a
page needs to show each node (its reference, name and kind), loaded once, so
a page of a thousand nodes costs a few queries, not a thousand.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from hoth.analytics import network
from hoth.intelligence import grading
from hoth.intelligence.models import CONFIDENCE_WEIGHT, NETWORK_LINK_TYPE, Link, LinkType, Subject
from hoth.people.models import years_old
from hoth.screening.models import LEVEL_ORDER, Screening

KIND_CODES = {
    Subject.Kind.PLACE: network.Kind.PLACE,
    Subject.Kind.GROUP: network.Kind.GROUP,
    Subject.Kind.ONLINE: network.Kind.ONLINE_ACCOUNT,
    Subject.Kind.VEHICLE: network.Kind.VEHICLE,
    Subject.Kind.PHONE: network.Kind.PHONE,
}
KIND_NAMES = {
    network.Kind.CHILD: "Child",
    network.Kind.ADULT: "Adult",
    network.Kind.PLACE: "Place",
    network.Kind.GROUP: "Group",
    network.Kind.ONLINE_ACCOUNT: "Online",
    network.Kind.VEHICLE: "Vehicle",
    network.Kind.PHONE: "Phone",
}
TYPE_OF_CODE = {int(code): LinkType(name) for name, code in NETWORK_LINK_TYPE.items()}
LEVEL_RANK = {level.value: rank for rank, level in enumerate(LEVEL_ORDER)}


def is_child(date_of_birth, today):
    return date_of_birth is not None and years_old(date_of_birth, today) < 18


@dataclass(frozen=True)
class Node:
    id: int
    reference: str
    kind: int
    label: str
    of_concern: bool
    level: int
    person_id: int | None
    # A person whose date of birth is not recorded: counted as an adult by the
    # analysis, but not known to be one (a problem profile never names them).
    age_unknown: bool = False

    @property
    def kind_name(self):
        return KIND_NAMES[network.Kind(self.kind)]

    @property
    def level_name(self):
        return LEVEL_ORDER[self.level].label if self.kind == network.Kind.CHILD and self.level else ""


@dataclass(eq=False)
class Network:
    graph: network.Graph
    nodes: dict = field(default_factory=dict)  # subject id -> Node
    link_types: dict = field(default_factory=dict)  # link id -> LinkType

    def node(self, subject_id):
        return self.nodes[int(subject_id)]


def load_subjects(subjects, today, *, user=None, only=None):
    """Subject rows as the analysis's columns, and a Node for each; `only`
    limits them to some ids (read in chunks). A child's level is their casework:
    with a user, only the levels of the children whose screenings they may
    read (an analyst sees a child named in intelligence, not their casework)."""
    screenings = Screening.objects.all() if user is None else Screening.objects.visible_to(user)
    latest = (
        screenings.filter(person=OuterRef("person"), status=Screening.Status.COMPLETE)
        .order_by("-completed_at", "-pk")
        .values("level")[:1]
    )
    rows = subjects.annotate(level=Subquery(latest)).values_list(
        "pk",
        "reference",
        "kind",
        "of_concern",
        "person_id",
        "person__date_of_birth",
        "person__given_names",
        "person__family_name",
        "context__name",
        "vehicle__registration",
        "phone__e164",
        "level",
    )
    if only is None:
        rows = list(rows)
    else:
        rows = [row for chunk in _chunks(only) for row in rows.filter(pk__in=chunk)]
    nodes = {}
    for pk, reference, kind, concern, person_id, dob, given, family, context, registration, phone, level in rows:
        if kind == Subject.Kind.PERSON:
            code = network.Kind.CHILD if is_child(dob, today) else network.Kind.ADULT
            label = f"{given} {family}"
        else:
            code = KIND_CODES[kind]
            label = context or (f"Vehicle {registration}" if registration else f"Phone {phone}")
        rank = LEVEL_RANK.get(level or "", 0) if code == network.Kind.CHILD else 0
        nodes[pk] = Node(
            pk,
            reference,
            int(code),
            label,
            bool(concern),
            rank,
            person_id,
            age_unknown=kind == Subject.Kind.PERSON and dob is None,
        )
    columns = network.Subjects(
        ids=np.fromiter(nodes, np.int64, len(nodes)),
        kind=np.array([n.kind for n in nodes.values()], np.int8),
        of_concern=np.array([n.of_concern for n in nodes.values()], bool),
        level=np.array([n.level for n in nodes.values()], np.int8),
    )
    return columns, nodes


LINK_COLUMNS = (
    "pk",
    "source_id",
    "target_id",
    "type",
    "valid_from",
    "valid_to",
    "scheme",
    "source_evaluation",
    "intelligence_assessment",
    "confidence",
)


def load_links(links):
    """Accepted link rows as the analysis's columns."""
    return link_columns(list(links.values_list(*LINK_COLUMNS)))


def link_columns(rows):
    """Rows of LINK_COLUMNS as the analysis's columns, and each link's type by id."""
    grades = grading.grade_table()
    n = len(rows)
    columns = list(zip(*rows)) if rows else [()] * len(LINK_COLUMNS)
    ids, source, target, types, valid_from, valid_to, scheme, source_eval, assessment, confidence = columns
    link_types = {pk: LinkType(t) for pk, t in zip(ids, types)}
    return network.Links(
        ids=np.fromiter(ids, np.int64, n),
        source=np.fromiter(source, np.int64, n),
        target=np.fromiter(target, np.int64, n),
        kind=np.fromiter((NETWORK_LINK_TYPE[t] for t in types), np.int16, n),
        valid_from=np.array([np.datetime64(d) if d else np.datetime64("NaT") for d in valid_from], "datetime64[D]"),
        valid_to=np.array([np.datetime64(d) if d else np.datetime64("NaT") for d in valid_to], "datetime64[D]"),
        grade=np.fromiter((grades.get(key, 0) for key in zip(scheme, source_eval, assessment)), np.int16, n),
        confidence=np.fromiter((CONFIDENCE_WEIGHT[c] for c in confidence), np.float64, n),
    ), link_types


def load_network(*, user=None, selection=None, today=None):
    """The network of accepted links (and every subject), as `user` may see
    it: their visible subjects and links; without a user, all of it."""
    subjects = Subject.objects.all() if user is None else Subject.objects.visible_to(user)
    links = Link.objects.accepted() if user is None else Link.objects.visible_to(user).accepted()
    return _read_all(subjects, links, user=user, selection=selection, today=today)


def _read_all(subjects, links, *, user, selection, today):
    today = today or timezone.localdate()
    subject_columns, nodes = load_subjects(subjects, today, user=user)
    link_columns, link_types = load_links(links)
    graph = network.build_graph(subject_columns, link_columns, selection)
    return Network(graph, nodes, link_types)


# Ids per query when reading around a subject: well inside SQLite's limit on bound parameters.
CHUNK = 2000


def _chunks(ids):
    ids = sorted(ids)
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _touching(links, subject_ids):
    """Rows of the links with an end among `subject_ids`."""
    rows = {}
    for chunk in _chunks(subject_ids):
        rows.update(
            (row[0], row)
            for row in links.filter(Q(source__in=chunk) | Q(target__in=chunk)).order_by().values_list(*LINK_COLUMNS)
        )
    return list(rows.values())


def load_around(subject_id, *, user, selection=None, hops=2, today=None):
    """The part of the network within `hops` links of one subject, as `user`
    may see it, read ring by ring from the links of the ring before.

    A subject's page then costs a few queries over the links near it, however
    large the partnership's network: the whole network is read only by the
    pages that analyse all of it. Every subject within `hops` of the centre and
    every kept link among them is loaded, so `network.neighbourhood(...,
    hops=hops)` and `network.shared_adults(..., child_id=...)` answer exactly
    as they would on the whole network."""
    selection = selection or network.Selection()
    links = Link.objects.accepted() if user is None else Link.objects.visible_to(user).accepted()
    reached, ring, kept = {subject_id}, {subject_id}, {}
    for _ in range(hops):
        ring = _ring_beyond(ring, reached, kept, links, selection)
    # The links among the outer ring, which join subjects already reached.
    kept.update(
        (row[0], row)
        for row in _chosen(
            [row for row in _touching(links, ring) if row[1] in reached and row[2] in reached], selection
        )
    )
    return _network_of(reached, kept, user=user, selection=selection, today=today)


# Past this many subjects, the network is read in one pass: ring by ring, a
# cluster holding most of the network costs a query per two thousand subjects.
RINGS_UP_TO = 50_000


def load_joined_by(link, *, selection=None, today=None):
    """Enough of the network, as it stood without `link` and as nobody in
    particular sees it, to tell what the link connects
    (`network.link_alert`): read ring by ring from both its ends until the
    two meet (one cluster, in which the link connects nobody new) or no link
    leads further (two clusters, each read whole). Alerts then tell each
    person only what they may see."""
    selection = selection or network.Selection()
    links = Link.objects.accepted().exclude(pk=link.pk)
    ends = [{link.source_id}, {link.target_id}]
    rings, kept = [set(end) for end in ends], {}
    while any(rings) and not ends[0] & ends[1]:
        for side in (0, 1):
            rings[side] = _ring_beyond(rings[side], ends[side], kept, links, selection)
        if len(ends[0]) + len(ends[1]) > RINGS_UP_TO:
            return _read_all(Subject.objects.all(), links, user=None, selection=selection, today=today)
    return _network_of(ends[0] | ends[1], kept, user=None, selection=selection, today=today)


def _chosen(rows, selection):
    columns, _ = link_columns(rows)
    return [row for row, keep in zip(rows, selection.mask(columns)) if keep]


def _ring_beyond(ring, reached, kept, links, selection):
    """The subjects one link beyond `ring` not yet reached; the links to them
    join `kept` and the subjects `reached`."""
    rows = _chosen([row for row in _touching(links, ring) if row[0] not in kept], selection)
    kept.update((row[0], row) for row in rows)
    ring = {end for row in rows for end in row[1:3]} - reached
    reached |= ring
    return ring


def _network_of(subject_ids, kept, *, user, selection, today):
    subjects = Subject.objects.all() if user is None else Subject.objects.visible_to(user)
    subject_columns, nodes = load_subjects(subjects, today or timezone.localdate(), user=user, only=subject_ids)
    link_cols, link_types = link_columns(list(kept.values()))
    return Network(network.build_graph(subject_columns, link_cols, selection), nodes, link_types)


def current_selection(today=None, **filters):
    """Links valid today: what "the network" means unless the analyst asks otherwise."""
    today = today or timezone.localdate()
    return network.Selection(start=np.datetime64(today), end=np.datetime64(today), **filters)
