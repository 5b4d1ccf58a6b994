"""Pages for a child's missing episodes and return home interviews."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.analytics.missing import interview_clock, repeated_episodes
from hoth.audit import log
from hoth.cases import selectors, services
from hoth.cases.forms import missing as forms
from hoth.cases.models import MissingEpisode, ReturnInterview
from hoth.people.access import find_person


def _episode(request, pk, action="missing_episode.view"):
    return policy.find(
        request.user, MissingEpisode.objects.select_related("person", "reported_by_agency"), action, pk=pk
    )


def interview_of(episode):
    try:
        return episode.return_interview
    except ReturnInterview.DoesNotExist:
        return None


def clock_for(episode, interview, now):
    offered = interview.offered_at if interview else None
    not_applicable = interview is not None and interview.outcome == ReturnInterview.Outcome.NOT_APPLICABLE
    return interview_clock(episode.ended_at, offered_at=offered, not_applicable=not_applicable, now=now)


# ---------------------------------------------------------------- missing episodes


@allowed("missing_episode.view")
def missing_episodes(request, reference):
    person = find_person(request.user, reference, "missing_episode.list")
    now = timezone.now()
    episodes = list(
        MissingEpisode.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("return_interview", "reported_by_agency")
    )
    rows = [(e, clock_for(e, interview_of(e), now)) for e in episodes]
    log.record("list", request=request, obj=person, detail={"missing_episodes": [e.pk for e in episodes]})
    return render(
        request,
        "cases/missing_episodes.html",
        {
            "person": person,
            "rows": rows,
            "flag": repeated_episodes([e.started_at for e in episodes], now),
            "can_record": policy.can(request.user, "missing_episode.record", person),
        },
    )


@allowed("missing_episode.record")
def record_missing(request, reference):
    person = find_person(request.user, reference, "missing_episode.record")
    form = forms.MissingEpisodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.record_missing_episode(
                person=person, recorded_by=request.user, audit=request.audit, **form.episode_values()
            )
        except ValidationError as error:
            form.show_problems(error.message_dict)
        else:
            messages.success(request, "The missing episode has been recorded")
            return redirect("cases:missing-episode", episode.pk)
    log.record("view", request=request, obj=person, detail={"page": "record missing episode"})
    return render(request, "cases/record_missing.html", {"person": person, "form": form})


@allowed("missing_episode.view")
def missing_episode(request, pk):
    episode = _episode(request, pk)
    interview = interview_of(episode)
    log.record("view", request=request, obj=episode, person=episode.person_id)
    indicators = {i["code"]: i for i in selectors.current_tool_indicators() or ()}
    found = [
        indicators.get(code, {"code": code, "text": code, "domain_name": ""})
        for code in (interview.indicators_found if interview else ())
    ]
    return render(
        request,
        "cases/missing_episode.html",
        {
            "episode": episode,
            "person": episode.person,
            "interview": interview,
            "found": found,
            "clock": clock_for(episode, interview, timezone.now()),
            "can_update": policy.can(request.user, "missing_episode.update", episode),
        },
    )


@allowed("missing_episode.update")
def record_return(request, pk):
    episode = _episode(request, pk, "missing_episode.update")
    if episode.ended_at is not None:
        messages.info(request, "Their return has already been recorded")
        return redirect("cases:missing-episode", episode.pk)
    form = forms.ReturnForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(episode, name) for name in services.RETURN_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_return(episode, user=request.user, audit=request.audit, **form.return_values())
        except ValidationError as error:
            form.show_problems(error.message_dict)
        else:
            messages.success(
                request, "Their return has been recorded. The return home interview is due within 72 hours"
            )
            return redirect("cases:missing-episode", episode.pk)
    log.record("view", request=request, obj=episode, person=episode.person_id, detail={"page": "record return"})
    return render(request, "cases/record_return.html", {"episode": episode, "person": episode.person, "form": form})


def _initial_interview(interview):
    if interview is None:
        return {}
    initial = {name: getattr(interview, name) for name in ("outcome", "interviewer", "child_said", "indicators_found")}
    initial["interviewer_agency"] = interview.interviewer_agency_id
    for name in ("offered_at", "held_at"):
        moment = getattr(interview, name)
        if moment is not None:
            local = timezone.localtime(moment)
            initial[f"{name}_date"] = local.date()
            initial[f"{name}_time"] = local.strftime("%H:%M")
    if interview.outcome == ReturnInterview.Outcome.NOT_YET_OFFERED:
        del initial["outcome"]
    return initial


@allowed("missing_episode.update")
def return_interview(request, pk):
    episode = _episode(request, pk, "missing_episode.update")
    if episode.ended_at is None:
        messages.info(request, "Record their return first: the interview is offered once they are back")
        return redirect("cases:missing-episode", episode.pk)
    interview = interview_of(episode)
    indicators = selectors.current_tool_indicators()
    form = forms.ReturnInterviewForm(
        request.POST if request.method == "POST" else None, indicators=indicators, initial=_initial_interview(interview)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_return_interview(episode, user=request.user, audit=request.audit, **form.interview_values())
        except ValidationError as error:
            form.show_problems(error.message_dict)
        else:
            messages.success(request, "The return home interview has been recorded")
            return redirect("cases:missing-episode", episode.pk)
    log.record("view", request=request, obj=episode, person=episode.person_id, detail={"page": "return home interview"})
    return render(
        request,
        "cases/return_interview.html",
        {
            "episode": episode,
            "person": episode.person,
            "form": form,
            "no_tool": indicators is None,
            "clock": clock_for(episode, interview, timezone.now()),
        },
    )


# ---------------------------------------------------------------- cases
