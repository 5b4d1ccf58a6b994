"""The repeated-missing flag as database expressions, for lists of children.

The rules are hoth.analytics.missing.REPEAT_RULES (the pure function decides
for one child; these expressions decide the same for a whole queryset in one
query). For the screening queue, say, over referrals:

    from hoth.cases.flags import annotate_missing, repeatedly_missing

    referrals = annotate_missing(referrals, person_field="person", now=now)
    # each row now has .recent_missing_episodes (int, last 90 days) and .repeatedly_missing (bool)
    flagged_only = referrals.filter(repeatedly_missing(person_field="person", now=now))

`person_field` names the field of the queryset's model that points at the
child: "pk" for Person itself, "person" for Referral, Screening, Case.

The counts cover every episode recorded about the child, whoever recorded
it. Use them where the user may see all episodes (coordinators, who are
partnership-wide), or only as the bare flag; a list of episodes goes through
MissingEpisode.objects.visible_to(user).
"""

import operator
from datetime import timedelta
from functools import reduce

from django.db import models
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from hoth.analytics.missing import LOOK_BACK_DAYS, REPEAT_RULES

from .models import Case, MissingEpisode


def episodes_since(days, person_field="pk", now=None):
    """How many episodes the row's child began in the `days` before `now`."""
    now = now or timezone.now()
    counted = (
        MissingEpisode.objects.filter(
            person=OuterRef(person_field), started_at__gte=now - timedelta(days=days), started_at__lte=now
        )
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def repeatedly_missing(person_field="pk", now=None):
    """A condition for .filter(): the row's child meets any REPEAT_RULES rule."""
    now = now or timezone.now()
    return reduce(
        operator.or_,
        (Q(GreaterThanOrEqual(episodes_since(rule.days, person_field, now), rule.episodes)) for rule in REPEAT_RULES),
    )


def annotate_missing(queryset, person_field="pk", now=None):
    """The queryset with `recent_missing_episodes` (episodes begun in the last
    LOOK_BACK_DAYS, 90 days: the queue's "missing in the last 90 days") and
    `repeatedly_missing` (bool)."""
    now = now or timezone.now()
    return queryset.annotate(
        recent_missing_episodes=episodes_since(LOOK_BACK_DAYS, person_field, now),
        repeatedly_missing=ExpressionWrapper(repeatedly_missing(person_field, now), output_field=BooleanField()),
    )


# A new referral within this long of a case's closure is repeat harm (issue 4).
REPEAT_HARM_WINDOW = timedelta(days=365)


def repeat_harm(person_field="person", at_field=None, now=None):
    """An Exists expression: the row's child had a case closed within the 12
    months before the row's `at_field` (e.g. "submitted_at" of a Referral),
    or before `now` when no field is named. For the screening queue:

        referrals.annotate(repeat_harm=repeat_harm(person_field="person", at_field="submitted_at"))
    """
    closed = Case.objects.filter(person=OuterRef(person_field), status=Case.Status.CLOSED, closed_at__isnull=False)
    if at_field:
        closed = closed.filter(
            closed_at__lte=OuterRef(at_field),
            closed_at__gte=ExpressionWrapper(
                OuterRef(at_field) - REPEAT_HARM_WINDOW, output_field=models.DateTimeField()
            ),
        )
    else:
        now = now or timezone.now()
        closed = closed.filter(closed_at__lte=now, closed_at__gte=now - REPEAT_HARM_WINDOW)
    return Exists(closed)


def closed_recently(person, at=None, cases=None):
    """The case of this child closed within the 12 months before `at`, if any;
    among `cases` when given (a user's scope, Case.objects.visible_to(user))."""
    at = at or timezone.now()
    cases = Case.objects.all() if cases is None else cases
    return (
        cases.filter(
            person=person, status=Case.Status.CLOSED, closed_at__lte=at, closed_at__gte=at - REPEAT_HARM_WINDOW
        )
        .order_by("-closed_at")
        .first()
    )
