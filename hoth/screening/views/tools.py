"""Pages where system administrators see and replace the screening tool.

The tool holds no one's personal data, so looking at it is not audited;
uploading and publishing a version are (reference.add_version and
reference.publish write one "admin" event each).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.analytics.screening import LEVEL_LABELS, THRESHOLD_LEVELS, TIER_LABELS, format_number, rule_name
from hoth.screening import reference, selectors
from hoth.screening.forms.tools import ConfirmPublishForm, UploadToolForm
from hoth.screening.models import ScreeningTool

ACTION = reference.ACTION


def _tool(request, pk):
    tool = get_object_or_404(ScreeningTool, pk=pk)
    policy.check(request.user, ACTION, tool)
    return tool


def _harm_type_names():
    from hoth.referrals.models import HarmType

    return dict(HarmType.objects.values_list("code", "short_name"))


def _readable(tool):
    """The definition laid out for tables: names instead of codes where a
    practitioner would use a name."""
    definition = tool.definition
    harm_names = _harm_type_names()
    domains = []
    for domain in definition.get("domains", []):
        domains.append(
            {
                "code": domain["code"],
                "name": domain["name"],
                "indicators": [
                    {
                        **indicator,
                        "tier_label": TIER_LABELS.get(indicator["tier"], indicator["tier"]),
                        "weight_text": format_number(indicator["weight"]),
                        "harm_type_names": [harm_names.get(code, code) for code in indicator.get("harm_types", [])],
                    }
                    for indicator in domain.get("indicators", [])
                ],
            }
        )
    thresholds = [
        {"level": LEVEL_LABELS[level], "score": format_number(definition["thresholds"][level])}
        for level in THRESHOLD_LEVELS
    ]
    rules = [
        {"code": rule["code"], "name": rule_name(rule), "indicators": rule.get("indicators", [])}
        for rule in definition.get("rules", [])
    ]
    return {
        "domains": domains,
        "thresholds": thresholds,
        "rules": rules,
        "earlier_factor": format_number(definition.get("earlier_factor", 0.5)),
        "indicator_count": sum(len(d["indicators"]) for d in domains),
    }


def _show(request, tool, *, is_current_page):
    return render(
        request,
        "screening_tool/version.html",
        {
            "tool": tool,
            "is_current_page": is_current_page,
            "shipped": tool.version in reference.fixture_versions(),
            "screening_count": tool.screenings.count(),
            **_readable(tool),
        },
    )


@allowed(ACTION)
@require_http_methods(["GET"])
def current(request):
    tool = ScreeningTool.objects.filter(is_current=True).first()
    if tool is None:
        return render(request, "screening_tool/none.html")
    return _show(request, tool, is_current_page=True)


@allowed(ACTION)
@require_http_methods(["GET"])
def versions(request):
    shipped = reference.fixture_versions()
    tools = selectors.versions_with_use()
    for tool in tools:
        tool.shipped = tool.version in shipped
    return render(request, "screening_tool/versions.html", {"tools": tools})


@allowed(ACTION)
@require_http_methods(["GET"])
def version(request, pk):
    tool = _tool(request, pk)
    return _show(request, tool, is_current_page=False)


@allowed(ACTION)
@require_http_methods(["GET"])
def download(request, pk):
    tool = _tool(request, pk)
    response = HttpResponse(reference.as_json(tool), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="screening_tool_{tool.version}.json"'
    return response


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def upload(request):
    posted = request.method == "POST"
    form = UploadToolForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        tool = reference.add_version(
            request.user, form.cleaned_data["definition"], notes=form.cleaned_data["notes"], audit=request.audit
        )
        messages.success(request, f"Version {tool.version} uploaded. It is not in use until you publish it.")
        return redirect("screening_tool:version", pk=tool.pk)
    return render(request, "screening_tool/upload.html", {"form": form})


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    tool = _tool(request, pk)
    if tool.is_current:
        messages.info(request, f"Version {tool.version} is already the current version.")
        return redirect("screening_tool:current")
    form = ConfirmPublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reference.publish(request.user, tool, audit=request.audit)
        messages.success(request, f"Version {tool.version} is now the current screening tool.")
        return redirect("screening_tool:current")
    return render(
        request,
        "screening_tool/publish.html",
        {
            "form": form,
            "tool": tool,
            "current": ScreeningTool.objects.filter(is_current=True).first(),
        },
    )
