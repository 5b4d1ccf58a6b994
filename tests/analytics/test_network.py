"""Network analysis: the analytics find what was planted, and every answer
rests on the links a practitioner can open."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoth.analytics import network
from hoth.analytics.network import Kind, Links, LinkType, Selection, Subjects
from hoth.synthetic.planted_network import planted_network, planted_noise

CHILD, ADULT, PLACE = Kind.CHILD, Kind.ADULT, Kind.PLACE


def make_graph(kinds, pairs, *, of_concern=(), levels=None, selection=None, **columns):
    """Subjects 1..n (ids = 100 + position) and links between them, ids 1..m."""
    ids = 100 + np.arange(len(kinds))
    concern = np.isin(ids, list(of_concern))
    level = np.zeros(len(kinds)) if levels is None else [levels.get(int(i), 0) for i in ids]
    source = [a for a, _ in pairs]
    target = [b for _, b in pairs]
    links = Links(source, target, ids=np.arange(1, len(pairs) + 1), **columns)
    return network.build_graph(Subjects(ids, kinds, concern, level), links, selection)


def as_networkx(graph):
    g = nx.Graph()
    g.add_nodes_from(graph.ids.tolist())
    g.add_edges_from(zip(graph.ids[graph.edge_u].tolist(), graph.ids[graph.edge_v].tolist()))
    return g


@st.composite
def random_graphs(draw, max_nodes=30):
    n = draw(st.integers(1, max_nodes))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    kinds = draw(st.lists(st.sampled_from([CHILD, ADULT, PLACE]), min_size=n, max_size=n))
    return make_graph(kinds, [(100 + a, 100 + b) for a, b in pairs])


# --- the planted network -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted():
    return planted_network(3_000, 15_000, seed=7, hub_every=300)


@pytest.fixture(scope="module")
def planted_graph(planted):
    return network.build_graph(planted.subjects, planted.links, planted.selection)


def truth_in_graph_order(planted, graph):
    return planted.groups[np.argsort(planted.subjects.ids)][np.searchsorted(np.sort(planted.subjects.ids), graph.ids)]


def test_the_planted_generator_is_seeded(planted):
    again = planted_network(3_000, 15_000, seed=7, hub_every=300)
    assert np.array_equal(again.links.source, planted.links.source)
    assert np.array_equal(again.groups, planted.groups)
    other = planted_network(3_000, 15_000, seed=8, hub_every=300)
    assert not np.array_equal(other.links.source, planted.links.source)


def test_the_planted_network_has_the_shape_it_promises(planted):
    assert len(planted.subjects) == 3_000
    assert len(planted.links) == 15_000
    sizes = np.bincount(planted.groups)
    assert sizes.min() >= 5 and sizes.max() <= 34  # the last group may absorb a short remainder
    assert len(planted.hubs) == 10
    hubs = np.isin(planted.subjects.ids, planted.hubs)
    assert (planted.subjects.kind[hubs] == ADULT).all() and planted.subjects.of_concern[hubs].all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_communities_recover_the_planted_groups(seed):
    planted = planted_network(3_000, 15_000, seed=seed)
    graph = network.build_graph(planted.subjects, planted.links, planted.selection)
    found = network.communities(graph)
    truth = truth_in_graph_order(planted, graph)
    # Groups of five with four links between them cannot all be found; the rest are.
    assert network.adjusted_rand_index(truth, found.labels) > 0.9
    assert network.normalised_mutual_information(truth, found.labels) > 0.95
    assert "Leiden" in found.method


def test_the_constant_potts_model_recovers_them_too(planted, planted_graph):
    found = network.communities(planted_graph, method="cpm")
    assert network.adjusted_rand_index(truth_in_graph_order(planted, planted_graph), found.labels) > 0.9


def test_plain_modularity_would_merge_the_small_groups(planted, planted_graph):
    # Why communities() scales the resolution: at resolution 1 small groups
    # sharing one link are merged, and recovery collapses.
    density = 2 * planted_graph.weight.sum() / planted_graph.node_count**2
    merged = network.communities(planted_graph, density=density)
    truth = truth_in_graph_order(planted, planted_graph)
    assert network.adjusted_rand_index(truth, merged.labels) < 0.7
    assert merged.count < network.communities(planted_graph).count


def test_communities_are_seeded_and_lie_inside_clusters(planted_graph):
    first = network.communities(planted_graph, seed=3)
    second = network.communities(planted_graph, seed=3)
    assert np.array_equal(first.labels, second.labels)
    cluster = network.clusters(planted_graph).labels
    for label in range(first.count):
        assert len(np.unique(cluster[first.labels == label])) == 1


def test_the_noise_is_what_the_selection_drops(planted, planted_graph):
    noise = planted_noise(planted)
    assert noise.sum() == int(15_000 * 0.05)
    kept = np.zeros(len(planted.links), bool)
    kept[planted_graph.link_rows] = True
    assert not (kept & noise).any()
    self_links = planted.links.source == planted.links.target
    assert np.array_equal(kept | self_links | noise, np.ones(len(planted.links), bool))


def test_noise_left_in_makes_communities_worse(planted, planted_graph):
    everything = network.build_graph(planted.subjects, planted.links)
    truth = truth_in_graph_order(planted, planted_graph)
    clean = network.adjusted_rand_index(truth, network.communities(planted_graph).labels)
    noisy = network.adjusted_rand_index(truth, network.communities(everything).labels)
    assert everything.edge_count > planted_graph.edge_count
    assert noisy < clean


def test_planted_hubs_rank_top_by_degree_and_exact_betweenness():
    planted = planted_network(900, 3_000, seed=4, hub_every=150, hub_children=(30, 40))
    graph = network.build_graph(planted.subjects, planted.links, planted.selection)
    hubs = network.hubs(graph)
    assert hubs.exact and "exact" in hubs.method
    count = len(planted.hubs)
    assert {h.subject for h in hubs.top(graph, n=count, by="degree")} == set(planted.hubs.tolist())
    assert {h.subject for h in hubs.top(graph, n=count)} == set(planted.hubs.tolist())


def test_on_a_large_network_betweenness_is_estimated_says_so_and_still_finds_the_hubs(planted, planted_graph):
    hubs = network.hubs(planted_graph)
    assert not hubs.exact
    assert hubs.sources == network.DEFAULT_BETWEENNESS_SAMPLES
    assert "approximate" in hubs.method and "64 randomly chosen subjects of 3,000" in hubs.method
    top = {h.subject for h in hubs.top(planted_graph, n=2 * len(planted.hubs))}
    assert set(planted.hubs.tolist()) <= top


def test_hubs_can_be_limited_to_adults(planted, planted_graph):
    top = network.hubs(planted_graph).top(planted_graph, n=20, kinds=[ADULT])
    assert {h.kind for h in top} == {ADULT}


# --- building the graph: windows, grades, types ----------------------------------------------------


def test_a_time_window_keeps_links_valid_at_some_point_within_it():
    day = np.datetime64
    graph = make_graph(
        [CHILD, ADULT, ADULT, ADULT, ADULT],
        [(100, 101), (100, 102), (100, 103), (100, 104)],
        valid_from=[day("2024-01-01"), day("2026-01-01"), None, day("2025-03-01")],
        valid_to=[day("2024-12-31"), None, day("2025-01-15"), day("2025-03-01")],
        selection=Selection(start=day("2025-01-01"), end=day("2025-06-30")),
    )
    # Ended before the window; began after it; open start ending inside; one day inside.
    kept = {tuple(sorted(graph.ids[[u, v]].tolist())) for u, v in zip(graph.edge_u, graph.edge_v)}
    assert kept == {(100, 103), (100, 104)}


def test_a_minimum_grade_and_a_type_filter_drop_links():
    pairs = [(100, 101), (100, 102), (101, 102)]
    kinds = [CHILD, ADULT, PLACE]
    columns = dict(grade=[3, 1, 2], kind=[LinkType.SEEN_WITH, LinkType.SEEN_WITH, LinkType.ASSOCIATED_WITH])
    assert make_graph(kinds, pairs, selection=Selection(min_grade=2), **columns).edge_count == 2
    only_seen = make_graph(kinds, pairs, selection=Selection(types=(LinkType.SEEN_WITH,)), **columns)
    assert set(only_seen.links.ids[only_seen.link_rows].tolist()) == {1, 2}
    both = make_graph(kinds, pairs, selection=Selection(min_grade=2, types=(LinkType.SEEN_WITH,)), **columns)
    assert both.links.ids[both.link_rows].tolist() == [1]


def test_a_set_of_grades_keeps_only_links_graded_so():
    """A grading in two parts (source and intelligence) needs a set, not a threshold."""
    pairs = [(100, 101), (100, 102), (101, 102)]
    graph = make_graph([CHILD, ADULT, PLACE], pairs, grade=[35, 15, 24], selection=Selection(grades=(35, 24)))
    assert sorted(graph.links.ids[graph.link_rows].tolist()) == [1, 3]
    assert "of grades 35, 24" in Selection(grades=(35, 24)).describe()


def test_a_subgraph_keeps_the_chosen_subjects_and_only_the_links_among_them():
    graph = make_graph(
        [CHILD, ADULT, PLACE, CHILD],
        [(100, 101), (101, 102), (102, 103), (100, 103)],
        grade=[2, 2, 2, 0],
        selection=Selection(min_grade=1),
    )
    part = network.subgraph(graph, [103, 100, 101])
    assert part.ids.tolist() == [100, 101, 103]
    assert part.links.ids[part.link_rows].tolist() == [1], "the link to 102 leaves; 100-103 was never kept"
    assert part.selection == graph.selection


def test_a_minimum_grade_splits_a_cluster_held_together_by_a_weak_link():
    graph = make_graph([CHILD, ADULT, ADULT], [(100, 101), (101, 102)], grade=[3, 1])
    assert network.clusters(graph).count == 1
    strict = make_graph([CHILD, ADULT, ADULT], [(100, 101), (101, 102)], grade=[3, 1], selection=Selection(min_grade=2))
    assert network.clusters(strict).count == 2


def test_several_links_between_two_subjects_make_one_edge_that_remembers_them_all():
    graph = make_graph(
        [CHILD, ADULT], [(100, 101), (101, 100), (100, 101)], grade=[1, 3, 2], confidence=[0.5, 0.9, 0.7]
    )
    assert graph.edge_count == 1
    assert graph.links_between(0).tolist() == [2, 3, 1]  # strongest grade first
    assert graph.weight[0] == pytest.approx(0.9)


def test_every_subject_is_a_node_even_unlinked_and_self_links_are_ignored():
    graph = make_graph([CHILD, ADULT, PLACE], [(100, 100)])
    assert graph.node_count == 3 and graph.edge_count == 0
    assert network.clusters(graph).count == 3


def test_unlinked_subjects_are_communities_of_their_own():
    graph = make_graph([CHILD, ADULT, PLACE, CHILD, ADULT], [(100, 101), (101, 102), (102, 100)])
    found = network.communities(graph)
    assert found.sizes.tolist() == [3, 1, 1]
    assert found.of(graph, 103) != found.of(graph, 104)
    empty = network.communities(make_graph([CHILD, ADULT], []))
    assert empty.sizes.tolist() == [1, 1]


def test_a_link_to_an_unknown_subject_is_refused():
    with pytest.raises(ValueError, match=r"Links \[1\] name subjects that were not given"):
        make_graph([CHILD, ADULT], [(100, 999)])


def test_bad_columns_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="unique"):
        Subjects([1, 1], [CHILD, ADULT])
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        Links([1], [2], confidence=[1.5])
    with pytest.raises(ValueError, match="target has 1 values but there are 2 rows"):
        Links([1, 2], [2])


def test_asking_about_someone_who_is_not_in_the_network_is_an_error():
    graph = make_graph([CHILD, ADULT], [(100, 101)])
    with pytest.raises(KeyError):
        network.neighbourhood(graph, 555)


# --- clusters, bridges, paths, neighbourhoods: exact against networkx --------------------------------


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_clusters_are_exactly_the_connected_components(graph):
    found = network.clusters(graph)
    mine = {frozenset(group.tolist()) for group in found.groups(graph, min_size=1)}
    assert mine == {frozenset(c) for c in nx.connected_components(as_networkx(graph))}
    assert list(found.sizes) == sorted(found.sizes, reverse=True)


@settings(max_examples=60, deadline=None)
@given(random_graphs(max_nodes=25))
def test_exact_betweenness_matches_networkx(graph):
    expected = nx.betweenness_centrality(as_networkx(graph))
    hubs = network.hubs(graph)
    assert hubs.exact
    assert hubs.betweenness == pytest.approx([expected[i] for i in graph.ids.tolist()], abs=1e-12)
    assert hubs.degree.tolist() == [len(graph.neighbours(i)) for i in range(graph.node_count)]


def test_sampled_betweenness_is_unbiased():
    planted = planted_network(400, 1_600, seed=5, hub_every=100)
    graph = network.build_graph(planted.subjects, planted.links, planted.selection)
    exact = network.hubs(graph).betweenness
    estimates = np.mean([network.betweenness(graph, samples=40, seed=s)[0] for s in range(25)], axis=0)
    assert estimates.sum() == pytest.approx(exact.sum(), rel=0.05)
    assert np.corrcoef(estimates, exact)[0, 1] > 0.99


@settings(max_examples=80, deadline=None)
@given(random_graphs())
def test_bridges_are_exactly_the_links_whose_loss_splits_a_cluster(graph):
    reference = as_networkx(graph)
    expected = {tuple(sorted(edge)) for edge in nx.bridges(reference)}
    found = network.bridges(graph)
    assert {b.subjects for b in found} == expected
    for bridge in found:
        without = reference.copy()
        without.remove_edge(*bridge.subjects)
        sides = [len(nx.node_connected_component(without, s)) for s in bridge.subjects]
        assert bridge.cut_off == min(sides)
    assert [b.cut_off for b in found] == sorted((b.cut_off for b in found), reverse=True)


def test_a_bridge_names_its_links_and_how_much_it_cuts_off():
    # Two triangles joined by one adult-adult link (two intelligence reports).
    graph = make_graph(
        [CHILD, CHILD, ADULT, ADULT, CHILD, CHILD],
        [(100, 101), (101, 102), (102, 100), (102, 103), (103, 104), (104, 105), (105, 103), (103, 102)],
    )
    [bridge] = network.bridges(graph)
    assert bridge.subjects == (102, 103)
    assert set(bridge.link_ids) == {4, 8}
    assert bridge.cut_off == 3


def test_the_shortest_path_says_which_links_connect_a_child_to_an_adult():
    # child 100 -seen with- adult 101 -associated- place 102 -associated- adult 103, and a longer way round.
    graph = make_graph(
        [CHILD, ADULT, PLACE, ADULT, CHILD, CHILD],
        [(100, 101), (101, 102), (102, 103), (100, 104), (104, 105), (105, 103), (102, 101)],
        kind=[
            LinkType.SEEN_WITH,
            LinkType.ASSOCIATED_WITH,
            LinkType.ASSOCIATED_WITH,
            LinkType.PEER,
            LinkType.PEER,
            LinkType.SEEN_WITH,
            LinkType.FREQUENTS,
        ],
        grade=[2, 1, 2, 2, 2, 2, 3],
    )
    path = network.shortest_path(graph, 100, 103)
    assert path.hops == 3
    assert path.subjects in {(100, 101, 102, 103), (100, 104, 105, 103)}
    steps = {(s.source, s.target): s for s in path.steps}
    if path.subjects[1] == 101:
        assert steps[(101, 102)].link_ids == (7, 2)  # both links, the better graded first
        assert steps[(101, 102)].link_types == (LinkType.FREQUENTS, LinkType.ASSOCIATED_WITH)
    assert network.shortest_path(graph, 103, 100).hops == 3
    assert network.shortest_path(graph, 100, 103, max_hops=2) is None
    assert network.shortest_path(graph, 100, 100).subjects == (100,)


def test_a_path_through_a_filtered_link_is_not_offered():
    pairs = [(100, 101), (101, 102), (100, 103), (103, 104), (104, 102)]
    graph = make_graph(
        [CHILD, ADULT, ADULT, CHILD, PLACE], pairs, grade=[3, 0, 3, 3, 3], selection=Selection(min_grade=1)
    )
    assert network.shortest_path(graph, 100, 102).subjects == (100, 103, 104, 102)
    alone = make_graph([CHILD, ADULT], [(100, 101)], grade=[0], selection=Selection(min_grade=1))
    assert network.shortest_path(alone, 100, 101) is None


@settings(max_examples=80, deadline=None)
@given(random_graphs(), st.data())
def test_shortest_paths_are_shortest_and_run_over_real_links(graph, data):
    a, b = (int(graph.ids[data.draw(st.integers(0, graph.node_count - 1))]) for _ in range(2))
    reference = as_networkx(graph)
    path = network.shortest_path(graph, a, b)
    if not nx.has_path(reference, a, b):
        assert path is None
        return
    assert path.hops == nx.shortest_path_length(reference, a, b)
    assert path.subjects[0] == a and path.subjects[-1] == b
    for step in path.steps:
        assert step.link_ids
        rows = np.isin(graph.links.ids, step.link_ids)
        ends = {frozenset(p) for p in zip(graph.links.source[rows].tolist(), graph.links.target[rows].tolist())}
        assert ends == {frozenset((step.source, step.target))}


@settings(max_examples=80, deadline=None)
@given(random_graphs(), st.data(), st.integers(1, 3))
def test_the_neighbourhood_is_exactly_the_ego_network(graph, data, hops):
    centre = int(graph.ids[data.draw(st.integers(0, graph.node_count - 1))])
    reference = as_networkx(graph)
    expected = nx.ego_graph(reference, centre, radius=hops)
    found = network.neighbourhood(graph, centre, hops=hops)
    assert found.subjects[0] == centre
    assert set(found.subjects.tolist()) == set(expected.nodes)
    distances = nx.single_source_shortest_path_length(reference, centre)
    assert dict(zip(found.subjects.tolist(), found.distance.tolist())) == {n: distances[n] for n in expected.nodes}
    edges = {frozenset(e) for e in zip(found.edge_sources.tolist(), found.edge_targets.tolist())}
    assert edges == {frozenset(e) for e in expected.edges}
    assert all(ids for ids in found.edge_link_ids)


def test_the_neighbourhood_serialises_for_the_network_view():
    graph = make_graph([CHILD, ADULT, PLACE, CHILD], [(100, 101), (101, 102), (102, 103)])
    drawn = network.neighbourhood(graph, 100).as_dict()
    assert drawn["centre"] == 100
    assert [(s["id"], s["hops"]) for s in drawn["subjects"]] == [(100, 0), (101, 1), (102, 2)]
    assert {(link["source"], link["target"]) for link in drawn["links"]} == {(100, 101), (101, 102)}


# --- children exposed to the same adult --------------------------------------------------------------


def test_children_exposed_to_the_same_adult():
    graph = make_graph(
        [CHILD, CHILD, CHILD, ADULT, ADULT, PLACE, CHILD],
        [(103, 100), (101, 103), (103, 102), (104, 102), (104, 106), (105, 100), (105, 101), (100, 101)],
    )
    exposures = network.shared_adults(graph)
    assert [(e.adult, e.children) for e in exposures] == [(103, (100, 101, 102)), (104, (102, 106))]
    # Places are not adults (unless asked for), and a child's own list names only their adults.
    with_places = network.shared_adults(graph, adult_kinds=(ADULT, PLACE))
    assert (105, (100, 101)) in [(e.adult, e.children) for e in with_places]
    assert [e.adult for e in network.shared_adults(graph, child_id=106)] == [104]
    assert network.shared_adults(graph, min_children=3)[0].adult == 103


# --- new-link alerts ---------------------------------------------------------------------------------


def alert_graph():
    # Cluster A: child 100 and child 101 with peer link. Cluster B: adult 102 (of
    # concern) - place 103 - child 104 (High). Cluster C: adult 105 - child 106.
    return make_graph(
        [CHILD, CHILD, ADULT, PLACE, CHILD, ADULT, CHILD],
        [(100, 101), (102, 103), (103, 104), (105, 106)],
        of_concern=[102],
        levels={104: 3, 100: 3},
    )


def test_a_link_joining_a_child_to_a_cluster_with_a_person_of_concern_alerts():
    [joined] = network.link_alert(alert_graph(), 106, 103).joined
    assert joined.children == (106,)
    assert joined.persons_of_concern == (102,) and joined.high_level_children == (104,)
    assert not joined.direct
    assert joined.reason == (
        "Links 1 child(ren) through the cluster to 1 person(s) of concern and 1 child(ren) at High level"
    )


def test_each_side_of_a_link_is_told_what_it_newly_reaches():
    # Cluster A holds High child 100; cluster B holds person of concern 102 and High child 104.
    alert = network.link_alert(alert_graph(), 101, 103)
    sides = {j.children: j for j in alert.joined}
    assert set(sides) == {(100, 101), (104,)}
    assert sides[(100, 101)].persons_of_concern == (102,) and sides[(100, 101)].high_level_children == (104,)
    assert sides[(104,)].persons_of_concern == () and sides[(104,)].high_level_children == (100,)
    assert alert.children == (100, 101, 104) and not alert.direct


def test_a_link_straight_to_a_person_of_concern_is_direct():
    alert = network.link_alert(alert_graph(), 102, 106)
    assert alert.link == (102, 106)
    assert alert.direct and alert.children == (106,)
    assert alert.joined[0].persons_of_concern == (102,)


def test_a_link_between_adults_alerts_for_the_children_it_connects():
    [joined] = network.link_alert(alert_graph(), 105, 102).joined
    assert joined.children == (106,) and not joined.direct
    assert joined.persons_of_concern == (102,) and joined.high_level_children == (104,)


def test_inside_a_cluster_only_a_direct_link_to_someone_concerning_alerts():
    graph = alert_graph()
    # Place 103 and adult 102 are already linked: a second link changes nothing.
    assert network.link_alert(graph, 102, 103) is None
    # Child 104 was two hops from person of concern 102; now linked straight to them.
    [joined] = network.link_alert(graph, 104, 102).joined
    assert joined.direct and joined.children == (104,) and joined.persons_of_concern == (102,)


def test_a_high_level_child_is_not_a_concern_to_itself():
    graph = make_graph([CHILD, ADULT], [], levels={100: 3})
    assert network.link_alert(graph, 100, 101) is None


def test_links_that_join_nobody_to_anything_concerning_do_not_alert():
    graph = make_graph([CHILD, CHILD, ADULT, PLACE], [(100, 101), (102, 103)])
    assert network.link_alert(graph, 100, 102) is None
    assert network.link_alert(graph, 102, 103) is None


# --- judging partitions ------------------------------------------------------------------------------


def test_adjusted_rand_index_and_nmi_match_their_published_values():
    # scikit-learn's documented examples.
    assert network.adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.5714285714)
    assert network.normalised_mutual_information([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.8)
    assert network.adjusted_rand_index([0, 0, 1, 1], [5, 5, 3, 3]) == 1.0
    assert network.normalised_mutual_information([0, 0, 1, 1], [5, 5, 3, 3]) == pytest.approx(1.0)
    assert network.adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0


def test_adjusted_rand_index_is_about_zero_for_random_labels():
    rng = np.random.default_rng(1)
    assert abs(network.adjusted_rand_index(rng.integers(0, 50, 5000), rng.integers(0, 50, 5000))) < 0.01


def test_analyse_gives_clusters_communities_and_hubs_together(planted, planted_graph):
    analysis = network.analyse(planted_graph)
    assert analysis.clusters.count == network.clusters(planted_graph).count
    assert np.array_equal(analysis.communities.labels, network.communities(planted_graph).labels)
    assert not analysis.hubs.exact
    assert set(analysis.seconds) == {"clusters", "communities", "hubs"}


def test_the_module_is_pure_and_imports_no_django():
    import subprocess
    import sys

    code = "import sys, hoth.analytics.network; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
