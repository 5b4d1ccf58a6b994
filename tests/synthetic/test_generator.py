"""The synthetic partnership generator: the same seed gives the same people,
the data is valid and realistic, and the truth about duplicates is kept."""

from collections import Counter
from datetime import date
from io import StringIO

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoth.accounts.models import Agency, Role, User
from hoth.analytics.identifiers import is_valid_nhs_number, is_valid_upn, normalise_postcode
from hoth.people.matching_keys import alias_name_key, given_name_key, name_key
from hoth.people.models import Address, Alias, Identifier, Involvement, Person, PhoneNumber
from hoth.synthetic import data
from hoth.synthetic.generator import ANCHOR_DATE, DEMO_USERS, SIZES, demo_email, generate
from hoth.synthetic.models import TrueIdentity

from .cleanup import start_again

pytestmark = pytest.mark.django_db


def age_on_anchor(dob):
    return ANCHOR_DATE.year - dob.year - ((ANCHOR_DATE.month, ANCHOR_DATE.day) < (dob.month, dob.day))


def snapshot():
    """What must not change between two runs with one seed: names, dates of
    birth, identifiers, addresses and phones, in reference order."""
    people = Person.objects.order_by("reference").prefetch_related("identifiers", "addresses", "phone_numbers")
    return [
        (
            p.reference,
            p.given_names,
            p.family_name,
            p.date_of_birth,
            p.dob_precision,
            sorted((i.scheme, i.value) for i in p.identifiers.all()),
            sorted((a.line1, a.postcode) for a in p.addresses.all()),
            sorted(n.e164 for n in p.phone_numbers.all()),
            p.true_identity.cluster_id,
        )
        for p in people
    ]


@pytest.fixture
def tiny():
    return generate("tiny", seed=7)


def test_the_same_seed_gives_the_same_people():
    generate("tiny", seed=11, front_door=False)
    first = snapshot()
    start_again()
    generate("tiny", seed=11, front_door=False)
    assert snapshot() == first
    assert len(first) >= SIZES["tiny"].children + SIZES["tiny"].adults


def test_a_different_seed_gives_different_people():
    generate("tiny", seed=11, front_door=False)
    first = snapshot()
    start_again()
    generate("tiny", seed=12, front_door=False)
    second = snapshot()
    assert [row[1:4] for row in first] != [row[1:4] for row in second]
    assert {row[0] for row in first} != {row[0] for row in second}


def test_the_small_size_has_300_children_and_600_adults_plus_other_agencies_records():
    generator = generate("small", seed=1, front_door=False)
    assert (generator.n_children, generator.n_adults) == (300, 600)
    primaries = TrueIdentity.objects.filter(is_primary=True)
    assert primaries.count() == 900
    children = [
        p.date_of_birth
        for p in Person.objects.filter(true_identity__is_primary=True)
        if age_on_anchor(p.date_of_birth) < 18
    ]
    assert len(children) == 300
    # About 15% of people are recorded again by one or two other agencies.
    assert 900 * 1.10 <= Person.objects.count() <= 900 * 1.40
    assert Agency.objects.filter(type="education").count() >= 2 * len(data.TOWNS)


def test_most_children_are_aged_10_to_17_on_the_anchor_date():
    assert generate("small", seed=2, front_door=False).n_children == 300
    ages = [age_on_anchor(p.date_of_birth) for p in Person.objects.filter(true_identity__is_primary=True)]
    children = [a for a in ages if a < 18]
    assert sum(10 <= a <= 17 for a in children) / len(children) >= 0.75
    assert all(a >= 18 for a in ages if a not in children)


def test_every_nhs_number_and_pupil_number_has_a_valid_check_character(tiny):
    nhs = list(Identifier.objects.filter(scheme="nhs").values_list("value", flat=True))
    upns = list(Identifier.objects.filter(scheme="upn").values_list("value", flat=True))
    assert nhs and upns
    assert all(is_valid_nhs_number(v) for v in nhs)
    assert all(v.startswith("999") for v in nhs), "only the never-issued 999 range"
    assert all(is_valid_upn(v) for v in upns)


def test_each_individual_has_their_own_nhs_number(tiny):
    pairs = Identifier.objects.filter(scheme="nhs").values_list("value", "person__true_identity__cluster_id")
    clusters_by_number = {}
    for value, cluster in pairs:
        clusters_by_number.setdefault(value, set()).add(cluster)
    assert all(len(clusters) == 1 for clusters in clusters_by_number.values())


def test_phone_numbers_are_e164_in_the_ofcom_drama_range(tiny):
    numbers = list(PhoneNumber.objects.values_list("e164", flat=True))
    assert numbers
    for e164 in numbers:
        parsed = phonenumbers.parse(e164)
        assert phonenumbers.is_possible_number(parsed)
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164
        assert e164.startswith("+447700900")


