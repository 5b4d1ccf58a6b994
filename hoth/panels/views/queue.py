"""The coordinators' screening queue page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.panels.forms import QueueFilterForm
from hoth.panels.queue import Filters, flagged, screening_clock, waiting_referrals

PAGE_SIZE = 50


@allowed("referral.queue")
def queue_list(request):
    form = QueueFilterForm(request.GET or None)
    filters = Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = Filters(
            harm_type=data["harm_type"],
            town=data["town"],
            level=data["level"],
            agency=data["agency"].pk if data["agency"] else None,
            stage=data["stage"],
        )
    now = timezone.now()
    today = timezone.localdate()
    waiting = waiting_referrals(request.user, today=today, filters=filters).values_list("pk", flat=True)
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"referral": r, "clock": screening_clock(r.screen_by, now) if r.status == "submitted" else None}
        for r in flagged(request.user, list(page.object_list), now=now, today=today)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    log.record(
        "list",
        request=request,
        detail={
            "list": "screening queue",
            "filters": {k: v for k, v in filters.__dict__.items() if v},
            "page": page.number,
            "ids": [row["referral"].pk for row in rows],
        },
        people=[row["referral"].person_id for row in rows if row["referral"].person_id],
    )
    return render(
        request,
        "panels/queue.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.__dict__.values()),
        },
    )
