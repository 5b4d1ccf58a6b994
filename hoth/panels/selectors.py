"""What the screening meeting and the panel are offered, read and changed
nowhere: the last confirmed meeting of each kind an agenda follows on from,
the screenings a screening meeting should consider, and the children a
panel should discuss (referred by the screening meeting, or at High level
with an open case).
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Q, Subquery

from hoth.cases.models import Case
from hoth.people.models import Person
from hoth.referrals.models import Referral
from hoth.screening.models import LEVEL_ORDER, Level, Screening

from .models import AgendaItem, Decision, Meeting

# Referrals still waiting for the meeting's decision.
UNDECIDED = (Referral.Status.SUBMITTED, Referral.Status.SCREENED)


def last_confirmed_before(meeting: Meeting) -> Meeting | None:
    """The confirmed meeting of the same kind before this one: what its
    agenda follows on from."""
    return (
        Meeting.objects.filter(kind=meeting.kind, status=Meeting.Status.CONFIRMED, starts_at__lt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


# ---------------------------------------------------------------- the screening meeting


def agenda_candidates(meeting: Meeting) -> list[Screening]:
    """Screenings the meeting should consider: completed since the last
    confirmed screening meeting, for referrals still waiting for a decision,
    and re-screens made without a referral. One per referral (its latest
    screening) and one re-screen per child; none already on this meeting's
    agenda (even if taken off it) or on another meeting still to be held."""
    since = last_confirmed_before(meeting)
    screenings = (
        Screening.objects.completed()
        .filter(Q(referral__isnull=True) | Q(referral__status__in=UNDECIDED))
        .select_related("person", "referral")
    )
    if since is not None:
        screenings = screenings.filter(completed_at__gt=since.starts_at)
    on_this = AgendaItem.objects.filter(meeting=meeting)
    on_others = (
        AgendaItem.objects.filter(meeting__status=Meeting.Status.PLANNED)
        .exclude(meeting=meeting)
        .exclude(status=AgendaItem.Status.REMOVED)
    )
    taken_screenings = set(on_this.exclude(screening=None).values_list("screening_id", flat=True)) | set(
        on_others.exclude(screening=None).values_list("screening_id", flat=True)
    )
    taken_referrals = set(on_this.exclude(referral=None).values_list("referral_id", flat=True)) | set(
        on_others.exclude(referral=None).values_list("referral_id", flat=True)
    )
    chosen, seen = [], set()
    for screening in screenings.order_by("-completed_at", "-pk"):
        key = ("referral", screening.referral_id) if screening.referral_id else ("rescreen", screening.person_id)
        if key in seen:
            continue
        seen.add(key)
        if screening.pk in taken_screenings or (screening.referral_id and screening.referral_id in taken_referrals):
            continue
        chosen.append(screening)
    # The most worrying first, then the longest waiting.
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    chosen.sort(key=lambda s: (-rank.get(s.level, -1), s.completed_at))
    return chosen


# ---------------------------------------------------------------- the panel


def referred_children(meeting: Meeting) -> list[int]:
    """Children the screening meeting referred to the panel since the last
    confirmed panel: person ids, earliest referral first."""
    since = last_confirmed_before(meeting)
    decisions = AgendaItem.objects.filter(
        decision=Decision.REFER_TO_PANEL,
        status=AgendaItem.Status.ACCEPTED,
        meeting__kind=Meeting.Kind.SCREENING,
        meeting__status=Meeting.Status.CONFIRMED,
    )
    if since is not None:
        decisions = decisions.filter(meeting__starts_at__gt=since.starts_at)
    ids = []
    for person_id in decisions.order_by("meeting__starts_at", "position").values_list("person_id", flat=True):
        if person_id not in ids:
            ids.append(person_id)
    return ids


def high_level_children(exclude: Iterable[int] = ()) -> list[int]:
    """Children whose latest completed screening is High and who have an open
    case: the panel oversees each of them every month."""
    latest = (
        Screening.objects.completed().filter(person=OuterRef("pk")).order_by("-completed_at", "-pk").values("level")[:1]
    )
    open_case = Case.objects.open().values("person_id")
    return list(
        Person.objects.filter(pk__in=open_case)
        .annotate(latest_level=Subquery(latest))
        .filter(latest_level=Level.HIGH)
        .exclude(pk__in=list(exclude))
        .order_by("family_name", "given_names", "pk")
        .values_list("pk", flat=True)
    )
