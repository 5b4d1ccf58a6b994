from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
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
    return redirect(note.url or "notifications:list")
