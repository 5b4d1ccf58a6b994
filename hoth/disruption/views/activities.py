"""Pages of disruption: the lists of activities and plans, a subject's plan,
recording an activity (choosing the tactic, then its details), an activity
with its breaches and effect, moving it on, its children, a breach, its
outcome, and reviewing the plan (between panels, or at the panel from the
subject's agenda item)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.disruption import flow, forms, services
from hoth.disruption.models import DisruptionActivity, DisruptionPlan, Tactic, expiring_window
from hoth.disruption.selectors import activity_view, plan_view, tactics_for
from hoth.home.forms import apply_errors
from hoth.intelligence.views.subjects import get_subject
from hoth.panels.models import AgendaItem, Meeting

PER_PAGE = 30
SUBJECT_RELATED = ("subject__person", "subject__context", "subject__vehicle", "subject__phone")


def _activity(request, reference, manage=False):
    activities = DisruptionActivity.objects.select_related(
        "tactic", "plan__owner", "officer__agency", "lead_agency", *SUBJECT_RELATED
    )
    activity = policy.find(request.user, activities, reference=reference.upper())
    if manage:
        policy.check(request.user, "disruption.manage", activity.subject)
    return activity


def _posted(request):
    """The form data of a POST, even an empty one (an empty form is still a
    submission, and must show its errors)."""
    return request.POST if request.method == "POST" else None


def _form_viewed(request, obj, subject, page, people=()):
    """A form page shows what it is about (a subject's name, an activity, a
    plan's objective, children's names): each time it is shown is a read."""
    log.record(
        "view",
        request=request,
        obj=obj,
        person=subject.person_id,
        people=people,
        detail={"page": page, "subject": subject.reference},
    )


def _query(data):
    return urlencode({k: ("on" if v is True else v) for k, v in data.items() if v})


# ---------------------------------------------------------------- the lists


@allowed("disruption.view")
def activity_list(request):
    today, days = timezone.localdate(), services.expiry_warning_days()
    form = forms.ActivityFilterForm(request.GET or None, days=days)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = DisruptionActivity.objects.visible_to(request.user)
    if data.get("status") == "open":
        found = found.filter(status__in=flow.OPEN)
    elif data.get("status"):
        found = found.filter(status=data["status"])
    if data.get("kind"):
        found = found.filter(tactic__kind=data["kind"])
    if data.get("expiring"):
        found = found.expiring(today, days).order_by("expires_on", "pk")
    else:
        found = found.order_by("-changed_at", "-pk")
    found = found.select_related("tactic", "officer", "lead_agency", *SUBJECT_RELATED).annotate(
        breach_count=Count("breaches")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"activity": a, "expiring": a.expiring_within(today, days), "past_expiry": a.past_expiry(today)}
        for a in page.object_list
    ]
    log.record(
        "list",
        request=request,
        people=[r["activity"].subject.person_id for r in rows if r["activity"].subject.person_id],
        detail={
            "disruption_activities": [r["activity"].pk for r in rows],
            "filters": {k: v for k, v in data.items() if v},
        },
    )
    return render(
        request,
        "disruption/list.html",
        {"form": form, "page": page, "rows": rows, "query": _query(data), "days": days, "section": "activities"},
    )


@allowed("disruption.view")
def plan_list(request):
    today, days = timezone.localdate(), services.expiry_warning_days()
    form = forms.PlanFilterForm(request.GET or None, days=days)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = DisruptionPlan.objects.visible_to(request.user)
    if data.get("status"):
        found = found.filter(status=data["status"])
    if data.get("kind"):
        found = found.filter(pk__in=DisruptionActivity.objects.filter(tactic__kind=data["kind"]).values("plan_id"))
    expiring = DisruptionActivity.objects.expiring(today, days)
    if data.get("expiring"):
        found = found.filter(pk__in=expiring.values("plan_id"))
    if data.get("review_due"):
        found = found.review_due(today)
    soon = Q(activities__status=flow.IN_FORCE, **expiring_window(today, days, prefix="activities__"))
    found = (
        found.select_related("owner", "lead_agency", *SUBJECT_RELATED)
        .annotate(
            activity_count=Count("activities"),
            in_force_count=Count("activities", filter=Q(activities__status=flow.IN_FORCE)),
            expiring_count=Count("activities", filter=soon),
        )
        .order_by(F("next_review_on").asc(nulls_last=True), "pk")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"plan": p, "review_overdue": p.review_overdue(today)} for p in page.object_list]
    log.record(
        "list",
        request=request,
        people=[r["plan"].subject.person_id for r in rows if r["plan"].subject.person_id],
        detail={"disruption_plans": [r["plan"].pk for r in rows], "filters": {k: v for k, v in data.items() if v}},
    )
    return render(
        request,
        "disruption/plans.html",
        {"form": form, "page": page, "rows": rows, "query": _query(data), "days": days, "section": "plans"},
    )


# ---------------------------------------------------------------- a subject's plan


@allowed("disruption.view")
def plan_detail(request, reference):
    subject = get_subject(request, reference.upper())
    shown = plan_view(request.user, subject)
    log.record(
        "view",
        request=request,
        obj=shown.plan or subject,
        person=subject.person_id,
        people=shown.people_shown,
        detail={"page": "disruption plan", "subject": subject.reference},
    )
    return render(
        request,
        "disruption/plan.html",
        {
            "subject": subject,
            "shown": shown,
            "can_manage": policy.can(request.user, "disruption.manage", subject),
            "can_review": shown.plan is not None
            and shown.plan.is_open
            and policy.can(request.user, "disruption.review", shown.plan),
        },
    )


@allowed("disruption.manage")
@require_POST
def start(request, reference):
    """Make a person or place on record a subject, then record disruption
    against it (from a panel item about someone not yet a subject)."""
    subject = services.subject_for(request.user, reference, audit=request.audit)
    if subject is None:
        raise Http404("No person or place with that reference that you may see")
    policy.check(request.user, "disruption.manage", subject)
    return redirect("disruption:new", subject.reference)


@allowed("disruption.manage")
def activity_new(request, reference):
    """Step 1: the tactic, from the catalogue's tactics for this kind of subject."""
    subject = get_subject(request, reference.upper())
    policy.check(request.user, "disruption.manage", subject)
    tactics = tactics_for(subject)
    form = forms.TacticChoiceForm(_posted(request), tactics=tactics)
    if request.method == "POST" and form.is_valid():
        return redirect("disruption:new-details", subject.reference, form.cleaned_data["tactic"].code)
    _form_viewed(request, subject, subject, "record disruption: tactic")
    return render(
        request,
        "disruption/new.html",
        {
            "subject": subject,
            "form": form,
            "tactics": tactics,
            "has_plan": DisruptionPlan.objects.filter(subject=subject).exists(),
        },
    )


