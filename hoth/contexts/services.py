"""Recording a context: a place, peer group, school or online space that is
itself the subject of concern (Contextual Safeguarding, Level 2)."""

from django.db import transaction

from hoth.access import policy
from hoth.audit import log

from .models import Context

FIELDS = ("kind", "name", "place_type", "address", "town", "postcode", "platform", "handle", "description")


@transaction.atomic
def create_context(user, data, *, request=None):
    """Record a new context from cleaned ContextForm (or API) data. The
    recorder can see it afterwards (visible_contexts: created_by)."""
    policy.check(user, "context.create")
    context = Context(created_by=user, **{f: data.get(f) or "" for f in FIELDS})
    context.save()
    log.record("create", request=request, user=user, obj=context, detail={"kind": context.kind})
    return context


def find_contexts(user, query, *, limit=20):
    """Contexts this user may see whose name, town, postcode or handle
    contains the words typed; the name is what practitioners call it."""
    from django.db.models import Q

    contexts = Context.objects.visible_to(user)
    for word in query.split():
        contexts = contexts.filter(Q(name__icontains=word) | Q(town__icontains=word) | Q(postcode__icontains=word)
                                   | Q(handle__icontains=word) | Q(platform__icontains=word))
    return list(contexts.order_by("name", "pk")[:limit])
