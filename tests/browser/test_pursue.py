"""Pursue and disrupt in the browser, from a piece of partner intelligence to
a disruption: a practitioner submits intelligence about a child they lead on;
the analyst grades it, accepts a link the service proposed from the child's
missing episode, which joins the child to an adult of concern and tells the
lead professional; the analyst opens the child's network, the cluster, the
path to the adult, the hotspot map and the hotspot at the flats, then records
a Child Abduction Warning Notice against the adult. A school practitioner cannot see the
intelligence. axe checks every page."""

import re
from datetime import date, timedelta

import numpy as np
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.cases.models import Case, MissingEpisode
from hoth.contexts.models import Context, Incident, Town
from hoth.disruption import reference as tactics_reference
from hoth.disruption.models import DisruptionActivity
from hoth.intelligence import reference, services
from hoth.intelligence.models import IntelligenceReport, Link, LinkAlert
from hoth.notifications.models import Notification
from hoth.people.models import Alias, Involvement, Person
from hoth.referrals import reference as harm_reference
from tests.browser.test_disruption import fill_date

pytestmark = pytest.mark.browser

FLATS = (53.0950, -2.4400)


@pytest.fixture
def picture(users):
    """Tyler, whom the council practitioner leads on; Dean Moss ('Tiny'), an
    adult of concern; Mill Street Flats, where incidents cluster in the evenings
    over a spread of incidents across Crewe; and a link the service proposed
    when Tyler was found with 'Tiny' after going missing."""
    reference.load()
    harm_reference.load()
    tactics_reference.load()
    Town.objects.create(name="Crewe", latitude=53.0979, longitude=-2.4416)
    Town.objects.create(name="Nantwich", latitude=53.0670, longitude=-2.5210)
    tyler = Person.objects.create(given_names="Tyler", family_name="Okafor", date_of_birth=date(2010, 5, 1))
    Involvement.objects.create(person=tyler, user=users["practitioner"], kind=Involvement.Kind.LEAD_PROFESSIONAL)
    Case.objects.create(person=tyler, lead_professional=users["practitioner"], opened_by=users["coordinator"])
    dean = Person.objects.create(given_names="Dean", family_name="Moss", date_of_birth=date(1999, 3, 3))
    Alias.objects.create(person=dean, kind=Alias.Kind.STREET, name="Tiny")
    tiny = services.flag_of_concern(
        users["analyst"],
        services.subject_for_person(users["coordinator"], dean),
        of_concern=True,
        concern="Runs a county line into Crewe",
    )
    flats = Context.objects.create(
        kind="place",
        place_type="house",
        name="Mill Street Flats",
        town="Crewe",
        address="Mill Street",
        postcode="CW2 7AA",
        latitude=FLATS[0],
        longitude=FLATS[1],
        created_by=users["analyst"],
    )
    services.subject_for_context(users["analyst"], flats)
    park = Context.objects.create(
        kind="place", place_type="park", name="Queens Park", town="Crewe", latitude=53.1000, longitude=-2.4550
    )
    rng = np.random.default_rng(7)
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
        + [
            Incident(
                place=flats,
                kind="drugs",
                occurred_at=now - timedelta(days=n * 6 + 1, hours=3),
                latitude=FLATS[0] + rng.normal(0, 0.0003),
                longitude=FLATS[1] + rng.normal(0, 0.0004),
                recorded_by=users["analyst"],
            )
            for n in range(40)
        ]
    )
    episode = MissingEpisode.objects.create(
        person=tyler,
        started_at=now - timedelta(days=3),
        ended_at=now - timedelta(days=2),
        recorded_by=users["practitioner"],
        who_with="Found with an older male known as Tiny",
        where_found="Mill Street Flats",
    )
    tyler_subject = services.subject_for_person(None, tyler)
    proposal = services.propose_link(
        source=tyler_subject,
        target=tiny,
        type="seen_with",
        because="From the missing episode: 'Tiny' is a street name of Dean Moss",
        missing_episode=episode,
        valid_from=episode.started_at.date(),
    )
    return {"tyler": tyler, "tiny": tiny, "flats": flats, "proposal": proposal}


