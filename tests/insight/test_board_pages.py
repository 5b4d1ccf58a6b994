"""The board's pages read the current snapshot only, in a few queries,
showing [c] wherever disclosure control hides a figure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoth.analytics.suppression import SUPPRESSED
from hoth.insight import selectors, services
from hoth.insight.models import Figure, Snapshot
from tests.conftest import verified_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(client, staff, frozen):
    return verified_client_for(client, staff["manager"])


def test_the_dashboard_shows_every_measure_in_a_few_queries(board, frozen):
    board.get("/board/")  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        page = board.get("/board/")
    assert page.status_code == 200
    assert len(queries) <= 16, [q["sql"][:120] for q in queries]
    text = page.content.decode()
    for measure in selectors.snapshot_measures(frozen):
        assert measure.name in text.replace("&#x27;", "'")
    assert SUPPRESSED in text  # the tiny partnership has small counts: they are hidden
    assert f"Showing {selectors.latest_whole_quarter(frozen)} for the whole partnership" in text


def test_an_area_shows_its_own_figures_and_a_bad_choice_is_explained(board, frozen):
    town = selectors.areas(frozen)[0]
    page = board.get("/board/", {"quarter": selectors.quarters(frozen)[1], "area": town})
    assert f"for children living in {town}" in page.content.decode()
    page = board.get("/board/", {"quarter": "1999-00 Q1", "area": "Atlantis"})
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Choose a quarter from the list" in text and "Choose an area from the list" in text


def test_a_hidden_figure_is_never_in_the_page(board, frozen):
    quarter = selectors.latest_whole_quarter(frozen)
    hidden = Figure.objects.filter(snapshot=frozen, period=quarter, breakdown="ethnicity", units_shown=False).exclude(
        units=0
    )
    figure = hidden.select_related("measure").first()
    assert figure is not None, "the tiny partnership hides some ethnic groups"
    page = board.get(f"/board/measures/{figure.measure.code}/figures/", {"quarter": quarter})
    text = page.content.decode()
    row = text[text.index(selectors.group_label("ethnicity", figure.group)) :][:400]
    assert SUPPRESSED in row


def test_working_a_month_out_again_is_refused_without_a_reason_and_changes_nothing(board, frozen):
    page = board.post("/board/snapshots/", {"month": frozen.month.isoformat(), "reason": ""})
    assert "Say why the month must be worked out again" in page.content.decode()
    assert Snapshot.objects.count() == 1
    page = board.post("/board/snapshots/", {"month": frozen.month.isoformat(), "reason": "Late police data"})
    assert page.status_code == 302 and page.url.startswith("/jobs/")


def test_with_no_snapshot_the_dashboard_says_so(client, staff):
    page = verified_client_for(client, staff["manager"]).get("/board/")
    assert "No figures have been frozen yet" in page.content.decode()
    assert services.last_ended_month().strftime("%B %Y") in page.content.decode()
