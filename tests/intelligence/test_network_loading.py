"""Reading only the links near a subject (network_data.load_around) gives the
same two-hop network and the same shared adults as reading the whole network,
for every centre, selection and viewer."""

import random
from datetime import date, timedelta

import numpy as np
import pytest

from hoth.analytics import network
from hoth.intelligence.models import Link, Phone, Subject, Vehicle
from hoth.intelligence.network import data as network_data
from hoth.people.models import Person

TODAY = date(2026, 6, 1)


@pytest.fixture
def random_world(users, grading_codes):
    """Forty subjects (children, adults, vehicles, phones) and a hundred links
    of every type, some expired, some weakly graded, some only proposed."""
    rng = random.Random(5)
    subjects = []
    for n in range(12):
        child = Person.objects.create(given_names=f"Child{n}", family_name="Test", date_of_birth=date(2011, 1, 1))
        subjects.append(Subject.objects.create(reference=child.reference, kind="person", person=child))
    for n in range(12):
        adult = Person.objects.create(given_names=f"Adult{n}", family_name="Test", date_of_birth=date(1990, 1, 1))
        subjects.append(Subject.objects.create(reference=adult.reference, kind="person", person=adult))
    for n in range(8):
        vehicle = Vehicle.objects.create(registration=f"AB{n:02d}CDE")
        subjects.append(Subject.objects.create(reference=vehicle.reference, kind="vehicle", vehicle=vehicle))
        phone = Phone.objects.create(e164=f"+4477009000{n:02d}")
        subjects.append(Subject.objects.create(reference=phone.reference, kind="phone", phone=phone))
    for _ in range(100):
        source, target = rng.sample(subjects, 2)
        start = TODAY - timedelta(days=rng.randrange(30, 900))
        ended = rng.random() < 0.3
        Link.objects.create(
            source=source,
            target=target,
            type=rng.choice(["seen_with", "drives", "uses", "peer", "associated_with"]),
            status=rng.choice(["accepted"] * 5 + ["proposed"]),
            scheme="3x5x2",
            source_evaluation=rng.choice("123"),
            intelligence_assessment=rng.choice("ABCDE"),
            valid_from=start,
            valid_to=start + timedelta(days=rng.randrange(1, 300)) if ended else None,
            confidence=rng.choice(["high", "medium", "low"]),
        )
    return subjects


SELECTIONS = {
    "today": network_data.current_selection(TODAY),
    "ever": network.Selection(),
    "well graded": network.Selection(min_grade=22),
    "drives and uses": network.Selection(types=(int(network.LinkType.DRIVES), int(network.LinkType.USES))),
}


@pytest.mark.parametrize("selection", SELECTIONS.values(), ids=SELECTIONS.keys())
@pytest.mark.parametrize("viewer", ["analyst", "coordinator"])
def test_the_links_near_a_subject_give_the_same_network_as_the_whole(random_world, users, selection, viewer):
    user = users[viewer]
    whole = network_data.load_network(user=user, selection=selection, today=TODAY)
    seen = [s for s in random_world if s.pk in whole.nodes]
    assert len(seen) >= 16
    for subject in seen:
        near = network_data.load_around(subject.pk, user=user, selection=selection, today=TODAY)
        expected = network.neighbourhood(whole.graph, subject.pk, hops=2)
        found = network.neighbourhood(near.graph, subject.pk, hops=2)
        assert sorted(found.subjects.tolist()) == sorted(expected.subjects.tolist())
        assert dict(zip(found.subjects.tolist(), found.distance.tolist())) == dict(
            zip(expected.subjects.tolist(), expected.distance.tolist())
        )
        assert sorted(map(sorted, found.edge_link_ids)) == sorted(map(sorted, expected.edge_link_ids))
        assert network.shared_adults(near.graph, child_id=subject.pk) == network.shared_adults(
            whole.graph, child_id=subject.pk
        )


def test_an_isolated_subject_is_its_own_network(random_world, users):
    loner = Vehicle.objects.create(registration="ZZ99ZZZ")
    subject = Subject.objects.create(reference=loner.reference, kind="vehicle", vehicle=loner)
    near = network_data.load_around(subject.pk, user=users["analyst"], today=TODAY)
    found = network.neighbourhood(near.graph, subject.pk)
    assert found.subjects.tolist() == [subject.pk] and len(found.edge_link_ids) == 0


def test_reading_around_a_subject_reads_in_chunks(random_world, users, monkeypatch):
    """A hub with more neighbours than one query may name is read in several queries."""
    monkeypatch.setattr(network_data, "CHUNK", 3)
    whole = network_data.load_network(user=users["coordinator"], today=TODAY)
    hub = max(
        (s for s in random_world if s.pk in whole.nodes), key=lambda s: whole.graph.degree[whole.graph.index(s.pk)]
    )
    assert whole.graph.degree[whole.graph.index(hub.pk)] > 3
    near = network_data.load_around(hub.pk, user=users["coordinator"], today=TODAY)
    assert np.array_equal(
        np.sort(network.neighbourhood(near.graph, hub.pk).subjects),
        np.sort(network.neighbourhood(whole.graph, hub.pk).subjects),
    )


def test_the_loaders_grade_table_agrees_with_grading_each_link(grading_codes):
    from hoth.intelligence import grading

    table = grading.grade_table()
    expected = {
        (scheme, s.code, i.code): grading.grade(scheme, s.code, i.code)
        for scheme in ("3x5x2", "5x5x5")
        for s in grading.codes(scheme, grading.SOURCE)
        for i in grading.codes(scheme, grading.INTELLIGENCE)
    }
    assert table == expected
    assert table[("3x5x2", "1", "A")] > table[("3x5x2", "3", "E")] > 0
    assert any(key[0] == "5x5x5" and grade > 0 for key, grade in table.items())


@pytest.mark.parametrize("rings_up_to", [network_data.RINGS_UP_TO, 3], ids=["ring by ring", "large clusters"])
@pytest.mark.parametrize("selection", SELECTIONS.values(), ids=SELECTIONS.keys())
def test_the_clusters_of_a_links_ends_alert_as_the_whole_network_would(
    random_world, selection, rings_up_to, monkeypatch
):
    """The alert check reads from a link's ends until they meet or the two
    clusters are read whole (or, past a size, everything at once); for every
    link, it answers as the whole network without that link would."""
    monkeypatch.setattr(network_data, "RINGS_UP_TO", rings_up_to)
    Subject.objects.filter(pk__in=[s.pk for s in random_world[12:15]]).update(of_concern=True)
    subjects, _ = network_data.load_subjects(Subject.objects.all(), TODAY)
    answers = []
    for link in Link.objects.accepted():
        columns, _ = network_data.load_links(Link.objects.accepted().exclude(pk=link.pk))
        without = network.build_graph(subjects, columns, selection)
        near = network_data.load_joined_by(link, selection=selection, today=TODAY)
        expected = network.link_alert(without, link.source_id, link.target_id)
        assert network.link_alert(near.graph, link.source_id, link.target_id) == expected
        answers.append(expected is not None)
    assert any(answers) and not all(answers)