def test_an_analyst_goes_from_intelligence_to_a_graded_link_an_alert_a_network_a_hotspot_and_a_disruption(
    browse, users, picture
):
    tyler, tiny = picture["tyler"], picture["tiny"]

    # The lead professional submits what they were told.
    lead = browse()
    lead.sign_in(users["practitioner"])
    lead.visit("/intelligence/new/")
    lead.fill(
        "What did you see, hear or find out?",
        "Tyler says an older man called Tiny gives him a phone and lifts to Mill Street Flats at night.",
    )
    lead.fill("Where did it happen? (optional)", "Mill Street Flats, Crewe")
    lead.fill("Is it about a child you work with? (optional)", tyler.reference)
    lead.page.get_by_label("The child told me").check()
    lead.page.get_by_label("Child criminal exploitation").check()
    lead.screenshot("intelligence-submit")
    lead.click("Submit intelligence")
    expect(lead.page.get_by_role("heading", level=1)).to_contain_text("Intelligence submitted")
    report = IntelligenceReport.objects.get()

    # The analyst grades it 3x5x2 and writes the sanitised version.
    analyst = browse()
    analyst.sign_in(users["analyst"])
    analyst.visit("/intelligence/")
    analyst.click(report.reference)
    analyst.click("Grade it")
    analyst.click("Save the grading")
    expect(analyst.page.locator(".govuk-error-summary")).to_contain_text("Select the source evaluation")
    analyst.page.get_by_label("2: Untested").check()
    analyst.page.get_by_label("B: Known indirectly to the source but corroborated").check()
    analyst.page.get_by_label("P: Lawful sharing permitted", exact=True).check()
    analyst.fill("Sanitised version", "A child is being given a phone and lifts by an adult of concern.")
    analyst.screenshot("intelligence-grade")
    analyst.click("Save the grading")
    expect(analyst.page.get_by_role("heading", level=1)).to_contain_text("2B P")
    report.refresh_from_db()
    assert report.is_graded and report.sanitised.startswith("A child is being given")

    # The proposed link from the missing episode: accepting it raises an alert.
    analyst.visit("/links/proposed/")
    expect(analyst.page.get_by_role("main")).to_contain_text("Tiny")
    analyst.screenshot("links-proposed")
    analyst.click(re.compile("open the proposal"))
    analyst.click("Accept and grade it")
    analyst.page.get_by_label("2: Untested").check()
    analyst.page.get_by_label("B: Known indirectly to the source but corroborated").check()
    analyst.page.get_by_label("High").check()
    analyst.click("Accept the link")
    link = Link.objects.get(pk=picture["proposal"].pk)
    assert link.status == Link.Status.ACCEPTED and link.grading == "2B"
    alert = LinkAlert.objects.get(link=link)
    assert users["practitioner"] in alert.told.all()

    # The lead professional is told, and opens the alert.
    notice = Notification.objects.get(user=users["practitioner"], url__endswith=f"/alerts/{alert.pk}/")
    lead.visit("/notifications/")
    lead.click(notice.subject)
    expect(lead.page.get_by_role("heading", level=1)).to_contain_text("connected to a network of concern")
    expect(lead.page.get_by_role("main")).to_contain_text("Tyler Okafor")
    lead.screenshot("link-alert")

    # The analyst links the adult to the flats from the profile, then reads the network.
    analyst.visit(f"/subjects/{tiny.reference}/")
    analyst.screenshot("subject-profile")
    tyler_subject = tyler.subject
    analyst.visit(f"/subjects/{tyler_subject.reference}/network/")
    expect(analyst.page.get_by_role("main")).to_contain_text("Dean Moss")
    analyst.page.wait_for_selector("[data-network-drawing] canvas", state="attached")
    analyst.screenshot("subject-network")
    analyst.visit(f"/subjects/{tyler_subject.reference}/cluster/")
    expect(analyst.page.get_by_role("main")).to_contain_text("Dean Moss")
    analyst.visit(f"/network/path/?source={tyler_subject.reference}&target={tiny.reference}")
    expect(analyst.page.get_by_role("main")).to_contain_text("1 link from Dean Moss")
    analyst.visit("/network/")
    analyst.screenshot("network-overview")

    # The hotspot map finds the flats, and the hotspot's page names them.
    analyst.visit("/hotspots/")
    analyst.page.wait_for_selector(".leaflet-interactive", state="attached")
    analyst.screenshot("hotspot-map")
    expect(analyst.page.get_by_role("main")).to_contain_text("Mill Street Flats")
    analyst.click(re.compile("cells around"))
    expect(analyst.page.get_by_role("main")).to_contain_text("Mill Street Flats")
    expect(analyst.page.get_by_role("main")).to_contain_text("Drug supply or use")
    analyst.screenshot("hotspot")

    # A Child Abduction Warning Notice against the adult, protecting Tyler.
    analyst.visit(f"/subjects/{tiny.reference}/")
    analyst.click("Record disruption")
    analyst.page.get_by_label("Child Abduction Warning Notice", exact=True).check()
    analyst.click("Continue")
    analyst.page.get_by_label("Issued, in force", exact=True).check()
    fill_date(analyst.page, "Date issued", timezone.localdate())
    fill_date(analyst.page, "Expiry date", timezone.localdate() + timedelta(days=365))
    analyst.page.get_by_label(f"{tyler.full_name} ({tyler.reference})").check()
    analyst.fill("What should the disruption plan achieve?", "Keep Dean Moss away from Tyler")
    fill_date(analyst.page, "When should the plan first be reviewed?", timezone.localdate() + timedelta(days=28))
    analyst.click(re.compile("^Record the"))
    expect(analyst.page.locator(".govuk-notification-banner")).to_contain_text(
        "Child Abduction Warning Notice recorded against Dean Moss"
    )
    notice = DisruptionActivity.objects.get()
    assert notice.status == "in_force" and list(notice.children.all()) == [tyler]
    analyst.visit(f"/subjects/{tiny.reference}/")
    expect(analyst.page.get_by_role("main")).to_contain_text("Child Abduction Warning Notice")


def test_a_school_practitioner_cannot_see_the_intelligence(browse, users, picture):
    report = services.submit_intelligence(
        users["practitioner"],
        {
            "what": "Tyler is dropped at Mill Street Flats late at night",
            "how_known": "child",
            "about_person": picture["tyler"],
        },
    )
    services.grade_intelligence(
        users["analyst"],
        report,
        source_evaluation="2",
        intelligence_assessment="B",
        handling_code="P",
        sanitised="A child is seen late at night at a place of concern.",
    )
    teacher = browse()
    teacher.sign_in(users["school_practitioner"])
    teacher.visit("/intelligence/")
    expect(teacher.page.get_by_role("main")).not_to_contain_text(report.reference)
    response = teacher.page.goto(f"{teacher.base_url}/intelligence/{report.reference}/")
    assert response.status == 404
    teacher.check()
    for path in (
        f"/subjects/{picture['tiny'].reference}/",
        "/network/",
        "/hotspots/",
        "/links/proposed/",
        "/disruption/",
        "/problem-profiles/new/",
    ):
        assert teacher.page.goto(teacher.base_url + path).status in (403, 404)
        teacher.check()
