"""The data dictionary of the board's measures, for all staff."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from hoth.access.decorators import allowed

from . import selectors


@allowed("measure.read")
@require_GET
def measures(request):
    return render(request, "insight/measures.html", {"objectives": selectors.by_objective()})


@allowed("measure.read")
@require_GET
def measure(request, code):
    return render(request, "insight/measure.html", {"definition": selectors.definition(code)})
