"""Pages of the Weekly Contextual Safeguarding Screening Meeting and of the
Child Exploitation Operational Panel: schedule one, prepare and order the
agenda, record attendance, what each agency brought, decisions and actions,
confirm it, and print the minutes. The panel's own pages (scheduling, its
sectioned agenda, the action tracker) are in panel.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.panels import forms, services
from hoth.panels.minutes import (
    agenda_items,
    by_section,
    item_records,
    minutes_context,
    minutes_html,
    people_shown,
)
from hoth.panels.models import (
    AgencyContribution,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
)
from hoth.panels.views import panel as panel_pages
from hoth.pdf import pdf_from_html
from hoth.referrals.models import Referral

from .common import detail_url, find_item, find_meeting, form_errors, locked

# ---------------------------------------------------------------- meetings


@allowed("meeting.view")
def meeting_list(request):
    now = timezone.now()
    meetings = (
        Meeting.objects.visible_to(request.user)
        .select_related("chair")
        .annotate(item_count=Count("items", filter=~Q(items__status=AgendaItem.Status.REMOVED)))
    )
    return render(
        request,
        "panels/list.html",
        {
            "upcoming": meetings.filter(status=Meeting.Status.PLANNED).order_by("starts_at"),
            "past": meetings.exclude(status=Meeting.Status.PLANNED).order_by("-starts_at")[:52],
            "now": now,
            "can_manage": policy.can(request.user, "meeting.manage", Meeting(kind=Meeting.Kind.SCREENING)),
            "can_schedule_panel": policy.can(request.user, "meeting.manage", Meeting(kind=Meeting.Kind.PANEL)),
        },
    )


@allowed("meeting.manage")
def meeting_create(request):
    policy.check(request.user, "meeting.manage", Meeting(kind=Meeting.Kind.SCREENING))
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                user=request.user,
                starts_at=services.combine(data["day"], data["at"]),
                location=data["location"],
                chair=data["chair"],
                audit=request.audit,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            proposed = meeting.items.count()
            messages.success(
                request, f"Meeting scheduled. {proposed} item{'s' if proposed != 1 else ''} proposed for the agenda"
            )
            return redirect("panels:detail", meeting.pk)
    return render(request, "panels/create.html", {"form": form})


@allowed("meeting.view")
def meeting_detail(request, pk):
    meeting = find_meeting(request, pk)
    records = item_records(request.user, agenda_items(meeting))
    by_status = {status: [r for r in records if r.item.status == status] for status in AgendaItem.Status.values}
    log.record("view", request=request, obj=meeting, people=people_shown(records))
    is_panel = meeting.kind == Meeting.Kind.PANEL
    return render(
        request,
        "panels/panel_detail.html" if is_panel else "panels/detail.html",
        {
            "meeting": meeting,
            "sections": by_section(by_status[AgendaItem.Status.ACCEPTED]) if is_panel else [],
            "agenda": by_status[AgendaItem.Status.ACCEPTED],
            "proposed": by_status[AgendaItem.Status.PROPOSED],
            "removed": by_status[AgendaItem.Status.REMOVED],
            "attendance": meeting.attendance.select_related("agency"),
            "can_edit": policy.can(request.user, "meeting.manage", meeting)
            and meeting.status == Meeting.Status.PLANNED,
        },
    )


@allowed("meeting.manage")
@require_POST
def propose(request, pk):
    meeting = find_meeting(request, pk, manage=True)
    if response := locked(request, meeting):
        return response
    added = services.propose_agenda(meeting, user=request.user, audit=request.audit)
    if added:
        noun = "child" if meeting.kind == Meeting.Kind.PANEL else "newly screened item"
        plural = ("children" if noun == "child" else noun + "s") if len(added) != 1 else noun
        messages.success(request, f"{len(added)} {plural} proposed")
    elif meeting.kind == Meeting.Kind.PANEL:
        messages.info(request, "No other child is at High level or referred by the screening meeting")
    else:
        messages.info(request, "Nothing new has been screened since the agenda was proposed")
    return redirect("panels:detail", meeting.pk)


@allowed("meeting.manage")
def add_item(request, pk):
    meeting = find_meeting(request, pk, manage=True)
    if response := locked(request, meeting):
        return response
    if meeting.kind != Meeting.Kind.SCREENING:
        return redirect("panels:detail", meeting.pk)
    form = forms.AddReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"]
        referral = Referral.objects.visible_to(request.user).submitted().filter(reference=reference).first()
        if referral is None:
            form.add_error("reference", f"There is no submitted referral with the reference {reference}")
        else:
            try:
                services.add_referral(meeting, referral, user=request.user, audit=request.audit)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"Referral {referral.reference} added to the agenda")
                return redirect("panels:detail", meeting.pk)
    return render(request, "panels/add_item.html", {"meeting": meeting, "form": form})


ITEM_STATUS = {
    "accept": AgendaItem.Status.ACCEPTED,
    "remove": AgendaItem.Status.REMOVED,
    "restore": AgendaItem.Status.ACCEPTED,
}


@allowed("meeting.manage")
@require_POST
def item_agenda(request, pk, item_pk):
    meeting, item = find_item(request, pk, item_pk, manage=True)
    if response := locked(request, meeting):
        return response
    status = ITEM_STATUS.get(request.POST.get("action"))
    if status is None:
        messages.error(request, "Choose whether to accept the item or take it off the agenda")
    else:
        services.set_item_status(item, status, user=request.user, audit=request.audit)
    return redirect(f"{detail_url(meeting)}#agenda")


@allowed("meeting.manage")
@require_POST
def item_move(request, pk, item_pk):
    meeting, item = find_item(request, pk, item_pk, manage=True)
    if response := locked(request, meeting):
        return response
    try:
        services.move_item(item, request.POST.get("direction"), user=request.user, audit=request.audit)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(f"{detail_url(meeting)}#item-{item.pk}")


# ---------------------------------------------------------------- attendance


@allowed("meeting.view")
def attendance(request, pk):
    meeting = find_meeting(request, pk)
    can_edit = policy.can(request.user, "meeting.manage", meeting) and meeting.status == Meeting.Status.PLANNED
    form = forms.AttendanceForm(request.POST or None, initial={"agency": request.user.agency_id})
    if request.method == "POST":
        policy.check(request.user, "meeting.manage", meeting)
        if response := locked(request, meeting):
            return response
        if form.is_valid():
            data = form.cleaned_data
            services.record_attendance(
                meeting,
                user=request.user,
                agency=data["agency"],
                name=data["name"],
                status=data["status"],
                audit=request.audit,
            )
            messages.success(request, f"{data['name'].strip()} recorded")
            return redirect("panels:attendance", meeting.pk)
    return render(
        request,
        "panels/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "can_edit": can_edit,
            "attendance": meeting.attendance.select_related("agency"),
        },
    )


@allowed("meeting.manage")
@require_POST
def attendance_remove(request, pk, attendance_pk):
    meeting = find_meeting(request, pk, manage=True)
    if response := locked(request, meeting):
        return response
    record = get_object_or_404(Attendance, meeting=meeting, pk=attendance_pk)
    services.remove_attendance(record, user=request.user, audit=request.audit)
    messages.success(request, f"{record.name} removed from the attendance")
    return redirect("panels:attendance", meeting.pk)


# ---------------------------------------------------------------- one item


@allowed("meeting.view")
def item_detail(request, pk, item_pk):
    meeting, item = find_item(request, pk, item_pk)
    if meeting.kind == Meeting.Kind.PANEL:
        return panel_pages.panel_item(request, meeting, item)
    can_edit = policy.can(request.user, "meeting.manage", meeting) and meeting.status == Meeting.Status.PLANNED
    initial = {
        "decision": item.decision,
        "rationale": item.rationale,
        "advice": item.advice,
        "lead_professional": item.lead_professional_id,
    }
    form = forms.DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        policy.check(request.user, "meeting.manage", meeting)
        if response := locked(request, meeting):
            return response
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_decision(
                    item,
                    user=request.user,
                    decision=data["decision"],
                    rationale=data["rationale"],
                    advice=data["advice"],
                    lead_professional=data["lead_professional"],
                    audit=request.audit,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"Decision recorded for item {item.position}")
                return redirect(f"{detail_url(meeting)}#item-{item.pk}")
    [record] = item_records(request.user, agenda_items(meeting).filter(pk=item.pk))
    log.record("view", request=request, obj=meeting, person=item.person_id, detail={"item": item.pk})
    return render(
        request,
        "panels/item.html",
        {
            "meeting": meeting,
            "item": record.item,
            "record": record,
            "form": form,
            "can_edit": can_edit,
        },
    )


@allowed("meeting.manage")
def contribution_add(request, pk, item_pk):
    meeting, item = find_item(request, pk, item_pk, manage=True)
    if response := locked(request, meeting):
        return response
    form = forms.ContributionForm(request.POST or None, initial={"agency": request.user.agency_id})
    if request.method == "POST" and form.is_valid():
        services.record_contribution(
            item,
            user=request.user,
            agency=form.cleaned_data["agency"],
            text=form.cleaned_data["text"],
            audit=request.audit,
        )
        messages.success(request, f"What {form.cleaned_data['agency'].name} brought has been recorded")
        return redirect("panels:item", meeting.pk, item.pk)
    return render(request, "panels/contribution_add.html", {"meeting": meeting, "item": item, "form": form})


@allowed("meeting.manage")
@require_POST
def contribution_remove(request, pk, item_pk, contribution_pk):
    meeting, item = find_item(request, pk, item_pk, manage=True)
    if response := locked(request, meeting):
        return response
    contribution = get_object_or_404(AgencyContribution, item=item, pk=contribution_pk)
    services.remove_contribution(contribution, user=request.user, audit=request.audit)
    messages.success(request, "The agency's information has been removed from the item")
    return redirect("panels:item", meeting.pk, item.pk)


@allowed("meeting.manage")
def action_add(request, pk, item_pk):
    meeting, item = find_item(request, pk, item_pk, manage=True)
    if response := locked(request, meeting):
        return response
    form = forms.ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_action(
            item,
            user=request.user,
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
            audit=request.audit,
        )
        messages.success(request, "Action added. It becomes a task for its owner when the meeting is confirmed")
        return redirect("panels:item", meeting.pk, item.pk)
    return render(request, "panels/action_add.html", {"meeting": meeting, "item": item, "form": form})


@allowed("meeting.manage")
@require_POST
def action_remove(request, pk, item_pk, action_pk):
    meeting, item = find_item(request, pk, item_pk, manage=True)
    if response := locked(request, meeting):
        return response
    action = get_object_or_404(MeetingAction, item=item, pk=action_pk)
    services.remove_action(action, user=request.user, audit=request.audit)
    messages.success(request, "Action removed")
    return redirect("panels:item", meeting.pk, item.pk)


# ---------------------------------------------------------------- confirming


@allowed("meeting.manage")
def confirm(request, pk):
    meeting = find_meeting(request, pk, manage=True)
    if meeting.status == Meeting.Status.CONFIRMED:
        messages.info(request, "This meeting has already been confirmed")
        return redirect("panels:detail", meeting.pk)
    if response := locked(request, meeting):
        return response
    problems = services.confirmation_problems(meeting)
    if request.method == "POST" and not problems:
        try:
            result = services.confirm_meeting(meeting, user=request.user, audit=request.audit)
        except services.MeetingIncomplete as error:
            problems = error.problems
        else:
            cases, tasks = len(result.cases), len(result.tasks)
            set_tasks = f"{tasks} task{'s' if tasks != 1 else ''} set"
            if meeting.kind == Meeting.Kind.PANEL:
                messages.success(request, f"Panel confirmed. {set_tasks}")
            else:
                messages.success(
                    request, f"Meeting confirmed. {cases} case{'s' if cases != 1 else ''} opened and {set_tasks}"
                )
            return redirect("panels:detail", meeting.pk)
    items = agenda_items(meeting, statuses=[AgendaItem.Status.ACCEPTED])
    records = item_records(request.user, items)
    log.record("view", request=request, obj=meeting, detail={"page": "confirm"}, people=people_shown(records))
    return render(
        request,
        "panels/confirm.html",
        {
            "meeting": meeting,
            "problems": problems,
            "records": records,
            "tried": request.method == "POST",
        },
        status=400 if request.method == "POST" and problems else 200,
    )


# ---------------------------------------------------------------- minutes


@allowed("meeting.view")
def minutes_page(request, pk):
    meeting = find_meeting(request, pk)
    context = minutes_context(meeting, request.user)
    log.record(
        "view", request=request, obj=meeting, detail={"minutes": "html"}, people=people_shown(context["records"])
    )
    return render(request, "panels/minutes.html", context)


@allowed("meeting.view")
def minutes(request, pk):
    meeting = find_meeting(request, pk)
    context = minutes_context(meeting, request.user)
    log.record(
        "print", request=request, obj=meeting, detail={"minutes": "pdf"}, people=people_shown(context["records"])
    )
    pdf = pdf_from_html(minutes_html(meeting, request.user, context))
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    name = "panel" if meeting.kind == Meeting.Kind.PANEL else "screening-meeting"
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}-minutes.pdf"'
    return response
