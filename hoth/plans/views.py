"""Pages of the safety and support plan and its reviews: thin layers over
services.py. Every page that shows the plan writes one audit event."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.cases.models import Case
from hoth.cases.views.case import get_case
from hoth.concurrent_edits import save_form

from . import forms, selectors, services
from .models import Plan, PlanAction, Review, ServiceReferral

CONFLICT = (
    "Someone else changed this plan while you were working on it. Your changes have not been saved yet: "
    "check what they saved, then save again"
)


def _existing_plan(case):
    plan = Plan.objects.filter(case=case).select_related("updated_by__agency").first()
    if plan is not None:
        plan.case = case
    return plan


def _their_rows(plan):
    """What the other person's save left the plan saying, for the conflict panel."""
    if plan is None:
        return None
    data = selectors.snapshot(plan)
    who = plan.updated_by.full_name if plan.updated_by else "Someone"
    rows = [
        ("Saved by", f"{who}, {timezone.localtime(plan.updated_at):%-d %B %Y at %H:%M}"),
        ("Goals", "\n".join(data["goals"]) or "None"),
        ("What I want to happen", data["child_wants"] or "Not recorded"),
        ("Who I trust", data["child_trusts"] or "Not recorded"),
        ("What the family think", data["family_views"] or "Not recorded"),
        ("Review date", plan.review_date.strftime("%-d %B %Y") if plan.review_date else "Not set"),
        ("Actions", "\n".join(f"{a['what']} ({a['owner']}, {a['status'].lower()})" for a in data["actions"]) or "None"),
        ("Services", "\n".join(f"{s['service']} ({s['status'].lower()})" for s in data["services"]) or "None"),
    ]
    return rows


def _context(case, **extra):
    return {"case": case, "person": case.person, **extra}


# ------------------------------------------------------------------ the plan


@allowed("plan.view")
def plan(request, reference):
    case = get_case(request, reference, "plan.view")
    current = _existing_plan(case)
    goals = actions = referrals = versions = ()
    if current is not None:
        goals = list(current.goals.all())
        actions = list(current.actions.select_related("owner", "agency", "task"))
        referrals = list(current.service_referrals.select_related("service"))
        versions = list(current.versions.select_related("saved_by__agency"))
    reviews = list(case.reviews.select_related("recorded_by__agency"))
    log.record(
        "view",
        request=request,
        obj=current or case,
        person=case.person_id,
        detail={"page": "plan", "version": current.version if current else 0},
    )
    return render(
        request,
        "plans/plan.html",
        _context(
            case,
            plan=current,
            goals=goals,
            actions=actions,
            referrals=referrals,
            versions=versions,
            reviews=reviews,
            can_edit=policy.can(request.user, "plan.edit", case) and case.status == Case.Status.OPEN,
            can_review=policy.can(request.user, "plan.record_review", case),
            review_due=current is not None
            and current.review_date is not None
            and current.review_date <= timezone.localdate(),
        ),
    )


@allowed("plan.edit")
def edit(request, reference):
    case = get_case(request, reference, "plan.edit")
    current = _existing_plan(case) or Plan(case=case)
    form = forms.PlanForm(
        request.POST or None,
        initial={
            "version": current.version,
            "goals": "\n".join(g.text for g in current.goals.all()) if current.pk else "",
            "child_wants": current.child_wants,
            "child_trusts": current.child_trusts,
            "family_views": current.family_views,
            "review_date": current.review_date,
        },
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, theirs = save_form(
            form,
            CONFLICT,
            lambda: services.save_plan(
                case,
                user=request.user,
                read_version=data["version"],
                goals=form.goal_list(),
                child_wants=data["child_wants"],
                child_trusts=data["child_trusts"],
                family_views=data["family_views"],
                review_date=data["review_date"],
                audit=request.audit,
            ),
        )
        if saved:
            messages.success(request, f"Version {saved.version} of the plan has been saved")
            return redirect("plans:plan", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "edit plan"})
    return render(request, "plans/edit.html", _context(case, form=form, theirs=theirs, theirs_rows=_their_rows(theirs)))


@allowed("plan.edit")
def action_new(request, reference):
    case = get_case(request, reference, "plan.edit")
    current = _existing_plan(case) or Plan(case=case)
    form = forms.ActionForm(request.POST or None, initial={"version": current.version})
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action, theirs = save_form(
            form,
            CONFLICT,
            lambda: services.add_action(
                case,
                user=request.user,
                read_version=data["version"],
                what=data["what"],
                owner=data["owner"],
                due_date=data["due_date"],
                audit=request.audit,
            ),
        )
        if action:
            messages.success(request, f"The action has been added and {action.owner.full_name} has a task")
            return redirect("plans:plan", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "new action"})
    return render(
        request, "plans/action_new.html", _context(case, form=form, theirs=theirs, theirs_rows=_their_rows(theirs))
    )


@allowed("plan.edit")
def action_update(request, reference, pk):
    case = get_case(request, reference, "plan.edit")
    action = PlanAction.objects.filter(plan__case=case, pk=pk).select_related("plan", "owner", "agency").first()
    if action is None:
        raise Http404("No such action in this plan")
    action.plan.case = case
    form = forms.ActionUpdateForm(
        request.POST or None,
        initial={"version": action.plan.version, "status": action.status, "due_date": action.due_date},
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, theirs = save_form(
            form,
            CONFLICT,
            lambda: services.update_action(
                action,
                user=request.user,
                read_version=data["version"],
                status=data["status"],
                due_date=data["due_date"],
                audit=request.audit,
            ),
        )
        if saved:
            messages.success(request, "The action has been updated")
            return redirect("plans:plan", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "update action"})
    return render(
        request,
        "plans/action_update.html",
        _context(case, action=action, form=form, theirs=theirs, theirs_rows=_their_rows(theirs)),
    )


