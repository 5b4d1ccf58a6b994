"""The screening pages: start or resume, one domain of the tool per page,
professional judgement on its own page, check your answers, the result that
explains itself, approval of a lower level, and the child's trajectory."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.home.templatetags.govuk import govuk_error_summary
from hoth.people.access import find_person
from hoth.screening import selectors, services
from hoth.screening.forms import screening as forms
from hoth.screening.models import Level, Screening, ScreeningAnswer, ScreeningTool

TIERS = {
    "vulnerability": "Vulnerability",
    "risk": "Risk indicator",
    "significant": "Significant risk indicator",
}
# The chart's ordinal axis, lowest first (Level order), in words short enough for an axis.
CHART_LEVELS = ("No concern", "Low", "Medium", "High")
LEVEL_TAGS = {
    Level.NONE: "govuk-tag--grey",
    Level.LOW: "govuk-tag--yellow",
    Level.MEDIUM: "govuk-tag--orange",
    Level.HIGH: "govuk-tag--red",
}


# ---------------------------------------------------------------- finding things


def _visible_screening(request, pk):
    screenings = Screening.objects.select_related(
        "person", "tool", "referral", "screened_by", "screened_by_agency", "approved_by", "lowering_refused_by"
    )
    return policy.find(request.user, screenings, "screening.view", pk=pk)


def _draft(request, pk):
    """A screening still being answered, which this user may answer; else
    None (it has been completed: show the result instead)."""
    screening = _visible_screening(request, pk)
    policy.check(request.user, "screening.perform", screening.person)
    return screening if screening.status == Screening.Status.DRAFT else None


def _first_page(screening):
    """Where to resume: the first domain with an unanswered indicator, else the check page."""
    answered = set(screening.answers.values_list("indicator", flat=True))
    for item in services.domains(screening.tool):
        if any(ind["code"] not in answered for ind in item["indicators"]):
            return reverse("screening:answer", args=[screening.pk, item["code"]])
    return reverse("screening:check", args=[screening.pk])


def _errors(*form_list):
    return govuk_error_summary(*form_list)["errors"]


def _level_context(code):
    return {"code": code, "label": services.level_label(code), "tag": LEVEL_TAGS.get(code, "")}


# ---------------------------------------------------------------- starting


def _start_page(request, *, person, referral=None):
    policy.check(request.user, "screening.perform", person)
    if request.method == "POST":
        try:
            screening, started = services.start_screening(
                user=request.user, referral=referral, person=None if referral else person, audit=request.audit
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        if screening.status != Screening.Status.DRAFT:
            return redirect("screening:result", screening.pk)
        if not started:
            messages.info(request, "This screening was already under way: carry on where it was left.")
        return redirect(_first_page(screening))
    existing = selectors.existing_screening(referral=referral, person=None if referral else person)
    interview = selectors.latest_return_interview(person)
    log.record(
        "view",
        request=request,
        obj=referral or person,
        person=person,
        detail={"page": "start screening", "existing": existing.pk if existing else None},
    )
    try:
        tool = ScreeningTool.current()
    except ScreeningTool.DoesNotExist:
        tool = None
    return render(
        request,
        "screening/start.html",
        {
            "person": person,
            "referral": referral,
            "existing": existing,
            "tool": tool,
            "interview": interview if interview is not None and interview.indicators_found else None,
            "interview_date": services.return_interview_date(interview) if interview is not None else None,
            "can_discard": existing is not None and policy.can(request.user, "screening.discard", existing),
        },
    )


@allowed("screening.perform")
def start(request, reference):
    from hoth.referrals.models import Referral

    referral = policy.find(
        request.user, Referral.objects.submitted().select_related("person", "referrer_agency"), reference=reference
    )
    if referral.person is None:
        raise Http404("This referral is about a context: there is no child to screen")
    return _start_page(request, person=referral.person, referral=referral)


@allowed("screening.perform")
def rescreen(request, reference):
    return _start_page(request, person=find_person(request.user, reference))


# ---------------------------------------------------------------- answering


def _prefill_dates(screening, answers):
    """return-interview:<pk> -> the interview's date, in one query for the page."""
    from hoth.cases.models import ReturnInterview

    ids = set()
    for answer in answers:
        kind, _, pk = answer.prefilled_from.partition(":")
        if kind == services.RETURN_INTERVIEW and pk.isdigit():
            ids.add(int(pk))
    interviews = ReturnInterview.objects.filter(pk__in=ids).select_related("episode")
    return {f"{services.RETURN_INTERVIEW}:{i.pk}": services.return_interview_date(i) for i in interviews}


