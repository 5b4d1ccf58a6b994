"""What the intelligence pages and services read about subjects and links
without changing them: the subjects a user may see that match a search, and
the accepted or proposed link already joining two subjects. A search is made
inside the user's sight (Subject.objects.visible_to); `existing_link` reads
all links, unscoped, because the service asks it before proposing one.
"""

from django.db.models import Q, QuerySet

from hoth.accounts.models import User
from hoth.analytics.identifiers import normalise_registration
from hoth.people.search import normalise_phone

from .models import Link, Subject

RELATED = ("person", "context", "vehicle", "phone")


def search_subjects(user: User, query: str = "", *, kind: str = "", of_concern: bool = False) -> QuerySet[Subject]:
    """Subjects the user may see matching every word of `query` against
    names, aliases, handles, registrations and numbers."""
    subjects = Subject.objects.visible_to(user).select_related(*RELATED)
    if kind:
        subjects = subjects.filter(kind=kind)
    if of_concern:
        subjects = subjects.filter(of_concern=True)
    query = (query or "").strip()
    if not query:
        return subjects
    exact = Q(reference=query.upper())
    registration = normalise_registration(query)
    if registration:
        exact |= Q(vehicle__registration=registration)
    phone = normalise_phone(query) if any(c.isdigit() for c in query) else ""
    if phone:
        exact |= Q(phone__e164=phone)
    words = Q()
    for word in query.split():
        words &= (
            Q(person__given_names__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(person__aliases__name__icontains=word)
            | Q(context__name__icontains=word)
            | Q(context__handle__icontains=word)
            | Q(vehicle__make__icontains=word)
            | Q(vehicle__model__icontains=word)
            | Q(phone__description__icontains=word)
        )
    return subjects.filter(exact | words).distinct()


def existing_link(source: Subject, target: Subject, type: str) -> Link | None:
    """An accepted or proposed link of this type between the two, either way round."""
    pair = Q(source=source, target=target) | Q(source=target, target=source)
    return (
        Link.objects.filter(pair, type=type, status__in=[Link.Status.ACCEPTED, Link.Status.PROPOSED])
        .order_by("status", "pk")
        .first()
    )
