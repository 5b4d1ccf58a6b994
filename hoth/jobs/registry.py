"""What kinds of job there are, and which run every day.

Each app declares its own in a module `hoth/<app>/jobs.py`, found at
start-up (hoth.jobs.apps). A kind is a function that does the work:

    from hoth.jobs.registry import job_kind

    @job_kind("intelligence.import", title="Import of historic intelligence")
    def import_reports(job, progress):
        progress.stage("Checking the rows", total=len(rows), unit="rows checked")
        ...
        progress.advance(done)
        return {"summary": "20,000 reports imported", "count": 20000,
                "url": "/intelligence/?source=import", "link_text": "See the imported reports"}

It is given the Job (job.user asked for it, job.params says what) and a
Progress to report through, and returns what the person gets. It raises
JobFailed with a message for the person when it cannot do what was asked.
Services start one with hoth.jobs.services.start(kind, user=..., title=...).

A daily job is a kind with a time of day; the worker's scheduler starts it
once a day, after that time, whichever worker gets there first:

    from datetime import time
    from hoth.jobs.registry import daily

    @daily("panels.escalate_overdue_actions", at=time(7, 0), title="Tell panel chairs of overdue actions")
    def escalate_overdue_panel_actions(job, progress):
        escalated = escalate_overdue_actions()
        return {"summary": f"{len(escalated)} overdue panel actions escalated", "count": len(escalated)}
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time


class JobFailed(Exception):
    """The job cannot do what was asked; `message` tells the person why in
    plain English (and is all they see)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    run: Callable
    # The access rule the person must still pass to download what the job
    # made: checked again at download, not only when they asked.
    download_action: str = ""
    # Called with the job however it ended (and for a job found stalled), to
    # remove whatever the job kept while it worked (an import's staging rows).
    cleanup: Callable | None = None
    # False for work that cannot be taken back part-way (erasure): nobody is
    # offered a cancel that would leave them believing nothing was done.
    cancellable: bool = True


@dataclass(frozen=True)
class Schedule:
    name: str
    at: time
    kind: str
    title: str


KINDS: dict[str, Kind] = {}
SCHEDULES: dict[str, Schedule] = {}


def job_kind(name, *, title, download_action="", cleanup=None, cancellable=True):
    def register(run):
        if name in KINDS and KINDS[name].run is not run:
            raise ValueError(f"Two kinds of job are called {name!r}")
        KINDS[name] = Kind(name, title, run, download_action, cleanup, cancellable)
        return run

    return register


def daily(name, *, at, title):
    """A kind of job the scheduler starts once a day after `at` (local time)."""

    def register(run):
        job_kind(name, title=title)(run)
        SCHEDULES[name] = Schedule(name, at, name, title)
        return run

    return register


def kind(name):
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"No kind of job called {name!r}: declare it in an app's jobs.py") from None
