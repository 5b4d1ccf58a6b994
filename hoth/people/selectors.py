"""Who is involved with a person on the register, read without changing
anything: for now, the active accounts leading on a person's record now,
whom emergency access to the record is reported to."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from hoth.accounts.models import User

from .models import Involvement, Person


def active_lead_professionals(person: Person) -> QuerySet[User]:
    now = timezone.now()
    leads = Involvement.objects.filter(
        person=person, kind=Involvement.Kind.LEAD_PROFESSIONAL, user__isnull=False
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
    return User.objects.filter(is_active=True, pk__in=leads.values("user_id"))
