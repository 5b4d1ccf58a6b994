from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from hoth.access.decorators import allowed


@allowed("home.view")
@require_GET
def notification_list(request):
    notes = request.user.notifications.all()[:200]
    return render(request, "notifications/list.html", {"notifications": notes})


@allowed("home.view")
def open_notification(request, pk):
    # Scoped to the signed-in user's own notifications: another user's is a 404.
    note = get_object_or_404(request.user.notifications, pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    # Notification links are written by the service, but only ever follow them
    # within the site.
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("notifications:list")
