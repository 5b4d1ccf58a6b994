"""The coordinators' screening queue: referrals waiting for the front door,
with the flags that say which child to look at first.

Every flag is computed by the database for the whole page at once (Exists and
Subquery annotations), so the page costs the same few queries for 5 rows or 50.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower

from hoth.cases.flags import repeat_harm
from hoth.cases.models import Case, MissingEpisode
from hoth.people.models import Address
from hoth.referrals.models import NamedAssociate, Referral
from hoth.screening.models import Screening

from .selectors import UNDECIDED

REPEAT_WINDOW = timedelta(days=365)
MISSING_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Filters:
    harm_type: str = ""
    town: str = ""
    level: str = ""  # a Level code, "unscreened", or "" for any
    agency: int | None = None
    stage: str = ""  # "waiting", "screened" or "" for both


def _current_town(today):
    return (
        Address.objects.filter(person=OuterRef("person"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by(F("valid_to").desc(nulls_first=True), "-valid_from", "-id")
        .values("town")[:1]
    )


def _latest_screening():
    return Screening.objects.completed().filter(referral=OuterRef("pk")).order_by("-completed_at", "-pk")


def waiting_referrals(user, *, today, filters=Filters()):
    """Submitted referrals not yet decided, urgent first, then the soonest due.

    Only what the filters need is computed here, for every waiting referral;
    the flags are computed afterwards for the one page shown (flagged())."""
    referrals = Referral.objects.visible_to(user).filter(status__in=UNDECIDED)
    if filters.harm_type:
        referrals = referrals.filter(
            Exists(
                Referral.harm_types.through.objects.filter(referral=OuterRef("pk"), harmtype__code=filters.harm_type)
            )
        )
    if filters.town:
        referrals = referrals.annotate(
            town_key=Lower(Coalesce(Subquery(_current_town(today)), F("context__town"), Value("")))
        ).filter(town_key=filters.town.strip().lower())
    if filters.level:
        referrals = referrals.annotate(level=Subquery(_latest_screening().values("level")[:1]))
        referrals = (
            referrals.filter(level__isnull=True)
            if filters.level == "unscreened"
            else referrals.filter(level=filters.level)
        )
    if filters.agency:
        referrals = referrals.filter(referrer_agency_id=filters.agency)
    if filters.stage == "waiting":
        referrals = referrals.filter(status=Referral.Status.SUBMITTED)
    elif filters.stage == "screened":
        referrals = referrals.filter(status=Referral.Status.SCREENED)
    return referrals.order_by("-is_urgent", F("screen_by").asc(nulls_last=True), "submitted_at", "pk")


def flagged(user, ids, *, now, today):
    """The referrals with these ids, in this order, each with its town, level
    and flags. A handful of queries whatever the number of ids; each flag is
    an indexed lookup per referral, so a page costs the same on a large
    partnership as on a small one."""
    person = OuterRef("person")
    earlier_referrals = (
        Referral.objects.submitted()
        .filter(
            person=person,
            person__isnull=False,
            submitted_at__lt=OuterRef("submitted_at"),
            submitted_at__gte=OuterRef("submitted_at") - REPEAT_WINDOW,
        )
        .exclude(pk=OuterRef("pk"))
    )
    missing_count = (
        MissingEpisode.objects.filter(person=person, started_at__gte=now - MISSING_WINDOW)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    named_with_child = NamedAssociate.objects.filter(referral__person=person).exclude(
        referral__status=Referral.Status.DRAFT
    )
    named_as_associate = NamedAssociate.objects.filter(person=person).exclude(referral__status=Referral.Status.DRAFT)
    latest = _latest_screening()
    referrals = (
        Referral.objects.visible_to(user)
        .filter(pk__in=list(ids))
        .annotate(
            town=Coalesce(Subquery(_current_town(today)), F("context__town"), Value("")),
            level=Subquery(latest.values("level")[:1]),
            screening_id=Subquery(latest.values("pk")[:1]),
            is_repeat=Exists(earlier_referrals),
            has_open_case=Exists(Case.objects.open().filter(person=person)),
            # A case about the child closed in the 12 months before this referral (issue 4).
            repeat_harm=repeat_harm(person_field="person", at_field="submitted_at"),
            missing_recently=Coalesce(Subquery(missing_count, output_field=IntegerField()), Value(0)),
            has_associates=ExpressionWrapper(
                Q(Exists(named_with_child)) | Q(Exists(named_as_associate)), output_field=BooleanField()
            ),
        )
        .select_related("person", "context", "referrer_agency")
        .prefetch_related("harm_types")
        # Only what the row shows: the narrative and the child's sensitive
        # notes are neither decrypted nor sent for a list.
        .only(
            "reference",
            "status",
            "is_urgent",
            "submitted_at",
            "screen_by",
            "person__reference",
            "person__given_names",
            "person__family_name",
            "context__name",
            "context__kind",
            "referrer_agency__name",
        )
    )
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(referrals, key=lambda r: order[r.pk])


@dataclass(frozen=True)
class Clock:
    text: str
    overdue: bool
    colour: str


def screening_clock(screen_by, now):
    """Time left to screen against the service standard, in words: the tag's
    colour only repeats what the words already say."""
    if screen_by is None:
        return None
    left = screen_by - now
    if left.total_seconds() < 0:
        return Clock(f"Overdue by {_span(-left)}", True, "red")
    colour = "orange" if left <= timedelta(hours=2) else "blue"
    return Clock(f"Due in {_span(left)}", False, colour)


def _span(delta):
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        minutes = max(minutes, 1)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''}"
