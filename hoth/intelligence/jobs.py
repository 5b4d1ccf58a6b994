"""Intelligence's background jobs: the import of historic intelligence and
the problem profile's PDF."""

from django.http import QueryDict
from django.template.loader import render_to_string

from hoth.access import policy
from hoth.intelligence import imports
from hoth.intelligence.problem_profiles import contents as problem_profile
from hoth.intelligence.problem_profiles.forms import ProblemProfileForm
from hoth.jobs import services as jobs
from hoth.jobs.registry import JobFailed, job_kind
from hoth.pdf import pdf_from_html

job_kind(imports.KIND, title="Import of historic intelligence", cleanup=imports.clear_staging)(imports.run_import)

PROBLEM_PROFILE_PDF = "problem_profile.pdf"


def start_problem_profile_pdf(user, parameters):
    policy.check(user, "problem_profile.export")
    return jobs.start(
        PROBLEM_PROFILE_PDF,
        user=user,
        title=f"Problem profile PDF: {parameters.title}, {parameters.period_name}",
        params={"query": parameters.query},
        total=2,
        unit="steps done",
    )


@job_kind(PROBLEM_PROFILE_PDF, title="Problem profile PDF", download_action="problem_profile.export")
def make_problem_profile_pdf(job, progress):
    """The profile as its person may see it now, drawn as a PDF and kept
    for them (encrypted, for a limited time). The export is audited when
    they download it, with the pseudonyms' key kept with the file until then."""
    user = job.user
    policy.check(user, "problem_profile.export")
    # The same questions the page asked, checked again: a town may have gone since.
    form = ProblemProfileForm(QueryDict(job.params.get("query", "")))
    if not form.is_valid():
        raise JobFailed(
            "The PDF could not be made: a town or kind of harm it was about is no longer in the "
            "service. Make the problem profile again."
        )
    parameters = form.parameters()
    progress.stage("Gathering the figures, the map and the network", total=2, unit="steps done")
    profile = problem_profile.build(parameters, user)
    progress.stage("Drawing the PDF", total=2, unit="steps done", done=1)
    data = pdf_from_html(document_html(profile))
    jobs.keep_file(
        job,
        name=filename(parameters),
        content_type="application/pdf",
        data=data,
        export_audit={"detail": profile.audit_detail("pdf"), "people": profile.people},
    )
    progress.advance(2)
    return {"summary": "Your problem profile is ready", "download": True, "file_label": "the PDF"}


def document_html(profile):
    """The HTML WeasyPrint turns into the PDF (kept apart so tests can read it)."""
    return render_to_string("intelligence/problem_profile/document.html", {"profile": profile})


def filename(parameters):
    area = "-".join(t.name.lower().replace(" ", "-") for t in parameters.towns) or "partnership"
    theme = parameters.harm.code if parameters.harm else "all-harms"
    name = f"problem-profile-{area}-{theme}-{parameters.first_day:%Y-%m-%d}-to-{parameters.last_day:%Y-%m-%d}.pdf"
    # Town names are reference data an administrator types: keep the header plain.
    return "".join(c for c in name if c.isascii() and (c.isalnum() or c in "-.")) or "problem-profile.pdf"
