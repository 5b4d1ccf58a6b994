from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from hoth.access import policy
from hoth.access.decorators import allowed

from .models import Notification


@allowed("notification.list")
@require_GET
def notification_list(request):
    notes = Notification.objects.visible_to(request.user)[:200]
    return render(request, "notifications/list.html", {"notifications": notes})


@allowed("notification.list")
def open_notification(request, pk):
    note = policy.find(request.user, Notification.objects, "notification.open", pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    # Notification links are written by the service, but only ever follow them
    # within the site.
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("notifications:list")
