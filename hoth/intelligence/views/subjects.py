"""Pages of subjects of concern: finding them, recording vehicles and phones,
naming people and contexts as subjects, the profile ("local profiles of people
and perpetrators"), flagging concern, and recording a link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.disruption.selectors import plan_view
from hoth.home.forms import apply_errors
from hoth.intelligence import forms, services
from hoth.intelligence.models import IntelligenceReport, Subject
from hoth.intelligence.profile import profile
from hoth.intelligence.selectors import RELATED, search_subjects
from hoth.intelligence.subjects import find_subject

PER_PAGE = 30


def get_subject(request, reference, action="subject.view"):
    return policy.find(request.user, Subject.objects.select_related(*RELATED), action, reference=reference)


@allowed("subject.view")
def subject_list(request):
    form = forms.SubjectSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = search_subjects(
        request.user, data.get("q", ""), kind=data.get("kind", ""), of_concern=data.get("of_concern", False)
    )
    page = Paginator(found.order_by("-of_concern", "kind", "reference"), PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    log.record(
        "search" if data.get("q") else "list",
        request=request,
        detail={"query": {k: v for k, v in data.items() if v}, "subjects": [s.pk for s in rows]},
        people=[s.person_id for s in rows if s.person_id],
    )
    query = urlencode({k: ("on" if v is True else v) for k, v in data.items() if v})
    return render(
        request,
        "intelligence/subjects.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "can_manage": policy.can(request.user, "subject.manage"),
        },
    )


@allowed("subject.manage")
def subject_new(request):
    """Name a person or context already on record as a subject, by reference."""
    form = forms.ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = find_subject(request.user, form.cleaned_data["reference"], audit=request.audit)
        if subject is None:
            form.add_error(
                "reference",
                "Enter the reference of a person (P-…) or a place, group or online space (C-…) that you can see",
            )
        else:
            return redirect("subjects:profile", subject.reference)
    return render(request, "intelligence/subject_new.html", {"form": form})


@allowed("subject.manage")
def vehicle_new(request):
    form = forms.VehicleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject = services.record_vehicle(request.user, audit=request.audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Vehicle {subject.vehicle.display_registration} is recorded")
            return redirect("subjects:profile", subject.reference)
    return render(request, "intelligence/vehicle_new.html", {"form": form})


@allowed("subject.manage")
def phone_new(request):
    form = forms.PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject = services.record_phone(request.user, audit=request.audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Phone {subject.phone.e164} is recorded")
            return redirect("subjects:profile", subject.reference)
    return render(request, "intelligence/phone_new.html", {"form": form})


@allowed("subject.view")
def subject_profile(request, reference):
    subject = get_subject(request, reference)
    page = profile(request.user, subject)
    # The disruption history, for those who may see disruption (hoth.disruption.selectors).
    disruption = (
        plan_view(request.user, subject, with_reviews=False) if policy.can(request.user, "disruption.view") else None
    )
    shown = sorted(set(page.people_shown) | set(disruption.people_shown if disruption else ()))
    log.record(
        "view",
        request=request,
        obj=subject,
        person=subject.person_id,
        detail={
            "page": "profile",
            "links": [link.pk for link in page.links],
            "disruption_plan": disruption.plan.pk if disruption and disruption.plan else None,
        },
        people=shown,
    )
    return render(
        request,
        "intelligence/profile.html",
        {
            "subject": subject,
            "profile": page,
            "disruption": disruption,
            "can_disrupt": policy.can(request.user, "disruption.manage", subject),
            "can_manage": policy.can(request.user, "subject.manage", subject),
            "person_visible": subject.person_id is not None and policy.can(request.user, "person.view", subject.person),
            "context_visible": subject.context_id is not None
            and policy.can(request.user, "context.view", subject.context),
        },
    )


def _form_page(request, subject, form, template):
    """A form about a subject names it (and says why it is of concern): each time it is shown is a read."""
    log.record("view", request=request, obj=subject, person=subject.person_id, detail={"page": template})
    return render(request, f"intelligence/{template}.html", {"subject": subject, "form": form})


@allowed("subject.manage")
def concern(request, reference):
    subject = get_subject(request, reference, "subject.manage")
    form = forms.ConcernForm(
        request.POST or None, initial={"of_concern": "yes" if subject.of_concern else "no", "concern": subject.concern}
    )
    if request.method == "POST" and form.is_valid():
        services.flag_of_concern(request.user, subject, audit=request.audit, **form.cleaned_data)
        messages.success(
            request, f"{subject.name} is {'' if form.cleaned_data['of_concern'] else 'no longer '}of concern"
        )
        return redirect("subjects:profile", subject.reference)
    return _form_page(request, subject, form, "concern")


@allowed("subject.manage")
def link_new(request, reference):
    """Record a link from this subject to another, usually from intelligence."""
    subject = get_subject(request, reference, "subject.manage")
    initial = {"intelligence": request.GET.get("intelligence", "")}
    form = forms.NewLinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = find_subject(request.user, data.pop("target"), audit=request.audit)
        intelligence = None
        if data["intelligence"]:
            intelligence = (
                IntelligenceReport.objects.visible_to(request.user)
                .filter(reference=data["intelligence"], status=IntelligenceReport.Status.GRADED)
                .first()
            )
            if intelligence is None:
                form.add_error("intelligence", "Enter the reference of graded intelligence, like I-7KQ2M9X")
        if target is None:
            form.add_error(
                "target",
                "Enter the reference of a subject you can see: a person (P-…), a place, group "
                "or online space (C-…), a vehicle (V-…) or a phone (T-…)",
            )
        if not form.errors:
            try:
                link, alert = services.record_link(
                    request.user,
                    source=subject,
                    target=target,
                    type=data["type"],
                    role=data["role"],
                    intelligence=intelligence,
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    confidence=data["confidence"],
                    notes=data["notes"],
                    source_evaluation=data["source_evaluation"] or None,
                    intelligence_assessment=data["intelligence_assessment"] or None,
                    audit=request.audit,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                _say_alert(request, alert)
                messages.success(request, f"The link to {target.name} is recorded")
                return redirect("links:detail", link.pk)
    return _form_page(request, subject, form, "link_new")


def _say_alert(request, alert):
    if alert is not None:
        messages.warning(
            request,
            f"New-link alert: {alert.reason}. The coordinators and lead professionals "
            f"concerned have been told ({alert.told.count()} people).",
        )
