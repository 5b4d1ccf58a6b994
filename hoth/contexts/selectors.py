"""The contexts a user looks for by name: the search on the contexts list
and the referral question that finds the place, group, school or online
space a referral is about. Every word typed must match; only contexts the
access gate lets the user see are found.
"""

from django.db.models import Q, QuerySet

from hoth.accounts.models import User

from .models import Context


def matching(contexts: QuerySet[Context], query: str) -> QuerySet[Context]:
    """The contexts whose name, town, postcode, handle or platform contains
    every word typed; the name is what practitioners call it."""
    for word in query.split():
        contexts = contexts.filter(
            Q(name__icontains=word)
            | Q(town__icontains=word)
            | Q(postcode__icontains=word)
            | Q(handle__icontains=word)
            | Q(platform__icontains=word)
        )
    return contexts


def find_contexts(user: User, query: str, *, limit: int = 20) -> list[Context]:
    """Contexts this user may see matching the words typed."""
    return list(matching(Context.objects.visible_to(user), query).order_by("name", "pk")[:limit])
