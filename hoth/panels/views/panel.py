"""The Child Exploitation Operational Panel's own pages: scheduling a panel,
adding persons of concern, places of concern and themes to its agenda, an
item's panel decision, and the action tracker across panels. Attendance,
agencies' updates, actions, confirmation and minutes are shared with the
screening meeting (views)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.contexts.models import Context
from hoth.disruption.panel import item_disruption
from hoth.panels import forms, panel, tracker
from hoth.panels.minutes import NAME_WITHHELD, agenda_items, item_records
from hoth.panels.models import Meeting, Section
from hoth.panels.services import combine
from hoth.people.models import Person
from hoth.tasks.models import Task

from .common import detail_url, find_meeting, form_errors, locked


@allowed("meeting.manage")
def panel_create(request):
    policy.check(request.user, "meeting.manage", Meeting(kind=Meeting.Kind.PANEL))
    form = forms.PanelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = panel.schedule_panel(
                user=request.user,
                starts_at=combine(data["day"], data["at"]),
                location=data["location"],
                chair=data["chair"],
                audit=request.audit,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            proposed = meeting.items.count()
            messages.success(
                request, f"Panel scheduled. {proposed} child{'ren' if proposed != 1 else ''} proposed for the agenda"
            )
            return redirect("panels:detail", meeting.pk)
    return render(request, "panels/create.html", {"form": form, "panel": True})


# One page per kind of item (one thing per page): the form, the service that
# adds it, and the words the page uses.
ADDING = {
    "person": (forms.PersonOfConcernForm, "reference", panel.add_person_of_concern, "Add a person of concern"),
    "place": (forms.PlaceOfConcernForm, "reference", panel.add_place_of_concern, "Add a place of concern"),
    "theme": (forms.ThemeForm, "title", panel.add_theme, "Add a theme or trend"),
}


@allowed("meeting.manage")
def panel_add(request, pk, section):
    if section not in ADDING:
        raise Http404("No such agenda section")
    meeting = find_meeting(request, pk, manage=True)
    if meeting.kind != Meeting.Kind.PANEL:
        raise Http404("Only the panel has this agenda section")
    if response := locked(request, meeting):
        return response
    form_class, field, add, title = ADDING[section]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = add(meeting, form.cleaned_data[field], user=request.user, audit=request.audit)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Item {item.position} added to {item.get_section_display().lower()}")
            return redirect(f"{detail_url(meeting)}#section-{section}")
    return render(
        request,
        "panels/panel_add.html",
        {"meeting": meeting, "form": form, "title": title, "section": Section(section)},
    )


def panel_item(request, meeting, item):
    """One item of the panel: agencies' updates, the panel's decision, actions
    (reached through views.item_detail, which has checked meeting.view)."""
    can_edit = policy.can(request.user, "meeting.manage", meeting) and meeting.status == Meeting.Status.PLANNED
    form = forms.PanelDecisionForm(
        request.POST or None, initial={"decision": item.panel_decision, "rationale": item.rationale}
    )
    if request.method == "POST":
        policy.check(request.user, "meeting.manage", meeting)
        if response := locked(request, meeting):
            return response
        if form.is_valid():
            try:
                panel.record_panel_decision(
                    item,
                    user=request.user,
                    decision=form.cleaned_data["decision"],
                    rationale=form.cleaned_data["rationale"],
                    audit=request.audit,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"Decision recorded for item {item.position}")
                return redirect(f"{detail_url(meeting)}#item-{item.pk}")
    [record] = item_records(request.user, agenda_items(meeting).filter(pk=item.pk))
    record.item.meeting = meeting
    # A person or place of concern: their disruption plan, reviewed here (hoth.disruption.panel).
    disruption = item_disruption(request.user, record.item)
    log.record(
        "view",
        request=request,
        obj=meeting,
        person=item.person_id,
        detail={"item": item.pk},
        people=disruption.people_shown if disruption else (),
    )
    return render(
        request,
        "panels/panel_item.html",
        {
            "meeting": meeting,
            "item": record.item,
            "record": record,
            "form": form,
            "can_edit": can_edit,
            "disruption": disruption,
        },
    )


TRACKER_LIMIT = 500


@allowed("meeting.view")
def action_tracker(request):
    """Every action the panel agreed, across its meetings. Overdue actions are
    flagged here and escalated to the chair by escalate_overdue_panel_actions."""
    meetings = Meeting.objects.visible_to(request.user).filter(kind=Meeting.Kind.PANEL, status=Meeting.Status.CONFIRMED)
    form = forms.TrackerFilterForm(request.GET or None, meetings=meetings.order_by("-starts_at"))
    actions = tracker.panel_actions(meetings)
    if form.is_valid():
        data = form.cleaned_data
        actions = tracker.filter_actions(
            actions, status=data["status"], agency=data["agency"], owner=data["owner"], meeting=data["meeting"]
        )
    # A page of the most pressing; filters narrow it further.
    actions = list(actions[: TRACKER_LIMIT + 1])
    truncated = len(actions) > TRACKER_LIMIT
    actions = actions[:TRACKER_LIMIT]
    named = item_names(request.user, actions)
    today = timezone.localdate()
    rows = [
        {
            "action": a,
            "overdue": a.task.status == Task.Status.OPEN and a.task.due_date < today,
            "subject": named.get(a.item_id, ""),
        }
        for a in actions
    ]
    log.record(
        "view",
        request=request,
        detail={"page": "panel action tracker", "actions": [a.pk for a in actions]},
        people=sorted({a.item.person_id for a in actions if a.item.person_id}),
    )
    return render(
        request,
        "panels/tracker.html",
        {
            "form": form,
            "rows": rows,
            "overdue": sum(1 for r in rows if r["overdue"]),
            "truncated": truncated,
            "limit": TRACKER_LIMIT,
        },
    )


def item_names(user, actions):
    """What each action's item is about, as this user may read it: the same
    rule as the agenda and the minutes (minutes.item_records)."""
    people = {a.item.person_id for a in actions if a.item.person_id}
    places = {a.item.context_id for a in actions if a.item.context_id}
    seen = set(Person.objects.visible_to(user).filter(pk__in=people).values_list("pk", flat=True)) if people else set()
    seen_places = (
        set(Context.objects.visible_to(user).filter(pk__in=places).values_list("pk", flat=True)) if places else set()
    )
    names = {}
    for a in actions:
        item = a.item
        if item.person_id:
            names[item.pk] = item.person.full_name if item.person_id in seen else NAME_WITHHELD
        elif item.context_id:
            names[item.pk] = item.context.name if item.context_id in seen_places else NAME_WITHHELD
        else:
            names[item.pk] = item.theme
    return names
