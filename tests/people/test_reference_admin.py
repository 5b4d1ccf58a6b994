"""System administrators extend the name variant groups that person search uses:
list and search them, add, change, and switch them off and on. Nobody else may."""

import pytest
from django.urls import reverse

from hoth.audit.models import AuditEvent
from hoth.people import reference
from hoth.people.models import NameVariantGroup
from hoth.people.search import search_people

LIST = reverse("reference:name-variants")
ADD = reverse("reference:name-variant-create")


def _edit(group):
    return reverse("reference:name-variant-edit", args=[group.pk])


def _switch(group, state):
    return reverse(f"reference:name-variant-switch-{state}", args=[group.pk])


def _admin_events():
    return list(AuditEvent.objects.filter(action="admin", object_type="people.NameVariantGroup").order_by("id"))


def _snapshot():
    return list(NameVariantGroup.objects.order_by("pk").values_list("name", "variants", "version", "is_active"))


@pytest.fixture
def sysadmin(users, verified_client, name_variants):
    return verified_client(users["system_admin"])


def _known_forms(user, name):
    return [
        reason for match in search_people(user, name=name) for reason in match.reasons if "is a known form of" in reason
    ]


# ---------------------------------------------------------------- listing


def test_system_administrator_lists_groups_and_finds_one_by_any_of_its_names(sysadmin):
    response = sysadmin.get(LIST, {"q": "bill"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "William" in page and "Billy" in page
    assert "Margaret" not in page
    everything = sysadmin.get(LIST).content.decode()
    assert f"{NameVariantGroup.objects.count()} groups" in everything
    assert NameVariantGroup.objects.first().name in everything


def test_system_administrator_has_reference_data_in_the_navigation(users, verified_client):
    assert f'href="{LIST}"' in verified_client(users["system_admin"]).get("/").content.decode()


@pytest.mark.parametrize("role", ["coordinator", "agency_admin", "practitioner", "auditor"])
def test_other_roles_have_no_reference_data_in_the_navigation(role, users, verified_client):
    assert f'href="{LIST}"' not in verified_client(users[role]).get("/").content.decode()


# ---------------------------------------------------------------- adding


def test_a_group_a_system_administrator_adds_makes_search_find_the_nickname_at_once(sysadmin, users, make_person):
    zebedee = make_person("Zebedee", "Quinlan")
    coordinator = users["coordinator"]
    # Searched first, so that the groups are cached when the new one is added.
    assert zebedee not in [m.person for m in search_people(coordinator, name="Zeb")]

    response = sysadmin.post(ADD, {"name": "Zebedee", "other_names": "Zeb"})

    assert response.status_code == 302 and response["Location"] == LIST
    group = NameVariantGroup.objects.get(name="Zebedee")
    assert group.variants == ["Zebedee", "Zeb"] and group.version == "" and group.is_active
    assert zebedee in [m.person for m in search_people(coordinator, name="Zeb")]
    [event] = _admin_events()
    assert event.object_id == str(group.pk) and event.user == users["system_admin"]
    assert event.detail["change"] == "added" and event.detail["variants"] == ["Zebedee", "Zeb"]


def test_other_forms_may_be_given_on_lines_or_with_commas_and_repeats_are_dropped(sysadmin):
    sysadmin.post(ADD, {"name": "  D\u2019Arcy ", "other_names": "Darcy,\r\ndarcy\r\nDar-Cee ; Mary Ann\n\n"})
    group = NameVariantGroup.objects.get(name="D'Arcy")
    assert group.variants == ["D'Arcy", "Darcy", "Dar-Cee", "Mary Ann"]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "name, other_names, message",
    [
        ("", "Zeb", "Enter the name"),
        ("Zebedee", "", "Enter at least one other form of the name"),
        ("Zebedee", " , \n ", "Enter at least one other form of the name"),
        ("Zebedee", "ZEBEDEE", "Enter at least one form of the name that is different from the name"),
        ("Zeb3dee", "Zeb", "Name must only include letters, hyphens, apostrophes and spaces"),
        (
            "Zebedee",
            "Zeb, Z@b, Zeb_",
            "Other forms of the name must only include letters, hyphens, apostrophes and "
            "spaces. Check \u2018Z@b\u2019, \u2018Zeb_\u2019",
        ),
        ("Zebedee", "Zeb, Billy", "Billy is already in the group for William. A name can only be in one group"),
        ("william", "Gwilym", "There is already a group called William. Change that group instead"),
    ],
)
def test_bad_input_for_a_new_group_gets_a_clear_error_and_changes_nothing(sysadmin, name, other_names, message):
    before = _snapshot()
    response = sysadmin.post(ADD, {"name": name, "other_names": other_names})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert _snapshot() == before and _admin_events() == []


def test_every_problem_with_a_new_group_is_shown_at_once(sysadmin):
    page = sysadmin.post(ADD, {"name": "Zeb3", "other_names": "Billy"}).content.decode()
    assert "Name must only include letters, hyphens, apostrophes and spaces" in page
    assert "Billy is already in the group for William" in page


def test_a_name_already_used_by_a_switched_off_group_says_to_switch_it_on(sysadmin):
    NameVariantGroup.objects.filter(name="William").update(is_active=False)
    response = sysadmin.post(ADD, {"name": "William", "other_names": "Gwilym"})
    assert (
        "There is already a group called William, switched off. Switch it on and change it instead"
        in response.content.decode()
    )


def test_a_name_in_a_switched_off_group_may_be_used_in_another(sysadmin):
    NameVariantGroup.objects.filter(name="William").update(is_active=False)
    assert sysadmin.post(ADD, {"name": "Wilhelm", "other_names": "Bill"}).status_code == 302


def test_nicknames_the_published_list_shares_between_names_may_be_shared_again(sysadmin):
    # Jon is short for John and for Jonathan in the published list.
    assert sysadmin.post(ADD, {"name": "Jonas", "other_names": "Jon"}).status_code == 302


# ---------------------------------------------------------------- changing


def test_a_changed_published_group_keeps_its_name_and_later_loads_leave_it_alone(sysadmin, users, make_person):
    william = NameVariantGroup.objects.get(name="William")
    make_person("William", "Hartley")
    coordinator = users["coordinator"]
    assert _known_forms(coordinator, "Bill Hartley") == ["'Bill' is a known form of 'William'"]

    # The name is the key later loads match on: a posted new name is ignored.
    response = sysadmin.post(_edit(william), {"name": "Wilberforce", "other_names": "Will\nBilly\nGwilym"})

    assert response.status_code == 302
    william.refresh_from_db()
    assert william.name == "William" and william.variants == ["William", "Will", "Billy", "Gwilym"]
    assert william.version == ""
    assert _known_forms(coordinator, "Bill Hartley") == []
    assert _known_forms(coordinator, "Gwilym Hartley") == ["'Gwilym' is a known form of 'William'"]
    [event] = _admin_events()
    assert event.detail["change"] == "changed" and event.detail["before"]["version"] == "2026.1"
    assert "Bill" in event.detail["before"]["variants"]

    reference.load()
    william.refresh_from_db()
    assert william.variants == ["William", "Will", "Billy", "Gwilym"]


def test_a_group_an_administrator_added_may_be_renamed(sysadmin):
    group = NameVariantGroup.objects.create(name="Zebdee", variants=["Zebdee", "Zeb"])
    assert sysadmin.post(_edit(group), {"name": "Zebedee", "other_names": "Zeb"}).status_code == 302
    group.refresh_from_db()
    assert group.name == "Zebedee" and group.variants == ["Zebedee", "Zeb"]


def test_the_edit_page_shows_the_group_as_it_is(sysadmin):
    page = sysadmin.get(_edit(NameVariantGroup.objects.get(name="William"))).content.decode()
    assert "Change the group for William" in page and "Billy" in page
    assert "cannot be changed" in page


def test_bad_input_for_a_change_gets_a_clear_error_and_changes_nothing(sysadmin):
    william = NameVariantGroup.objects.get(name="William")
    before = _snapshot()
    response = sysadmin.post(_edit(william), {"name": "William", "other_names": "Will, Peggy"})
    assert response.status_code == 200
    assert "Peggy is already in the group for Margaret" in response.content.decode()
    assert _snapshot() == before and _admin_events() == []


# ---------------------------------------------------------------- switching off and on


def test_switching_a_group_off_stops_search_using_it_and_loads_keep_it_off(sysadmin, users, make_person):
    william = NameVariantGroup.objects.get(name="William")
    make_person("William", "Hartley")
    coordinator = users["coordinator"]
    assert _known_forms(coordinator, "Billy Hartley") == ["'Billy' is a known form of 'William'"]

    assert sysadmin.get(_switch(william, "off")).status_code == 200
    assert NameVariantGroup.objects.get(pk=william.pk).is_active
    assert sysadmin.post(_switch(william, "off")).status_code == 302

    william.refresh_from_db()
    assert not william.is_active and william.version == "2026.1"
    assert _known_forms(coordinator, "Billy Hartley") == []
    reference.load()
    assert not NameVariantGroup.objects.get(pk=william.pk).is_active

    assert sysadmin.post(_switch(william, "on")).status_code == 302
    assert NameVariantGroup.objects.get(pk=william.pk).is_active
    assert _known_forms(coordinator, "Billy Hartley") == ["'Billy' is a known form of 'William'"]
    assert [e.detail["change"] for e in _admin_events()] == ["switched off", "switched on"]


def test_a_group_is_not_switched_on_if_its_names_are_now_in_another_group(sysadmin):
    william = NameVariantGroup.objects.get(name="William")
    sysadmin.post(_switch(william, "off"))
    sysadmin.post(ADD, {"name": "Wilhelm", "other_names": "Bill"})
    before = _snapshot()

    response = sysadmin.post(_switch(william, "on"))

    assert response.status_code == 200
    assert "Bill is already in the group for Wilhelm" in response.content.decode()
    assert _snapshot() == before and len(_admin_events()) == 2


# ---------------------------------------------------------------- everyone else


@pytest.mark.parametrize("role", ["coordinator", "agency_admin"])
def test_only_system_administrators_may_manage_reference_data(role, users, verified_client, name_variants):
    http = verified_client(users[role])
    william = NameVariantGroup.objects.get(name="William")
    before = _snapshot()
    pages = [LIST, ADD, _edit(william), _switch(william, "off"), _switch(william, "on")]
    for url in pages:
        assert http.get(url).status_code == 403, url
    assert http.post(ADD, {"name": "Zebedee", "other_names": "Zeb"}).status_code == 403
    assert http.post(_edit(william), {"name": "William", "other_names": "Gwilym"}).status_code == 403
    assert http.post(_switch(william, "off")).status_code == 403
    assert _snapshot() == before and _admin_events() == []
