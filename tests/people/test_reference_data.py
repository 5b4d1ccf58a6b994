"""Name variant groups come from a versioned fixture that administrators extend."""

from django.core.management import call_command

from hoth.people.models import NameVariantGroup
from hoth.people.search import search_people


def _load():
    call_command("load_reference_data", stdout=open("/dev/null", "w"))


def test_loading_twice_gives_the_same_groups(db):
    _load()
    first = list(NameVariantGroup.objects.values_list("name", "variants", "version"))
    _load()
    assert list(NameVariantGroup.objects.values_list("name", "variants", "version")) == first
    assert len(first) >= 150
    william = NameVariantGroup.objects.get(name="William")
    assert {"Will", "Bill", "Billy"} <= set(william.variants)


def test_groups_an_administrator_added_or_switched_off_are_left_alone(db):
    _load()
    NameVariantGroup.objects.create(name="Oluwaseun", variants=["Oluwaseun", "Seun", "Shay"])
    NameVariantGroup.objects.filter(name="Margaret").update(is_active=False)
    _load()
    assert NameVariantGroup.objects.get(name="Oluwaseun").variants == ["Oluwaseun", "Seun", "Shay"]
    assert not NameVariantGroup.objects.get(name="Margaret").is_active


def test_a_group_an_administrator_adds_is_used_by_search(users, make_person):
    make_person("Oluwaseun", "Adeyemi")
    [before] = search_people(users["coordinator"], name="Seun Adeyemi")
    assert "'Seun' is a known form of 'Oluwaseun'" not in before.reasons
    NameVariantGroup.objects.create(name="Oluwaseun", variants=["Oluwaseun", "Seun"])
    [match] = search_people(users["coordinator"], name="Seun Adeyemi")
    assert "'Seun' is a known form of 'Oluwaseun'" in match.reasons
