"""The catalogue of tactics as reference data: the published list loaded
with its statutes marked exactly as the domain reference marks them, loads
that leave administrators' changes alone, and the pages where system
administrators add, change and switch tactics off and on (nobody else may)."""

import json

import pytest
from django.urls import reverse

from hoth.audit.models import AuditEvent
from hoth.disruption import reference
from hoth.disruption.models import Tactic

pytestmark = pytest.mark.django_db
LIST = reverse("tactics:list")
ADD = reverse("tactics:create")

VERIFIED = {  # domain.md: Disruption tactics, statutes given without "(unverified)"
    "child-abduction-warning-notice": "Section 2 Child Abduction Act 1984",
    "recovery-order": "Section 50 Children Act 1989",
    "sexual-harm-prevention-order": "Section 103A Sexual Offences Act 2003",
    "sexual-risk-order": "Section 122A Sexual Offences Act 2003",
    "child-sex-offence-closure": "Part 2A Sexual Offences Act 2003",
    "hotel-guest-information-notice": "Sections 116 to 118 Anti-social Behaviour, Crime and Policing Act 2014",
    "slavery-trafficking-prevention-order": "Sections 14 and 15 Modern Slavery Act 2015",
    "slavery-trafficking-risk-order": "Section 23 Modern Slavery Act 2015",
    "gang-injunction": "Section 34 Policing and Crime Act 2009",
    "drug-dealing-telecommunications-restriction-order": "Section 80A Serious Crime Act 2015",
}
UNVERIFIED = {
    "criminal-behaviour-order": "Section 22",
    "civil-injunction": "Section 1 ",
    "community-protection-notice": "Section 43",
    "public-spaces-protection-order": "Section 59",
    "dispersal-direction": "Sections 34 and 35",
    "closure-notice-and-order": "Sections 76 and 80",
    "knife-crime-prevention-order": "Offensive Weapons Act 2019",
    "serious-crime-prevention-order": "Section 1 Serious Crime Act 2007",
    "serious-violence-reduction-order": "Police, Crime, Sentencing and Courts Act 2022",
    "licensing-review": "Section 51 Licensing Act 2003",
    "taxi-licensing": "Local Government (Miscellaneous Provisions) Act 1976",
    "trading-standards-intervention": "underage sales, counterfeit goods",
}
NON_LEGAL = {
    "hotspot-campaign",
    "increased-patrols",
    "guardianship-training",
    "relocation",
    "education-response",
    "platform-takedown-request",
}


def test_the_published_list_has_every_order_and_notice_with_its_statute_marked_as_the_domain_reference_does():
    tactics = {t.code: t for t in Tactic.objects.all()}
    assert set(tactics) == set(VERIFIED) | set(UNVERIFIED) | NON_LEGAL
    for code, statute in VERIFIED.items():
        assert statute in tactics[code].statute and tactics[code].statute_verified, code
    for code, statute in UNVERIFIED.items():
        assert statute in tactics[code].statute and not tactics[code].statute_verified, code
    for code in NON_LEGAL:
        assert tactics[code].kind == "non_legal" and not tactics[code].statute
    assert "section 49 Children Act 1989" in tactics["child-abduction-warning-notice"].statute
    assert tactics["platform-takedown-request"].subject_kinds == ["online"]
    assert all(t.version == reference.published()["version"] and t.is_active for t in tactics.values())


def test_loading_again_changes_nothing_and_leaves_administrators_changes_alone():
    assert reference.load().endswith("0 added, 0 updated")
    changed = Tactic.objects.get(code="criminal-behaviour-order")
    changed.statute, changed.statute_verified, changed.version = "Section 22 ASBCPA 2014 (checked)", True, ""
    changed.save()
    off = Tactic.objects.get(code="dispersal-direction")
    off.is_active = False
    off.save()
    published = Tactic.objects.get(code="gang-injunction")
    published.thresholds, published.version = "Out of date", "2025.9"
    published.save()
    reference.load()
    changed.refresh_from_db()
    off.refresh_from_db()
    published.refresh_from_db()
    assert changed.statute == "Section 22 ASBCPA 2014 (checked)" and changed.version == ""
    assert not off.is_active
    assert published.thresholds != "Out of date" and published.version == reference.published()["version"]


