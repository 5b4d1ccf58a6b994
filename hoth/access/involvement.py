"""Whom a user works with: the shared ground of the casework scopes.

A practitioner sees the children they (or their team) are involved with, a
panel chair those on the panel's agenda, anyone with a live break-glass grant
that one person. Each app that records such a tie registers a source here
(`@source`), so this module imports none of their models; the scopes ask
`involved_with(user, "person")` for the condition.
"""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from . import memo
from .models import BreakGlass
from .roles import CASEWORK_ROLES, INVOLVEMENT_ROLES, PARTNERSHIP_WIDE_ROLES, Actor, signed_in

IdsFor = Callable[[Actor, datetime], QuerySet | None]
SOURCES: list[IdsFor] = []


def source(ids_for: IdsFor) -> IdsFor:
    """Register ids_for(user, now) -> a queryset of `person_id` values (the
    people the user works with through this tie), or None when the tie is
    not theirs to have."""
    SOURCES.append(ids_for)
    return ids_for


def team_ids(user: Actor) -> list[int]:
    """The user's teams, read once per request (the user object lives for
    one request): a page asks several scopes, and each needs them."""
    ids = getattr(user, "_hoth_team_ids", None)
    if ids is None:
        ids = list(user.teams.values_list("pk", flat=True))
        setattr(user, "_hoth_team_ids", ids)  # noqa: B010 (an attribute no protocol declares)
    return ids


@source
def break_glass_people(user: Actor, now: datetime) -> QuerySet:
    """The people `user` holds a live break-glass grant for."""
    return BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=now).values("person_id")


def involved_with(user: Actor, person_field: str, *, read_once: bool = True) -> Q:
    """The condition on `person_field` of any table that it is about someone
    `user` works with. Records are filtered by the ids directly: going
    through the person table would make the database read every person to
    answer for one child. Within a request the ids are read once, and every
    later scope filters by the list; `read_once=False` keeps them subqueries
    (the person table's own scope, one query either way)."""
    if read_once and memo.active():
        return Q(**{f"{person_field}__in": memo.remembered(("involved", user.pk), lambda: _involved_ids(user))})
    condition = Q(pk__in=[])
    for ids in _sources(user):
        condition |= Q(**{f"{person_field}__in": ids})
    return condition


def _sources(user: Actor) -> list[QuerySet]:
    now = timezone.now()
    return [ids.order_by() for ids in (ids_for(user, now) for ids_for in SOURCES) if ids is not None]


def _involved_ids(user: Actor) -> list[int]:
    first, *others = _sources(user)
    return sorted(row["person_id"] for row in first.union(*others))


def records_about_people(user: Actor, records: QuerySet, person_field: str = "person") -> QuerySet:
    """Records about a person: coordinators see all; other casework roles
    those about the people they work with."""
    if not signed_in(user) or not user.has_role(*CASEWORK_ROLES):
        return records.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return records
    if not user.has_role(*INVOLVEMENT_ROLES):
        return records.none()
    return records.filter(involved_with(user, person_field))
