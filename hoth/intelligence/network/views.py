"""Network pages: the partnership's network (clusters, hubs, bridges, children
exposed to the same adult), one cluster, a subject's network out to two hops
(drawn with Cytoscape.js beside a table that is the record), and the shortest
path between two subjects. Every page is built from the network as the viewer
may see it: the whole network for the pages that analyse all of it
(hoth.intelligence.network.data.load_network), the links near one subject for
its own network (load_around)."""

from dataclasses import dataclass

import numpy as np
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from hoth.access.decorators import allowed
from hoth.analytics import network
from hoth.audit import log
from hoth.intelligence import grading
from hoth.intelligence.forms import NetworkFilterForm, PathForm
from hoth.intelligence.models import NETWORK_LINK_TYPE, LinkType, Subject
from hoth.intelligence.network.data import load_around, load_network
from hoth.intelligence.views.subjects import get_subject

TOP = 15
# A subject's own network: the people and things linked to it, and theirs.
HOPS = 2
# A cluster page lists every member; a drawing is readable up to about this many.
MOST_LISTED = 2000
MOST_DRAWN = 150


@dataclass(frozen=True)
class Filters:
    selection: network.Selection
    query: str
    described: str


def _day(value):
    return f"{value:%-d %B %Y}"


def filters(request):
    """The selection the filter form asks for: links valid today unless a
    window is given, of any grading and kind unless limited."""
    form = NetworkFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate()
    start, end = data.get("start"), data.get("end")
    if not start and not end:
        start = end = today
    grades = grading.allowed_grades(
        min_intelligence=data.get("min_intelligence") or None, max_source=data.get("max_source") or None
    )
    types = tuple(int(NETWORK_LINK_TYPE[t]) for t in data.get("types") or []) or None
    selection = network.Selection(
        start=np.datetime64(start) if start else None,
        end=np.datetime64(end) if end else None,
        grades=grades,
        types=types,
    )
    if start == end:
        words = [f"valid on {_day(end)}"]
    else:
        words = [f"valid between {_day(start) if start else 'the beginning'} and {_day(end) if end else 'now'}"]
    if data.get("min_intelligence"):
        words.append(f"intelligence assessed {data['min_intelligence']} or better")
    if data.get("max_source"):
        words.append(f"sources graded {data['max_source']} or better")
    if types:
        words.append("of the kinds: " + ", ".join(LinkType(t).label.lower() for t in data["types"]))
    query = urlencode([(k, v) for k, values in request.GET.lists() if k != "page" for v in values])
    return form, Filters(selection, query, "Links " + "; ".join(words))


def _audit(request, net, subject_ids, **detail):
    people = sorted({net.node(s).person_id for s in subject_ids if net.node(s).person_id})
    log.record("view", request=request, detail={"network": True, **detail}, people=people)


def _cluster_rows(net, partition):
    graph = net.graph
    rows = []
    for label in range(partition.count):
        if partition.sizes[label] < 3 or len(rows) >= TOP:
            break
        members = np.flatnonzero(partition.labels == label)
        kinds = graph.kind[members]
        children = kinds == network.Kind.CHILD
        rows.append(
            {
                "anchor": net.node(graph.ids[members[np.argmax(graph.degree[members])]]),
                "size": int(partition.sizes[label]),
                "children": int(children.sum()),
                "concern": int(graph.of_concern[members].sum()),
                "high": int((children & (graph.level[members] >= network.HIGH_LEVEL)).sum()),
                "places": int((kinds == network.Kind.PLACE).sum()),
            }
        )
    return rows


@allowed("network.view")
def overview(request):
    form, chosen = filters(request)
    net = load_network(user=request.user, selection=chosen.selection)
    graph = net.graph
    analysis = network.analyse(graph)
    clusters = _cluster_rows(net, analysis.clusters)
    hubs = [(net.node(h.subject), h) for h in analysis.hubs.top(graph, TOP) if h.degree > 0]
    bridges = [
        (net.node(b.subjects[0]), net.node(b.subjects[1]), b) for b in network.bridges(graph, min_cut_off=2)[:TOP]
    ]
    exposures = [(net.node(e.adult), [net.node(c) for c in e.children]) for e in network.shared_adults(graph)[:TOP]]
    shown = (
        [c["anchor"].id for c in clusters]
        + [n.id for n, _ in hubs]
        + [n.id for a, b, _ in bridges for n in (a, b)]
        + [n.id for a, kids in exposures for n in [a, *kids]]
    )
    _audit(request, net, shown, page="overview")
    return render(
        request,
        "intelligence/network.html",
        {
            "form": form,
            "filters": chosen,
            "graph": graph,
            "clusters": clusters,
            "hubs": hubs,
            "bridges": bridges,
            "exposures": exposures,
            "hub_method": analysis.hubs.method,
            "linked": int((graph.degree > 0).sum()),
            "cluster_count": int((analysis.clusters.sizes >= 2).sum()),
            "community_count": int((analysis.communities.sizes >= 3).sum()),
            "community_method": analysis.communities.method,
        },
    )


