"""The data dictionary of the board's measures, for all staff; the board's
dashboard, breakdowns and snapshots, for managers and board members. Every
figure comes from the current snapshot, already protected by disclosure
control: a page only shows what the snapshot marks as shown."""

from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from hoth.access.decorators import allowed
from hoth.analytics.kpis.breakdowns import DIMENSIONS
from hoth.analytics.suppression import SMALLEST_SHOWN, SUPPRESSED
from hoth.jobs import services as jobs

from . import population as child_population
from . import selectors, services
from .forms import ChoiceForm, PopulationForm, RecomputeForm, recomputable_months
from .jobs import RECOMPUTE
from .models import ChildPopulation, Snapshot


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
            # Called by the template only when its cached figures are missing.
            "objectives": lambda: selectors.trends(snapshot, choice),
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


# The problems an upload page lists; the rest are counted.
PROBLEMS_LISTED = 100


@allowed(child_population.ACTION)
@require_http_methods(["GET", "POST"])
def population(request):
    """The child population, reference data for disproportionality: system administrators."""
    form = PopulationForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        loaded = child_population.load(
            form.cleaned_data["file"], source=form.cleaned_data["source"], user=request.user, audit=request.audit
        )
        if not loaded.problems:
            years = ", ".join(str(year) for year in loaded.years)
            messages.success(request, f"{loaded.rows:,} rows of the child population loaded for {years}")
            return redirect("population:upload")
        problems = loaded.problems
    years = (
        ChildPopulation.objects.values("year", "source", "is_synthetic")
        .annotate(children=Sum("count"))
        .order_by("-year")
    )
    return render(
        request,
        "insight/population.html",
        {
            "form": form,
            "years": years,
            "problems": problems[:PROBLEMS_LISTED],
            "more_problems": max(len(problems) - PROBLEMS_LISTED, 0),
            "problem_count": len(problems),
        },
    )