def test_addresses_are_in_the_towns_with_their_postcode_districts_and_coordinates(tiny):
    # Adults of concern from the cities county lines run from live outside the partnership.
    towns = {t.name: t for t in data.TOWNS + data.OUT_OF_AREA_TOWNS}
    for address in Address.objects.all():
        town = towns[address.town]
        assert normalise_postcode(address.postcode) == address.postcode
        district, sector = address.postcode.split(" ")
        assert (district, sector[0]) in {(d, digit) for d, digits in town.districts for digit in digits}
        assert town.south <= address.latitude <= town.north
        assert town.west <= address.longitude <= town.east


def test_every_role_has_a_demo_user_with_the_demo_password_and_no_second_factor_yet(tiny):
    for role in Role.values:
        user = User.objects.filter(email__endswith="@" + data.DEMO_EMAIL_DOMAIN, role_assignments__role=role).first()
        assert user is not None, role
        assert user.check_password(data.DEMO_PASSWORD)
    assert not TOTPDevice.objects.exists()
    assert User.objects.count() > len(DEMO_USERS)


def test_every_record_has_a_truth_row_and_duplicates_come_from_other_agencies():
    generate("small", seed=3, front_door=False)
    assert TrueIdentity.objects.count() == Person.objects.count()
    duplicates = TrueIdentity.objects.filter(is_primary=False).select_related("person")
    assert duplicates.count() > 50
    primary = {t.cluster_id: t.person for t in TrueIdentity.objects.filter(is_primary=True).select_related("person")}
    changed = Counter()
    for truth in duplicates:
        assert truth.person.source_agency_id != primary[truth.cluster_id].source_agency_id
        changed.update(truth.perturbations.split(","))
    for kind in ["typo_family", "nickname", "swapped_forenames", "partial_dob", "moved_address"]:
        assert changed[kind] > 0, kind


def test_keys_and_references_are_filled_although_save_is_bypassed(tiny):
    people = list(Person.objects.all())
    assert len({p.reference for p in people}) == len(people)
    for person in people:
        assert person.reference.startswith("P-") and len(person.reference) == 9
        assert person.family_name_key == name_key(person.family_name)
        assert person.given_name_key == given_name_key(person.given_names)
    for alias in Alias.objects.all():
        assert alias.name_key == alias_name_key(alias.name)


def test_the_demo_practitioner_has_a_realistic_caseload_of_children():
    generate("small", seed=1, front_door=False)
    practitioner = User.objects.get(email=demo_email("practitioner"))
    caseload = Person.objects.visible_to(practitioner)
    assert 10 <= caseload.count() <= 25
    assert all(age_on_anchor(p.date_of_birth) < 18 for p in caseload)
    assert Involvement.objects.filter(kind=Involvement.Kind.LEAD_PROFESSIONAL).exists()


def test_the_school_practitioner_works_only_with_their_own_pupils():
    generate("small", seed=1, front_door=False)
    teacher = User.objects.get(email=demo_email("school-practitioner"))
    pupils = Person.objects.visible_to(teacher)
    assert pupils.exists()
    assert set(pupils.values_list("school_id", flat=True)) == {teacher.agency_id}


def test_analysts_see_persons_of_concern(tiny):
    analyst = User.objects.get(email=demo_email("analyst"))
    seen = Person.objects.visible_to(analyst)
    assert seen.exists()
    assert not seen.filter(intelligence_subject=False).exists()


def test_if_empty_does_nothing_the_second_time():
    out = StringIO()
    call_command("generate_partnership", size="tiny", seed=4, if_empty=True, stdout=out)
    people, users = Person.objects.count(), User.objects.count()
    assert people > 0 and "Seconds" in out.getvalue()
    out = StringIO()
    call_command("generate_partnership", size="tiny", seed=5, if_empty=True, stdout=out)
    assert "nothing generated" in out.getvalue()
    assert (Person.objects.count(), User.objects.count()) == (people, users)


def test_the_command_refuses_to_run_outside_development_or_a_demonstration_site(monkeypatch):
    monkeypatch.delenv("HOTH_DEBUG", raising=False)
    monkeypatch.delenv("HOTH_ALLOW_SYNTHETIC_DATA", raising=False)
    with pytest.raises(CommandError, match="Production never runs"):
        call_command("generate_partnership", size="tiny", seed=1, stdout=StringIO())
    assert not Person.objects.exists() and not User.objects.exists()
    monkeypatch.setenv("HOTH_ALLOW_SYNTHETIC_DATA", "1")
    call_command("generate_partnership", size="tiny", seed=1, stdout=StringIO())
    assert Person.objects.exists()


def test_demo_sign_ins_lists_one_sign_in_per_role_and_how_to_enrol(tiny):
    out = StringIO()
    call_command("demo_sign_ins", stdout=out)
    text = out.getvalue()
    for local, *_ in DEMO_USERS:
        assert demo_email(local) in text
    assert data.DEMO_PASSWORD in text
    assert "QR code" in text and "http://127.0.0.1:8000" in text


def test_demo_sign_ins_says_what_to_do_when_nothing_is_generated():
    out = StringIO()
    call_command("demo_sign_ins", stdout=out)
    assert "generate_partnership" in out.getvalue()


def test_anchor_date_is_fixed_not_today():
    assert ANCHOR_DATE == date(2026, 11, 1)
