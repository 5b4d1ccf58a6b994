"""The effect beside each activity and plan: the linked children's screening
levels and missing episodes before and after it took effect, loaded from
the database through the access gate and counted by the pure
hoth.analytics.disruption.

What a viewer is shown about the children: only the children whose
casework records the viewer reads (hoth.people.access.casework_people), each by name with
their own figures and counted together, the figures read through the
Screening and MissingEpisode `visible_to` managers. Every other linked child
is only counted as linked. They are not in the totals either: totals over
children a viewer cannot read would give one child's figures away by
difference (two activities whose children differ by one child), whatever
the smallest group allowed.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone

from hoth.analytics import disruption as maths
from hoth.cases.models import MissingEpisode
from hoth.people.access import casework_people
from hoth.people.models import Person
from hoth.screening.models import Screening


@dataclass
class NamedChild:
    person: Person
    effect: maths.ChildEffect


@dataclass
class Effect:
    """What one viewer is shown of the effect of an activity or a plan."""

    start: object = None  # the day it took effect, or None if it has not
    summary: maths.EffectSummary | None = None
    named: list = field(default_factory=list)
    # Linked children whose casework this viewer may not read: neither named nor counted.
    others: int = 0
    children: int = 0
    window_days: int = maths.WINDOW_DAYS

    @property
    def measured(self):
        return self.start is not None and self.children > 0

    @property
    def people_shown(self):
        return [row.person.pk for row in self.named]


def _day(moment):
    return timezone.localdate(moment)


def _load(screenings, episodes, people, since):
    """{person_id: ([(day, level)], [day])} from two querysets."""
    found = {pk: ([], []) for pk in people}
    if not people:
        return found
    for person_id, completed_at, level in (
        screenings.completed()
        .filter(person_id__in=people)
        .exclude(level="")
        .values_list("person_id", "completed_at", "level")
    ):
        found[person_id][0].append((_day(completed_at), level))
    for person_id, started_at in episodes.filter(person_id__in=people, started_at__gte=since).values_list(
        "person_id", "started_at"
    ):
        found[person_id][1].append(_day(started_at))
    return found


def effects(user, groups, today=None, window_days=maths.WINDOW_DAYS):
    """`groups`: {key: (start day or None, [child person ids])} -> {key: Effect}
    for this viewer, with a fixed number of queries however many groups."""
    today = today or timezone.localdate()
    linked = {pk for _, children in groups.values() for pk in children}
    starts = [start for start, children in groups.values() if start is not None and children]
    if not linked or not starts:
        return {
            key: Effect(start=start, children=len(set(children)), window_days=window_days)
            for key, (start, children) in groups.items()
        }
    # A day's margin: the windows are counted in local days, the query is in instants.
    since = timezone.make_aware(datetime.combine(min(starts) - timedelta(days=window_days + 1), time()))
    readable = {p.pk: p for p in casework_people(user, Person.objects.filter(pk__in=linked))}
    figures = _load(Screening.objects.visible_to(user), MissingEpisode.objects.visible_to(user), set(readable), since)
    found = {}
    for key, (start, children) in groups.items():
        children = sorted(set(children))
        effect = Effect(start=start, children=len(children), window_days=window_days)
        found[key] = effect
        if start is None or not children or start > today:
            effect.start = None if start is None or start > today else start
            continue
        named = [pk for pk in children if pk in readable]
        each = {pk: maths.child_effect(pk, start, today, *figures[pk], window_days=window_days) for pk in named}
        effect.others = len(children) - len(named)
        effect.summary = maths.summarise([each[pk] for pk in named], start, today, window_days)
        effect.named = sorted(
            (NamedChild(readable[pk], each[pk]) for pk in named),
            key=lambda row: (row.person.family_name, row.person.given_names, row.person.pk),
        )
    return found
