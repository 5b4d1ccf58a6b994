"""The data protection officer's pages for retention, and the schedule.

* /information-governance/: what needs the officer's attention.
* /information-governance/retention/: the reviews the daily job proposed;
  one review (counts, a sample, what will happen to each type, holds);
  approving or rejecting it with a reason.
* /information-governance/retention/schedule/ (officers and system
  administrators) and /manage/reference-data/retention-schedule/ (system
  administrators change it).

The review pages show references and dates, never names: the officer
decides against the schedule, not by reading the records.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.home.forms import apply_errors
from hoth.information_governance import schedule, selectors, services
from hoth.information_governance.forms import DecisionForm, RuleForm
from hoth.information_governance.models import (
    RetentionAction,
    RetentionItem,
    RetentionReview,
    RetentionRule,
    SubjectAccessRequest,
)
from hoth.information_governance.record_types import NoPersonalData, declarations

SAMPLE = 10
HOLDS_SHOWN = 100
AREA = services.AREA


@allowed("subject_access.manage")
@require_http_methods(["GET"])
def home(request):
    today = timezone.localdate()
    open_requests = list(SubjectAccessRequest.objects.visible_to(request.user).open().order_by("due_on"))
    due_soon = [r for r in open_requests if r.days_left(today) <= 7]
    waiting = RetentionReview.objects.visible_to(request.user).filter(status=RetentionReview.Status.PROPOSED)
    return render(
        request,
        "information_governance/home.html",
        {
            "open_requests": len(open_requests),
            "due_soon": due_soon,
            "overdue": [r for r in due_soon if r.days_left(today) < 0],
            "waiting": list(waiting),
            "today": today,
        },
    )


# ---------------------------------------------------------------- reviews


@allowed("retention.review")
@require_http_methods(["GET"])
def review_list(request):
    reviews = RetentionReview.objects.visible_to(request.user).select_related("decided_by")
    page = Paginator(reviews, 20).get_page(request.GET.get("page"))
    rows = [{"review": review, "counts": selectors.counts(review)} for review in page]
    for row in rows:
        row["due"] = sum(c.get("due", 0) for c in row["counts"].values())
        row["held"] = sum(c.get("held", 0) for c in row["counts"].values())
        row["done"] = sum(c.get("done", 0) for c in row["counts"].values())
    return render(request, "information_governance/retention/list.html", {"rows": rows, "page": page})


def _review(request, pk):
    return policy.find(request.user, RetentionReview.objects.select_related("decided_by"), "retention.review", pk=pk)


def _groups(review):
    """Per rule: what will happen, how many, a sample and the holds."""
    counts = selectors.counts(review)
    groups = []
    for rule in RetentionRule.objects.filter(pk__in=review.items.values("rule")):
        items = review.items.filter(rule=rule)
        held = list(items.filter(status=RetentionItem.Status.HELD).order_by("due_on", "id")[:HOLDS_SHOWN])
        groups.append(
            {
                "rule": rule,
                "counts": [(RetentionItem.Status(status).label, n) for status, n in counts.get(rule.code, {}).items()],
                "total": sum(counts.get(rule.code, {}).values()),
                "sample": list(items.exclude(status=RetentionItem.Status.HELD).order_by("due_on", "id")[:SAMPLE]),
                "held": held,
                "decision": review.decisions.get(rule.code, ""),
                "more_held": max(0, counts.get(rule.code, {}).get("held", 0) - len(held)),
            }
        )
    return groups


@allowed("retention.review")
@require_http_methods(["GET"])
def review_detail(request, pk):
    review = _review(request, pk)
    groups = _groups(review)
    shown = [item for g in groups for item in g["sample"] + g["held"]]
    log.record(
        "view",
        request=request,
        obj=review,
        detail={"area": AREA, "ids": [i.pk for i in shown]},
        people=[i.person_id for i in shown if i.person_id],
    )
    job = selectors.carrying_out(review) if review.status != RetentionReview.Status.PROPOSED else None
    return render(
        request,
        "information_governance/retention/review.html",
        {
            "review": review,
            "groups": groups,
            "sample_size": SAMPLE,
            "job": job,
            "stopped": review.status == RetentionReview.Status.APPROVED and (job is None or job.is_finished),
        },
    )


@allowed("retention.review")
@require_http_methods(["GET", "POST"])
def review_approve(request, pk):
    review = _review(request, pk)
    rules = selectors.review_rules(review)
    form = DecisionForm(request.POST if request.method == "POST" else None, review_rules=rules)
    if review.is_open and request.method == "POST" and form.is_valid():
        try:
            job = services.approve(
                request.user,
                review,
                reason=form.cleaned_data["reason"],
                decisions=form.decisions(),
                audit=request.audit,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Review {review.pk} approved: its records are being erased")
            return redirect("jobs:detail", job.pk)
    return render(
        request, "information_governance/retention/decide.html", {"review": review, "form": form, "approving": True}
    )


@allowed("retention.review")
@require_http_methods(["POST"])
def review_carry_on(request, pk):
    review = _review(request, pk)
    try:
        job = services.carry_on(request.user, review)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("retention:review", pk=review.pk)
    return redirect("jobs:detail", job.pk)


@allowed("retention.review")
@require_http_methods(["GET", "POST"])
def review_reject(request, pk):
    review = _review(request, pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if review.is_open and request.method == "POST" and form.is_valid():
        try:
            services.reject(request.user, review, reason=form.cleaned_data["reason"], audit=request.audit)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Review rejected: nothing was erased")
            return redirect("retention:review", pk=review.pk)
    return render(
        request, "information_governance/retention/decide.html", {"review": review, "form": form, "approving": False}
    )


# ---------------------------------------------------------------- the schedule


def _schedule_context(user):
    rules = list(RetentionRule.objects.all())
    not_personal = sorted(
        (label, entries[0].reason)
        for label, entries in declarations().items()
        if all(isinstance(e, NoPersonalData) for e in entries)
    )
    return {
        "approved": [r for r in rules if r.needs_approval],
        "routine": [r for r in rules if not r.needs_approval and r.action != RetentionAction.KEEP],
        "kept": [r for r in rules if r.action == RetentionAction.KEEP],
        "not_personal": not_personal,
        "can_change": policy.can(user, "reference_data.manage"),
        "versions": sorted({r.version for r in rules if r.version}),
    }


@allowed("retention.view_schedule")
@require_http_methods(["GET"])
def schedule_view(request):
    return render(request, "information_governance/schedule/list.html", _schedule_context(request.user))


@allowed("reference_data.manage")
@require_http_methods(["GET"])
def schedule_admin(request):
    return render(
        request, "information_governance/schedule/list.html", {**_schedule_context(request.user), "managing": True}
    )


@allowed("reference_data.manage")
@require_http_methods(["GET", "POST"])
def schedule_edit(request, code):
    rule = get_object_or_404(RetentionRule, code=code, code__in=list(schedule.KINDS))
    policy.check(request.user, "reference_data.manage", rule)
    form = RuleForm(request.POST if request.method == "POST" else None, instance=RetentionRule.objects.get(pk=rule.pk))
    if request.method == "POST" and form.is_valid():
        services.change_rule(
            request.user, rule, {name: form.cleaned_data[name] for name in form.fields}, audit=request.audit
        )
        messages.success(request, f"{rule.record_type}: changed")
        return redirect("retention_schedule:list")
    return render(request, "information_governance/schedule/edit.html", {"form": form, "rule": rule})