@allowed("screening.perform")
def answer(request, pk, domain):
    screening = _draft(request, pk)
    if screening is None:
        return redirect("screening:result", pk)
    section = services.domain(screening.tool, domain)
    if section is None:
        raise Http404("No such domain in this version of the tool")
    all_domains = services.domains(screening.tool)
    position = next(i for i, d in enumerate(all_domains) if d["code"] == domain)
    codes = [item["code"] for item in section["indicators"]]
    answers = {a.indicator: a for a in screening.answers.filter(indicator__in=codes)}
    data = request.POST if request.method == "POST" else None
    form_list = [
        forms.IndicatorForm(data, indicator=ind, answer=answers.get(ind["code"])) for ind in section["indicators"]
    ]
    if request.method == "POST" and all(f.is_valid() for f in form_list):
        try:
            services.save_answers(
                screening,
                [
                    services.AnswerData(
                        indicator=f.indicator["code"],
                        state=f.cleaned_data["state"],
                        when=f.cleaned_data["when"],
                        evidence=f.cleaned_data["evidence"],
                        source=f.cleaned_data["source"],
                    )
                    for f in form_list
                ],
                user=request.user,
                audit=request.audit,
            )
        except ValidationError as error:
            # Someone completed the screening while this page was open.
            messages.error(request, " ".join(error.messages))
            return redirect("screening:result", pk)
        if "save-and-return" in request.POST:
            messages.success(request, "Your answers have been saved. You can finish the screening later.")
            return redirect("screening:check", pk)
        if position + 1 < len(all_domains):
            return redirect("screening:answer", pk, all_domains[position + 1]["code"])
        return redirect("screening:judgement", pk)
    if request.method == "GET":
        log.record(
            "view",
            request=request,
            obj=screening,
            person=screening.person_id,
            detail={"page": "answer", "domain": domain},
        )
    dates = _prefill_dates(screening, answers.values())
    items = []
    for form in form_list:
        saved = form.answer
        items.append(
            {
                "form": form,
                "indicator": form.indicator,
                "tier": TIERS.get(form.indicator.get("tier"), ""),
                "prefill_date": dates.get(saved.prefilled_from) if saved is not None and saved.prefilled_from else None,
                "prefilled": saved is not None and bool(saved.prefilled_from),
                "present_checked": form["state"].value() == ScreeningAnswer.State.PRESENT,
            }
        )
    invalid = [f for f in form_list if f.errors]
    previous = all_domains[position - 1]["code"] if position else None
    return render(
        request,
        "screening/answer.html",
        {
            "screening": screening,
            "person": screening.person,
            "section": section,
            "items": items,
            "errors": _errors(*form_list),
            "form": invalid[0] if invalid else None,
            "number": position + 1,
            "total": len(all_domains),
            "previous": previous,
            "any_prefilled": any(item["prefilled"] for item in items),
            "prefill_dates": sorted({d for d in dates.values() if d}),
        },
    )


