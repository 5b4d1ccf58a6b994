"""Opening a child's case. The Protect work (issue 4) adds plans, reviews
and closure here."""

from django.core.exceptions import ValidationError
from django.db import transaction

from hoth.access import policy
from hoth.audit import log
from hoth.people.models import Involvement

from .models import Case


@transaction.atomic
def open_case(*, person, lead_professional, opened_by, harm_types=(), request=None):
    """Open a harm-outside-the-home case with a named lead professional, who is
    from now on involved with the child (and so sees the record). A child has
    at most one open case: opening another returns a clear error."""
    policy.check(opened_by, "case.open", person)
    if Case.objects.open().filter(person=person).exists():
        raise ValidationError("This child already has an open case.", code="already_open")
    case = Case.objects.create(person=person, lead_professional=lead_professional, opened_by=opened_by)
    case.harm_types.set(harm_types)
    Involvement.objects.get_or_create(person=person, user=lead_professional,
                                      kind=Involvement.Kind.LEAD_PROFESSIONAL, ended_at=None)
    log.record("create", request=request, user=opened_by, obj=case, person=person,
               detail={"lead_professional": lead_professional.pk})
    return case
