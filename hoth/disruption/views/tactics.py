"""Pages where system administrators keep the catalogue of disruption tactics:
the list, adding a tactic, changing one (its statute above all, while it is
unverified), and switching tactics off and on. The changes themselves are in
hoth.disruption.catalogue."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.disruption import catalogue
from hoth.disruption.forms import TacticForm
from hoth.disruption.models import Tactic, TacticKind

ACTION = catalogue.ACTION


def _tactic(request, pk):
    tactic = get_object_or_404(Tactic, pk=pk)
    policy.check(request.user, ACTION, tactic)
    return tactic


@allowed(ACTION)
@require_http_methods(["GET"])
def tactic_list(request):
    tactics = list(Tactic.objects.all())
    groups = [(label, [t for t in tactics if t.kind == kind]) for kind, label in TacticKind.choices]
    return render(
        request,
        "tactics/list.html",
        {
            "groups": [(label, members) for label, members in groups if members],
            "total": len(tactics),
            "unverified": sum(1 for t in tactics if t.statute and not t.statute_verified),
        },
    )


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def tactic_create(request):
    form = TacticForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        tactic = catalogue.add_tactic(request.user, form.cleaned_data, audit=request.audit)
        messages.success(request, f"{tactic.name} added to the tactics")
        return redirect("tactics:list")
    return render(request, "tactics/form.html", {"form": form, "tactic": None})


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def tactic_edit(request, pk):
    tactic = _tactic(request, pk)
    form = TacticForm(request.POST if request.method == "POST" else None, tactic=tactic)
    if request.method == "POST" and form.is_valid():
        tactic = catalogue.change_tactic(request.user, tactic, form.cleaned_data, audit=request.audit)
        messages.success(request, f"{tactic.name} changed")
        return redirect("tactics:list")
    return render(request, "tactics/form.html", {"form": form, "tactic": tactic})


def _switch(request, pk, active):
    tactic = _tactic(request, pk)
    back = reverse("tactics:list")
    if tactic.is_active == active:
        return redirect(back)
    if request.method == "POST":
        catalogue.set_tactic_active(request.user, tactic, active, audit=request.audit)
        messages.success(request, f"{tactic.name} switched {'on' if active else 'off'}")
        return redirect(back)
    return render(
        request,
        "tactics/switch.html",
        {"tactic": tactic, "active": active, "back": back, "in_use": tactic.activities.count()},
    )


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def tactic_switch_off(request, pk):
    return _switch(request, pk, False)


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def tactic_switch_on(request, pk):
    return _switch(request, pk, True)
