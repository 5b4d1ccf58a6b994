"""The board's figures as background jobs: each month frozen on the first
night after it ends, and a month worked out again when a manager asks."""

import datetime
from datetime import time

from django.urls import reverse

from hoth.jobs.registry import daily, job_kind

from . import services
from .models import Snapshot

RECOMPUTE = "insight.recompute"


@daily("insight.freeze_month", at=time(5, 30), title="Freeze last month's figures for the board")
def freeze_last_month(job, progress):
    month = services.last_ended_month()
    if Snapshot.objects.filter(month=month, is_current=True).exists():
        return {"summary": f"The figures to {month:%B %Y} were frozen already", "count": 0}
    snapshot = services.take_snapshot(month, progress=progress)
    return {"summary": f"The figures to {month:%B %Y} frozen", "count": snapshot.figures.count()}


@job_kind(RECOMPUTE, title="Work out the board's figures again")
def recompute(job, progress):
    month = datetime.date.fromisoformat(job.params["month"])
    snapshot = services.take_snapshot(month, user=job.user, reason=job.params.get("reason", ""), progress=progress)
    changed = len(services.differences(snapshot))
    return {
        "summary": f"The figures to {month:%B %Y} worked out again: {changed} figure{'s' if changed != 1 else ''} changed",
        "count": changed,
        "url": reverse("insight:snapshot", args=[snapshot.pk]),
        "link_text": "See what changed",
    }
