"""Pages of a referral: the question flow (one thing per page, each saving
the draft), check your answers, confirmation, the referral as sent, adding
information to it, and the list of referrals."""

import uuid
from functools import wraps
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.contexts import selectors as context_selectors
from hoth.contexts import services as context_services
from hoth.contexts.forms import ContextForm
from hoth.contexts.models import Context
from hoth.people.models import Person, SharingDecision
from hoth.people.search import search_people

from . import forms, services
from .models import OTHER_HARM, NamedAssociate, Referral

# The questions in the order they are asked. Conditional pages (the 999
# warning, the lawful basis) are reached from the answer before them.
FLOW = [
    "subject",
    "about",
    "harm",
    "what-happened",
    "child-words",
    "associates",
    "danger",
    "referrer",
    "consent",
    "check",
]
RECENT_PER_PAGE = 25


def _posted(request):
    """The POST data when the form was sent, even empty (nothing ticked)."""
    return request.POST if request.method == "POST" else None


def _url(name, referral, **query):
    url = reverse(f"referrals:{name}", args=[referral.reference])
    return f"{url}?{urlencode(query)}" if query else url


def _about_step(referral):
    return "child" if referral.subject == Referral.Subject.CHILD else "context"


def _step_url(step, referral):
    return _url(_about_step(referral) if step == "about" else step, referral)


def _next(request, referral, step):
    """After saving a page: back to check your answers when changing an
    answer from there, else the next question."""
    if request.GET.get("from") == "check":
        return redirect(_url("check", referral))
    return redirect(_step_url(FLOW[FLOW.index(step) + 1], referral))


def _back(request, referral, step):
    if request.GET.get("from") == "check":
        return _url("check", referral)
    index = FLOW.index(step)
    return _step_url(FLOW[index - 1], referral) if index else reverse("referrals:list")


def _find(request, reference):
    return policy.find(
        request.user,
        Referral.objects.select_related("person", "context", "referrer", "referrer_agency"),
        reference=reference,
    )


def _draft(request, reference):
    """The user's own draft. A submitted referral is never edited: its
    question pages lead to the referral as sent."""
    referral = _find(request, reference)
    if referral.is_draft:
        policy.check(request.user, "referral.edit_draft", referral)
    return referral


def draft_question(view):
    """A page of the question flow: it works on the user's own draft, and on a
    submitted referral leads to the referral as sent (never edited again)."""

    @allowed("referral.create")
    @wraps(view)
    def page(request, reference, *args, **kwargs):
        referral = _draft(request, reference)
        if not referral.is_draft:
            return _submitted(referral)
        return view(request, referral, *args, **kwargs)

    return page


def _heading_class(field):
    widget = field.field.widget
    fieldset = isinstance(widget, (django_forms.RadioSelect, django_forms.CheckboxSelectMultiple))
    return "govuk-fieldset__legend--l" if fieldset else "govuk-label--l"


def _question(request, referral, step, form, *, template="referrals/question.html", **context):
    log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": step})
    first = next(iter(form), None)
    return render(
        request,
        template,
        {
            "referral": referral,
            "form": form,
            "back_url": _back(request, referral, step),
            "heading_class": _heading_class(first) if first is not None else "",
            **context,
        },
    )


def _submitted(referral):
    return redirect("referrals:detail", referral.reference)


# ---------------------------------------------------------------- starting


@allowed("referral.create")
def start(request):
    """Who or what is the referral about? Answering it saves the draft."""
    form = forms.SubjectForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        referral = services.start_referral(request.user, subject=form.cleaned_data["subject"], audit=request.audit)
        return redirect(_step_url("about", referral))
    return render(
        request,
        "referrals/question.html",
        {
            "form": form,
            "back_url": reverse("referrals:list"),
            "heading_class": "govuk-fieldset__legend--l",
            "button": "Continue",
            "intro": "start",
        },
    )


