"""Pages of links: the analysts' queue of proposed links, a link with the
record it rests on, accepting (grading) or rejecting a proposal, and ending
a link that no longer holds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.home.forms import apply_errors
from hoth.intelligence import forms, grading, services
from hoth.intelligence.models import Link
from hoth.intelligence.selectors import RELATED
from hoth.intelligence.views.subjects import _say_alert

PER_PAGE = 25
ENDS = [f"{end}__{related}" for end in ("source", "target") for related in RELATED]


def _people(*links):
    return sorted({s.person_id for link in links for s in (link.source, link.target) if s.person_id})


def _form_page(request, link, form, page):
    """A form about a link names both its ends and why it was proposed: each
    time it is shown is a read."""
    log.record("view", request=request, obj=link, people=_people(link), detail={"page": page})
    return render(request, f"intelligence/link_{page}.html", {"link": link, "form": form})


def get_link(request, pk, action="link.view"):
    links = Link.objects.select_related(
        *ENDS, "intelligence", "referral", "screening", "missing_episode", "created_by", "decided_by"
    )
    return policy.find(request.user, links, action, pk=pk)


@allowed("link.decide")
def proposed(request):
    links = Link.objects.visible_to(request.user).proposed().select_related(*ENDS).order_by("created_at", "pk")
    page = Paginator(links, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    log.record(
        "list", request=request, detail={"links": [link.pk for link in rows], "proposed": True}, people=_people(*rows)
    )
    return render(request, "intelligence/proposed.html", {"page": page, "rows": rows})


@allowed("link.view")
def detail(request, pk):
    link = get_link(request, pk)
    log.record("view", request=request, obj=link, people=_people(link))
    basis = link.basis
    basis_url = None
    if link.intelligence_id and policy.can(request.user, "intelligence.view", link.intelligence):
        basis_url = ("intelligence:detail", link.intelligence.reference)
    elif link.referral_id and policy.can(request.user, "referral.view", link.referral):
        basis_url = ("referrals:detail", link.referral.reference)
    return render(
        request,
        "intelligence/link.html",
        {
            "link": link,
            "basis": basis,
            "basis_url": basis_url,
            "grading_parts": grading.explained(link.scheme, link.source_evaluation, link.intelligence_assessment),
            "can_decide": policy.can(request.user, "link.decide", link),
            "alerts": list(link.alerts.visible_to(request.user)),
        },
    )


@allowed("link.decide")
def accept(request, pk):
    link = get_link(request, pk, "link.decide")
    if link.status != Link.Status.PROPOSED:
        return redirect("links:detail", link.pk)
    form = forms.LinkGradingForm(request.POST or None, initial={"type": link.type, "valid_from": link.valid_from})
    if request.method == "POST" and form.is_valid():
        try:
            link, alert = services.accept_link(request.user, link, audit=request.audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _say_alert(request, alert)
            messages.success(request, "The link is accepted")
            return redirect("links:detail", link.pk)
    return _form_page(request, link, form, "accept")


@allowed("link.decide")
def reject(request, pk):
    link = get_link(request, pk, "link.decide")
    if link.status != Link.Status.PROPOSED:
        return redirect("links:detail", link.pk)
    form = forms.RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reject_link(request.user, link, reason=form.cleaned_data["reason"], audit=request.audit)
        messages.success(request, "The proposed link is rejected")
        return redirect("links:proposed")
    return _form_page(request, link, form, "reject")


@allowed("link.decide")
def end(request, pk):
    link = get_link(request, pk, "link.decide")
    if link.status != Link.Status.ACCEPTED:
        return redirect("links:detail", link.pk)
    form = forms.EndLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_link(request.user, link, valid_to=form.cleaned_data["valid_to"], audit=request.audit)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The link is recorded as ended")
            return redirect("links:detail", link.pk)
    return _form_page(request, link, form, "end")
