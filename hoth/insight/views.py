"""The data dictionary of the board's measures, for all staff; the board's
dashboard, breakdowns and snapshots, for managers and board members. Every
figure comes from the current snapshot, already protected by disclosure
control: a page only shows what the snapshot marks as shown."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from hoth.access.decorators import allowed
from hoth.analytics.kpis.breakdowns import DIMENSIONS
from hoth.analytics.suppression import SMALLEST_SHOWN, SUPPRESSED
from hoth.jobs import services as jobs

from . import selectors, services
from .forms import ChoiceForm, RecomputeForm, recomputable_months
from .jobs import RECOMPUTE
from .models import Snapshot


@allowed("measure.read")
@require_GET
def measures(request):
    return render(request, "insight/measures.html", {"objectives": selectors.by_objective()})


@allowed("measure.read")
@require_GET
def measure(request, code):
    return render(request, "insight/measure.html", {"definition": selectors.definition(code)})


@allowed("insight.view")
@require_GET
def dashboard(request):
    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return render(request, "insight/dashboard.html", {"snapshot": None, "last_month": services.last_ended_month()})
    quarters = selectors.quarters(snapshot)
    form = ChoiceForm(
        request.GET or {"quarter": selectors.latest_whole_quarter(snapshot)},
        quarters=quarters,
        areas=selectors.areas(snapshot),
    )
    if form.is_valid():
        choice = selectors.Choice(form.cleaned_data["quarter"], form.cleaned_data["area"])
    else:
        choice = selectors.Choice(selectors.latest_whole_quarter(snapshot))
    return render(
        request,
        "insight/dashboard.html",
        {
            "snapshot": snapshot,
            "form": form,
            "choice": choice,
            "objectives": selectors.trends(snapshot, choice),
            "suppressed": SUPPRESSED,
            "smallest": SMALLEST_SHOWN,
        },
    )


@allowed("insight.view")
@require_GET
def breakdowns(request, code):
    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return redirect("insight:dashboard")
    found = selectors.breakdowns(snapshot, code, request.GET.get("quarter", ""))
    return render(
        request,
        "insight/breakdowns.html",
        {
            "found": found,
            "snapshot": snapshot,
            "suppressed": SUPPRESSED,
            "smallest": SMALLEST_SHOWN,
            "dimensions": DIMENSIONS,
        },
    )


@allowed("insight.view")
@require_http_methods(["GET", "POST"])
def snapshots(request):
    form = RecomputeForm(request.POST or None, months=recomputable_months(services.last_ended_month()))
    if request.method == "POST" and form.is_valid():
        month = form.cleaned_data["month"]
        job = jobs.start(
            RECOMPUTE,
            user=request.user,
            title=f"Work out the board's figures to {month:%B %Y} again",
            params={"month": month.isoformat(), "reason": form.cleaned_data["reason"]},
        )
        messages.success(request, f"The figures to {month:%B %Y} are being worked out again")
        return redirect(reverse("jobs:detail", args=[job.pk]))
    return render(
        request, "insight/snapshots.html", {"form": form, "snapshots": Snapshot.objects.select_related("taken_by")}
    )


@allowed("insight.view")
@require_GET
def snapshot(request, pk):
    found = get_object_or_404(Snapshot.objects.select_related("taken_by", "replaces"), pk=pk)
    return render(
        request,
        "insight/snapshot.html",
        {"snapshot": found, "differences": services.differences(found), "suppressed": SUPPRESSED},
    )