@allowed("plan.edit")
def referral_new(request, reference):
    case = get_case(request, reference, "plan.edit")
    current = _existing_plan(case) or Plan(case=case)
    form = forms.ReferralForm(
        request.POST or None,
        initial={"version": current.version, "status": ServiceReferral.Status.PROPOSED, "on": timezone.localdate()},
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referral, theirs = save_form(
            form,
            CONFLICT,
            lambda: services.refer_to_service(
                case,
                user=request.user,
                read_version=data["version"],
                service=data["service"],
                status=data["status"],
                on=data["on"],
                note=data["note"],
                audit=request.audit,
            ),
        )
        if referral:
            messages.success(request, f"{referral.service.name} has been added to the plan")
            return redirect("plans:plan", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "new service referral"})
    return render(
        request, "plans/referral_new.html", _context(case, form=form, theirs=theirs, theirs_rows=_their_rows(theirs))
    )


@allowed("plan.edit")
def referral_update(request, reference, pk):
    case = get_case(request, reference, "plan.edit")
    referral = ServiceReferral.objects.filter(plan__case=case, pk=pk).select_related("plan", "service").first()
    if referral is None:
        raise Http404("No such service referral in this plan")
    referral.plan.case = case
    form = forms.ReferralUpdateForm(
        request.POST or None,
        initial={
            "version": referral.plan.version,
            "status": referral.status,
            "on": timezone.localdate(),
            "note": referral.note,
        },
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, theirs = save_form(
            form,
            CONFLICT,
            lambda: services.update_referral(
                referral,
                user=request.user,
                read_version=data["version"],
                status=data["status"],
                on=data["on"],
                note=data["note"],
                audit=request.audit,
            ),
        )
        if saved:
            messages.success(request, f"The referral to {saved.service.name} has been updated")
            return redirect("plans:plan", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "update service referral"})
    return render(
        request,
        "plans/referral_update.html",
        _context(case, referral=referral, form=form, theirs=theirs, theirs_rows=_their_rows(theirs)),
    )


@allowed("plan.view")
def version(request, reference, number):
    case = get_case(request, reference, "plan.view")
    current = _existing_plan(case)
    kept = current.versions.select_related("saved_by__agency").filter(number=number).first() if current else None
    if kept is None:
        raise Http404("No such version of the plan")
    log.record(
        "view", request=request, obj=kept, person=case.person_id, detail={"page": "plan version", "version": number}
    )
    data = services.read_snapshot(kept)
    data["review_date"] = date.fromisoformat(data["review_date"]) if data["review_date"] else None
    return render(request, "plans/version.html", _context(case, plan=current, kept=kept, data=data))


@allowed("plan.view")
def print_plan(request, reference):
    case = get_case(request, reference, "plan.view")
    current = _existing_plan(case)
    referrals = ()
    goals = actions = ()
    if current is not None:
        goals = list(current.goals.all())
        actions = list(current.actions.select_related("owner", "agency").exclude(status=PlanAction.Status.CANCELLED))
        # The child is told about help that is on offer or under way, not refusals.
        referrals = list(
            current.service_referrals.select_related("service").exclude(status__in=[ServiceReferral.Status.DECLINED])
        )
    log.record(
        "print",
        request=request,
        obj=current or case,
        person=case.person_id,
        detail={"page": "child-friendly plan", "version": current.version if current else 0},
    )
    return render(
        request, "plans/print.html", _context(case, plan=current, goals=goals, actions=actions, referrals=referrals)
    )


# ------------------------------------------------------------------ reviews


@allowed("plan.record_review")
def review_new(request, reference):
    case = get_case(request, reference, "plan.record_review")
    start = selectors.review_period_start(case)
    form = forms.ReviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review, _ = save_form(
            form,
            CONFLICT,
            lambda: services.record_review(
                case,
                user=request.user,
                held_on=data["held_on"],
                child_feels_safe=data["child_feels_safe"],
                child_wellbeing=data["child_wellbeing"],
                practitioner_rating=data["practitioner_rating"],
                school_attendance=data["school_attendance"],
                what_changed=data["what_changed"],
                next_review_date=data["next_review_date"],
                audit=request.audit,
            ),
        )
        if review:
            messages.success(request, "The review has been recorded")
            return redirect("plans:review", review.pk)
    missing_so_far = selectors.missing_episodes_between(case.person, start, timezone.localdate())
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "new review"})
    return render(
        request,
        "plans/review_new.html",
        _context(
            case,
            form=form,
            start=start,
            missing_so_far=missing_so_far,
            can_rescreen=policy.can(request.user, "screening.perform", case.person),
        ),
    )


@allowed("plan.view")
def review(request, pk):
    found = Review.objects.select_related("case", "recorded_by__agency").filter(pk=pk).first()
    if found is None:
        raise Http404("No such review")
    case = get_case(request, found.case.reference, "plan.view")
    log.record("view", request=request, obj=found, person=case.person_id)
    return render(request, "plans/review.html", _context(case, review=found))
