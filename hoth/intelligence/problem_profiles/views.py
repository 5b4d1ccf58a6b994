"""Problem profile pages: choose the area, theme and period; read the
profile as a page; ask for it as a PDF, which a background job makes
(hoth.intelligence.jobs) for its person to download from the job's page.
The page and the PDF are built from the same content
(hoth.intelligence.problem_profiles.contents) and each is audited with the people it
shows and which person each pseudonym stands for: the page when it is shown,
the PDF at each download."""

from django.shortcuts import redirect, render
from django.urls import reverse

from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.intelligence.jobs import start_problem_profile_pdf
from hoth.intelligence.problem_profiles import contents as problem_profile
from hoth.intelligence.problem_profiles.forms import ProblemProfileForm

FORM_TEMPLATE = "intelligence/problem_profile/new.html"


@allowed("problem_profile.export")
def new(request):
    return render(request, FORM_TEMPLATE, {"form": ProblemProfileForm.with_defaults()})


def _asked(request):
    """The form as asked, and the profile's parameters when the answers are
    good. Bad answers show the form again with its error summary, as every
    GET form of the service does (a 400 would be a console error in browsers)."""
    form = ProblemProfileForm(request.GET)
    return form, (form.parameters() if form.is_valid() else None)


@allowed("problem_profile.export")
def preview(request):
    form, parameters = _asked(request)
    if parameters is None:
        return render(request, FORM_TEMPLATE, {"form": form})
    profile = problem_profile.build(parameters, request.user)
    log.record("view", request=request, detail=profile.audit_detail("page"), people=profile.people)
    return render(request, "intelligence/problem_profile/preview.html", {"profile": profile})


@allowed("problem_profile.export")
def pdf(request):
    """Ask for the PDF (a POST from the profile's page): WeasyPrint takes
    half a minute over a large partnership, so a job makes it. A GET, from
    an old bookmark, shows the profile's page instead."""
    form, parameters = _asked(request)
    if parameters is None:
        return render(request, FORM_TEMPLATE, {"form": form})
    if request.method != "POST":
        return redirect(f"{reverse('problem-profiles:preview')}?{parameters.query}")
    return redirect("jobs:detail", start_problem_profile_pdf(request.user, parameters).pk)
