"""Records other agencies hold: search before create's one look outside the
user's scope.

Before someone records a new child, the register is checked for a record
another agency already holds, so that one child has one record. That check
is also a way to learn whether a child is known at all, so it is guarded:

* it is made only when a date of birth is given, and a record counts only if
  its date of birth agrees: a name alone confirms nobody;
* the page never names the record, nor shows its reference; it offers access
  through a token kept in the user's session that works once;
* each user may make a limited number of checks an hour
  (HOTH_HIDDEN_MATCH_CHECKS_PER_HOUR), counted from the audit log, which
  records every check;
* when someone keeps finding records they may not see
  (HOTH_HIDDEN_MATCH_ALERT_AFTER in a day) the coordinators are told.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Role, User
from hoth.audit.models import AuditEvent
from hoth.people.access import people_hidden_from

from .models import DobPrecision, Person
from .search import LIKELY_MATCH, dob_range, score_people

PURPOSE = "search before create"
TOKENS_SESSION_KEY = "people:possible-match-tokens"
CHECK_WINDOW = timedelta(hours=1)
ALERT_WINDOW = timedelta(hours=24)


@dataclass
class HiddenCheck:
    """What search before create may say about records the user cannot see."""

    checked: bool
    # Why the check was not made: "no_date_of_birth" or "paused".
    not_checked_because: str = ""
    paused_until: object = None
    found: list = field(default_factory=list)


def _checks(user):
    return AuditEvent.objects.filter(user=user, action="search", detail__purpose=PURPOSE, detail__hidden_checked=True)


def _agreeing_date_of_birth(terms):
    """Records whose date of birth could be the one typed, at either side's precision."""
    start, end = dob_range(terms.date_of_birth, terms.dob_precision)
    agrees = Q(date_of_birth__range=(start, end))
    if terms.dob_precision == DobPrecision.EXACT:
        day = terms.date_of_birth
        month_start, month_end = dob_range(day, DobPrecision.MONTH)
        agrees |= Q(date_of_birth__range=(month_start, month_end), dob_precision=DobPrecision.MONTH)
        agrees |= Q(date_of_birth__year=day.year, dob_precision__in=(DobPrecision.YEAR, DobPrecision.ESTIMATED))
    return agrees


def check(user, terms, *, now=None):
    """Look for likely matches this user may not see, if they may look now."""
    if terms.date_of_birth is None:
        return HiddenCheck(checked=False, not_checked_because="no_date_of_birth")
    now = now or timezone.now()
    recent = list(_checks(user).filter(at__gt=now - CHECK_WINDOW).order_by("at").values_list("at", flat=True))
    if len(recent) >= settings.HOTH_HIDDEN_MATCH_CHECKS_PER_HOUR:
        return HiddenCheck(
            checked=False,
            not_checked_because="paused",
            paused_until=recent[len(recent) - settings.HOTH_HIDDEN_MATCH_CHECKS_PER_HOUR] + CHECK_WINDOW,
        )
    others = people_hidden_from(user, Person.objects.all()).filter(_agreeing_date_of_birth(terms))
    found = [m.person for m in score_people(others, terms, min_score=LIKELY_MATCH, limit=None)]
    return HiddenCheck(checked=True, found=found)


def audit_detail(result):
    """What the search's audit event says about the check: enough to count
    checks and finds, never who was found."""
    return {"hidden_checked": result.checked, "hidden_found": bool(result.found), "hidden_matches": len(result.found)}


def tell_coordinators_of_repeated_finds(user, *, now=None):
    """Called after a check that found records the user cannot see. On the
    find that reaches the limit, and only that one, the coordinators are told."""
    from hoth.notifications.services import notify

    now = now or timezone.now()
    finds = _checks(user).filter(detail__hidden_found=True, at__gt=now - ALERT_WINDOW).count()
    if finds != settings.HOTH_HIDDEN_MATCH_ALERT_AFTER:
        return []
    coordinators = (
        User.objects.filter(is_active=True, is_service_account=False, role_assignments__role=Role.COORDINATOR)
        .exclude(pk=user.pk)
        .distinct()
    )
    told = []
    for coordinator in coordinators:
        told.append(
            notify(
                coordinator,
                "Someone keeps finding records they cannot see",
                body=(
                    f"{user.full_name} ({user.agency}) has checked for existing records before recording a new "
                    f"person {finds} times in the last 24 hours and each time found a record held by another "
                    "agency that they cannot see. This can be how someone finds out whether a child is known. "
                    "Speak to them to understand why."
                ),
            )
        )
    return told


# ---------------------------------------------------------------- asking for access


def offer_access(session, user, found):
    """One single-use token per found record the user could ask emergency access
    to; the page links to the token, never to the record's reference."""
    tokens = {
        secrets.token_urlsafe(16): person.pk for person in found if policy.can(user, "person.break_glass", person)
    }
    session[TOKENS_SESSION_KEY] = tokens
    return [reverse("people:create-ask-access", args=[token]) for token in tokens]


def person_for_token(session, token):
    pk = session.get(TOKENS_SESSION_KEY, {}).get(token)
    return Person.objects.filter(pk=pk).first() if pk is not None else None


def spend_token(session, token):
    tokens = dict(session.get(TOKENS_SESSION_KEY, {}))
    tokens.pop(token, None)
    session[TOKENS_SESSION_KEY] = tokens
