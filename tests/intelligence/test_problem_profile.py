"""The problem profile, as a specification: for an area, a kind of harm and a
period it counts what happened beside the period before (asserted against a
small built world), maps the hotspots, draws the network the viewer may see,
never names a child in the page or the PDF, and writes one audit event for
each preview and each download."""

import io
import re
from datetime import date, datetime

import h3
import numpy as np
import pypdf
import pytest
from django.utils import timezone

from hoth.audit.models import AuditEvent
from hoth.cases.models import Case, MissingEpisode
from hoth.contexts.models import Context, Incident, Town
from hoth.intelligence import services
from hoth.intelligence.jobs import document_html
from hoth.intelligence.models import IntelligenceReport, Link, Subject
from hoth.intelligence.problem_profiles import contents as problem_profile
from hoth.intelligence.problem_profiles.contents import UNKNOWN, Area, Parameters, Pseudonyms
from hoth.intelligence.problem_profiles.forms import ProblemProfileForm
from hoth.pdf import pdf_from_html
from hoth.people.models import Address, Person
from hoth.referrals.models import Referral
from hoth.screening.models import Screening, ScreeningTool

pytestmark = pytest.mark.django_db

CREWE = (53.0979, -2.4416)
CREWE_STATION = (53.0894, -2.4334)
MILL_STREET = (53.0950, -2.4400)
NANTWICH = (53.0679, -2.5218)
MACCLESFIELD = (53.2587, -2.1270)
MANCHESTER = (53.4808, -2.2426)
# The profile's period is 2025; the period before it is the 365 days before.
FIRST, LAST = date(2025, 1, 1), date(2025, 12, 31)
PREVIEW = "/problem-profiles/preview/"
PDF = "/problem-profiles/pdf/"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """A fixed today, so the dates asked for are in the past whenever the tests run."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 6, 1))
    return date(2026, 6, 1)


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime(year, month, day, hour))


def dates(first=FIRST, last=LAST):
    return {
        "start_0": first.day,
        "start_1": first.month,
        "start_2": first.year,
        "end_0": last.day,
        "end_1": last.month,
        "end_2": last.year,
    }


def child(given, family, born, town, location):
    person = Person.objects.create(given_names=given, family_name=family, date_of_birth=born)
    Address.objects.create(
        person=person,
        line1="1 High Street",
        town=town,
        postcode="CW1 2AB",
        latitude=location[0],
        longitude=location[1],
        valid_from=date(2020, 1, 1),
    )
    return person


@pytest.fixture
def towns(db):
    return {
        name: Town.objects.create(name=name, latitude=lat, longitude=lng, in_partnership=inside)
        for name, (lat, lng), inside in (
            ("Crewe", CREWE, True),
            ("Nantwich", NANTWICH, True),
            ("Macclesfield", MACCLESFIELD, True),
            ("Manchester", MANCHESTER, False),
        )
    }


@pytest.fixture
def world(users, agencies, towns, harm_types, grading_codes):
    """Tyler and Kai live in Crewe, Jade in Nantwich, Mia in Macclesfield;
    Dean Moss ('Tiny') is an adult of concern linked with Tyler and Jade and
    with Mill Street Flats, a place of concern in Crewe. Every record is dated
    in 2025 (the period) or 2024 (the period before)."""
    cce, cse = harm_types["cce"], harm_types["cse"]
    analyst, coordinator = users["analyst"], users["coordinator"]
    council = agencies["council"]
    tyler = child("Tyler", "Okafor", date(2010, 5, 1), "Crewe", CREWE)
    kai = child("Kai", "Brennan", date(2011, 7, 9), "Crewe", CREWE)
    jade = child("Jade", "Pritchard", date(2009, 2, 2), "Nantwich", NANTWICH)
    mia = child("Mia", "Whitfield", date(2012, 3, 3), "Macclesfield", MACCLESFIELD)
    flats = Context.objects.create(
        kind="place",
        name="Mill Street Flats",
        town="Crewe",
        latitude=MILL_STREET[0],
        longitude=MILL_STREET[1],
        place_type="house",
    )
    park = Context.objects.create(
        kind="place", name="West Park", town="Macclesfield", latitude=MACCLESFIELD[0], longitude=MACCLESFIELD[1]
    )

    def referral(person=None, context=None, when=None, harm=None):
        made = Referral.objects.create(
            person=person,
            context=context,
            subject="child" if person else "context",
            status="submitted",
            submitted_at=when,
            referrer=coordinator,
            referrer_agency=council,
        )
        made.harm_types.set([harm])
        return made

    referral(tyler, when=at(2025, 1, 20), harm=cce)
    referral(context=flats, when=at(2025, 8, 8), harm=cce)
    referral(jade, when=at(2025, 4, 4), harm=cse)
    referral(mia, when=at(2025, 7, 7), harm=cce)
    referral(kai, when=at(2024, 6, 1), harm=cce)

    tool = ScreeningTool.objects.create(version="test-1", name="Test tool", definition={"domains": []}, is_current=True)
    for person, when, level in (
        (tyler, at(2025, 1, 25), "high"),
        (jade, at(2025, 4, 10), "medium"),
        (kai, at(2024, 6, 5), "low"),
    ):
        Screening.objects.create(
            person=person,
            tool=tool,
            status="complete",
            screened_by=coordinator,
            screened_by_agency=council,
            completed_at=when,
            level=level,
        )

    open_case = Case.objects.create(
        person=tyler, lead_professional=users["practitioner"], opened_by=coordinator, opened_at=at(2025, 2, 1)
    )
    open_case.harm_types.set([cce])
    closed = Case.objects.create(
        person=kai,
        lead_professional=users["practitioner"],
        opened_by=coordinator,
        opened_at=at(2024, 6, 10),
        closed_at=at(2025, 3, 1),
        status="closed",
    )
    closed.harm_types.set([cce])

    def missing(person, started, found=None, out_of_area=False):
        MissingEpisode.objects.create(
            person=person,
            started_at=started,
            ended_at=started,
            recorded_by=coordinator,
            found_latitude=found[0] if found else None,
            found_longitude=found[1] if found else None,
            found_out_of_area=out_of_area,
        )

    missing(tyler, at(2025, 3, 10), CREWE_STATION)
    missing(tyler, at(2025, 6, 1), MANCHESTER, out_of_area=True)
    missing(jade, at(2025, 5, 5), CREWE_STATION)
    missing(tyler, at(2024, 7, 1), CREWE_STATION)
    missing(mia, at(2025, 5, 5), MACCLESFIELD)

    def intelligence(when, harm, location=None, place=None, graded=True):
        report = IntelligenceReport.objects.create(
            what="Seen with an older male",
            how_known="seen",
            submitted_by=analyst,
            submitted_by_agency=council,
            submitted_at=when,
            latitude=location[0] if location else None,
            place=place,
            longitude=location[1] if location else None,
            **(
                {
                    "status": "graded",
                    "scheme": "3x5x2",
                    "source_evaluation": "2",
                    "intelligence_assessment": "B",
                    "handling_code": "P",
                    "sanitised": "A sighting.",
                }
                if graded
                else {}
            ),
        )
        report.harm_types.set([harm])
        return report

    intelligence(at(2025, 2, 2), cce, location=CREWE)
    intelligence(at(2025, 9, 9), cce, place=flats, graded=False)
    intelligence(at(2024, 9, 9), cse, location=CREWE)
    intelligence(at(2025, 3, 3), cce, location=MACCLESFIELD)

    for place, when, harm in ((flats, at(2025, 5, 5), cce), (flats, at(2024, 5, 5), None), (park, at(2025, 5, 5), cce)):
        Incident.objects.create(
            place=place,
            occurred_at=when,
            kind="drugs",
            harm_type=harm,
            recorded_by=analyst,
            latitude=place.latitude,
            longitude=place.longitude,
        )

    dean = Person.objects.create(given_names="Dean", family_name="Moss", date_of_birth=date(1999, 3, 3))
    lee = Person.objects.create(given_names="Lee", family_name="Hargreaves", date_of_birth=date(1985, 1, 1))
    subjects = {p: services.subject_for_person(coordinator, p) for p in (tyler, jade, dean, lee)}
    services.flag_of_concern(analyst, subjects[dean], of_concern=True, concern="Runs a county line")
    flats_subject = services.subject_for_context(analyst, flats)
    services.flag_of_concern(analyst, flats_subject, of_concern=True, concern="Cuckooed flat")
    car_subject = services.record_vehicle(analyst, registration="AB12CDE")

    def link(source, target, type, valid_from):
        return services.record_link(
            analyst,
            source=source,
            target=target,
            type=type,
            source_evaluation="2",
            intelligence_assessment="B",
            valid_from=valid_from,
        )[0]

    link(subjects[dean], subjects[tyler], "seen_with", date(2025, 1, 1))
    link(subjects[dean], subjects[jade], "seen_with", date(2025, 2, 1))
    link(subjects[dean], flats_subject, "associated_with", date(2024, 1, 1))
    link(subjects[lee], subjects[tyler], "seen_with", date(2025, 3, 1))
    link(subjects[dean], car_subject, "drives", date(2024, 1, 1))
    return {
        "tyler": tyler,
        "kai": kai,
        "jade": jade,
        "mia": mia,
        "dean": dean,
        "lee": lee,
        "flats": flats,
        "subjects": subjects,
    }


@pytest.fixture
def hidden_child(world, users):
    """Ellie lives in Crewe and is linked with Dean, but was never made a
    subject through the service: analysts cannot see her; coordinators can."""
    ellie = child("Ellie", "Stanton", date(2011, 11, 11), "Crewe", CREWE)
    subject = Subject.objects.create(reference=ellie.reference, kind="person", person=ellie)
    Link.objects.create(
        source=world["subjects"][world["dean"]],
        target=subject,
        type="seen_with",
        valid_from=date(2025, 4, 1),
        scheme="3x5x2",
        source_evaluation="2",
        intelligence_assessment="B",
    )
    Referral.objects.create(
        person=ellie,
        subject="child",
        status="submitted",
        submitted_at=at(2025, 10, 1),
        referrer=users["coordinator"],
        referrer_agency=users["coordinator"].agency,
    )
    return ellie


def parameters(towns=(), harm=None, first=FIRST, last=LAST):
    return Parameters(towns=tuple(towns), harm=harm, first_day=first, last_day=last)


def summary(profile):
    section = next(s for s in profile.sections if s.key == "summary")
    return {m.label: (m.now, m.before) for m in section.context["measures"]}


def network_of(profile):
    return next(s for s in profile.sections if s.key == "network").context


def _make_pdf(client, query):
    """Ask for the PDF from the profile's page, let its job make it, and
    return the address to download it from."""
    from django.utils.http import urlencode

    from tests.conftest import run_queued_jobs

    asked = client.post(f"{PDF}?{urlencode(query, doseq=True)}")
    assert asked.status_code == 302 and asked["Location"].startswith("/jobs/"), asked.status_code
    run_queued_jobs()
    page = client.get(asked["Location"]).content.decode()
    assert "Download the PDF" in page
    return f"{asked['Location']}download/"


def pdf_text(data):
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


# --- the area and pseudonyms ------------------------------------------------------------------------


def test_a_place_is_in_the_town_nearest_it_and_a_named_town_wins(towns):
    area = Area([towns["Crewe"]], Town.objects.all())
    found = area.towns_of(
        [("", *CREWE_STATION), ("Nantwich", *CREWE_STATION), ("", 52.0, -1.0), ("crewe", None, None), ("", None, None)]
    )
    names = [area.towns[i].name if i >= 0 else None for i in found]
    assert names == ["Crewe", "Nantwich", None, "Crewe", None]
    assert area.holds_all(found).tolist() == [True, False, False, True, False]


def test_where_a_missing_child_was_found(towns):
    area = Area([towns["Crewe"]], Town.objects.all())
    crewe, nantwich, manchester = (area.by_name[name] for name in ("crewe", "nantwich", "manchester"))
    assert area.where_found(crewe, crewe, True, False) == "area"
    assert area.where_found(nantwich, nantwich, True, False) == "partnership"
    assert area.where_found(UNKNOWN, manchester, True, False) == "outside", "nearest a neighbouring town"
    assert area.where_found(crewe, crewe, True, True) == "outside", "the record says out of area"
    assert area.where_found(UNKNOWN, UNKNOWN, False, False) == "unknown"
    whole = Area([], Town.objects.all())
    assert whole.where_found(nantwich, nantwich, True, False) == "area"


def test_pseudonyms_are_letters_in_the_order_asked_and_stable():
    names = Pseudonyms()
    assert [names.child(pk) for pk in (40, 7, 40)] == ["Child A", "Child B", "Child A"]
    assert Pseudonyms.letters(25) == "Z" and Pseudonyms.letters(26) == "AA"
    assert names.adult(9) == "Adult 1"
    assert names.as_audit() == [["Child A", 40], ["Child B", 7], ["Adult 1", 9]]


# --- the counts -------------------------------------------------------------------------------------


def test_counts_for_crewe_against_the_period_before(world, towns, users):
    counts = summary(problem_profile.build(parameters([towns["Crewe"]]), users["analyst"]))
    assert counts["Referrals"] == (2, 1)
    assert counts["about children"] == (1, 1)
    assert counts["about places, groups and online spaces"] == (1, 0)
    assert counts["Children screened"] == (1, 1)
    assert counts["at High level"] == (1, 0)
    assert counts["at Low level"] == (0, 1)
    assert counts["Cases open at the end of the period"] == (1, 1)
    # Tyler twice (once found in Manchester), and Jade, who lives in Nantwich but was found in Crewe.
    assert counts["Missing episodes"] == (3, 1)
    assert counts["children who went missing"] == (2, 1)
    assert counts["found in the area"] == (2, 1)
    assert counts["found outside the partnership"] == (1, 0)
    assert counts["found elsewhere in the partnership"] == (0, 0)
    assert counts["Partner intelligence received"] == (2, 1)
    assert counts["graded so far"] == (1, 1)
    assert counts["Incidents at places"] == (1, 1)
    assert counts["Adults of concern linked to the area"] == (1, 1)
    assert counts["Places of concern in the area with links or incidents"] == (1, 1)


def test_a_theme_keeps_only_its_kind_of_harm(world, towns, users, harm_types):
    counts = summary(problem_profile.build(parameters([towns["Crewe"]], harm=harm_types["cce"]), users["analyst"]))
    assert counts["Referrals"] == (2, 1)
    # Jade's harm is sexual exploitation: her missing episode in Crewe is left out.
    assert counts["Missing episodes"] == (2, 1)
    assert counts["Partner intelligence received"] == (2, 0)
    assert counts["Incidents at places"] == (1, 0)


def test_the_whole_partnership_counts_every_town(world, users):
    counts = summary(problem_profile.build(parameters(), users["analyst"]))
    assert counts["Referrals"] == (4, 1)
    assert counts["Missing episodes"] == (4, 1)
    assert counts["found in the area"] == (3, 1)
    assert "found elsewhere in the partnership" not in counts
    assert counts["Partner intelligence received"] == (3, 1)
    assert counts["Incidents at places"] == (2, 1)


def test_the_trend_counts_each_month(world, towns, users):
    trends = next(
        s for s in problem_profile.build(parameters([towns["Crewe"]]), users["analyst"]).sections if s.key == "trends"
    ).context
    rows = dict(trends["rows"])
    assert len(rows) == 12 and trends["names"][:2] == ["Referrals", "Missing episodes"]
    assert rows["Jan 2025"][0] == 1 and rows["Aug 2025"][0] == 1
    assert rows["Mar 2025"][1] == 1 and rows["May 2025"][1] == 1 and rows["Jun 2025"][1] == 1
    assert trends["totals"] == [2, 3, 2, 1]
    assert trends["chart"].startswith("<svg") and "<polyline" in trends["chart"]


# --- the network and scope --------------------------------------------------------------------------


def test_the_network_of_crewe_is_its_people_and_places_and_those_two_links_away(world, towns, users):
    profile = problem_profile.build(parameters([towns["Crewe"]]), users["analyst"])
    net = network_of(profile)
    # Tyler, Jade (two links from Tyler through Dean), Dean, Lee, the flats and Dean's car.
    assert net["subjects"] == 6 and net["children"] == 2 and net["adults_of_concern"] == 1
    names = {hub["name"] for hub in net["hubs"]}
    assert {"Dean Moss", "Mill Street Flats", "Child A", "Child B", "Adult 1", "Vehicle AB12CDE"} == names
    assert net["hubs"][0]["name"] == "Dean Moss", "the most central subject comes first"
    assert {world[n].pk for n in ("tyler", "jade", "dean", "lee")} == set(profile.people)
    pairs = dict(profile.pseudonyms.as_audit())
    assert {pairs["Child A"], pairs["Child B"]} == {world["tyler"].pk, world["jade"].pk}
    assert pairs["Adult 1"] == world["lee"].pk
    assert "<svg" in net["picture"] and "Dean Moss" in net["picture"]


def test_someone_who_may_not_see_a_child_gets_the_counts_but_no_node_for_them(world, hidden_child, towns, users):
    analyst = problem_profile.build(parameters([towns["Crewe"]]), users["analyst"])
    coordinator = problem_profile.build(parameters([towns["Crewe"]]), users["coordinator"])
    assert summary(analyst)["Referrals"] == summary(coordinator)["Referrals"] == (3, 1)
    assert hidden_child.pk not in analyst.people
    assert hidden_child.pk in coordinator.people
    assert network_of(analyst)["subjects"] == 6 and network_of(coordinator)["subjects"] == 7


def test_a_theme_leaves_out_children_without_it(world, towns, users, harm_types):
    profile = problem_profile.build(parameters([towns["Crewe"]], harm=harm_types["cce"]), users["analyst"])
    assert world["jade"].pk not in profile.people, "Jade's harm is sexual exploitation"
    assert world["tyler"].pk in profile.people


def test_disruption_against_the_network_counts_what_took_effect_was_in_force_and_was_breached(world, towns, users):
    from hoth.disruption import reference as tactics_reference
    from hoth.disruption import services as disruption
    from hoth.disruption.models import DisruptionActivity, Tactic

    tactics_reference.load()
    dean = world["subjects"][world["dean"]]
    analyst = users["analyst"]
    notice = disruption.record_activity(
        analyst,
        dean,
        tactic=Tactic.objects.get(code="child-abduction-warning-notice"),
        status="in_force",
        granted_on=date(2024, 5, 1),
        expires_on=date(2024, 11, 1),
        plan_objective="Keep him away from children",
        plan_next_review_on=date(2026, 7, 1),
    )
    DisruptionActivity.objects.filter(pk=notice.pk).update(status="expired")
    order = disruption.record_activity(
        analyst,
        dean,
        tactic=Tactic.objects.get(code="sexual-risk-order"),
        status="in_force",
        applied_on=date(2025, 2, 1),
        granted_on=date(2025, 3, 1),
        expires_on=date(2027, 3, 1),
        children=[world["tyler"]],
    )
    disruption.record_breach(analyst, order, occurred_on=date(2025, 6, 10), what="Seen with a child", action="arrested")
    profile = problem_profile.build(parameters([towns["Crewe"]]), users["analyst"])
    section = next(s for s in profile.sections if s.key == "disruption").context
    assert {m.label: (m.now, m.before) for m in section["measures"]} == {
        "Disruption activities that took effect": (1, 1),
        "of which orders and notices": (1, 1),
        "In force at the end of the period": (1, 0),
        "Breaches": (1, 0),
    }
    assert section["rows"] == [
        {
            "subject": "Dean Moss",
            "tactic": "Sexual Risk Order",
            "status": "Granted, in force",
            "applied_on": date(2025, 2, 1),
            "granted_on": date(2025, 3, 1),
            "expires_on": date(2027, 3, 1),
            "started_label": "Date granted",
            "breaches": 1,
            "children": 1,
        }
    ]
    chair = problem_profile.build(parameters([towns["Crewe"]]), users["panel_chair"])
    assert next(s for s in chair.sections if s.key == "disruption").context["rows"][0]["subject"] == "Dean Moss"


# --- children are never named -----------------------------------------------------------------------


def _identifying(world, *people):
    words = []
    for name in people:
        person = world[name]
        words += [
            person.given_names,
            person.family_name,
            person.reference,
            person.date_of_birth.isoformat(),
            f"{person.date_of_birth:%-d %B %Y}",
        ]
    return words


def test_an_expired_order_was_in_force_on_its_last_day():
    from hoth.disruption.models import DisruptionActivity
    from hoth.intelligence.problem_profiles.contents import _in_force_on

    order = DisruptionActivity(
        status="expired", granted_on=date(2025, 1, 1), expires_on=date(2025, 12, 31), ended_on=date(2025, 12, 31)
    )
    assert _in_force_on(order, date(2025, 12, 31)) and not _in_force_on(order, date(2026, 1, 1))
    discharged = DisruptionActivity(status="discharged", granted_on=date(2025, 1, 1), ended_on=date(2025, 6, 1))
    assert _in_force_on(discharged, date(2025, 5, 31)) and not _in_force_on(discharged, date(2025, 6, 1))


def test_someone_of_concern_whose_age_is_not_recorded_is_not_named(world, towns, users):
    """They may be a child: only people known to be adults are named."""
    dean = world["dean"]
    Person.objects.filter(pk=dean.pk).update(date_of_birth=None)
    profile = problem_profile.build(parameters([towns["Crewe"]]), users["analyst"])
    names = {hub["name"] for hub in network_of(profile)["hubs"]}
    assert "Dean Moss" not in names and "Person 1, age not recorded" in names
    assert ["Person 1, age not recorded", dean.pk] in profile.pseudonyms.as_audit()


def test_no_child_is_named_in_the_page_or_the_pdf(world, towns, users, verified_client):
    client = verified_client(users["coordinator"])
    page = client.get(PREVIEW, {"towns": towns["Crewe"].pk, **dates()})
    assert page.status_code == 200
    html = page.content.decode()
    download = client.get(_make_pdf(client, {"towns": towns["Crewe"].pk, **dates()}))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="problem-profile-crewe-all-harms-2025-01-01-to-2025-12-31.pdf"'
    )
    text = pdf_text(download.content)
    for words in (html, text):
        for word in _identifying(world, "tyler", "jade", "kai", "lee"):
            assert word not in words
        assert "Child A" in words and "Dean Moss" in words and "Mill Street Flats" in words
        assert "OFFICIAL-SENSITIVE" in words and users["coordinator"].full_name in words
    assert "Make the PDF" in html
    # The pseudonyms' key stays in the audit log.
    assert not re.search(r"person_ids|pseudonyms", text)


def test_a_place_name_cannot_inject_markup_into_the_pictures(world, towns, users):
    Context.objects.filter(pk=world["flats"].pk).update(name="<script>alert(1)</script>")
    profile = problem_profile.build(parameters([towns["Crewe"]]), users["analyst"])
    picture = network_of(profile)["picture"]
    assert "<script>" not in picture and "&lt;script&gt;" in picture


# --- the audit --------------------------------------------------------------------------------------


def test_each_preview_and_each_download_writes_one_audit_event(world, towns, users, verified_client):
    client = verified_client(users["analyst"])
    before = AuditEvent.objects.count()
    client.get(PREVIEW, {"towns": towns["Crewe"].pk, **dates()})
    assert AuditEvent.objects.count() == before + 1
    viewed = AuditEvent.objects.latest("id")
    assert viewed.action == "view"
    assert viewed.detail["problem_profile"] == {
        "towns": ["Crewe"],
        "harm": None,
        "from": "2025-01-01",
        "to": "2025-12-31",
    }
    assert set(viewed.detail["person_ids"]) == {world[n].pk for n in ("tyler", "jade", "dean", "lee")}
    assert {label for label, _ in viewed.detail["pseudonyms"]} == {"Child A", "Child B", "Adult 1"}
    assert viewed.detail["counts"]["Referrals"] == 2

    download = _make_pdf(client, {"towns": towns["Crewe"].pk, **dates()})
    assert AuditEvent.objects.count() == before + 1, "making the PDF exports nothing: downloading it does"
    client.get(download)
    assert AuditEvent.objects.count() == before + 2
    exported = AuditEvent.objects.latest("id")
    assert exported.action == "export" and exported.detail["output"] == "pdf"
    assert exported.detail["pseudonyms"] == viewed.detail["pseudonyms"], "the same letters in the page and the PDF"
    assert set(exported.detail["person_ids"]) == set(viewed.detail["person_ids"])
    client.get(download)
    assert AuditEvent.objects.count() == before + 3, "each download is an export"


def test_the_preview_reads_a_bounded_number_of_queries(
    world, towns, users, verified_client, django_assert_max_num_queries
):
    client = verified_client(users["analyst"])
    client.get(PREVIEW, {"towns": towns["Crewe"].pk, **dates()})
    for n in range(15):
        person = child(f"Extra{n}", "Child", date(2010, 1, 1), "Crewe", CREWE)
        Referral.objects.create(
            person=person,
            subject="child",
            status="submitted",
            submitted_at=at(2025, 6, 1),
            referrer=users["coordinator"],
            referrer_agency=users["coordinator"].agency,
        )
        MissingEpisode.objects.create(person=person, started_at=at(2025, 6, 2), recorded_by=users["coordinator"])
        services.record_link(
            users["analyst"],
            source=world["subjects"][world["dean"]],
            target=services.subject_for_person(users["coordinator"], person),
            type="seen_with",
            source_evaluation="2",
            intelligence_assessment="B",
            valid_from=date(2025, 1, 1),
        )
    with django_assert_max_num_queries(40):
        response = client.get(PREVIEW, {"towns": towns["Crewe"].pk, **dates()})
    assert network_of(response.context["profile"])["children"] == 17


# --- the form ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, field, message",
    [
        (
            {**dates(date(2025, 6, 1), date(2025, 5, 1))},
            "end",
            "The end date must be the same as or after the start date",
        ),
        ({**dates(date(2019, 1, 1), date(2025, 5, 1))}, "start", "The period must be 5 years or shorter"),
        ({"start_0": "1", "start_1": "", "start_2": "2025"}, "start", "The start date must include a month"),
        ({"end_0": "31", "end_1": "2", "end_2": "2025"}, "end", "The end date must be a real date"),
        ({"end_0": "1", "end_1": "1", "end_2": "2999"}, "end", "The end date must be today or in the past"),
        ({"harm": "not-a-harm"}, "harm", None),
        # An id no database integer can hold: SQLite cannot even be asked about it.
        ({"towns": "9" * 30}, "towns", None),
        ({"towns": "-" + "9" * 30}, "towns", None),
    ],
)
def test_the_form_refuses_bad_answers_with_an_error_summary(
    answers, field, message, towns, users, verified_client, harm_types
):
    before = AuditEvent.objects.count()
    response = verified_client(users["analyst"]).get(PREVIEW, answers)
    assert response.status_code == 200 and "profile" not in response.context
    page = response.content.decode()
    assert "There is a problem" in page and f'href="#id_{field}' in page
    if message:
        assert message in page
    assert AuditEvent.objects.count() == before, "nothing is audited when nothing is shown"


def test_without_dates_the_profile_covers_the_last_12_months(towns, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 2, 28))
    form = ProblemProfileForm({"towns": [towns["Crewe"].pk]})
    assert form.is_valid(), form.errors
    asked = form.parameters()
    assert (asked.first_day, asked.last_day) == (date(2025, 3, 1), date(2026, 2, 28))
    assert asked.towns == (towns["Crewe"],)
    only_end = ProblemProfileForm(dates(last=date(2024, 2, 29)) | {"start_0": "", "start_1": "", "start_2": ""})
    assert only_end.is_valid() and only_end.parameters().first_day == date(2023, 3, 1)


def test_the_form_page_offers_the_towns_and_the_kinds_of_harm(towns, users, verified_client, harm_types):
    page = verified_client(users["panel_chair"]).get("/problem-profiles/new/").content.decode()
    assert "Manchester (neighbouring area)" in page and "Child criminal exploitation" in page
    assert 'name="start_2"' in page and "Show the profile" in page


# --- the map ----------------------------------------------------------------------------------------


@pytest.fixture
def hotspot_world(users, towns):
    """Incidents spread over Crewe through 2025, and children found at the station most evenings."""
    rng = np.random.default_rng(3)
    station = Context.objects.create(
        kind="place",
        place_type="station",
        name="Crewe railway station",
        town="Crewe",
        latitude=CREWE_STATION[0],
        longitude=CREWE_STATION[1],
    )
    park = Context.objects.create(kind="place", name="Queens Park", town="Crewe", latitude=53.1, longitude=-2.455)
    Incident.objects.bulk_create(
        [
            Incident(
                place=park,
                kind="asb",
                occurred_at=at(2025, 1, 1) + (at(2025, 12, 1) - at(2025, 1, 1)) * rng.random(),
                latitude=53.075 + rng.random() * 0.04,
                longitude=-2.475 + rng.random() * 0.07,
                recorded_by=users["analyst"],
            )
            for _ in range(400)
        ]
    )
    kid = child("Tyler", "Okafor", date(2010, 5, 1), "Crewe", CREWE)
    MissingEpisode.objects.bulk_create(
        [
            MissingEpisode(
                person=kid,
                started_at=at(2025, 1, 2) + (at(2025, 1, 2) - at(2024, 12, 26)) * n,
                recorded_by=users["practitioner"],
                found_latitude=CREWE_STATION[0] + rng.normal(0, 0.0004),
                found_longitude=CREWE_STATION[1] + rng.normal(0, 0.0006),
            )
            for n in range(40)
        ]
    )
    return station


def test_the_map_shows_the_station_as_a_hotspot_with_its_place(hotspot_world, towns, users):
    profile = problem_profile.build(parameters([towns["Crewe"]]), users["analyst"])
    section = next(s for s in profile.sections if s.key == "map").context
    first = section["rows"][0]
    assert h3.latlng_to_cell(*CREWE_STATION, 9) in first["region"].cells
    assert "Crewe railway station" in first["places"] and first["town"] == "Crewe"
    assert section["counted"] == 440
    picture = section["picture"]
    assert picture.count("<polygon") >= 1 and ">Crewe</text>" in picture
    assert ">Macclesfield<" not in picture, "towns far outside the area are not drawn"


def test_the_map_of_another_town_leaves_crewes_events_out(hotspot_world, towns, users):
    profile = problem_profile.build(parameters([towns["Macclesfield"]]), users["analyst"])
    section = next(s for s in profile.sections if s.key == "map").context
    assert section["counted"] == 0 and section["rows"] == []


def test_the_pdf_draws_the_pictures(world, towns, users):
    profile = problem_profile.build(parameters([towns["Crewe"]]), users["coordinator"])
    html = document_html(profile)
    assert html.count("<svg") == 3, "the trend chart, the map of the area's towns and the network"
    text = pdf_text(pdf_from_html(html))
    assert "1. Summary" in text and "4. The network" in text and "About the figures" in text