def test_the_fixture_names_each_tactic_once_and_only_known_kinds_of_subject():
    data = json.loads(reference.FIXTURE.read_text())
    kinds = {"person", "place", "group", "online", "vehicle", "phone"}
    assert all(set(row["subject_kinds"]) <= kinds and row["subject_kinds"] for row in data["tactics"])
    assert len({row["code"] for row in data["tactics"]}) == len(data["tactics"])


# ---------------------------------------------------------------- the pages


@pytest.fixture
def sysadmin(users, verified_client):
    return verified_client(users["system_admin"])


def admin_events():
    return list(AuditEvent.objects.filter(action="admin", object_type="disruption.Tactic").order_by("id"))


def test_the_list_shows_each_tactic_and_whether_its_statute_is_verified(sysadmin):
    page = sysadmin.get(LIST).content.decode()
    assert "Sexual Risk Order" in page and "Not verified" in page and "Verified" in page
    assert "12 statutes have not yet been checked" in page
    assert reverse("reference:name-variants") in page
    assert LIST in sysadmin.get(reverse("reference:name-variants")).content.decode()


def test_an_administrator_verifies_a_statute_and_later_loads_leave_it(sysadmin):
    cbo = Tactic.objects.get(code="criminal-behaviour-order")
    edit = reverse("tactics:edit", args=[cbo.pk])
    assert "comes from the published list" in sysadmin.get(edit).content.decode()
    response = sysadmin.post(
        edit,
        {
            "name": cbo.name,
            "kind": cbo.kind,
            "statute": "Section 22 Anti-social Behaviour, Crime and Policing Act 2014",
            "statute_verified": "on",
            "who_can_apply": cbo.who_can_apply,
            "thresholds": cbo.thresholds,
            "duration_notes": cbo.duration_notes,
            "subject_kinds": ["person"],
        },
    )
    assert response.status_code == 302 and response["Location"] == LIST
    cbo.refresh_from_db()
    assert cbo.statute_verified and cbo.version == ""
    [event] = admin_events()
    assert event.detail["change"] == "changed" and event.detail["changed"]["statute_verified"] == [False, True]
    reference.load()
    cbo.refresh_from_db()
    assert cbo.statute_verified


def test_a_tactic_added_by_an_administrator_is_offered_for_its_kinds_of_subject(sysadmin):
    response = sysadmin.post(
        ADD, {"name": "ANPR marker", "kind": "non_legal", "subject_kinds": ["vehicle"], "who_can_apply": "The police"}
    )
    assert response.status_code == 302
    added = Tactic.objects.get(name="ANPR marker")
    assert added.code == "local-anpr-marker" and added.version == "" and added.subject_kinds == ["vehicle"]
    assert [e.detail["change"] for e in admin_events()] == ["added"]


def test_a_tactic_with_problems_is_refused_with_every_message_and_nothing_saved(sysadmin):
    before = Tactic.objects.count()
    page = sysadmin.post(ADD, {"name": "sexual risk order", "kind": ""}).content.decode()
    for message in (
        "There is a problem",
        "There is already a tactic called sexual risk order",
        "Select the kind of tactic",
        "Select at least one kind of subject",
    ):
        assert message in page
    assert Tactic.objects.count() == before and not admin_events()


def test_switching_a_tactic_off_and_on_again(sysadmin):
    sro = Tactic.objects.get(code="sexual-risk-order")
    off = reverse("tactics:switch-off", args=[sro.pk])
    assert "no longer be offered" in sysadmin.get(off).content.decode()
    assert sysadmin.post(off).status_code == 302
    sro.refresh_from_db()
    assert not sro.is_active
    assert sysadmin.post(reverse("tactics:switch-on", args=[sro.pk])).status_code == 302
    sro.refresh_from_db()
    assert sro.is_active
    assert [e.detail["change"] for e in admin_events()] == ["switched off", "switched on"]


@pytest.mark.parametrize("role", ["analyst", "coordinator", "agency_admin"])
def test_nobody_but_a_system_administrator_changes_the_catalogue(role, users, verified_client):
    client = verified_client(users[role])
    assert client.get(LIST).status_code == 403
    assert client.post(ADD, {"name": "X", "kind": "non_legal", "subject_kinds": ["place"]}).status_code == 403
    assert not Tactic.objects.filter(name="X").exists()