@draft_question
def subject(request, referral):
    form = forms.SubjectForm(_posted(request), initial={"subject": referral.subject})
    if request.method == "POST" and form.is_valid():
        referral = services.save_answers(
            request.user, referral, subject=form.cleaned_data["subject"], audit=request.audit
        )
        return redirect(_step_url("about", referral))
    return _question(request, referral, "subject", form)


# ---------------------------------------------------------------- the child or the context


@draft_question
def child(request, referral):
    """Find the child among those this user may see, or record them through
    search-before-create, which comes back here with ?person=."""
    if request.method == "POST":
        person = policy.find(request.user, Person.objects, reference=request.POST.get("person", ""))
        services.choose_person(request.user, referral, person, audit=request.audit)
        return _next(request, referral, "about")
    form = forms.FindChildForm(request.GET if "q" in request.GET else None)
    matches, offered = None, None
    if form.is_bound and form.is_valid():
        matches = search_people(request.user, name=form.cleaned_data["q"], limit=20)
        ids = [m.person.pk for m in matches]
        log.record(
            "search",
            request=request,
            detail={"query": {"name": form.cleaned_data["q"]}, "ids": ids, "purpose": f"referral {referral.reference}"},
            people=ids,
        )
    elif request.GET.get("person"):
        offered = policy.find(request.user, Person.objects, reference=request.GET["person"])
        log.record("view", request=request, obj=offered, detail={"purpose": f"referral {referral.reference}"})
    else:
        log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "child"})
    create_url = f"{reverse('people:create')}?{urlencode({'next': _url('child', referral)})}"
    return render(
        request,
        "referrals/child.html",
        {
            "referral": referral,
            "form": form,
            "matches": matches,
            "offered": offered,
            "create_url": create_url,
            "back_url": _back(request, referral, "about"),
            "from_check": request.GET.get("from") == "check",
        },
    )


@draft_question
def context(request, referral):
    if request.method == "POST":
        chosen = policy.find(request.user, Context.objects, reference=request.POST.get("context", ""))
        services.choose_context(request.user, referral, chosen, audit=request.audit)
        return _next(request, referral, "about")
    form = forms.FindContextForm(request.GET if "q" in request.GET else None)
    found = None
    if form.is_bound and form.is_valid():
        found = context_selectors.find_contexts(request.user, form.cleaned_data["q"])
        log.record(
            "search",
            request=request,
            detail={
                "query": {"context": form.cleaned_data["q"]},
                "contexts": [c.pk for c in found],
                "purpose": f"referral {referral.reference}",
            },
        )
    else:
        log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "context"})
    return render(
        request,
        "referrals/context.html",
        {
            "referral": referral,
            "form": form,
            "found": found,
            "back_url": _back(request, referral, "about"),
            "from_check": request.GET.get("from") == "check",
        },
    )


@draft_question
def new_context(request, referral):
    form = ContextForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        created = context_services.create_context(request.user, form.cleaned_data, audit=request.audit)
        services.choose_context(request.user, referral, created, audit=request.audit)
        return _next(request, referral, "about")
    log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "new context"})
    return render(
        request,
        "referrals/new_context.html",
        {"referral": referral, "form": form, "back_url": _url("context", referral)},
    )


# ---------------------------------------------------------------- the concern


@draft_question
def harm(request, referral):
    form = forms.HarmTypesForm(
        _posted(request), initial={"harm_types": list(referral.harm_types.all()), "harm_other": referral.harm_other}
    )
    if request.method == "POST" and form.is_valid():
        services.set_harm_types(
            request.user,
            referral,
            list(form.cleaned_data["harm_types"]),
            form.cleaned_data["harm_other"].strip(),
            audit=request.audit,
        )
        return _next(request, referral, "harm")
    field = form["harm_types"]
    chosen = {str(v) for v in (field.value() or [])}
    return _question(
        request,
        referral,
        "harm",
        form,
        template="referrals/harm.html",
        harm_types=[(h, str(h.pk) in chosen) for h in form.fields["harm_types"].queryset],
        other_code=OTHER_HARM,
    )