@allowed("network.view")
def cluster(request, reference):
    """The cluster (connected component) the subject belongs to: its members
    ranked as hubs within it, its communities and its places."""
    subject = get_subject(request, reference, "network.view")
    form, chosen = filters(request)
    net = load_network(user=request.user, selection=chosen.selection)
    graph = net.graph
    labels = graph.cluster_labels
    members = graph.ids[labels == labels[graph.index(subject.pk)]]
    if len(members) > MOST_LISTED:
        raise Http404("This cluster is too large to list: narrow the filters")
    inner = network.subgraph(graph, members)
    analysis = network.analyse(inner)
    rows = sorted(
        (
            {
                "node": net.node(s),
                "degree": int(analysis.hubs.degree[i]),
                "betweenness": float(analysis.hubs.betweenness[i]),
                "community": int(analysis.communities.labels[i]) + 1,
            }
            for i, s in enumerate(inner.ids)
        ),
        key=lambda r: (-r["betweenness"], -r["degree"], r["node"].reference),
    )
    _audit(request, net, inner.ids.tolist(), page="cluster", anchor=subject.reference)
    return render(
        request,
        "intelligence/cluster.html",
        {
            "subject": subject,
            "form": form,
            "filters": chosen,
            "rows": rows,
            "places": [r for r in rows if r["node"].kind == network.Kind.PLACE],
            "size": len(rows),
            "hub_method": analysis.hubs.method,
            "drawing": drawing(net, inner, centre=subject.pk) if len(rows) <= MOST_DRAWN else None,
            "communities": int(analysis.communities.count),
            "community_method": analysis.communities.method,
        },
    )


@allowed("network.view")
def subject_network(request, reference):
    """A subject's network out to two hops, and for a child the adults they
    share with other children."""
    subject = get_subject(request, reference, "network.view")
    form, chosen = filters(request)
    net = load_around(subject.pk, user=request.user, selection=chosen.selection, hops=HOPS)
    hood = network.neighbourhood(net.graph, subject.pk, hops=HOPS)
    adults = []
    if net.node(subject.pk).kind == network.Kind.CHILD:
        adults = [
            (net.node(e.adult), [net.node(c) for c in e.children if c != subject.pk])
            for e in network.shared_adults(net.graph, child_id=subject.pk)
        ]
    _audit(request, net, hood.subjects.tolist(), page="subject network", centre=subject.reference)
    return render(
        request,
        "intelligence/subject_network.html",
        {
            "subject": subject,
            "form": form,
            "filters": chosen,
            "drawing": drawing(net, hood, centre=subject.pk),
            "adults": adults,
        },
    )


def drawing(net, part, *, centre):
    """Nodes and edges of a neighbourhood or a (sub)graph, for the page's
    tables, from which the script draws the picture."""
    if isinstance(part, network.Neighbourhood):
        ids, hops = part.subjects, part.distance
        edges = zip(part.edge_sources, part.edge_targets, part.edge_link_ids)
    else:
        ids, hops = part.ids, np.zeros(len(part.ids), np.int64)
        edges = (
            (part.ids[u], part.ids[v], tuple(part.links_between(e)))
            for e, (u, v) in enumerate(zip(part.edge_u, part.edge_v))
        )
    nodes = [{"node": net.node(s), "hops": int(h), "centre": int(s) == centre} for s, h in zip(ids, hops)]
    links = [
        {
            "source": net.node(s),
            "target": net.node(t),
            "link_ids": [int(i) for i in link_ids],
            "types": sorted({net.link_types[int(i)].label for i in link_ids}),
        }
        for s, t, link_ids in edges
    ]
    return {"nodes": nodes, "links": links}


@allowed("network.view")
def path(request):
    """How is this child connected to this adult? The fewest hops, and the links on each."""
    form = PathForm(request.GET or None)
    found = ends = None
    if form.is_bound and form.is_valid():
        visible = Subject.objects.visible_to(request.user)
        source = visible.filter(reference=form.cleaned_data["source"]).first()
        target = visible.filter(reference=form.cleaned_data["target"]).first()
        for field, subject in (("source", source), ("target", target)):
            if subject is None:
                form.add_error(field, "Enter the reference of a subject you can see")
        if source and target:
            _, chosen = filters(request)
            net = load_network(user=request.user, selection=chosen.selection)
            ends = (net.node(source.pk), net.node(target.pk))
            route = network.shortest_path(net.graph, source.pk, target.pk)
            found = {"path": route, "steps": []}
            if route:
                found["steps"] = [
                    {
                        "source": net.node(step.source),
                        "target": net.node(step.target),
                        "links": [(i, net.link_types[i].label) for i in step.link_ids],
                    }
                    for step in route.steps
                ]
            _audit(request, net, list(route.subjects) if route else [source.pk, target.pk], page="path")
    return render(request, "intelligence/path.html", {"form": form, "found": found, "ends": ends})
