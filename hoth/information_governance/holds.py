"""Legal holds: records past their trigger that must not be erased yet, and why.

A hold is worked out when a review is proposed (and shown to the data
protection officer) and again just before each record is erased, so a hold
that appeared after the proposal (a case reopened, a new subject access
request) still stops it. Each function takes the ids of the records due and
returns {id: reason}; a reason names references, never a name.
"""

from django.utils import timezone

from hoth.disruption import flow

LIVE_DISRUPTION = flow.OPEN  # planned, applied for, in force


def _first(reasons, key, text):
    reasons.setdefault(key, text)


def people(ids, now=None):
    """A person is held while a case is open, while they are missing, while a
    disruption activity against them or protecting them is live, while a
    subject access request about them is open, and while they are on the
    agenda of a meeting still to be held."""
    from hoth.cases.models import Case, MissingEpisode
    from hoth.disruption.models import DisruptionActivity
    from hoth.panels.models import AgendaItem, Meeting

    from .models import SubjectAccessRequest

    ids = list(ids)
    reasons = {}
    if not ids:
        return reasons
    for pk, reference in (
        SubjectAccessRequest.objects.open().filter(person__in=ids).values_list("person_id", "reference")
    ):
        _first(reasons, pk, f"Subject access request {reference} is open")
    for pk, reference in Case.objects.filter(person__in=ids, status=Case.Status.OPEN).values_list(
        "person_id", "reference"
    ):
        _first(reasons, pk, f"Case {reference} is open")
    for pk, started in MissingEpisode.objects.filter(person__in=ids, ended_at=None).values_list(
        "person_id", "started_at"
    ):
        _first(reasons, pk, f"Missing since {timezone.localtime(started):%-d %B %Y}")
    live = DisruptionActivity.objects.filter(status__in=LIVE_DISRUPTION)
    for pk, reference in live.filter(subject__person__in=ids).values_list("subject__person_id", "reference"):
        _first(reasons, pk, f"Named in disruption activity {reference}, still live")
    for pk, reference in live.filter(children__in=ids).values_list("children", "reference"):
        _first(reasons, pk, f"Protected by disruption activity {reference}, still live")
    for pk, starts in (
        AgendaItem.objects.filter(person__in=ids, meeting__status=Meeting.Status.PLANNED)
        .exclude(status=AgendaItem.Status.REMOVED)
        .values_list("person_id", "meeting__starts_at")
    ):
        _first(reasons, pk, f"On the agenda of the meeting on {timezone.localtime(starts):%-d %B %Y}")
    return reasons


def referrals(ids, now=None):
    """A referral is held while its child is, or while a meeting still to be held will discuss it."""
    from hoth.panels.models import AgendaItem, Meeting
    from hoth.referrals.models import Referral

    ids = list(ids)
    rows = dict(Referral.objects.filter(pk__in=ids).exclude(person=None).values_list("pk", "person_id"))
    held_people = people(set(rows.values()), now)
    reasons = {pk: held_people[person] for pk, person in rows.items() if person in held_people}
    for pk, starts in (
        AgendaItem.objects.filter(referral__in=ids, meeting__status=Meeting.Status.PLANNED)
        .exclude(status=AgendaItem.Status.REMOVED)
        .values_list("referral_id", "meeting__starts_at")
    ):
        _first(reasons, pk, f"On the agenda of the meeting on {timezone.localtime(starts):%-d %B %Y}")
    return reasons


def intelligence(ids, now=None):
    """A report is held while a live disruption activity rests on it, or
    while it is about or names someone whose subject access request is open
    (erasing it then would defeat the request: DPA 2018 section 173)."""
    from hoth.disruption.models import DisruptionActivity
    from hoth.intelligence.models import IntelligenceReport, Mention

    from .models import SubjectAccessRequest

    ids = list(ids)
    reasons = {}
    for pk, reference in DisruptionActivity.objects.filter(
        status__in=LIVE_DISRUPTION, intelligence__in=ids
    ).values_list("intelligence", "reference"):
        _first(reasons, pk, f"Disruption activity {reference} rests on it and is still live")
    requested = dict(SubjectAccessRequest.objects.open().exclude(person=None).values_list("person_id", "reference"))
    if requested:
        about = IntelligenceReport.objects.filter(pk__in=ids, about_person__in=list(requested))
        for pk, person in about.values_list("pk", "about_person_id"):
            _first(reasons, pk, f"Subject access request {requested[person]} is open about someone it names")
        named = Mention.objects.filter(report__in=ids, subject__person__in=list(requested))
        for pk, person in named.values_list("report_id", "subject__person_id"):
            _first(reasons, pk, f"Subject access request {requested[person]} is open about someone it names")
    return reasons


def subjects(ids, now=None):
    from hoth.disruption.models import DisruptionActivity

    reasons = {}
    for pk, reference in DisruptionActivity.objects.filter(
        status__in=LIVE_DISRUPTION, subject__in=list(ids)
    ).values_list("subject_id", "reference"):
        _first(reasons, pk, f"Disruption activity {reference} against it is still live")
    return reasons


def contexts(ids, now=None):
    """A place is held while its Level 2 work is open (assessed and not
    closed), while disruption against it is live, or while a meeting still
    to be held will discuss it."""
    from hoth.contexts.models import Context
    from hoth.disruption.models import DisruptionActivity
    from hoth.panels.models import AgendaItem, Meeting

    ids = list(ids)
    reasons = {}
    for pk in (
        Context.objects.filter(pk__in=ids, closed_on=None, assessments__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    ):
        _first(reasons, pk, "Its Level 2 work is open")
    for pk, reference in DisruptionActivity.objects.filter(
        status__in=LIVE_DISRUPTION, subject__context__in=ids
    ).values_list("subject__context_id", "reference"):
        _first(reasons, pk, f"Disruption activity {reference} against it is still live")
    for pk, starts in (
        AgendaItem.objects.filter(context__in=ids, meeting__status=Meeting.Status.PLANNED)
        .exclude(status=AgendaItem.Status.REMOVED)
        .values_list("context_id", "meeting__starts_at")
    ):
        _first(reasons, pk, f"On the agenda of the meeting on {timezone.localtime(starts):%-d %B %Y}")
    return reasons


def none(ids, now=None):
    return {}
