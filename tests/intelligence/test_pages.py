"""The intelligence pages: forms refuse bad input with a GOV.UK error summary
and change nothing; each reader sees the report as they may; the network
pages are built from what the viewer may see, with a bounded number of
queries."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoth.audit.models import AuditEvent
from hoth.intelligence import services
from hoth.intelligence.models import IntelligenceReport, Link, Subject

from .conftest import graded_link
from .test_reports import grade, submit

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_practitioner_submits_intelligence_from_the_form(users, child, verified_client, harm_types):
    client = verified_client(users["practitioner"])
    assert "Submit intelligence" in text(client.get("/intelligence/new/"))
    response = client.post(
        "/intelligence/new/",
        {
            "what": "Tyler had £200 in cash and a new phone",
            "how_known": "seen",
            "about_reference": child.reference,
            "harm_types": ["cce"],
            "happened_on_0": "20",
            "happened_on_1": "11",
            "happened_on_2": "2026",
            "happened_at_time": "16:30",
            "postcode": "cw1 2ab",
        },
    )
    report = IntelligenceReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intelligence/{report.reference}/sent/"
    assert report.about_person == child and report.happened_on == date(2026, 11, 20)
    assert report.postcode == "CW1 2AB"
    assert report.reference in text(client.get(response["Location"]))


def test_a_submission_with_problems_shows_them_all_and_saves_nothing(users, stranger, verified_client, harm_types):
    client = verified_client(users["school_practitioner"])
    page = text(
        client.post(
            "/intelligence/new/",
            {
                "what": "",
                "about_reference": stranger.reference,
                "happened_on_0": "31",
                "happened_on_1": "2",
                "happened_on_2": "2026",
                "postcode": "nowhere",
            },
        )
    )
    assert "There is a problem" in page
    for message in (
        "Say what you saw, heard or found out",
        "Select how you know",
        "Enter the reference of a child you work with",
        "real date",
        "Enter a real postcode",
    ):
        assert message in page, message
    assert not IntelligenceReport.objects.exists()


def test_the_grading_form_refuses_handling_c_without_conditions(users, child, verified_client):
    report = submit(users["practitioner"], about=child)
    client = verified_client(users["analyst"])
    page = text(
        client.post(
            f"/intelligence/{report.reference}/grade/",
            {"source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "C", "sanitised": "Shared"},
        )
    )
    assert "Say what the conditions are for sharing it" in page
    assert "Choose the agencies the conditions let it be shared with" in page
    report.refresh_from_db()
    assert not report.is_graded


def test_an_analyst_grades_from_the_form(users, child, verified_client):
    report = submit(users["practitioner"], about=child)
    client = verified_client(users["analyst"])
    form = text(client.get(f"/intelligence/{report.reference}/grade/"))
    assert "Grade the intelligence" in form and "Known directly to the source" in form
    response = client.post(
        f"/intelligence/{report.reference}/grade/",
        {
            "source_evaluation": "1",
            "intelligence_assessment": "B",
            "handling_code": "P",
            "sanitised": "A child was seen with large amounts of cash.",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.grading == "1B P"


def test_a_coordinator_reads_the_sanitised_version_and_the_analyst_the_original(users, child, verified_client):
    report = grade(
        users["analyst"],
        submit(users["practitioner"], about=child),
        sanitised="A child was seen with an adult of concern near the station.",
    )
    for role, sees_original in (("coordinator", False), ("analyst", True)):
        page = text(verified_client(users[role]).get(f"/intelligence/{report.reference}/"))
        assert "A child was seen with an adult of concern near the station." in page
        assert ("getting into a grey Audi" in page) is sees_original, role
        assert (users["practitioner"].full_name in page) is sees_original, "who gave it is for analysts and police"
    event = AuditEvent.objects.filter(action="view", object_id=str(report.pk)).last()
    assert event.person_id == child.pk


def test_a_report_out_of_sight_answers_not_found(users, child, verified_client):
    report = submit(users["practitioner"], about=child)
    assert verified_client(users["school_practitioner"]).get(f"/intelligence/{report.reference}/").status_code == 404


def test_the_analyst_adds_a_subject_by_reference_and_records_a_link_from_the_report(
    users, child, adult, verified_client
):
    report = grade(users["analyst"], submit(users["practitioner"], about=child))
    client = verified_client(users["analyst"])
    bad = text(client.post(f"/intelligence/{report.reference}/subjects/", {"reference": "P-NOBODY1"}))
    assert "Enter the reference of a person" in bad
    response = client.post(f"/intelligence/{report.reference}/subjects/", {"reference": child.reference})
    assert response.status_code == 302
    tyler = Subject.objects.get(person=child)
    assert report.mentions.filter(subject=tyler).exists()
    response = client.post(
        f"/subjects/{tyler.reference}/links/new/",
        {
            "target": adult.reference.lower(),
            "type": "seen_with",
            "intelligence": report.reference,
            "confidence": "high",
        },
    )
    link = Link.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/links/{link.pk}/"
    assert link.grading == "1A" and link.intelligence == report
    detail = text(client.get(response["Location"]))
    assert "New-link alert" in detail and "Alerts it raised" in detail


def test_recording_a_link_without_a_grading_or_intelligence_is_refused(users, child, adult, verified_client):
    tyler = services.subject_for_person(users["coordinator"], child)
    page = text(
        verified_client(users["analyst"]).post(
            f"/subjects/{tyler.reference}/links/new/",
            {"target": adult.reference, "type": "seen_with", "confidence": "high"},
        )
    )
    assert "Grade the link, or give the intelligence it rests on" in page
    assert not Link.objects.exists()


def test_a_vehicle_is_recorded_from_the_form_and_bad_plates_are_refused(users, grading_codes, verified_client):
    client = verified_client(users["analyst"])
    assert "Enter a UK registration" in text(client.post("/subjects/new/vehicle/", {"registration": "NOT ONE"}))
    response = client.post("/subjects/new/vehicle/", {"registration": "ab12 cde", "make": "Audi"})
    subject = Subject.objects.get(kind="vehicle")
    assert response["Location"] == f"/subjects/{subject.reference}/"
    assert "AB12 CDE" in text(client.get(response["Location"]))


def test_the_profile_groups_what_a_subject_is_linked_to_and_its_intelligence(
    users, child, adult, place, verified_client
):
    report = grade(users["analyst"], submit(users["practitioner"], about=child))
    tyler = services.subject_for_person(users["coordinator"], child)
    services.record_link(users["analyst"], source=tyler, target=adult, type="seen_with", intelligence=report)
    graded_link(users, adult, place, type="associated_with")
    page = text(verified_client(users["analyst"]).get(f"/subjects/{adult.reference}/"))
    assert "Children (1)" in page and "Tyler Okafor" in page and "Places (1)" in page
    assert "Mill Street Flats" in page and "Tiny" in page and "Runs a county line" in page
    assert report.reference in page, "the intelligence timeline"


def test_accepting_a_proposal_in_the_browser_warns_of_the_alert(users, child, adult, verified_client):
    tyler = services.subject_for_person(users["coordinator"], child)
    proposal = services.propose_link(source=tyler, target=adult, type="seen_with", because="Named in R-1")
    client = verified_client(users["analyst"])
    assert "Named in R-1" in text(client.get("/links/proposed/"))
    page = text(client.post(f"/links/{proposal.pk}/accept/", {"type": "seen_with", "confidence": "medium"}))
    assert "Select the source evaluation" in page
    response = client.post(
        f"/links/{proposal.pk}/accept/",
        {"type": "seen_with", "confidence": "medium", "source_evaluation": "2", "intelligence_assessment": "C"},
        follow=True,
    )
    assert "New-link alert" in text(response)
    proposal.refresh_from_db()
    assert proposal.status == Link.Status.ACCEPTED


def test_rejecting_a_proposal_needs_a_reason(users, child, adult, verified_client):
    tyler = services.subject_for_person(users["coordinator"], child)
    proposal = services.propose_link(source=tyler, target=adult, type="seen_with", because="Named in R-1")
    client = verified_client(users["analyst"])
    assert "Say why the link is rejected" in text(client.post(f"/links/{proposal.pk}/reject/", {"reason": ""}))
    assert client.post(f"/links/{proposal.pk}/reject/", {"reason": "Another Tiny"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Link.Status.REJECTED


def make_network(users, child, adult, place, extra_children=0):
    from hoth.people.models import Person

    tyler = services.subject_for_person(users["coordinator"], child)
    graded_link(users, tyler, adult)
    graded_link(users, adult, place, type="associated_with")
    for n in range(extra_children):
        other = Person.objects.create(given_names=f"Child{n}", family_name="Test", date_of_birth=date(2011, 1, 1))
        graded_link(users, services.subject_for_person(users["coordinator"], other), adult)
    return tyler


def test_the_network_pages_show_clusters_hubs_paths_and_a_two_hop_network(users, child, adult, place, verified_client):
    tyler = make_network(users, child, adult, place, extra_children=2)
    client = verified_client(users["analyst"])
    overview = text(client.get("/network/"))
    assert "Largest clusters" in overview and "Dean Moss" in overview
    assert "Betweenness is exact" in overview
    assert "Children exposed to the same adult" in overview and "Child0 Test" in overview
    hood = text(client.get(f"/subjects/{tyler.reference}/network/"))
    assert "data-network-drawing" in hood and "Mill Street Flats" in hood
    assert "Adults Tyler Okafor shares with other children" in hood
    cluster = text(client.get(f"/subjects/{tyler.reference}/cluster/"))
    assert "5 subjects joined by chains of links" in cluster
    route = text(client.get("/network/path/", {"source": tyler.reference, "target": place.reference}))
    assert "is 2 links from Mill Street Flats" in route
    event = AuditEvent.objects.filter(action="view", detail__page="subject network").get()
    assert child.pk in event.detail["person_ids"]


def test_the_network_filters_drop_links_outside_the_window_and_below_the_grading(
    users, child, adult, place, verified_client
):
    tyler = services.subject_for_person(users["coordinator"], child)
    graded_link(users, tyler, adult, source_evaluation="3", intelligence_assessment="D")
    client = verified_client(users["analyst"])
    assert "is 1 link from Dean Moss" in text(
        client.get("/network/path/", {"source": tyler.reference, "target": adult.reference})
    )
    strict = text(client.get(f"/subjects/{tyler.reference}/network/", {"min_intelligence": "B"}))
    assert "intelligence assessed B or better" in strict and "Dean Moss" not in strict.split("Subjects (")[1]
    old = text(
        client.get(
            f"/subjects/{tyler.reference}/network/",
            {"start_0": "1", "start_1": "1", "start_2": "2020", "end_0": "31", "end_1": "12", "end_2": "2020"},
        )
    )
    assert "valid between 1 January 2020 and 31 December 2020" in old


def test_the_two_hop_network_costs_the_same_queries_however_large(users, child, adult, place, verified_client):
    tyler = make_network(users, child, adult, place)
    client = verified_client(users["analyst"])
    url = f"/subjects/{tyler.reference}/network/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        text(client.get(url))
    from hoth.people.models import Person

    for n in range(15):
        other = Person.objects.create(given_names=f"Extra{n}", family_name="Test", date_of_birth=date(2011, 1, 1))
        graded_link(users, services.subject_for_person(users["coordinator"], other), adult)
    with CaptureQueriesContext(connection) as large:
        page = text(client.get(url))
    assert "Extra14 Test" in page
    assert len(large) == len(small), [q["sql"] for q in large][len(small) :]


def test_people_out_of_sight_are_not_in_a_network(users, child, adult, stranger, verified_client):
    tyler = services.subject_for_person(users["coordinator"], child)
    graded_link(users, tyler, adult)
    # Made directly: Jade is not an intelligence subject, so only coordinators see her.
    jade = Subject.objects.create(reference=stranger.reference, kind="person", person=stranger)
    Link.objects.create(
        source=jade, target=adult, type="seen_with", scheme="3x5x2", source_evaluation="2", intelligence_assessment="B"
    )
    page = text(verified_client(users["analyst"]).get(f"/subjects/{adult.reference}/network/"))
    assert "Tyler Okafor" in page and "Jade Pritchard" not in page
    chair = text(verified_client(users["panel_chair"]).get(f"/subjects/{adult.reference}/network/"))
    assert "Dean Moss" in chair and "Tyler Okafor" not in chair, "the chair sees persons of concern, not every child"
    assert "Jade Pritchard" in text(verified_client(users["coordinator"]).get(f"/subjects/{adult.reference}/network/"))


def _import(client, run_jobs, content):
    """Upload the file, run its job, and read the job's page."""
    response = client.post(
        "/intelligence/import/",
        {
            "file": SimpleUploadedFile(
                "old.csv", content.encode() if isinstance(content, str) else content, content_type="text/csv"
            )
        },
    )
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response.status_code
    run_jobs()
    return text(client.get(response["Location"]))