@draft_question
def what_happened(request, referral):
    form = forms.WhatHappenedForm(
        _posted(request), initial={"what_happened": referral.what_happened, "happened_on": referral.happened_on}
    )
    if request.method == "POST" and form.is_valid():
        services.save_answers(
            request.user,
            referral,
            what_happened=form.cleaned_data["what_happened"].strip(),
            happened_on=form.cleaned_data["happened_on"],
            audit=request.audit,
        )
        return _next(request, referral, "what-happened")
    return _question(request, referral, "what-happened", form)


@draft_question
def child_words(request, referral):
    form = forms.ChildWordsForm(_posted(request), initial={"child_words": referral.child_words})
    if request.method == "POST" and form.is_valid():
        services.save_answers(
            request.user, referral, child_words=form.cleaned_data["child_words"].strip(), audit=request.audit
        )
        return _next(request, referral, "child-words")
    return _question(request, referral, "child-words", form)


@draft_question
def associates(request, referral):
    """Who and where the referrer names: a list with add and remove."""
    if request.method == "POST":
        return _next(request, referral, "associates")
    log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "associates"})
    return render(
        request,
        "referrals/associates.html",
        {
            "referral": referral,
            "associates": list(referral.associates.order_by("pk")),
            "back_url": _back(request, referral, "associates"),
            "from_check": request.GET.get("from") == "check",
        },
    )


@draft_question
def add_associate(request, referral):
    form = forms.AssociateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_associate(
            request.user,
            referral,
            kind=data["kind"],
            name=data["name"].strip(),
            details=data["details"].strip(),
            audit=request.audit,
        )
        return redirect(_url("associates", referral, **({"from": "check"} if request.GET.get("from") else {})))
    log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "add associate"})
    return render(
        request,
        "referrals/question.html",
        {
            "referral": referral,
            "form": form,
            "back_url": _url("associates", referral),
            "heading_class": "govuk-fieldset__legend--l",
            "title": "Add a person or place",
            "button": "Add this person or place",
        },
    )


@draft_question
@require_POST
def remove_associate(request, referral, pk):
    if not NamedAssociate.objects.filter(referral=referral, pk=pk).exists():
        raise Http404("Not named in this referral")
    services.remove_associate(request.user, referral, pk, audit=request.audit)
    messages.success(request, "Removed")
    return redirect(_url("associates", referral, **({"from": "check"} if request.GET.get("from") else {})))


@draft_question
def danger(request, referral):
    initial = None if referral.immediate_danger is None else ("yes" if referral.immediate_danger else "no")
    form = forms.DangerForm(_posted(request), initial={"immediate_danger": initial})
    if request.method == "POST" and form.is_valid():
        in_danger = form.cleaned_data["immediate_danger"] == "yes"
        services.save_answers(request.user, referral, immediate_danger=in_danger, audit=request.audit)
        if in_danger:
            return redirect(_url("call-999", referral, **({"from": "check"} if request.GET.get("from") else {})))
        return _next(request, referral, "danger")
    return _question(request, referral, "danger", form)


@draft_question
def call_999(request, referral):
    """The warning comes before anything else once someone is in danger now."""
    next_url = _url("check", referral) if request.GET.get("from") == "check" else _url("referrer", referral)
    log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "call 999"})
    return render(
        request,
        "referrals/call_999.html",
        {"referral": referral, "next_url": next_url, "back_url": _url("danger", referral)},
    )


@draft_question
def referrer(request, referral):
    form = forms.ReferrerForm(
        _posted(request), initial={"referrer_role": referral.referrer_role, "referrer_phone": referral.referrer_phone}
    )
    if request.method == "POST" and form.is_valid():
        services.save_answers(
            request.user,
            referral,
            referrer_role=form.cleaned_data["referrer_role"].strip(),
            referrer_phone=form.cleaned_data["referrer_phone"],
            audit=request.audit,
        )
        return _next(request, referral, "referrer")
    return _question(request, referral, "referrer", form, template="referrals/referrer.html")


