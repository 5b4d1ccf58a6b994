"""Searching the public directory: by town, by need and by age, and only
what is published."""

import pytest

from hoth.directory import selectors
from hoth.directory.models import Service

pytestmark = pytest.mark.django_db


def names(found):
    return sorted(s.name for s in found)


def test_search_by_town_finds_services_in_that_town_and_area_wide_ones(make_service):
    make_service("Crewe Youth Club", towns=["Crewe"])
    make_service("Nantwich Youth Club", towns=["Nantwich"])
    make_service("Exploitation Support Service", towns=[], area_wide=True)
    assert names(selectors.search(town="Crewe")) == ["Crewe Youth Club", "Exploitation Support Service"]


def test_town_search_matches_whole_town_names_not_parts(make_service):
    # "Crewe" must not match a town whose name merely contains it.
    make_service("Crewe Green Club", towns=["Crewe Green"])
    make_service("Crewe Youth Club", towns=["Crewe"])
    assert names(selectors.search(town="Crewe")) == ["Crewe Youth Club"]


def test_search_by_need(make_service):
    make_service("Counselling", needs=["mental-health", "someone-to-talk-to"])
    make_service("Homework Club", needs=["help-at-school"])
    assert names(selectors.search(need="help-at-school")) == ["Homework Club"]
    assert names(selectors.search(need="someone-to-talk-to")) == ["Counselling"]


def test_search_by_town_and_need_together(make_service):
    make_service("Crewe Homework Club", towns=["Crewe"], needs=["help-at-school"])
    make_service("Crewe Youth Club", towns=["Crewe"], needs=["youth-club"])
    make_service("Nantwich Homework Club", towns=["Nantwich"], needs=["help-at-school"])
    assert names(selectors.search(town="Crewe", need="help-at-school")) == ["Crewe Homework Club"]


def test_age_filter_keeps_services_whose_range_includes_the_age(make_service):
    make_service("Under twelves", age_min=5, age_max=11)
    make_service("Teenagers", age_min=13, age_max=19)
    make_service("Everyone", age_min=0, age_max=25)
    assert names(selectors.search(age=12)) == ["Everyone"]
    assert names(selectors.search(age=11)) == ["Everyone", "Under twelves"]
    assert names(selectors.search(age=19)) == ["Everyone", "Teenagers"]


def test_unpublished_services_are_never_found(make_service):
    make_service("Draft service", is_published=False)
    make_service("Live service")
    assert names(selectors.search()) == ["Live service"]
    assert names(selectors.search(audience="adults")) == ["Live service"]


def test_services_only_for_parents_are_left_off_the_childrens_directory(make_service):
    make_service("Parent Support Group", for_children=False, needs=["family-support"])
    assert names(selectors.search(audience="children")) == []
    assert names(selectors.search(audience="adults")) == ["Parent Support Group"]


def test_saving_keeps_the_search_keys_in_step_with_towns_and_needs(make_service):
    service = make_service(towns=["Crewe"], needs=["youth-club"])
    service.towns = ["Sandbach"]
    service.needs = ["money"]
    service.save()
    assert Service.objects.in_town("Sandbach").for_need("money").get() == service
    assert not Service.objects.in_town("Crewe").exists()


def test_known_towns_lists_each_town_once_in_order(make_service):
    make_service("A", towns=["Sandbach", "Crewe"])
    make_service("B", towns=["Crewe"])
    assert selectors.known_towns() == ["Crewe", "Sandbach"]
