"""What the screening meeting's pages and the panel's share: finding the
meeting or item the address names (as the user may see it), refusing edits
to a confirmed meeting, and showing a service's refusal on its form."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from hoth.access import policy
from hoth.panels.agenda import LOCKED_MESSAGE
from hoth.panels.models import AgendaItem, Meeting


def find_meeting(request, pk, manage=False):
    meeting = policy.find(
        request.user, Meeting.objects.select_related("chair__agency", "confirmed_by"), "meeting.view", pk=pk
    )
    if manage:
        policy.check(request.user, "meeting.manage", meeting)
    return meeting


def find_item(request, pk, item_pk, manage=False):
    meeting = find_meeting(request, pk, manage)
    item = get_object_or_404(
        AgendaItem.objects.select_related(
            "person", "context", "referral", "screening", "case", "lead_professional__agency"
        ),
        meeting=meeting,
        pk=item_pk,
    )
    item.meeting = meeting
    return meeting, item


def locked(request, meeting):
    """Edits to a confirmed meeting go back to its record with the reason."""
    if meeting.status != Meeting.Status.PLANNED:
        messages.error(request, LOCKED_MESSAGE)
        return redirect("panels:detail", meeting.pk)
    return None


def form_errors(form, error):
    """Put a service's ValidationError on the form that caused it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for problem in errors:
                form.add_error(name if name in form.fields else None, problem)
    else:
        for message in error.messages:
            form.add_error(None, message)


def detail_url(meeting):
    return reverse("panels:detail", args=[meeting.pk])