@draft_question
def consent(request, referral):
    form = forms.ConsentForm(_posted(request), initial={"consent": referral.consent or None})
    if request.method == "POST" and form.is_valid():
        referral = services.save_answers(
            request.user, referral, consent=form.cleaned_data["consent"], audit=request.audit
        )
        if referral.consent != Referral.Consent.GIVEN:
            return redirect(_url("lawful-basis", referral, **({"from": "check"} if request.GET.get("from") else {})))
        return _next(request, referral, "consent")
    return _question(request, referral, "consent", form)


@draft_question
def lawful_basis(request, referral):
    if referral.consent in ("", Referral.Consent.GIVEN):
        return redirect(_url("consent", referral))
    form = forms.LawfulBasisForm(
        _posted(request),
        consent=referral.consent,
        initial={"lawful_basis": referral.lawful_basis or None, "consent_reason": referral.consent_reason},
    )
    if request.method == "POST" and form.is_valid():
        services.save_answers(
            request.user,
            referral,
            lawful_basis=form.cleaned_data["lawful_basis"],
            consent_reason=form.cleaned_data["consent_reason"].strip(),
            audit=request.audit,
        )
        return redirect(_url("check", referral))
    chosen = form["lawful_basis"].value()
    return _question(
        request,
        referral,
        "consent",
        form,
        template="referrals/lawful_basis.html",
        bases=[(value, label, hint, value == chosen) for value, label, hint in forms.lawful_basis_hints()],
        back_url=_url("consent", referral),
    )


# ---------------------------------------------------------------- check and send


def _summary(referral):
    return {
        "harm_types": list(referral.harm_types.all()),
        "associates": list(referral.associates.order_by("pk")),
        "lawful_basis_label": dict(SharingDecision.LawfulBasis.choices).get(referral.lawful_basis, ""),
    }


@allowed("referral.create")
def check(request, reference):
    referral = _find(request, reference)
    form = forms.CheckAnswersForm(_posted(request))
    if not referral.is_draft:
        # A double click or a retried POST carries the key it was sent with.
        if (
            request.method == "POST"
            and form.is_valid()
            and referral.referrer_id == request.user.pk
            and referral.idempotency_key == form.cleaned_data["submission_key"]
        ):
            return redirect("referrals:confirmation", referral.reference)
        return _submitted(referral)
    policy.check(request.user, "referral.edit_draft", referral)
    found = {}
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.submit_referral(
                request.user, referral, submission_key=form.cleaned_data["submission_key"], audit=request.audit
            )
        except services.AlreadySubmitted:
            return _submitted(referral)
        except services.ReferralIncomplete as incomplete:
            found = incomplete.problems
        else:
            return redirect("referrals:confirmation", sent.referral.reference)
    else:
        log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "check"})
        found = services.problems(referral) if request.method == "POST" else {}
    links = {
        "subject": "subject",
        "person": "child",
        "context": "context",
        "harm_types": "harm",
        "harm_other": "harm",
        "what_happened": "what-happened",
        "happened_on": "what-happened",
        "immediate_danger": "danger",
        "referrer_role": "referrer",
        "referrer_phone": "referrer",
        "consent": "consent",
        "lawful_basis": "lawful-basis",
        "consent_reason": "lawful-basis",
    }
    errors = [
        {"href": _url(links[field], referral, **{"from": "check"}), "message": message}
        for field, message in found.items()
    ]
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "errors": errors,
            "submission_key": uuid.uuid4().hex,
            "back_url": _url(
                "lawful-basis" if referral.consent and referral.consent != Referral.Consent.GIVEN else "consent",
                referral,
            ),
            **_summary(referral),
        },
    )


@allowed("referral.create")
def confirmation(request, reference):
    referral = _find(request, reference)
    if referral.is_draft or referral.referrer_id != request.user.pk:
        return redirect("referrals:detail", referral.reference)
    log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "confirmation"})
    return render(request, "referrals/confirmation.html", {"referral": referral})


# ---------------------------------------------------------------- after sending


