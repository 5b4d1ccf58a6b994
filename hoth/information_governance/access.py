"""Who may answer subject access requests and apply the retention schedule:
the data protection officer, and for the register only through the two
purpose-named reads below."""

from hoth.access.policy import rule, scope
from hoth.access.roles import data_protection_officer
from hoth.accounts.roles import Role


def subject_access_people(user, people):
    """The whole register, for the data protection officer answering a
    subject access request: finding the person it is about. Auditors read no
    one's record otherwise (the person scope gives them nobody), and no other
    role's sight widens through this."""
    return people if data_protection_officer(user) else people.none()


def subject_access_records(user, records):
    """Every agency's records about a person, for the data protection
    officer assembling what is held about them (referrals, casework,
    intelligence, disruption, meetings, notifications...), and for nothing
    else: the services that read through this check subject_access.manage on
    an open request first, and audit what they read."""
    return records if data_protection_officer(user) else records.none()


@scope("information_governance.SubjectAccessRequest")
def visible_subject_access_requests(user, requests):
    """Requests hold the requester's details and a copy of a person's
    record: the data protection officer's alone."""
    return subject_access_records(user, requests)


@scope("information_governance.RetentionReview")
def visible_retention_reviews(user, reviews):
    """The reviews of what the retention schedule says is due, and their
    items (references of records due for erasure): the data protection officer."""
    return reviews if data_protection_officer(user) else reviews.none()


@rule("subject_access.manage")
def manage_subject_access(user, request):
    """Recording a subject access request, finding its person, assembling and
    redacting the disclosure, exporting it and closing the request: the data
    protection officer (the auditor role)."""
    return data_protection_officer(user)


@rule("retention.review")
def review(user, review):
    """Reading the retention reviews the daily job proposes, and approving or
    rejecting them: the data protection officer."""
    return data_protection_officer(user)


@rule("retention.view_schedule")
def view_schedule(user, obj):
    """The retention schedule: the data protection officer who applies it and
    the system administrators who keep it (reference_data.manage changes it)."""
    return data_protection_officer(user) or user.has_role(Role.SYSTEM_ADMIN)
