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

from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from hoth.analytics.missing import LOOK_BACK_DAYS, REPEAT_RULES

from .models import MissingEpisode


def episodes_since(days, person_field="pk", now=None):
    """How many episodes the row's child began in the `days` before `now`."""
    now = now or timezone.now()
    counted = (
        MissingEpisode.objects.filter(person=OuterRef(person_field), started_at__gte=now - timedelta(days=days),
                                      started_at__lte=now)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def repeatedly_missing(person_field="pk", now=None):
    """A condition for .filter(): the row's child meets any REPEAT_RULES rule."""
    now = now or timezone.now()
    return reduce(operator.or_, (
        Q(GreaterThanOrEqual(episodes_since(rule.days, person_field, now), rule.episodes)) for rule in REPEAT_RULES))


def annotate_missing(queryset, person_field="pk", now=None):
    """The queryset with `recent_missing_episodes` (episodes begun in the last
    LOOK_BACK_DAYS, 90 days: the queue's "missing in the last 90 days") and
    `repeatedly_missing` (bool)."""
    now = now or timezone.now()
    return queryset.annotate(
        recent_missing_episodes=episodes_since(LOOK_BACK_DAYS, person_field, now),
        repeatedly_missing=ExpressionWrapper(repeatedly_missing(person_field, now), output_field=BooleanField()),
    )
