"""The network picture's layout (hoth.analytics.layout), as a specification:
the same graph and seed give the same picture, no two subjects are drawn on
top of each other, linked subjects sit closer than unlinked ones, clusters
do not overlap, and every coordinate is a number."""

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from hoth.analytics.layout import DEFAULT_MIN_DISTANCE, layout, separate


def star_and_triangle():
    """A hub with five spokes (0-5), a triangle (6-8) and one subject alone (9)."""
    u = [0, 0, 0, 0, 0, 6, 7, 8]
    v = [1, 2, 3, 4, 5, 7, 8, 6]
    return 10, u, v


def random_graph(n, seed):
    rng = np.random.default_rng(seed)
    return n, rng.integers(0, n, size=2 * n), rng.integers(0, n, size=2 * n)


def test_the_same_graph_and_seed_give_the_same_picture():
    first = layout(*star_and_triangle(), seed=7)
    again = layout(*star_and_triangle(), seed=7)
    assert np.array_equal(first.positions, again.positions)
    assert (first.width, first.height) == (again.width, again.height)
    other = layout(*star_and_triangle(), seed=8)
    assert not np.array_equal(first.positions, other.positions), "the seed is what varies the picture"


@pytest.mark.parametrize(
    "graph",
    [star_and_triangle(), random_graph(40, 1), random_graph(150, 2)],
    ids=["star and triangle", "40 subjects", "150 subjects"],
)
def test_no_two_subjects_overlap_and_every_coordinate_is_finite(graph):
    placed = layout(*graph, seed=1)
    assert placed.positions.shape == (graph[0], 2)
    assert np.isfinite(placed.positions).all()
    assert pdist(placed.positions).min() >= DEFAULT_MIN_DISTANCE * 0.999
    assert placed.positions.min() >= -1e-9
    assert (placed.positions[:, 0] <= placed.width + 1e-9).all()
    assert (placed.positions[:, 1] <= placed.height + 1e-9).all()


def test_linked_subjects_sit_closer_than_unlinked_ones():
    n, u, v = star_and_triangle()
    position = layout(n, u, v, seed=1).positions
    spoke = np.linalg.norm(position[1:6] - position[0], axis=1)
    assert spoke.max() < 2.0, "a spoke is about one link length from its hub"
    assert np.linalg.norm(position[1] - position[3]) > 0.9, "spokes spread round their hub"
    triangle = [np.linalg.norm(position[a] - position[b]) for a, b in ((6, 7), (7, 8), (8, 6))]
    assert max(triangle) < 2.0


def test_clusters_are_packed_apart():
    n, u, v = star_and_triangle()
    position = layout(n, u, v, seed=1).positions
    star, triangle, alone = position[:6], position[6:9], position[9]
    gaps = [np.linalg.norm(a - b) for a in star for b in (*triangle, alone)]
    assert min(gaps) >= 1.0 - 1e-9, "clusters are at least one link length apart"


def test_subjects_on_the_same_spot_are_parted():
    parted = separate(np.zeros((4, 2)), 0.5)
    assert pdist(parted).min() >= 0.5 * 0.999


def test_edges_must_name_nodes_of_the_graph():
    with pytest.raises(ValueError, match="not one of the 3 nodes"):
        layout(3, [0], [3])
    assert layout(0).positions.shape == (0, 2)
    assert layout(1).positions.tolist() == [[0.0, 0.0]]
    assert layout(2, [0, 1], [1, 1]).positions.shape == (2, 2), "a link from a subject to itself is ignored"