@allowed("disruption.manage")
def activity_new_details(request, reference, code):
    """Step 2: where it is now, its dates, who leads, the children it protects."""
    subject = get_subject(request, reference.upper())
    policy.check(request.user, "disruption.manage", subject)
    tactic = Tactic.objects.filter(code=code, is_active=True).first()
    if tactic is None or not tactic.applies_to(subject.kind):
        raise Http404("No such tactic for this subject")
    needs_plan = not DisruptionPlan.objects.filter(subject=subject).exists()
    candidates = forms.candidate_children(request.user, subject)
    form = forms.ActivityForm(
        _posted(request),
        user=request.user,
        candidates=candidates,
        tactic=tactic,
        needs_plan=needs_plan,
        initial={"officer": request.user.pk, "lead_agency": request.user.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.record_activity(
                request.user,
                subject,
                tactic=tactic,
                status=data["status"],
                officer=data["officer"],
                lead_agency=data["lead_agency"],
                applied_on=data.get("applied_on"),
                granted_on=data["granted_on"],
                expires_on=data["expires_on"],
                details=data["details"],
                children=form.linked(),
                intelligence=data["intelligence"],
                plan_objective=data.get("plan_objective", ""),
                plan_next_review_on=data.get("plan_next_review_on"),
                audit=request.audit,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{tactic.name} recorded against {subject.name}")
            return redirect("disruption:activity", activity.reference)
    _form_viewed(request, subject, subject, "record disruption", people=[c.pk for c in candidates])
    return render(
        request,
        "disruption/new_details.html",
        {"subject": subject, "tactic": tactic, "form": form, "needs_plan": needs_plan},
    )


# ---------------------------------------------------------------- one activity


@allowed("disruption.view")
def activity_detail(request, reference):
    activity = _activity(request, reference)
    shown = activity_view(request.user, activity)
    people = {c.pk for c in shown.children} | set(shown.effect.people_shown)
    log.record(
        "view",
        request=request,
        obj=activity,
        person=activity.subject.person_id,
        people=sorted(people),
        detail={"page": "disruption activity"},
    )
    can_manage = policy.can(request.user, "disruption.manage", activity.subject)
    return render(
        request,
        "disruption/activity.html",
        {
            "activity": activity,
            "subject": activity.subject,
            "shown": shown,
            "can_manage": can_manage,
            "can_breach": can_manage
            and activity.granted_on is not None
            and activity.tactic.kind in services.BREACHABLE,
            "days": services.expiry_warning_days(),
        },
    )


@allowed("disruption.manage")
def activity_update(request, reference):
    activity = _activity(request, reference, manage=True)
    form = forms.UpdateForm(_posted(request), activity=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.change_status(
                request.user,
                activity,
                status=data["status"],
                applied_on=data.get("applied_on", services.KEEP),
                granted_on=data["granted_on"],
                expires_on=data["expires_on"],
                ended_on=data["ended_on"],
                audit=request.audit,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{changed.tactic.name} {changed.reference}: {changed.status_label.lower()}")
            return redirect("disruption:activity", activity.reference)
    _form_viewed(request, activity, activity.subject, "update disruption")
    return render(
        request,
        "disruption/update.html",
        {"activity": activity, "form": form, "title": "Update status and dates", "button": "Save"},
    )


@allowed("disruption.manage")
def activity_children(request, reference):
    activity = _activity(request, reference, manage=True)
    linked = list(policy.visible(request.user, activity.children.all()))
    candidates = {p.pk: p for p in forms.candidate_children(request.user, activity.subject) + linked}
    ordered = sorted(candidates.values(), key=lambda p: (p.family_name, p.given_names, p.pk))
    form = forms.ChildrenForm(
        _posted(request), user=request.user, candidates=ordered, initial={"children": [str(p.pk) for p in linked]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_children(request.user, activity, form.linked(), audit=request.audit)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The children it protects have been saved")
            return redirect("disruption:activity", activity.reference)
    hidden = activity.children.count() - len(linked)
    _form_viewed(request, activity, activity.subject, "disruption children", people=[p.pk for p in ordered])
    return render(
        request,
        "disruption/children.html",
        {"activity": activity, "form": form, "hidden": hidden, "title": "Children it protects", "button": "Save"},
    )


@allowed("disruption.manage")
def breach_new(request, reference):
    activity = _activity(request, reference, manage=True)
    form = forms.BreachForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_breach(request.user, activity, audit=request.audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Breach of {activity.tactic.name} {activity.reference} recorded")
            return redirect("disruption:activity", activity.reference)
    _form_viewed(request, activity, activity.subject, "record a breach")
    return render(
        request,
        "disruption/breach.html",
        {"activity": activity, "form": form, "title": "Record a breach", "button": "Save the breach"},
    )


@allowed("disruption.manage")
def outcome(request, reference):
    activity = _activity(request, reference, manage=True)
    form = forms.OutcomeForm(
        _posted(request), initial={"outcome": activity.outcome, "outcome_assessment": activity.outcome_assessment}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(
                request.user,
                activity,
                outcome=form.cleaned_data["outcome"],
                assessment=form.cleaned_data["outcome_assessment"],
                audit=request.audit,
            )
        except ValidationError as error:
            apply_errors(form, error, {"assessment": "outcome_assessment"})
        else:
            messages.success(request, f"Outcome of {activity.tactic.name} {activity.reference} recorded")
            return redirect("disruption:activity", activity.reference)
    _form_viewed(request, activity, activity.subject, "disruption outcome")
    return render(
        request,
        "disruption/outcome.html",
        {"activity": activity, "form": form, "title": "Record the outcome", "button": "Save the outcome"},
    )


# ---------------------------------------------------------------- reviewing the plan


def _agenda_item(request, plan):
    """The panel item the review is taken at, if the page came from one."""
    pk = request.POST.get("item") or request.GET.get("item")
    if not pk:
        return None
    item = (
        AgendaItem.objects.filter(
            pk=pk if str(pk).isdigit() else 0, meeting__in=Meeting.objects.visible_to(request.user)
        )
        .select_related("meeting", "person", "context")
        .first()
    )
    if item is None:
        raise Http404("No such agenda item that you may see")
    return item


@allowed("disruption.review")
def review(request, reference):
    subject = get_subject(request, reference.upper())
    plan = policy.find(
        request.user,
        DisruptionPlan.objects.select_related("owner", "lead_agency"),
        "disruption.review",
        subject=subject,
    )
    item = _agenda_item(request, plan)
    back = (
        reverse("panels:item", args=[item.meeting_id, item.pk])
        if item
        else reverse("disruption:plan", args=[subject.reference])
    )
    if not plan.is_open:
        messages.error(request, "This plan is closed. Recording a new activity reopens it")
        return redirect(back)
    form = forms.ReviewForm(
        _posted(request), plan=plan, initial={"objective": plan.objective, "reviewed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_plan(
                request.user,
                plan,
                reviewed_on=data["reviewed_on"],
                what_changed=data["what_changed"],
                decision=data["decision"],
                next_review_on=data["next_review_on"],
                objective=data["objective"],
                owner=data["owner"],
                lead_agency=data["lead_agency"],
                agenda_item=item,
                audit=request.audit,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Review of the disruption plan for {subject.name} recorded")
            return redirect(back)
    _form_viewed(request, plan, subject, "review disruption plan")
    return render(
        request, "disruption/review.html", {"subject": subject, "plan": plan, "form": form, "item": item, "back": back}
    )
