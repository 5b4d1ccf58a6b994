"""Pages that fail after recording what they showed, for test_rollback.py.
They run through the project's whole middleware, on their own URLs."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from hoth.audit import log
from hoth.people.models import Person


class PageFailed(Exception):
    pass


def shown_then_failed(request, pk):
    """Shows a record and changes it in one transaction, then fails."""
    with transaction.atomic():
        person = Person.objects.get(pk=pk)
        log.record("view", request=request, obj=person)
        Person.objects.filter(pk=pk).update(family_name="Changed")
        log.record("update", request=request, obj=person, detail={"fields": ["family_name"]})
        raise PageFailed("the page failed after the record was shown")


def part_refused(request, pk):
    """A list that commits, around a savepoint that rolls back a view inside it."""
    with transaction.atomic():
        log.record("list", request=request, people=[pk])
        try:
            with transaction.atomic():
                log.record("view", request=request, person=pk)
                raise PageFailed("refused part way")
        except PageFailed:
            pass
    return HttpResponse("done")


def shown(request, pk):
    with transaction.atomic():
        log.record("view", request=request, person=pk)
    return HttpResponse("done")


urlpatterns = [
    path("shown-then-failed/<int:pk>/", shown_then_failed),
    path("part-refused/<int:pk>/", part_refused),
    path("shown/<int:pk>/", shown),
]