@allowed("screening.perform")
def judgement(request, pk):
    screening = _draft(request, pk)
    if screening is None:
        return redirect("screening:result", pk)
    if request.method == "POST":
        form = forms.JudgementForm(request.POST)
        if form.is_valid():
            try:
                services.record_judgement(
                    screening,
                    user=request.user,
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                    audit=request.audit,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("screening:result", pk)
            return redirect("screening:check", pk)
    else:
        form = forms.JudgementForm(
            initial={
                "differs": "yes" if screening.judgement_level else None,
                "level": screening.judgement_level,
                "reason": screening.judgement_reason,
            }
        )
        log.record("view", request=request, obj=screening, person=screening.person_id, detail={"page": "judgement"})
    result = selectors.provisional(screening)
    domains = services.domains(screening.tool)
    return render(
        request,
        "screening/judgement.html",
        {
            "screening": screening,
            "person": screening.person,
            "form": form,
            "provisional": _level_context(result.level),
            "differs_yes": form["differs"].value() == "yes",
            "last_domain": domains[-1]["code"] if domains else None,
        },
    )


# ---------------------------------------------------------------- check and complete


def _answer_rows(screening):
    answers = {a.indicator: a for a in screening.answers.all()}
    dates = _prefill_dates(screening, answers.values())
    sections = []
    for section in services.domains(screening.tool):
        rows = []
        for ind in section["indicators"]:
            saved = answers.get(ind["code"])
            rows.append(
                {
                    "indicator": ind,
                    "answer": saved,
                    "tier": TIERS.get(ind.get("tier"), ""),
                    "prefill_date": dates.get(saved.prefilled_from)
                    if saved is not None and saved.prefilled_from
                    else None,
                }
            )
        sections.append({"domain": section, "rows": rows})
    return sections


@allowed("screening.perform")
def check(request, pk):
    screening = _draft(request, pk)
    if screening is None:
        return redirect("screening:result", pk)
    errors = []
    if request.method == "POST":
        try:
            screening = services.complete_screening(screening, user=request.user, audit=request.audit)
        except services.ScreeningIncomplete as incomplete:
            known = services.indicator_index(screening.tool)
            errors = [
                {
                    "href": reverse("screening:answer", args=[pk, known[code]["domain"]]) + f"#indicator-{code}"
                    if code in known
                    else "#main-content",
                    "message": message,
                }
                for code, message in incomplete.problems
            ]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("screening:result", pk)
        else:
            if screening.status == Screening.Status.AWAITING_APPROVAL:
                messages.info(request, "The screening has been sent to another coordinator to approve the lower level.")
            return redirect("screening:result", pk)
    else:
        log.record("view", request=request, obj=screening, person=screening.person_id, detail={"page": "check"})
    result = selectors.provisional(screening)
    lowering = bool(screening.judgement_level) and (
        services.level_rank(screening.judgement_level) < services.level_rank(result.level)
    )
    return render(
        request,
        "screening/check.html",
        {
            "screening": screening,
            "person": screening.person,
            "sections": _answer_rows(screening),
            "errors": errors,
            # base.html prefixes the title with "Error:" when the page's form has errors.
            "form": SimpleNamespace(errors=errors) if errors else None,
            "provisional": _level_context(result.level),
            "judgement": _level_context(screening.judgement_level) if screening.judgement_level else None,
            "lowering": lowering,
            "unanswered_required": set(result.unanswered_required),
            "can_discard": policy.can(request.user, "screening.discard", screening),
        },
    )


@allowed("screening.discard")
def discard(request, pk):
    screening = _visible_screening(request, pk)
    if screening.status != Screening.Status.DRAFT:
        return redirect("screening:result", pk)
    policy.check(request.user, "screening.discard", screening)
    back = (
        reverse("referrals:detail", args=[screening.referral.reference])
        if screening.referral
        else reverse("people:detail", args=[screening.person.reference])
    )
    if request.method == "POST":
        services.discard_screening(screening, user=request.user, audit=request.audit)
        messages.success(request, "The draft screening has been discarded")
        return redirect(back)
    log.record("view", request=request, obj=screening, person=screening.person_id, detail={"page": "discard"})
    return render(
        request,
        "screening/discard.html",
        {
            "screening": screening,
            "person": screening.person,
            "answered": screening.answers.count(),
            "back_url": reverse("screening:check", args=[pk]),
        },
    )


# ---------------------------------------------------------------- the result


def _explanation(screening):
    """The stored explanation, with domain names and tier labels for reading."""
    stored = screening.explanation or {}
    names = {d["code"]: d["name"] for d in services.domains(screening.tool)}
    counted = [
        {
            **row,
            "domain_name": names.get(row.get("domain"), row.get("domain")),
            "tier_label": TIERS.get(row.get("tier"), row.get("tier")),
            "when_label": ScreeningAnswer.When(row["when"]).label
            if row.get("when") in ScreeningAnswer.When.values
            else row.get("when", ""),
        }
        for row in stored.get("counted", [])
    ]
    rules = [{**row, "level_label": services.level_label(row.get("level", ""))} for row in stored.get("rules", [])]
    return {
        "counted": counted,
        "rules": rules,
        "deciding": stored.get("deciding", ""),
        "score": stored.get("score", screening.score),
        "threshold_level": _level_context(stored["scored_level"]) if stored.get("scored_level") else None,
    }


@allowed("screening.view")
def result(request, pk):
    screening = _visible_screening(request, pk)
    if screening.status == Screening.Status.DRAFT and policy.can(request.user, "screening.perform", screening.person):
        return redirect("screening:check", pk)
    log.record("view", request=request, obj=screening, person=screening.person_id, detail={"page": "result"})
    return render(
        request,
        "screening/result.html",
        {
            "screening": screening,
            "person": screening.person,
            "level": _level_context(screening.level) if screening.level else None,
            "scored": _level_context(screening.scored_level) if screening.scored_level else None,
            "judgement": _level_context(screening.judgement_level) if screening.judgement_level else None,
            "explanation": _explanation(screening),
            "can_decide": screening.status == Screening.Status.AWAITING_APPROVAL
            and policy.can(request.user, "screening.approve_lower_level", screening),
        },
    )


# ---------------------------------------------------------------- lowering


@allowed("screening.approve_lower_level")
def approvals(request):
    waiting = list(
        Screening.objects.visible_to(request.user)
        .filter(status=Screening.Status.AWAITING_APPROVAL)
        .select_related("person", "screened_by", "screened_by_agency")
        .order_by("started_at")
    )
    log.record(
        "list",
        request=request,
        detail={"page": "lower levels waiting for approval", "ids": [s.pk for s in waiting]},
        people=[s.person_id for s in waiting],
    )
    rows = [
        {
            "screening": s,
            "scored": _level_context(s.scored_level),
            "judged": _level_context(s.judgement_level),
            "own": s.screened_by_id == request.user.pk,
        }
        for s in waiting
    ]
    return render(request, "screening/approvals.html", {"rows": rows})


@allowed("screening.approve_lower_level")
def approve(request, pk):
    screening = _visible_screening(request, pk)
    if screening.status != Screening.Status.AWAITING_APPROVAL:
        return redirect("screening:result", pk)
    policy.check(request.user, "screening.approve_lower_level", screening)
    form = forms.RefusalForm()
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision == "approve":
            services.approve_lowering(screening, user=request.user, audit=request.audit)
            messages.success(request, "You approved the lower level. The screener has been told.")
            return redirect("screening:result", pk)
        if decision == "refuse":
            form = forms.RefusalForm(request.POST)
            if form.is_valid():
                services.refuse_lowering(
                    screening, user=request.user, reason=form.cleaned_data["reason"], audit=request.audit
                )
                messages.success(
                    request, "You refused the lower level: the level the rules gave stands. The screener has been told."
                )
                return redirect("screening:result", pk)
        else:
            messages.error(request, "Choose to approve or refuse the lower level")
    else:
        log.record("view", request=request, obj=screening, person=screening.person_id, detail={"page": "approve"})
    return render(
        request,
        "screening/approve.html",
        {
            "screening": screening,
            "person": screening.person,
            "form": form,
            "errors": _errors(form) if form.is_bound else [],
            "scored": _level_context(screening.scored_level),
            "judged": _level_context(screening.judgement_level),
            "explanation": _explanation(screening),
        },
    )


# ---------------------------------------------------------------- trajectory


@allowed("screening.view")
def trajectory(request, reference):
    person = find_person(request.user, reference)
    policy.check(request.user, "person.view", person)
    screenings = list(
        Screening.objects.visible_to(request.user)
        .completed()
        .filter(person=person)
        .select_related("screened_by", "screened_by_agency", "tool", "referral")
        .order_by("completed_at", "pk")
    )
    log.record(
        "view",
        request=request,
        obj=person,
        detail={"page": "screening trajectory", "screenings": [s.pk for s in screenings]},
    )
    rows = [
        {"screening": s, "level": _level_context(s.level), "rank": services.level_rank(s.level)} for s in screenings
    ]
    return render(
        request,
        "screening/trajectory.html",
        {
            "person": person,
            "rows": rows,
            "chart_levels": "|".join(CHART_LEVELS),
            "can_rescreen": policy.can(request.user, "screening.perform", person),
        },
    )
