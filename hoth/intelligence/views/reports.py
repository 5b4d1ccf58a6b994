"""Pages of partner intelligence: submitting it, the analysts' grading queue,
a report as each reader may see it, grading, its subjects, the import of
historic intelligence, and new-link alerts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.home.forms import apply_errors
from hoth.intelligence import forms, grading, services
from hoth.intelligence.imports import start_import
from hoth.intelligence.models import IntelligenceReport, Link, LinkAlert, Mention, Subject
from hoth.intelligence.subjects import find_subject
from hoth.people.access import casework_people, sees_person

PER_PAGE = 25


def _report(request, reference, action="intelligence.view"):
    """The report if this user may see it; 404 otherwise, so that a reference
    outside someone's sight tells them nothing."""
    reports = IntelligenceReport.objects.select_related(
        "submitted_by", "submitted_by_agency", "about_person", "graded_by", "place"
    )
    return policy.find(request.user, reports, action, reference=reference)


@allowed("intelligence.view")
def report_list(request):
    """Analysts: the grading queue and every graded report. Others: what they
    submitted and what has been shared with them."""
    user = request.user
    visible = IntelligenceReport.objects.visible_to(user).select_related("submitted_by_agency")
    status = request.GET.get("status")
    if status is None and policy.can(user, "intelligence.grade"):
        status = IntelligenceReport.Status.SUBMITTED  # the grading queue first
    elif status not in IntelligenceReport.Status.values:
        status = ""
    shown = visible.filter(status=status) if status else visible
    # An import's job links to the imported reports.
    source = request.GET.get("source")
    if source in IntelligenceReport.Source.values:
        shown = shown.filter(source=source)
    else:
        source = ""
    page = Paginator(shown.order_by("-submitted_at", "-pk").prefetch_related("harm_types"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    # The list names no one: the people a report is about are on its own page.
    log.record(
        "list",
        request=request,
        detail={"intelligence": [r.pk for r in rows], "status": status, **({"source": source} if source else {})},
    )
    return render(
        request,
        "intelligence/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "query": urlencode({k: v for k, v in (("status", status), ("source", source)) if v}),
            "waiting": visible.filter(status=IntelligenceReport.Status.SUBMITTED).count()
            if policy.can(user, "intelligence.grade")
            else None,
            "can_submit": policy.can(user, "intelligence.submit"),
            "can_import": policy.can(user, "intelligence.import"),
            "statuses": IntelligenceReport.Status.choices,
            "source": source,
        },
    )


@allowed("intelligence.submit")
def submit(request):
    form = forms.SubmitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        harm_types = list(data.pop("harm_types"))
        data["about_person"] = data.pop("about_reference")
        try:
            report = services.submit_intelligence(request.user, data, harm_types=harm_types, audit=request.audit)
        except ValidationError as error:
            apply_errors(form, error, {"about_person": "about_reference"})
        else:
            return redirect("intelligence:submitted", report.reference)
    return render(request, "intelligence/submit.html", {"form": form})


@allowed("intelligence.submit")
def submitted(request, reference):
    report = _report(request, reference)
    if report.submitted_by_id != request.user.pk:
        raise Http404("No intelligence of yours with that reference")
    log.record("view", request=request, obj=report, detail={"page": "submitted"})
    return render(request, "intelligence/submitted.html", {"report": report})


@allowed("intelligence.view")
def detail(request, reference):
    user = request.user
    report = _report(request, reference)
    original = policy.can(user, "intelligence.view_original", report)
    mentions = list(
        Mention.objects.filter(report=report, subject__in=Subject.objects.visible_to(user)).select_related(
            "subject__person", "subject__context", "subject__vehicle", "subject__phone"
        )
    )
    links = list(
        Link.objects.visible_to(user)
        .filter(intelligence=report)
        .select_related(
            "source__person",
            "source__context",
            "source__vehicle",
            "source__phone",
            "target__person",
            "target__context",
            "target__vehicle",
            "target__phone",
        )
    )
    about = report.about_person if report.about_person_id and sees_person(user, report.about_person) else None
    people = {m.subject.person_id for m in mentions if m.subject.person_id}
    people |= {s.person_id for link in links for s in (link.source, link.target) if s.person_id}
    log.record("view", request=request, obj=report, person=about, detail={"original": original}, people=sorted(people))
    return render(
        request,
        "intelligence/detail.html",
        {
            "report": report,
            "original": original,
            "about": about,
            "mentions": mentions,
            "links": links,
            "grading_parts": grading.explained(
                report.scheme, report.source_evaluation, report.intelligence_assessment, report.handling_code
            )
            if report.is_graded
            else [],
            "shared_with": list(report.shared_with.all()) if report.is_graded else [],
            "can_grade": policy.can(user, "intelligence.grade", report),
            "harm_types": list(report.harm_types.all()),
        },
    )


@allowed("intelligence.grade")
def grade(request, reference):
    report = _report(request, reference, "intelligence.grade")
    initial = None
    if report.is_graded:
        initial = {
            "source_evaluation": report.source_evaluation,
            "intelligence_assessment": report.intelligence_assessment,
            "handling_code": report.handling_code,
            "handling_conditions": report.handling_conditions,
            "shared_with": list(report.shared_with.all()),
            "sanitised": report.sanitised,
        }
    form = forms.GradeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.grade_intelligence(request.user, report, audit=request.audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{report.reference} is graded")
            return redirect("intelligence:detail", report.reference)
    # The form shows the report as given: each time it is shown is a read.
    log.record("view", request=request, obj=report, person=report.about_person_id, detail={"page": "grade"})
    return render(
        request, "intelligence/grade.html", {"report": report, "form": form, "legacy": report.scheme == "5x5x5"}
    )


@allowed("intelligence.grade")
def add_mention(request, reference):
    """Name a subject the report is about, by its reference."""
    report = _report(request, reference, "intelligence.grade")
    form = forms.ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = find_subject(request.user, form.cleaned_data["reference"], audit=request.audit)
        if subject is None:
            form.add_error(
                "reference", "Enter the reference of a person, place, group, online space, vehicle or phone you can see"
            )
        else:
            services.add_mention(request.user, report, subject, audit=request.audit)
            messages.success(request, f"{subject.name} is recorded as a subject of {report.reference}")
            return redirect("intelligence:detail", report.reference)
    log.record("view", request=request, obj=report, person=report.about_person_id, detail={"page": "add subject"})
    return render(
        request,
        "intelligence/add_mention.html",
        {
            "report": report,
            "form": form,
            "can_record_person": policy.can(request.user, "person.create"),
            "can_record_context": policy.can(request.user, "context.create"),
        },
    )


@allowed("intelligence.import")
def import_reports(request):
    """Historic intelligence from a CSV file, all of it or none of it: the
    file is checked here, its rows by a background job whose page this leads to."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import(request.user, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("jobs:detail", job.pk)
    return render(request, "intelligence/import.html", {"form": form})


@allowed("link_alert.view")
def alert(request, pk):
    user = request.user
    alerts = LinkAlert.objects.select_related(
        "link__source__person",
        "link__target__person",
        "link__source__context",
        "link__target__context",
        "link__source__vehicle",
        "link__target__vehicle",
        "link__source__phone",
        "link__target__phone",
    ).prefetch_related(
        Prefetch("children"),
        Prefetch("high_level_children"),
        Prefetch("persons_of_concern", queryset=Subject.objects.select_related("person")),
    )
    found = policy.find(user, alerts, pk=pk)
    from hoth.people.models import Person

    # Whoever may not see the link (its intelligence is handled C for other
    # agencies, say) is told which of their children it concerns and no more:
    # naming who they are now connected to would tell them the link itself.
    link_visible = policy.can(user, "link.view", found.link)
    children = list(Person.objects.visible_to(user).filter(pk__in=[p.pk for p in found.children.all()]))
    high, concern = [], []
    if link_visible:
        # A child's level is casework; the subjects of concern are those the user may see.
        high = list(
            casework_people(user, Person.objects.filter(pk__in=[p.pk for p in found.high_level_children.all()]))
        )
        concern = list(
            Subject.objects.visible_to(user)
            .filter(pk__in=[s.pk for s in found.persons_of_concern.all()])
            .select_related("person", "context", "vehicle", "phone")
        )
    log.record(
        "view",
        request=request,
        obj=found,
        people=sorted({p.pk for p in children + high} | {s.person_id for s in concern if s.person_id}),
    )
    return render(
        request,
        "intelligence/alert.html",
        {
            "alert": found,
            "children": children,
            "hidden_children": found.children.count() - len(children),
            "high": high,
            "hidden_high": found.high_level_children.count() - len(high),
            "concern": concern,
            "hidden_concern": found.persons_of_concern.count() - len(concern),
            "link_visible": link_visible,
            "can_network": policy.can(user, "network.view"),
        },
    )
