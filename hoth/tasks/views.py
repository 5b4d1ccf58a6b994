"""My tasks, one task, and the coordinators' view of every overdue action.

A task shows the child it is for (reference and name) only to those who may
see the child's record: a task can reach a manager or an administrator who
never sees children, and its title never names one."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.people.models import Person

from . import forms, services
from .models import Task

DUE_SOON_DAYS = 7
DONE_RECENTLY_DAYS = 14
OVERDUE_PAGE_SIZE = 50


def children_shown(user, tasks):
    """{person id: Person} for the children of `tasks` this user may see, in one query."""
    ids = {t.person_id for t in tasks if t.person_id}
    if not ids:
        return {}
    return {
        p.pk: p
        for p in Person.objects.visible_to(user)
        .filter(pk__in=ids)
        .only("pk", "reference", "given_names", "family_name")
    }


def _rows(tasks, children):
    return [(task, children.get(task.person_id)) for task in tasks]


def _audit_list(request, page, tasks, children):
    log.record("list", request=request, detail={"page": page, "tasks": [t.pk for t in tasks]}, people=sorted(children))


@allowed("task.list")
def mine(request):
    user = request.user
    today = timezone.localdate()
    outstanding = list(Task.objects.visible_to(user).outstanding().filter(owner=user).select_related("case"))
    done = list(
        Task.objects.visible_to(user)
        .filter(
            owner=user, status=Task.Status.DONE, completed_at__gte=timezone.now() - timedelta(days=DONE_RECENTLY_DAYS)
        )
        .order_by("-completed_at")[:20]
    )
    children = children_shown(user, outstanding + done)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    _audit_list(request, "my tasks", outstanding + done, children)
    return render(
        request,
        "tasks/mine.html",
        {
            "overdue": _rows([t for t in outstanding if t.due_date < today], children),
            "due_soon": _rows([t for t in outstanding if today <= t.due_date <= soon], children),
            "later": _rows([t for t in outstanding if t.due_date > soon], children),
            "done": _rows(done, children),
            "today": today,
            "can_see_overdue_everywhere": policy.can(user, "task.view_all_overdue"),
        },
    )


def _task(request, pk):
    return policy.find(
        request.user, Task.objects.select_related("owner__agency", "created_by__agency", "case"), "task.view", pk=pk
    )


def _render_detail(request, task, form, child):
    case_visible = task.case is not None and policy.can(request.user, "case.view", task.case)
    # A task from a context's plan names the place (hoth.contexts.models.ContextAction).
    action = getattr(task, "context_action", None)
    place = action.context if action is not None and policy.can(request.user, "context.view", action.context) else None
    return render(
        request,
        "tasks/detail.html",
        {
            "task": task,
            "child": child,
            "place": place,
            "case": task.case if case_visible else None,
            "form": form,
            "can_complete": task.status == Task.Status.OPEN and policy.can(request.user, "task.update", task),
            "today": timezone.localdate(),
        },
    )


@allowed("task.view")
def detail(request, pk):
    task = _task(request, pk)
    child = children_shown(request.user, [task]).get(task.person_id)
    # The child is "seen" only by those shown who it is.
    log.record("view", request=request, obj=task, person=child)
    return _render_detail(request, task, forms.CompleteTaskForm(), child)


@allowed("task.view")
@require_POST
def complete(request, pk):
    task = _task(request, pk)
    policy.check(request.user, "task.update", task)
    if task.status != Task.Status.OPEN:
        messages.info(request, f"This task is already {task.get_status_display().lower()}")
        return redirect("tasks:detail", task.pk)
    form = forms.CompleteTaskForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, task, form, children_shown(request.user, [task]).get(task.person_id))
    services.complete_task(task, user=request.user, note=form.cleaned_data["note"], audit=request.audit)
    messages.success(request, "Task marked as done")
    return redirect("tasks:mine")


@allowed("task.view_all_overdue")
def overdue(request):
    today = timezone.localdate()
    everything = Task.objects.visible_to(request.user).overdue(today)
    form = forms.OverdueFilterForm(request.GET or None, overdue=everything)
    tasks = everything.select_related("owner", "owner_agency")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["agency"]:
            tasks = tasks.filter(owner_agency_id=form.cleaned_data["agency"])
        if form.cleaned_data["owner"]:
            tasks = tasks.filter(owner_id=form.cleaned_data["owner"])
    page = Paginator(tasks, OVERDUE_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    children = children_shown(request.user, shown)
    _audit_list(request, "overdue tasks", shown, children)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/overdue.html",
        {
            "form": form,
            "page": page,
            "rows": [(t, children.get(t.person_id), (today - t.due_date).days) for t in shown],
            "query": query.urlencode(),
        },
    )
