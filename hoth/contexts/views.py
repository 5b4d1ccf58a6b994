"""Pages of contexts as subjects (Contextual Safeguarding, Level 2): finding
and recording them, the context's page (its children, plan and history), its
assessment, actions, reviews and incidents, and taking on the referrals
the front door receives about it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.home.forms import apply_errors

from . import forms, selectors, services
from .models import Context
from .picture import children_affected, history

PER_PAGE = 30


def get_context(request, reference, action="context.view"):
    return policy.find(request.user, Context.objects, action, reference=reference)


@allowed("context.view")
def context_list(request):
    form = forms.ContextSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    contexts = selectors.matching(Context.objects.visible_to(request.user), data.get("q", ""))
    if data.get("kind"):
        contexts = contexts.filter(kind=data["kind"])
    if data.get("open_work"):
        contexts = contexts.filter(assessments__isnull=False, closed_on__isnull=True).distinct()
    page = Paginator(contexts.order_by("town", "name", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    log.record(
        "search" if data.get("q") else "list",
        request=request,
        detail={"query": {k: v for k, v in data.items() if v}, "contexts": [c.pk for c in page.object_list]},
    )
    return render(
        request,
        "contexts/list.html",
        {
            "form": form,
            "page": page,
            "query": urlencode({k: ("on" if v is True else v) for k, v in data.items() if v}),
            "can_create": policy.can(request.user, "context.create"),
        },
    )


@allowed("context.create")
def context_new(request):
    form = forms.ContextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        context = services.create_context(request.user, form.cleaned_data, audit=request.audit)
        messages.success(request, f"{context.name} is recorded ({context.reference})")
        return redirect("contexts:detail", context.reference)
    return render(request, "contexts/new.html", {"form": form})


@allowed("context.view")
def detail(request, reference):
    from hoth.referrals.models import Referral

    user = request.user
    context = get_context(request, reference)
    affected = children_affected(user, context)
    waiting = list(
        Referral.objects.visible_to(user)
        .filter(context=context, status=Referral.Status.SUBMITTED)
        .select_related("referrer_agency")
    )
    subject = getattr(context, "subject", None)
    log.record("view", request=request, obj=context, detail={"page": "context"}, people=[a.person.pk for a in affected])
    return render(
        request,
        "contexts/detail.html",
        {
            "context": context,
            "affected": affected,
            "waiting": waiting,
            "assessment": context.assessments.select_related("written_by").first(),
            "actions": list(context.actions.select_related("owner", "owner_agency", "task")),
            "review": context.reviews.select_related("reviewed_by").first(),
            "incidents": list(context.incidents.select_related("harm_type")[:10]),
            "incident_count": context.incidents.count(),
            "history": history(user, context),
            "subject": subject if subject is not None and policy.can(user, "subject.view", subject) else None,
            "can_manage": policy.can(user, "context.manage", context),
            "can_review": policy.can(user, "context.review", context),
            "can_record_incident": policy.can(user, "context.record_incident", context),
            "can_name_subject": subject is None and policy.can(user, "subject.manage"),
        },
    )


@allowed("context.manage")
def edit(request, reference):
    context = get_context(request, reference, "context.manage")
    form = forms.ContextForm(request.POST or None, initial={f: getattr(context, f) for f in services.FIELDS})
    if request.method == "POST" and form.is_valid():
        services.update_context(request.user, context, form.cleaned_data, audit=request.audit)
        messages.success(request, "The details are saved")
        return redirect("contexts:detail", context.reference)
    log.record("view", request=request, obj=context, detail={"page": "contexts/edit.html"})
    return render(request, "contexts/edit.html", {"context": context, "form": form})


@allowed("context.view")
def assessments(request, reference):
    context = get_context(request, reference)
    versions = list(context.assessments.select_related("written_by"))
    log.record(
        "view", request=request, obj=context, detail={"page": "assessments", "versions": [a.number for a in versions]}
    )
    return render(
        request,
        "contexts/assessments.html",
        {"context": context, "versions": versions, "can_manage": policy.can(request.user, "context.manage", context)},
    )


def _record(request, context, form, save, message, template, **extra):
    """A page with a form that records something about the context: a good
    answer goes to the service (whose refusals are shown on the form), then
    back to the context's page, which says what was done."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, message(saved))
            return redirect("contexts:detail", context.reference)
    # The form shows the context (an assessment's free text, say): each time it is shown is a read.
    log.record("view", request=request, obj=context, detail={"page": template})
    return render(request, template, {"context": context, "form": form, **extra})


@allowed("context.manage")
def assess(request, reference):
    context = get_context(request, reference, "context.manage")
    latest = context.assessments.first()
    initial = {f: getattr(latest, f) for f in services.ASSESSMENT_FIELDS} if latest else None
    return _record(
        request,
        context,
        forms.AssessmentForm(request.POST or None, initial=initial),
        lambda data: services.assess_context(request.user, context, data, audit=request.audit),
        lambda assessment: f"Version {assessment.number} of the assessment is saved",
        "contexts/assess.html",
        latest=latest,
    )


@allowed("context.manage")
def action_new(request, reference):
    context = get_context(request, reference, "context.manage")
    return _record(
        request,
        context,
        forms.ActionForm(request.POST or None),
        lambda data: services.add_action(request.user, context, audit=request.audit, **data),
        lambda action: f"The action is added and {action.owner.full_name} has a task",
        "contexts/action_new.html",
    )


@allowed("context.review")
def review_new(request, reference):
    context = get_context(request, reference, "context.review")
    return _record(
        request,
        context,
        forms.ReviewForm(request.POST or None),
        lambda data: services.review_context(request.user, context, audit=request.audit, **data),
        lambda review: "The review is recorded",
        "contexts/review_new.html",
    )


@allowed("context.record_incident")
def incident_new(request, reference):
    context = get_context(request, reference, "context.record_incident")
    return _record(
        request,
        context,
        forms.IncidentForm(request.POST or None),
        lambda data: services.record_incident(request.user, context, audit=request.audit, **data),
        lambda incident: "The incident is recorded",
        "contexts/incident_new.html",
    )


@allowed("context.manage")
@require_POST
def take_on(request, reference, referral):
    from hoth.referrals.models import Referral

    context = get_context(request, reference, "context.manage")
    found = policy.find(request.user, Referral.objects, reference=referral, context=context)
    try:
        services.take_on_referral(request.user, found, audit=request.audit)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Referral {found.reference} is taken on as work on {context.name}")
    return redirect("contexts:detail", context.reference)
