"""Who may use the data protection officer's tools: the auditor role only
(subject_access.manage, retention.review), for requests about anyone; the
retention schedule is read by officers and system administrators
(retention.view_schedule) and changed by system administrators
(reference_data.manage). Nobody else, casework roles included, reaches any
of it: nothing here widens what anyone else reads.

The in-scope request is about the in-scope child, the out-of-scope one
about the child nobody works with: the officer answers both."""

from datetime import date

from hoth.information_governance import reference, subject_access
from hoth.information_governance.models import RetentionItem, RetentionReview, RetentionRule
from tests.matrix.common import AUDITORS, SYSTEM_ADMINISTRATORS, Rule

OFFICERS = AUDITORS


def _request(world, scope, assembled=False):
    key = f"subject access request {scope} {assembled}"
    if key not in world:
        reference.load()
        officer = world["users"]["auditor"]
        sar = subject_access.record_request(
            officer,
            requester_name="Kayleigh Brennan",
            relationship="self",
            requester_contact="1 High Street",
            about="Me",
            identity_verified_how="photo_id",
            received_on=date(2026, 1, 5),
        )
        subject_access.choose_person(officer, sar, world[scope])
        if assembled:
            subject_access.assemble(officer, sar)
            sar.refresh_from_db()
            world[f"redaction {scope}"] = subject_access.add_redaction(
                officer, sar, words="Kay", reason_code="TP", note="Her friend's nickname too"
            )
        world[key] = sar
    return world[key]


def request(world, user, scope):
    return {"reference": _request(world, scope).reference}


def assembled(world, user, scope):
    return {"reference": _request(world, scope, assembled=True).reference}


def item(world, user, scope):
    sar = _request(world, scope, assembled=True)
    return {"reference": sar.reference, "item_key": f"person-{sar.person_id}"}


def redaction(world, user, scope):
    sar = _request(world, scope, assembled=True)
    return {"reference": sar.reference, "pk": world[f"redaction {scope}"].pk}


def review(world, user, scope):
    if "retention review" not in world:
        reference.load()
        proposed = RetentionReview.objects.create(due_by=date(2040, 1, 1).isoformat() + "T12:00:00Z")
        RetentionItem.objects.create(
            review=proposed,
            rule=RetentionRule.objects.get(code="child"),
            model="people.Person",
            object_id=world[scope].pk,
            reference=world[scope].reference,
            person_id=world[scope].pk,
            due_on=date(2040, 1, 1),
        )
        world["retention review"] = proposed
    return {"pk": world["retention review"].pk}


def rule(world, user, scope):
    reference.load()
    return {"code": "notifications"}


RULES = {
    # subject_access.manage: the data protection officer.
    "information_governance:home": Rule(allowed=OFFICERS),
    "subject_access:list": Rule(allowed=OFFICERS),
    "subject_access:new": Rule(allowed=OFFICERS),
    "subject_access:detail": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=request),
    "subject_access:find": (
        Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=request),
        Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=request, method="POST", data={"reference": "P-NOBODY1"}),
    ),
    "subject_access:assemble": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=request, method="POST"),
    "subject_access:disclosure": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=assembled),
    "subject_access:item": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=item),
    "subject_access:redactions": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=assembled),
    "subject_access:redaction": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=redaction),
    "subject_access:pdf": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=assembled),
    "subject_access:json": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=assembled),
    "subject_access:extend": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=request),
    "subject_access:close": Rule(allowed=OFFICERS, out_of_scope=OFFICERS, kwargs=request),
    # retention.review: the data protection officer.
    "retention:list": Rule(allowed=OFFICERS),
    "retention:review": Rule(allowed=OFFICERS, kwargs=review),
    "retention:approve": Rule(allowed=OFFICERS, kwargs=review),
    "retention:reject": Rule(allowed=OFFICERS, kwargs=review),
    # Only a review whose job stopped is carried on: this one is still proposed, so
    # an officer is told so on the review's page, and nothing starts.
    "retention:carry_on": Rule(allowed=OFFICERS, kwargs=review, method="POST"),
    # retention.view_schedule: officers and system administrators read it.
    "retention:schedule": Rule(allowed=OFFICERS | SYSTEM_ADMINISTRATORS),
    # reference_data.manage: system administrators change it.
    "retention_schedule:list": Rule(allowed=SYSTEM_ADMINISTRATORS),
    "retention_schedule:edit": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=rule),
}