def test_historic_intelligence_is_imported_all_or_nothing(
    users, agencies, grading_codes, harm_types, verified_client, run_jobs
):
    header = (
        "reference,agency,submitted_on,what,scheme,source_evaluation,intelligence_assessment,handling_code,"
        "sanitised,harm_types,shared_with,handling_conditions\n"
    )
    good = "OLD-1,Cheshire Constabulary,2014-05-02,Seen dealing,5x5x5,B,2,4,Dealing at the park,cce,,\n"
    bad = "OLD-2,Nowhere Police,2014-13-02,,5x5x5,F,2,4,x,xyz,,\n"
    client = verified_client(users["analyst"])
    page = _import(client, run_jobs, header + good + bad)
    assert "Nothing was imported" in page
    for message in (
        "not an agency of the partnership",
        "is not a date written YYYY-MM-DD",
        "Enter the what",
        "Unknown harm types: xyz",
        "Enter a known source evaluation",
    ):
        assert message in page, message
    assert not IntelligenceReport.objects.exists()
    page = _import(client, run_jobs, header + good)
    assert "1 report imported" in page and "See the imported reports" in page
    report = IntelligenceReport.objects.get()
    assert report.grading == "B2 4 (5x5x5)" and report.source == "import" and report.imported_reference == "OLD-1"
    again = _import(client, run_jobs, header + good)
    assert "OLD-1 has already been imported" in again


