"""The jobs app's own daily job: clearing away what jobs leave behind."""

from datetime import time

from .registry import daily
from .services import clear_away


@daily("jobs.clear_away", at=time(3, 0), title="Delete expired job files and old finished jobs")
def clear_away_old_jobs(job, progress):
    files, jobs = clear_away()
    return {"summary": f"{files} expired file{'s' if files != 1 else ''} and {jobs} old job{'s' if jobs != 1 else ''} "
                       "deleted", "count": files + jobs}
