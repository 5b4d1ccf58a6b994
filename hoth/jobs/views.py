"""A person's jobs: the list, each job's page with its progress (refreshing
itself without JavaScript, polled by a script with it), cancelling, and
downloading what a job made."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed

from . import registry, selectors, services
from .models import Job

PER_PAGE = 25
PROBLEMS_PER_PAGE = 200
# The page without JavaScript reloads itself this often while the job runs.
REFRESH_SECONDS = 5


def _job(request, pk):
    """The job if it is this user's; 404 otherwise, so that another person's
    job tells nobody it exists."""
    return policy.find(request.user, Job.objects, "job.view", pk=pk)


@allowed("job.view")
def job_list(request):
    page = Paginator(Job.objects.visible_to(request.user).order_by("-created_at"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "jobs/list.html",
        {"page": page, "jobs": list(page.object_list), "keep_days": selectors.kept_for_days()},
    )


@allowed("job.view")
def detail(request, pk):
    job = _job(request, pk)
    problems = Paginator(job.problems.all(), PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    kind = registry.KINDS.get(job.kind)
    refreshing = not job.is_finished and request.GET.get("auto") != "off"
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "problems": problems,
            "problem_rows": list(problems.object_list),
            "file": selectors.result_file(job) if job.status == Job.Status.SUCCEEDED else None,
            "can_download": kind is not None
            and bool(kind.download_action)
            and policy.can(request.user, "job.download", job),
            "refreshing": refreshing,
            "refresh_seconds": REFRESH_SECONDS,
            "can_cancel": policy.can(request.user, "job.cancel", job),
        },
    )


@allowed("job.view")
def progress(request, pk):
    """What the page's script polls: small, and nothing in it about anyone."""
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "stage": job.stage,
            "done": job.done,
            "total": job.total,
            "text": job.progress_text,
        }
    )


@require_POST
@allowed("job.view")
def cancel(request, pk):
    job = _job(request, pk)
    if services.cancel(request.user, job):
        messages.success(request, f"{job.title} is cancelled. Nothing it was doing was kept.")
    else:
        messages.info(request, f"{job.title} had already finished, so it could not be cancelled.")
    return redirect("jobs:detail", job.pk)


@allowed("job.view")
def download(request, pk):
    job = _job(request, pk)
    try:
        kept = services.download(request.user, job, audit=request.audit)
    except services.FileGone:
        raise Http404("The file has been deleted: make it again") from None
    response = HttpResponse(kept.get_bytes(), content_type=kept.content_type)
    # Personal data: NoStoreMiddleware keeps every cache on the way from keeping a copy.
    response["Content-Disposition"] = f'attachment; filename="{kept.name}"'
    return response
