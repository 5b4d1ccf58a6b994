"""Pages for running a child's case (issue 4): the case page, a coordinator
opening a case directly, the team, contacts and notes, the contextual
assessment, editing, closure and reopening, and the National Referral
Mechanism. Each is a thin layer over services, casework.py and nrm.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.analytics.missing import repeated_episodes
from hoth.audit import log
from hoth.cases import casework, nrm, selectors, services, transfer
from hoth.cases.forms import case as case_forms
from hoth.cases.models import Case, CaseMember, CaseNote, ContextKind, MissingEpisode, NrmReferral
from hoth.cases.timeline import case_timeline
from hoth.cases.views.missing import clock_for, interview_of
from hoth.concurrent_edits import save_form
from hoth.contexts.models import Context
from hoth.panels.models import AgendaItem
from hoth.people.access import find_person
from hoth.screening.models import Screening
from hoth.tasks.models import Task

CONFLICT = (
    "Someone else changed this case while you were working on it. Your changes have not been saved yet: "
    "check what they saved, then save again"
)


def get_case(request, reference, action, cases=None):
    """The case, if this user may see it and do `action` on it. A case out of
    scope answers as one that does not exist: its reference is not told.
    `cases`: Case.objects with what the page needs selected or prefetched."""
    cases = (Case.objects if cases is None else cases).select_related("person", "lead_professional__agency")
    return policy.find(request.user, cases, action, reference=reference)


LATEST_EPISODES = 5


@allowed("case.view")
def case_detail(request, reference):
    case = get_case(
        request, reference, "case.view", Case.objects.select_related("opened_by__agency").prefetch_related("harm_types")
    )
    decision = AgendaItem.objects.filter(case=case).select_related("meeting").first()
    tasks = list(
        Task.objects.visible_to(request.user).outstanding().filter(case=case).select_related("owner", "owner_agency")
    )
    now = timezone.now()
    episodes = list(
        MissingEpisode.objects.visible_to(request.user).filter(person=case.person).select_related("return_interview")
    )
    latest = (
        Screening.objects.visible_to(request.user)
        .filter(person_id=case.person_id, completed_at__isnull=False)
        .exclude(level="")
        .order_by("-completed_at")
        .first()
    )
    log.record("view", request=request, obj=case, person=case.person_id)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "person": case.person,
            "screening": latest,
            "assessment": selectors.assessment_summary(case),
            "timeline": case_timeline(case, request.user),
            "can_edit": policy.can(request.user, "case.edit", case),
            "decision": decision,
            "meeting_visible": decision is not None and policy.can(request.user, "meeting.view", decision.meeting),
            "tasks": tasks,
            # The latest few: the timeline and the episodes page hold the rest.
            "episodes": [(e, clock_for(e, interview_of(e), now)) for e in episodes[:LATEST_EPISODES]],
            "episode_count": len(episodes),
            "flag": repeated_episodes([e.started_at for e in episodes], now),
            "today": timezone.localdate(),
        },
    )


@allowed("case.open")
def open_case(request, reference):
    person = find_person(request.user, reference, "case.open")
    existing = Case.objects.visible_to(request.user).open().filter(person=person).first()
    form = case_forms.OpenCaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            case = services.open_case_directly(
                person=person,
                lead_professional=form.cleaned_data["lead_professional"],
                opened_by=request.user,
                harm_types=form.cleaned_data["harm_types"],
                audit=request.audit,
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, f"Case {case.reference} is open. The lead professional has been told")
            return redirect("cases:detail", case.reference)
    log.record("view", request=request, obj=person, detail={"page": "open case"})
    return render(request, "cases/open_case.html", {"person": person, "form": form, "existing": existing})


# ------------------------------------------------------------------ edit


@allowed("case.edit")
def edit(request, reference):
    case = get_case(request, reference, "case.edit")
    form = case_forms.CaseEditForm(
        request.POST or None,
        initial={
            "version": case.version,
            "lead_professional": case.lead_professional_id,
            "harm_types": [str(h.pk) for h in case.harm_types.all()],
        },
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, theirs = save_form(
            form,
            CONFLICT,
            lambda: casework.edit_case(
                case,
                user=request.user,
                read_version=data["version"],
                lead_professional=data["lead_professional"],
                harm_types=data["harm_types"],
                audit=request.audit,
            ),
        )
        if done:
            messages.success(request, "The case has been updated")
            return redirect("cases:detail", case.reference)
    if theirs is not None:
        theirs = {
            "lead_professional": f"{theirs.lead_professional.full_name} ({theirs.lead_professional.agency.name})",
            "harm_types": ", ".join(h.name for h in theirs.harm_types.all()) or "None",
        }
        mine = form.cleaned_data
        mine = {
            "lead_professional": f"{mine['lead_professional'].full_name}",
            "harm_types": ", ".join(h.name for h in mine["harm_types"]) or "None",
        }
    else:
        mine = None
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "edit"})
    return render(
        request, "cases/edit.html", {"case": case, "person": case.person, "form": form, "theirs": theirs, "mine": mine}
    )


# ------------------------------------------------------------------ team


@allowed("case.view")
def team(request, reference):
    case = get_case(request, reference, "case.view")
    can_manage = policy.can(request.user, "case.manage_team", case)
    form = case_forms.MemberForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("case.manage_team")
        if form.is_valid():
            data = form.cleaned_data
            member, _ = save_form(
                form,
                CONFLICT,
                lambda: casework.add_member(
                    case,
                    user=request.user,
                    member=data["member"],
                    role=data["role"],
                    sharing=form.sharing(),
                    audit=request.audit,
                ),
            )
            if member:
                messages.success(request, f"{member.user.full_name} has joined the team")
                return redirect("cases:team", case.reference)
    members = list(CaseMember.objects.filter(case=case).select_related("user", "agency", "sharing_decision"))
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "team"})
    return render(
        request,
        "cases/team.html",
        {
            "case": case,
            "person": case.person,
            "form": form,
            "can_manage": can_manage,
            "current": [m for m in members if m.removed_at is None],
            "former": [m for m in members if m.removed_at],
        },
    )


@allowed("case.manage_team")
def team_remove(request, reference, pk):
    case = get_case(request, reference, "case.manage_team")
    membership = CaseMember.objects.filter(case=case, pk=pk, removed_at__isnull=True).select_related("user").first()
    if membership is None:
        raise Http404("No such team member")
    if request.method == "POST":
        casework.remove_member(membership, user=request.user, audit=request.audit)
        messages.success(request, f"{membership.user.full_name} has left the team")
        return redirect("cases:team", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "remove from team"})
    return render(request, "cases/team_remove.html", {"case": case, "person": case.person, "membership": membership})


# ------------------------------------------------------------------ notes


@allowed("case.view")
def notes(request, reference):
    case = get_case(request, reference, "case.view")
    shown = list(
        CaseNote.objects.visible_to(request.user)
        .filter(case=case)
        .select_related("author", "author_agency")
        .prefetch_related("restricted_to")
    )
    log.record("list", request=request, obj=case, person=case.person_id, detail={"notes": [n.pk for n in shown]})
    return render(
        request,
        "cases/notes.html",
        {
            "case": case,
            "person": case.person,
            "notes": shown,
            "can_add": policy.can(request.user, "case_note.add", case),
        },
    )


@allowed("case_note.add")
def note_new(request, reference):
    case = get_case(request, reference, "case_note.add")
    form = case_forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        note, _ = save_form(
            form,
            CONFLICT,
            lambda: casework.add_note(
                case,
                user=request.user,
                happened_on=data["happened_on"],
                kind=data["kind"],
                who=data["who"],
                what=data["what"],
                restricted_to=data["restricted_to"],
                audit=request.audit,
            ),
        )
        if note:
            messages.success(request, "The note has been added")
            return redirect("cases:notes", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "new note"})
    return render(request, "cases/note_new.html", {"case": case, "person": case.person, "form": form})


# ------------------------------------------------------------------ assessment


def _openable_contexts(user, assessments):
    """The places and groups named in these assessments whose own page the
    reader may open: the others are named without a link that would refuse them."""
    named = {c.pk for a in assessments if a is not None for e in a.entries.all() for c in e.contexts.all()}
    return set(Context.objects.visible_to(user).filter(pk__in=named).values_list("pk", flat=True))


def _assessment_values(assessment):
    if assessment is None:
        return {}
    values = {"primary_context": assessment.primary_context, "primary_reason": assessment.primary_reason}
    for entry in assessment.entries.all():
        values[f"{entry.kind}_strengths"] = entry.strengths
        values[f"{entry.kind}_risks"] = entry.risks
        values[f"{entry.kind}_contexts"] = [str(c.pk) for c in entry.contexts.all()]
    return values


@allowed("case.view")
def assessment(request, reference):
    case = get_case(request, reference, "case.view")
    history = list(case.assessments.select_related("written_by").prefetch_related("entries__contexts"))
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "assessment"})
    return render(
        request,
        "cases/assessment.html",
        {
            "case": case,
            "person": case.person,
            "current": history[0] if history else None,
            "history": history[1:],
            "can_edit": policy.can(request.user, "case.edit", case) and case.status == Case.Status.OPEN,
            "openable_contexts": _openable_contexts(request.user, history),
        },
    )


@allowed("case.edit")
def assessment_edit(request, reference):
    case = get_case(request, reference, "case.edit")
    current = selectors.current_assessment(case)
    linked = [c.pk for e in current.entries.all() for c in e.contexts.all()] if current else []
    form = case_forms.AssessmentForm(
        request.POST or None,
        user=request.user,
        linked=linked,
        initial={"version": case.version, **_assessment_values(current)},
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, theirs = save_form(
            form,
            CONFLICT,
            lambda: casework.save_assessment(
                case,
                user=request.user,
                read_version=data["version"],
                entries=form.entries(),
                primary_context=data["primary_context"],
                primary_reason=data["primary_reason"],
                audit=request.audit,
            ),
        )
        if saved:
            messages.success(request, f"Version {saved.number} of the contextual assessment has been saved")
            return redirect("cases:assessment", case.reference)
        if theirs is not None:
            theirs = selectors.current_assessment(case)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "edit assessment"})
    return render(
        request,
        "cases/assessment_edit.html",
        {
            "case": case,
            "person": case.person,
            "form": form,
            "theirs": theirs,
            "kinds": ContextKind.choices,
            "openable_contexts": _openable_contexts(request.user, [theirs]),
        },
    )


# ------------------------------------------------------------------ closure


@allowed("case.edit")
def close(request, reference):
    case = get_case(request, reference, "case.edit")
    if case.status != Case.Status.OPEN:
        messages.info(request, "This case is already closed")
        return redirect("cases:detail", case.reference)
    form = case_forms.CloseForm(request.POST or None, initial={"version": case.version})
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        done, theirs = save_form(
            form,
            CONFLICT,
            lambda: casework.close_case(case, user=request.user, read_version=version, audit=request.audit, **data),
        )
        if done:
            messages.success(request, "The case has been closed")
            return redirect("cases:detail", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "close"})
    return render(request, "cases/close.html", {"case": case, "person": case.person, "form": form, "theirs": theirs})


@allowed("case.edit")
def reopen(request, reference):
    case = get_case(request, reference, "case.edit")
    if case.status != Case.Status.CLOSED:
        messages.info(request, "This case is open")
        return redirect("cases:detail", case.reference)
    form = case_forms.ReopenForm(request.POST or None, initial={"version": case.version})
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, theirs = save_form(
            form,
            CONFLICT,
            lambda: casework.reopen_case(
                case, user=request.user, read_version=data["version"], reason=data["reason"], audit=request.audit
            ),
        )
        if done:
            messages.success(request, "The case has been reopened")
            return redirect("cases:detail", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "reopen"})
    return render(request, "cases/reopen.html", {"case": case, "person": case.person, "form": form, "theirs": theirs})


@allowed("case.edit")
def transfer_summary(request, reference):
    """The printable summary for the partnership a child moved to. Handing a
    child over is the lead professional's or a coordinator's job (case.edit),
    as closing the case was; other readers see the closure on the case page."""
    case = get_case(
        request, reference, "case.edit", Case.objects.select_related("person__school").prefetch_related("harm_types")
    )
    summary = transfer.transfer_summary(case, request.user)
    if summary is None:
        raise Http404("This case was not closed because the child moved to another area")
    log.record(
        "print",
        request=request,
        obj=case,
        person=case.person_id,
        detail={"page": "transfer summary", "closure": summary.closure.pk},
    )
    return render(request, "cases/transfer_summary.html", {"case": case, "person": case.person, "summary": summary})


# ------------------------------------------------------------------ NRM


@allowed("nrm.view")
def nrm_list(request, reference):
    case = get_case(request, reference, "nrm.view")
    today = timezone.localdate()
    referrals = list(NrmReferral.objects.filter(case=case))
    log.record("list", request=request, obj=case, person=case.person_id, detail={"nrm": [r.pk for r in referrals]})
    return render(
        request,
        "cases/nrm.html",
        {
            "case": case,
            "person": case.person,
            "rows": [(r, nrm.flags(r, today)) for r in referrals],
            "can_record": policy.can(request.user, "nrm.record", case),
        },
    )


@allowed("nrm.record")
def nrm_record(request, reference, pk=None):
    case = get_case(request, reference, "nrm.record")
    referral = None
    if pk is not None:
        referral = NrmReferral.objects.filter(case=case, pk=pk).first()
        if referral is None:
            raise Http404("No such NRM referral")
    initial = {name: getattr(referral, name) for name in nrm.FIELDS} if referral else {}
    form = case_forms.NrmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, _ = save_form(
            form,
            CONFLICT,
            lambda: nrm.record(
                case,
                user=request.user,
                values=form.cleaned_data,
                today=timezone.localdate(),
                referral=referral,
                audit=request.audit,
            ),
        )
        if saved:
            messages.success(request, "The NRM referral has been saved")
            return redirect("cases:nrm", case.reference)
    log.record("view", request=request, obj=case, person=case.person_id, detail={"page": "NRM referral form"})
    return render(
        request, "cases/nrm_form.html", {"case": case, "person": case.person, "form": form, "referral": referral}
    )