def _decisions(referral):
    """The screening meeting's decisions on this referral, once confirmed.
    What each agency brought (AgencyContribution) is not shown here: only the
    meeting's organisers and that agency see it."""
    from hoth.panels.models import AgendaItem, Meeting

    return list(
        AgendaItem.objects.filter(referral=referral, meeting__status=Meeting.Status.CONFIRMED)
        .exclude(decision="")
        .select_related("meeting", "lead_professional")
        .order_by("meeting__starts_at", "position")
    )


def _screenings(request, referral):
    from hoth.screening.models import Screening

    return list(
        Screening.objects.visible_to(request.user)
        .filter(referral=referral)
        .select_related("screened_by_agency")
        .order_by("-completed_at", "-started_at")
    )


@allowed("referral.view")
def detail(request, reference):
    referral = _find(request, reference)
    policy.check(request.user, "referral.view", referral)
    if referral.is_draft:
        return redirect("referrals:check", referral.reference)
    log.record("view", request=request, obj=referral, person=referral.person_id)
    sees_child = referral.person is not None and policy.can(request.user, "person.view", referral.person)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            **_summary(referral),
            "repeat_harm_case": _repeat_harm(request.user, referral),
            "additions": list(referral.additions.select_related("added_by", "added_by_agency")),
            "screenings": _screenings(request, referral),
            "decisions": _decisions(referral),
            "sees_child": sees_child,
            "can_add": policy.can(request.user, "referral.add_information", referral),
            "can_screen": policy.can(request.user, "referral.queue"),
        },
    )


def _repeat_harm(user, referral):
    """The case about the child closed in the 12 months before this referral
    (issue 4), if this user may see it: the front door sees every case; a
    referrer who does not work with the child's casework is not told one
    existed."""
    from hoth.cases.flags import closed_recently
    from hoth.cases.models import Case

    if not (referral.person_id and referral.submitted_at):
        return None
    return closed_recently(referral.person_id, referral.submitted_at, cases=Case.objects.visible_to(user))


@allowed("referral.create")
def add_information(request, reference):
    referral = _find(request, reference)
    policy.check(request.user, "referral.add_information", referral)
    form = forms.AddInformationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.add_information(request.user, referral, form.cleaned_data["text"], audit=request.audit)
        messages.success(request, "Your information has been added to the referral")
        return redirect("referrals:detail", referral.reference)
    log.record("view", request=request, obj=referral, person=referral.person_id, detail={"page": "add information"})
    return render(
        request,
        "referrals/question.html",
        {
            "referral": referral,
            "form": form,
            "back_url": reverse("referrals:detail", args=[referral.reference]),
            "heading_class": "govuk-label--l",
            "button": "Add to the referral",
            "caption": f"Referral {referral.reference}",
        },
    )


# ---------------------------------------------------------------- lists


def _list_queryset(referrals):
    from .models import HarmType

    return referrals.select_related("person", "context", "referrer", "referrer_agency").prefetch_related(
        Prefetch("harm_types", queryset=HarmType.objects.order_by("position"))
    )


@allowed("referral.view")
def referral_list(request):
    """Your referrals, drafts first; coordinators also every recent one."""
    visible = Referral.objects.visible_to(request.user)
    mine = list(_list_queryset(visible.filter(referrer=request.user)).order_by("-created_at", "-pk")[:100])
    drafts = [r for r in mine if r.is_draft]
    sent = [r for r in mine if not r.is_draft]
    page = None
    if policy.can(request.user, "referral.queue"):
        paginator = Paginator(_list_queryset(visible.submitted()).order_by("-submitted_at", "-pk"), RECENT_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
    shown = mine + (list(page.object_list) if page else [])
    log.record(
        "list",
        request=request,
        detail={"referrals": sorted({r.pk for r in shown}), "page": page.number if page else None},
        people=sorted({r.person_id for r in shown if r.person_id}),
    )
    return render(
        request,
        "referrals/list.html",
        {"drafts": drafts, "sent": sent, "page": page, "can_create": policy.can(request.user, "referral.create")},
    )
