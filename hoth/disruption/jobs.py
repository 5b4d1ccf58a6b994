"""Disruption's daily job (also `manage.py remind_disruption_expiry`)."""

from datetime import time

from hoth.jobs.registry import daily

from .reminders import send_expiry_reminders
from .services import expiry_warning_days


@daily(
    "disruption.remind_expiry",
    at=time(7, 0),
    title="Tell officers about disruption orders and notices expiring or expired",
)
def remind_disruption_expiry(job, progress):
    days = expiry_warning_days()
    done = send_expiry_reminders(days=days)
    warned, expired = len(done.warned), len(done.expired)
    return {
        "summary": f"{warned} order{'s' if warned != 1 else ''} expiring within {days} days and {expired} "
        "expired: their officers and plan owners told",
        "count": warned + expired,
    }
