"""The public directory: no sign-in, and no cookies of any kind.

Nothing here touches the session or asks for a CSRF token (the search forms
are GET), so a child's device keeps no trace that they looked for help, and
no consent banner is needed.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from hoth.access.decorators import public
from hoth.directory import needs, selectors
from hoth.directory.forms import AdultSearchForm, ChildSearchForm
from hoth.directory.models import Service

RESULT_LIMIT = 60
# A shared computer's browser history is a risk; stop the pages being kept.
_no_store = cache_control(no_store=True, private=True)


def _search(request, form_class, audience):
    form = form_class(request.GET or None)
    results, searched = [], False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        searched = any(v not in ("", None) for v in data.values())
        found = selectors.search(town=data["town"], need=data["need"], age=data["age"], audience=audience)
        results = list(found[:RESULT_LIMIT])
    elif not form.is_bound:
        results = list(selectors.search(audience=audience)[:RESULT_LIMIT])
    return form, results, searched


@public
@_no_store
def index(request):
    return render(request, "directory/public/index.html")


@public
@_no_store
def children(request):
    form, results, searched = _search(request, ChildSearchForm, "children")
    return render(
        request,
        "directory/public/children.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "needs": needs.NEEDS,
        },
    )


@public
@_no_store
def adults(request):
    form, results, searched = _search(request, AdultSearchForm, "adults")
    return render(
        request,
        "directory/public/adults.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "needs": needs.NEEDS,
        },
    )


def _published(pk, **extra):
    service = Service.objects.published().filter(pk=pk, **extra).prefetch_related("harm_types").first()
    if service is None:
        raise Http404("No published service")
    return service


@public
@_no_store
def child_service(request, pk):
    return render(request, "directory/public/child_service.html", {"service": _published(pk, for_children=True)})


@public
@_no_store
def adult_service(request, pk):
    return render(request, "directory/public/adult_service.html", {"service": _published(pk)})
