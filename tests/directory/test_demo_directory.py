"""The demonstration directory: about 150 invented services, readable by
children, with contact details that can reach nobody real."""

import re
from datetime import date

import pytest
from django.core.management import call_command

from hoth.directory import needs, readability
from hoth.directory.models import STALE_AFTER, Service
from hoth.synthetic.data import ANCHOR_DATE_ISO, TOWNS
from hoth.synthetic.directory import build_entries, generate_directory

ENTRIES = build_entries(seed=1)


def test_about_150_services():
    assert 140 <= len(ENTRIES) <= 160
    assert len({e["name"] for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["for_children"]], ids=lambda e: e["name"])
def test_every_childrens_description_is_for_a_reading_age_of_11_or_under(entry):
    assert readability.reading_age(entry["description_child"]) <= readability.MAX_READING_AGE


def test_contacts_use_reserved_numbers_and_example_domains():
    for entry in ENTRIES:
        assert re.fullmatch(r"01632 960\d{3}", entry["phone"])
        assert entry["text_number"] == "" or re.fullmatch(r"07700 900\d{3}", entry["text_number"])
        assert entry["email"].endswith("@example.org")
        assert entry["website"].startswith("https://") and entry["website"].endswith(".example.org")


def test_every_town_and_every_need_has_services():
    towns = {t for e in ENTRIES for t in e["towns"]}
    assert towns == {t.name for t in TOWNS}
    assert {code for e in ENTRIES for code in e["needs"]} == set(needs.CODES)


def test_some_entries_are_stale_and_some_unpublished_for_the_demo():
    assert any(not e["is_published"] for e in ENTRIES)
    anchor = date.fromisoformat(ANCHOR_DATE_ISO)
    stale = [e for e in ENTRIES if e["last_reviewed"] < anchor - STALE_AFTER]
    assert 0.05 < len(stale) / len(ENTRIES) < 0.35


def test_same_seed_same_directory():
    assert build_entries(seed=7) == build_entries(seed=7)


@pytest.mark.django_db
def test_load_demo_directory_is_safe_to_run_twice():
    call_command("load_demo_directory")
    call_command("load_demo_directory")
    assert Service.objects.count() == len(ENTRIES)
    assert Service.objects.in_town("Crewe").for_need("scared-of-someone").published().exists()
    for service in generate_directory(seed=1)[:5]:
        service.full_clean()


@pytest.mark.django_db
def test_demo_services_are_linked_to_the_harm_types_they_help_with():
    from hoth.referrals.models import HarmType

    cce = HarmType.objects.create(code="cce", name="Child criminal exploitation", short_name="CCE")
    generate_directory(seed=1)
    assert cce in Service.objects.get(name="Exploitation Support Service").harm_types.all()
    assert not Service.objects.get(name="Crewe Library Homework Club").harm_types.exists()
