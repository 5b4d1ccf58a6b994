"""The hotspot map and a hotspot's page, over events in the database: the
map counts every event of the partnership; a hotspot's page lists the
records and children only as far as the viewer may see each."""

from datetime import timedelta

import h3
import numpy as np
import pytest
from django.utils import timezone

from hoth.cases.models import MissingEpisode
from hoth.contexts.models import Context, Incident, Town
from hoth.intelligence.hotspots.data import load_events

pytestmark = pytest.mark.django_db

STATION = (53.0894, -2.4334)


@pytest.fixture
def events(users, child):
    """Incidents spread evenly over Crewe, and children found at the station most evenings."""
    rng = np.random.default_rng(3)
    station = Context.objects.create(
        kind="place",
        place_type="station",
        name="Crewe railway station",
        town="Crewe",
        latitude=STATION[0],
        longitude=STATION[1],
    )
    park = Context.objects.create(
        kind="place", place_type="park", name="Queens Park", town="Crewe", latitude=53.1000, longitude=-2.4550
    )
    Town.objects.create(name="Crewe", latitude=53.095, longitude=-2.44)
    now = timezone.now()
    Incident.objects.bulk_create(
        [
            Incident(
                place=park,
                kind="asb",
                occurred_at=now - timedelta(days=int(rng.integers(1, 300))),
                latitude=53.075 + rng.random() * 0.04,
                longitude=-2.475 + rng.random() * 0.07,
                recorded_by=users["analyst"],
            )
            for _ in range(400)
        ]
    )
    found = []
    for n in range(40):
        back = now - timedelta(days=n * 5 + 1)
        found.append(
            MissingEpisode(
                person=child,
                started_at=back - timedelta(hours=6),
                ended_at=back,
                recorded_by=users["practitioner"],
                found_latitude=STATION[0] + rng.normal(0, 0.0004),
                found_longitude=STATION[1] + rng.normal(0, 0.0006),
            )
        )
    MissingEpisode.objects.bulk_create(found)
    return station


def test_every_located_event_is_loaded_with_its_kind_and_key(users, events):
    loaded = load_events(users["analyst"])
    assert len(loaded) == 440
    assert sorted(set(loaded.kind_codes.tolist())) == ["incident", "missing_found"]
    assert all(k.split(":")[0] in ("incident", "missing") for k in loaded.ids.tolist())


def test_the_map_finds_the_station_as_a_hotspot_and_names_its_place(users, events, verified_client):
    page = verified_client(users["analyst"]).get("/hotspots/").content.decode()
    station_cell = h3.latlng_to_cell(*STATION, 9)
    assert "Crewe railway station" in page
    assert f'data-cell="{station_cell}"' in page and 'data-level="3"' in page
    assert '"name": "Crewe"' in page, "town labels for the map"


def test_a_hotspots_page_lists_children_only_to_those_who_may_see_them(users, events, child, verified_client):
    cell = h3.latlng_to_cell(*STATION, 9)
    coordinator = verified_client(users["coordinator"]).get(f"/hotspots/{cell}/").content.decode()
    assert "A hotspot:" in coordinator and "Tyler Okafor" in coordinator
    assert "Where a missing child was found: " in coordinator
    analyst = verified_client(users["analyst"]).get(f"/hotspots/{cell}/").content.decode()
    assert "Tyler Okafor" not in analyst, "missing episodes are casework, not intelligence"
    assert "more events that you do not have access to one by one" in analyst


def test_the_period_and_harm_filters_narrow_the_scan(users, events, verified_client, harm_types):
    from hoth.contexts.models import Incident

    Incident.objects.filter(pk__in=Incident.objects.order_by("pk").values("pk")[:10]).update(
        harm_type=harm_types["cce"]
    )
    client = verified_client(users["analyst"])
    assert "440 events in" in client.get("/hotspots/").content.decode()
    assert "10 events in" in client.get("/hotspots/", {"harm": "cce"}).content.decode()
    old = client.get(
        "/hotspots/", {"start_0": "1", "start_1": "1", "start_2": "2020", "end_0": "31", "end_1": "12", "end_2": "2020"}
    ).content.decode()
    assert "0 events in 0 cells" in old
    one_day = client.get(
        "/hotspots/", {"start_0": "1", "start_1": "1", "start_2": "2021", "end_0": "1", "end_1": "1", "end_2": "2021"}
    ).content.decode()
    assert "1 January 2021 to 1 January 2021" in one_day and "There is a problem" not in one_day
    bad = client.get(
        "/hotspots/", {"start_0": "1", "start_1": "1", "start_2": "2021", "end_0": "1", "end_1": "1", "end_2": "2020"}
    ).content.decode()
    assert "The end of the period must be on or after its start" in bad


def test_a_cell_that_is_not_a_cell_is_not_found(users, verified_client):
    assert verified_client(users["analyst"]).get("/hotspots/not-a-cell/").status_code == 404


def test_the_unscoped_read_behind_the_map_is_refused_to_whom_the_gate_refuses_it(users, events):
    """Every event of the partnership is counted, so the read names its
    purpose and the gate decides it: a practitioner does not get the events."""
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        load_events(users["practitioner"])
    with pytest.raises(KeyError):
        load_events(users["analyst"], purpose="no_such.purpose")
