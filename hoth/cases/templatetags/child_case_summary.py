"""What the person record shows of missing episodes, screenings and cases:
the repeated-missing flag, the latest level, the open case, and the ways to
record, re-screen or open one.

A tag rather than view code so the record page (hoth.people) stays free of
this app; it costs the same few queries however many episodes there are."""

from datetime import timedelta

from django import template
from django.utils import timezone

from hoth.access import policy
from hoth.analytics.missing import LOOK_BACK_DAYS, repeated_episodes
from hoth.screening.models import Screening

from ..models import Case, MissingEpisode

register = template.Library()


@register.inclusion_tag("cases/_child_summary.html", takes_context=True)
def child_case_summary(context, person):
    user = context["request"].user
    now = timezone.now()
    can_list = policy.can(user, "missing_episode.list", person)
    flag, count, open_case = None, 0, None
    if can_list:
        # One query for the count and the flag: a child has tens of episodes, not thousands.
        starts = list(
            MissingEpisode.objects.visible_to(user).filter(person=person).values_list("started_at", flat=True)
        )
        count = len(starts)
        flag = repeated_episodes([s for s in starts if s >= now - timedelta(days=LOOK_BACK_DAYS)], now)
    if policy.can(user, "case.view"):
        open_case = Case.objects.visible_to(user).open().filter(person=person).only("reference").first()
    latest_screening = None
    if policy.can(user, "screening.view"):
        latest_screening = (
            Screening.objects.visible_to(user).completed().filter(person=person).only("level", "completed_at").first()
        )
    return {
        "latest_screening": latest_screening,
        "can_rescreen": policy.can(user, "screening.perform", person),
        "person": person,
        "can_list": can_list,
        "episode_count": count,
        "flag": flag,
        "open_case": open_case,
        "can_record": policy.can(user, "missing_episode.record", person),
        "can_open_case": open_case is None and policy.can(user, "case.open", person),
    }
