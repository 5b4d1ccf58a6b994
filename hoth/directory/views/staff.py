"""Staff pages for keeping the directory, behind "directory.manage"."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.directory import selectors, services
from hoth.directory.forms import ServiceForm
from hoth.directory.models import Service
from hoth.directory.readability import MAX_READING_AGE

PAGE_SIZE = 50
FILTERS = {
    "all": ("All services", Q()),
    "published": ("Published", Q(is_published=True)),
    "unpublished": ("Not published", Q(is_published=False)),
}


@allowed("directory.manage")
def service_list(request):
    shown = request.GET.get("show", "all")
    if shown == "stale":
        found = selectors.stale_services()
    else:
        found = Service.objects.filter(FILTERS.get(shown, FILTERS["all"])[1])
    query = request.GET.get("q", "").strip()
    if query:
        found = found.filter(Q(name__icontains=query) | Q(provider__icontains=query))
    total = found.count()
    page = found.only("pk", "name", "provider", "towns", "area_wide", "last_reviewed", "is_published")[:PAGE_SIZE]
    filters = [(key, label) for key, (label, _) in FILTERS.items()] + [("stale", "Not reviewed for 12 months")]
    return render(
        request,
        "directory/manage/list.html",
        {
            "services": page,
            "total": total,
            "shown": shown,
            "query": query,
            "filters": filters,
            "page_size": PAGE_SIZE,
            "stale_count": selectors.stale_services().count(),
        },
    )


def _edit(request, service):
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid() and not form.reading_age_warning:
        creating = service.pk is None
        saved = services.save_service(
            form.save(commit=False), user=request.user, harm_types=form.cleaned_data["harm_types"], audit=request.audit
        )
        messages.success(request, f"{saved.name} {'added' if creating else 'saved'}")
        return redirect("services:detail", pk=saved.pk)
    return render(
        request,
        "directory/manage/edit.html",
        {
            "form": form,
            "service": service,
            "max_reading_age": MAX_READING_AGE,
        },
    )


@allowed("directory.manage")
def service_new(request):
    return _edit(request, Service())


@allowed("directory.manage")
def service_edit(request, pk):
    return _edit(request, get_object_or_404(Service, pk=pk))


@allowed("directory.manage")
def service_detail(request, pk):
    service = get_object_or_404(Service.objects.prefetch_related("harm_types"), pk=pk)
    return render(request, "directory/manage/detail.html", {"service": service})


@require_POST
@allowed("directory.manage")
def service_review(request, pk):
    service = get_object_or_404(Service, pk=pk)
    policy.check(request.user, "directory.manage", service)
    services.mark_reviewed(service, user=request.user, audit=request.audit)
    messages.success(request, f"{service.name} marked as reviewed today")
    return redirect("services:detail", pk=service.pk)


@require_POST
@allowed("directory.manage")
def service_publish(request, pk):
    service = get_object_or_404(Service, pk=pk)
    publish = request.POST.get("publish") == "1"
    services.set_published(service, publish, user=request.user, audit=request.audit)
    messages.success(request, f"{service.name} {'published' if publish else 'taken off the public directory'}")
    return redirect("services:detail", pk=service.pk)
