"""The panels' daily job (also `manage.py escalate_overdue_panel_actions`)."""

from datetime import time

from hoth.jobs.registry import daily

from .tracker import escalate_overdue_actions


@daily("panels.escalate_overdue_actions", at=time(7, 0), title="Tell panel chairs about overdue panel actions")
def escalate_overdue_panel_actions(job, progress):
    count = len(escalate_overdue_actions())
    return {
        "summary": f"{count} overdue panel action{'s' if count != 1 else ''} escalated to the chair",
        "count": count,
    }
