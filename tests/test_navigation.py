"""Service navigation: each role sees its sections, and the page's own section is the one marked current."""

from django.test import RequestFactory

from hoth.home.navigation import navigation


def _nav(user, path):
    request = RequestFactory().get(path)
    request.user = user
    user.is_verified = lambda: True
    return {item["label"]: item for item in navigation(request)["nav_items"]}


def test_a_system_administrator_on_any_reference_data_page_sees_reference_data_current_not_users(users):
    items = _nav(users["system_admin"], "/manage/reference-data/screening-tool/")
    assert items["Reference data"]["active"]
    assert not items["Users"]["active"]


def test_users_is_current_on_the_users_pages(users):
    items = _nav(users["system_admin"], "/manage/")
    assert items["Users"]["active"]
    assert not items["Reference data"]["active"]


def test_home_is_current_only_on_the_home_page(users):
    assert _nav(users["coordinator"], "/")["Home"]["active"]
    assert not _nav(users["coordinator"], "/people/")["Home"]["active"]


def test_a_manager_sees_no_casework_sections(users):
    labels = set(_nav(users["manager"], "/"))
    assert not labels & {"People", "Referrals", "Screening queue", "Meetings"}


def test_intelligence_is_current_on_its_subjects_links_and_network_pages(users):
    for path in ("/intelligence/", "/subjects/S-1/", "/links/proposed/", "/network/"):
        assert _nav(users["analyst"], path)["Intelligence"]["active"], path
    assert "Intelligence" not in _nav(users["manager"], "/")
