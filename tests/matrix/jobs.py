"""Who may use the pages of background jobs: everyone signed in has "Your
jobs", and a job is for the person who asked and nobody else, whatever
their role. Downloading what a job made also needs the job kind's own rule,
asked again at download (a problem profile's PDF: problem_profile.export,
those who work with intelligence)."""

from hoth.jobs import services
from hoth.jobs.models import Job

from .common import EVERYONE_SIGNED_IN, IN_SCOPE, NOBODY, Rule
from .intelligence import INTELLIGENCE_USERS


def _owner(world, user, scope):
    """In scope: the signed-in user; out of scope: someone else."""
    return user if scope == IN_SCOPE and user is not None else world["someone_else"]


def running_job(world, user, scope):
    job = Job.objects.create(
        kind="intelligence.import",
        title="Import of historic intelligence from old.csv",
        user=_owner(world, user, scope),
        status=Job.Status.RUNNING,
        total=20_000,
        done=1_200,
        unit="rows checked",
        stage="Checking the rows",
    )
    return {"pk": job.pk}


def finished_pdf(world, user, scope):
    job = Job.objects.create(
        kind="problem_profile.pdf",
        title="Problem profile PDF",
        user=_owner(world, user, scope),
        status=Job.Status.SUCCEEDED,
        result={"summary": "Your problem profile is ready", "download": True},
    )
    services.keep_file(job, name="problem-profile.pdf", content_type="application/pdf", data=b"%PDF-1.7 synthetic")
    return {"pk": job.pk}


RULES = {
    # job.view: everyone signed in has their own jobs; each job only for its person.
    "jobs:list": Rule(allowed=EVERYONE_SIGNED_IN),
    "jobs:detail": Rule(allowed=EVERYONE_SIGNED_IN, out_of_scope=NOBODY, kwargs=running_job),
    "jobs:progress": Rule(allowed=EVERYONE_SIGNED_IN, out_of_scope=NOBODY, kwargs=running_job),
    # job.cancel: the person who asked.
    "jobs:cancel": Rule(allowed=EVERYONE_SIGNED_IN, out_of_scope=NOBODY, kwargs=running_job, method="POST"),
    # job.download: the person who asked, while the kind's rule still lets them.
    "jobs:download": Rule(allowed=INTELLIGENCE_USERS, out_of_scope=NOBODY, kwargs=finished_pdf),
}