def test_an_import_with_a_row_too_long_or_a_binary_file_is_refused_with_a_message(
    users, grading_codes, harm_types, verified_client, run_jobs
):
    header = (
        "reference,agency,submitted_on,what,scheme,source_evaluation,intelligence_assessment,handling_code,sanitised\n"
    )
    client = verified_client(users["analyst"])
    page = _import(
        client, run_jobs, header + "OLD-1,Cheshire Constabulary,2014-05-02,Seen, with a car,5x5x5,B,2,4,Seen\n"
    )
    assert "Nothing was imported" in page and "more values than the header has columns" in page
    # A file that is not CSV at all is refused at once, on the form.
    page = text(
        client.post(
            "/intelligence/import/",
            {
                "file": SimpleUploadedFile(
                    "old.csv",
                    header.encode() + b"OLD-1,Cheshire\x00Constabulary,2014-05-02,Seen\n",
                    content_type="text/csv",
                )
            },
        )
    )
    assert "There is a problem" in page and "holds characters a CSV file cannot" in page
    assert not IntelligenceReport.objects.exists()


def test_an_import_with_a_value_longer_than_csv_reads_is_refused_on_the_form(
    users, grading_codes, harm_types, verified_client
):
    """Python's csv stops at a value over 131,072 characters: the file is
    refused at once, saying where, rather than the page failing."""
    header = (
        "reference,agency,submitted_on,what,scheme,source_evaluation,intelligence_assessment,handling_code,sanitised\n"
    )
    row = 'OLD-1,Cheshire Constabulary,2014-05-02,"' + "x" * 140_000 + '",5x5x5,B,2,4,Seen\n'
    client = verified_client(users["analyst"])
    response = client.post(
        "/intelligence/import/",
        {"file": SimpleUploadedFile("old.csv", (header + row).encode(), content_type="text/csv")},
    )
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Line 2 has a value longer than 131,072 characters" in page
    assert not IntelligenceReport.objects.exists()


def test_each_form_about_a_link_or_a_subject_is_a_read_audited_once(users, child, adult, verified_client):
    tyler = services.subject_for_person(users["coordinator"], child)
    proposal = services.propose_link(source=tyler, target=adult, type="seen_with", because="Named in R-1")
    client = verified_client(users["analyst"])
    for url, page in (
        (f"/links/{proposal.pk}/accept/", "accept"),
        (f"/links/{proposal.pk}/reject/", "reject"),
        (f"/subjects/{adult.reference}/concern/", "concern"),
        (f"/subjects/{adult.reference}/links/new/", "link_new"),
    ):
        before = AuditEvent.objects.filter(action="view").count()
        assert client.get(url).status_code == 200
        assert AuditEvent.objects.filter(action="view").count() == before + 1
        event = AuditEvent.objects.filter(action="view").latest("pk")
        assert event.detail["page"] == page
        assert adult.person_id in event.detail.get("person_ids", [event.person_id])
