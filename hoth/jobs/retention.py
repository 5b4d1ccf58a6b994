"""Background jobs under the retention schedule
(hoth.information_governance.record_types): a job, what it was given and made
and the rows it rejected go together, under the schedule's background_jobs
line, purged daily."""

from hoth.information_governance.record_types import NoPersonalData, Ruled

RECORDS = {
    "jobs.Job": [Ruled(("background_jobs",))],
    "jobs.JobProblem": [Ruled(("background_jobs",))],
    "jobs.JobFile": [Ruled(("background_jobs",))],
    "jobs.ScheduledRun": [NoPersonalData("Which daily job ran on which day, and which worker ran it")],
}
