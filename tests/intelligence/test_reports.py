"""Partner intelligence: submitted by any practitioner, graded 3x5x2 by an
analyst with a sanitised version, and seen by others only as its handling
code allows."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from hoth.access import policy
from hoth.audit.models import AuditEvent
from hoth.intelligence import services
from hoth.intelligence.models import IntelligenceReport, Scheme
from hoth.people.access import sees_person
from hoth.people.models import Person

pytestmark = pytest.mark.django_db


def submit(user, about=None, what="Tyler was seen getting into a grey Audi outside the station at 11pm"):
    return services.submit_intelligence(
        user,
        {
            "what": what,
            "happened_on": date(2026, 11, 20),
            "where": "Crewe railway station",
            "who": "An older male",
            "about_person": about,
            "how_known": IntelligenceReport.HowKnown.SEEN,
        },
    )


def grade(user, report, handling="P", **fields):
    return services.grade_intelligence(
        user,
        report,
        source_evaluation=fields.pop("source", "1"),
        intelligence_assessment=fields.pop("assessment", "A"),
        handling_code=handling,
        sanitised=fields.pop("sanitised", "A child was seen with an adult of concern."),
        **fields,
    )


def visible(user):
    return set(IntelligenceReport.objects.visible_to(user))


def test_a_practitioner_submits_intelligence_as_given_and_it_is_audited(users, child, harm_types):
    report = services.submit_intelligence(
        users["practitioner"],
        {"what": "Seen with an older male", "about_person": child, "how_known": "child"},
        harm_types=[harm_types["cce"]],
    )
    assert report.status == IntelligenceReport.Status.SUBMITTED
    assert report.submitted_by_agency == users["practitioner"].agency
    assert report.reference.startswith("I-")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT what, who FROM {IntelligenceReport._meta.db_table}")
        assert cursor.fetchone()[0].startswith("fernet:"), "what the practitioner wrote is encrypted at rest"
    event = AuditEvent.objects.get(action="create", object_type="intelligence.IntelligenceReport")
    assert event.person_id == child.pk and event.detail["harm_types"] == ["cce"]


def test_intelligence_about_a_child_the_submitter_cannot_see_is_refused(users, stranger):
    with pytest.raises(ValidationError) as error:
        submit(users["school_practitioner"], about=stranger)
    assert "about_person" in error.value.message_dict
    assert not IntelligenceReport.objects.exists()


def test_an_analyst_grades_with_3x5x2_and_a_sanitised_version(users, child, grading_codes):
    report = grade(users["analyst"], submit(users["practitioner"], about=child), source="2", assessment="B")
    report.refresh_from_db()
    assert report.is_graded and report.grading == "2B P"
    assert report.scheme == Scheme.NATIONAL
    assert report.graded_by == users["analyst"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"source": "4"}, "source_evaluation"),
        ({"assessment": "F"}, "intelligence_assessment"),
        ({"handling": "X"}, "handling_code"),
        ({"sanitised": "  "}, "sanitised"),
        ({"handling": "C"}, "handling_conditions"),
        ({"handling": "C", "handling_conditions": "Police and social care only"}, "shared_with"),
    ],
)
def test_a_grading_that_is_not_one_is_refused_and_changes_nothing(users, child, grading_codes, fields, field):
    report = submit(users["practitioner"], about=child)
    with pytest.raises(ValidationError) as error:
        grade(users["analyst"], report, **fields)
    assert field in error.value.message_dict
    report.refresh_from_db()
    assert report.status == IntelligenceReport.Status.SUBMITTED and not report.source_evaluation


def test_only_analysts_grade(users, child, grading_codes):
    report = submit(users["practitioner"], about=child)
    for role in ("practitioner", "coordinator", "panel_chair"):
        with pytest.raises(PermissionDenied):
            grade(users[role], report)


def test_school_practitioner_cannot_see_police_intelligence(users, child, grading_codes, agencies):
    """Neither the report, nor its sanitised version: the school works with no
    child it is about, and is not among the agencies its conditions name."""
    shared = grade(users["analyst"], submit(users["practitioner"], about=child))
    conditional = grade(
        users["analyst"],
        submit(users["coordinator"], about=child),
        handling="C",
        handling_conditions="For the case team only",
        shared_with=[agencies["council"]],
    )
    ungraded = submit(users["coordinator"], about=child)
    school = users["school_practitioner"]
    assert visible(school) == set()
    for report in (shared, conditional, ungraded):
        assert not policy.can(school, "intelligence.view", report)


def test_analysts_see_every_report_and_its_original(users, child, grading_codes):
    report = submit(users["practitioner"], about=child)
    assert visible(users["analyst"]) == {report}
    assert policy.can(users["analyst"], "intelligence.view_original", report)


def test_handling_p_reaches_coordinators_panel_chairs_and_the_childs_practitioners_as_sanitised(
    users, child, stranger, grading_codes, nurse
):
    from hoth.people.models import Involvement

    Involvement.objects.create(person=stranger, user=nurse, kind=Involvement.Kind.ASSIGNED)
    about_child = grade(users["analyst"], submit(nurse, about=child))
    about_stranger = grade(users["analyst"], submit(nurse, about=stranger))
    waiting = submit(nurse, about=child)
    assert visible(users["coordinator"]) == {about_child, about_stranger}
    assert visible(users["panel_chair"]) == {about_child, about_stranger}
    assert visible(users["practitioner"]) == {about_child}
    for role in ("coordinator", "panel_chair", "practitioner"):
        assert not policy.can(users[role], "intelligence.view_original", about_child)
        assert waiting not in visible(users[role]), "nothing is shared before it is graded"


def test_handling_c_reaches_only_the_agencies_its_conditions_name(users, child, grading_codes, agencies, nurse):
    report = grade(
        users["analyst"],
        submit(nurse, about=child),
        handling="C",
        handling_conditions="Not to be shared with the family",
        shared_with=[agencies["school"]],
    )
    assert report in visible(users["school_practitioner"])
    assert report not in visible(users["coordinator"]), "the council is not named in the conditions"
    assert report not in visible(users["practitioner"])
    report.refresh_from_db()
    assert report.handling_conditions == "Not to be shared with the family"


def test_the_submitter_always_sees_what_they_gave(users, child, grading_codes):
    report = grade(
        users["analyst"],
        submit(users["school_practitioner"]),
        handling="C",
        handling_conditions="Police only",
        shared_with=[users["analyst"].agency],
    )
    assert report in visible(users["school_practitioner"])
    assert policy.can(users["school_practitioner"], "intelligence.view_original", report)


def test_a_legacy_handling_code_that_allows_no_sharing_stays_with_police_and_analysts(
    users, child, grading_codes, nurse
):
    report = services.grade_intelligence(
        users["analyst"],
        submit(nurse, about=child),
        scheme=Scheme.LEGACY,
        source_evaluation="B",
        intelligence_assessment="2",
        handling_code="4",
        sanitised="Historic intelligence about a county line.",
    )
    assert report.grading == "B2 4 (5x5x5)"
    assert visible(users["coordinator"]) == set()
    legacy_shared = services.grade_intelligence(
        users["analyst"],
        submit(nurse, about=child),
        scheme=Scheme.LEGACY,
        source_evaluation="C",
        intelligence_assessment="3",
        handling_code="2",
        sanitised="Shared.",
    )
    assert visible(users["coordinator"]) == {legacy_shared}


def test_police_practitioners_read_intelligence_as_given(users, child, grading_codes, agencies):
    from hoth.accounts.models import Role
    from tests.conftest import make_user

    officer = make_user("pc@police.example", agencies["police"], Role.PRACTITIONER)
    report = submit(users["practitioner"], about=child)
    assert visible(officer) == {report}
    assert policy.can(officer, "intelligence.view_original", report)


def test_naming_a_person_as_a_subject_shows_them_to_analysts_only(users, stranger, grading_codes):
    assert not sees_person(users["analyst"], stranger)
    services.subject_for_person(users["coordinator"], stranger)
    stranger = Person.objects.get(pk=stranger.pk)
    assert sees_person(users["analyst"], stranger)
    assert not sees_person(users["practitioner"], stranger)
    assert not sees_person(users["school_practitioner"], stranger)
