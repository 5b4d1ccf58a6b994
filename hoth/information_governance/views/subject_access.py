"""The data protection officer's pages for subject access requests: the
list, recording a request, the request, finding its person, assembling the
disclosure, reviewing it item by item and changing redactions, the PDF and
JSON downloads, extending the deadline and closing it.

Every page that shows a person's data writes one audit event (the services
write those of the steps themselves).
"""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.audit import log
from hoth.home.forms import apply_errors
from hoth.information_governance import selectors
from hoth.information_governance import subject_access as services
from hoth.information_governance.access import subject_access_people
from hoth.information_governance.forms import (
    AddRedactionForm,
    ChoosePersonForm,
    CloseForm,
    ExtendForm,
    RedactionChangeForm,
    RequestForm,
)
from hoth.information_governance.models import Redaction, RedactionReason, SubjectAccessRequest
from hoth.information_governance.redaction import find_item
from hoth.pdf import pdf_from_html
from hoth.people.forms.register import SearchForm
from hoth.people.models import Person

ACTION = services.ACTION
AREA = services.AREA


def _request(request, reference):
    return policy.find(
        request.user,
        SubjectAccessRequest.objects.select_related("person", "created_by", "assembled_by"),
        ACTION,
        reference=reference,
    )


def _viewed(request, sar, page, **detail):
    log.record(
        "view",
        request=request,
        obj=sar,
        person=sar.person_id,
        detail={"area": AREA, "request": sar.reference, "page": page, **detail},
    )


@allowed(ACTION)
@require_http_methods(["GET"])
def request_list(request):
    today = timezone.localdate()
    show_closed = request.GET.get("closed") == "1"
    requests = SubjectAccessRequest.objects.visible_to(request.user).select_related("person")
    requests = (
        requests.filter(status=SubjectAccessRequest.Status.CLOSED).order_by("-closed_on", "-id")
        if show_closed
        else requests.open()
    )
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    rows = [{"sar": sar, "days_left": sar.days_left(today)} for sar in page]
    log.record(
        "list",
        request=request,
        detail={"area": AREA, "closed": show_closed, "ids": [r["sar"].pk for r in rows]},
        people=[r["sar"].person_id for r in rows if r["sar"].person_id],
    )
    return render(
        request,
        "information_governance/subject_access/list.html",
        {"rows": rows, "page": page, "show_closed": show_closed},
    )


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def request_new(request):
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.record_request(request.user, audit=request.audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Request {sar.reference} recorded: due by {sar.due_on:%-d %B %Y}")
            return redirect("subject_access:detail", reference=sar.reference)
    return render(request, "information_governance/subject_access/new.html", {"form": form})


@allowed(ACTION)
@require_http_methods(["GET"])
def request_detail(request, reference):
    sar = _request(request, reference)
    _viewed(request, sar, "request")
    return render(
        request,
        "information_governance/subject_access/detail.html",
        {
            "sar": sar,
            "days_left": sar.days_left(),
            "days_over": -sar.days_left(),
            "redactions": sar.redactions.count(),
            "changed": sar.redactions.exclude(changed_by=None).count(),
        },
    )


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def find_person(request, reference):
    sar = _request(request, reference)
    if sar.is_closed:
        return redirect("subject_access:detail", reference=sar.reference)
    form = SearchForm(request.GET or None)
    if request.method == "POST":
        chosen = ChoosePersonForm(request.POST)
        person = (
            subject_access_people(request.user, Person.objects)
            .filter(reference=chosen.cleaned_data["reference"])
            .first()
            if chosen.is_valid()
            else None
        )
        if person is not None:
            services.choose_person(request.user, sar, person, audit=request.audit)
            messages.success(request, f"{person.reference} is the person the request is about")
            return redirect("subject_access:detail", reference=sar.reference)
        _viewed(request, sar, "find the person")
        return render(
            request,
            "information_governance/subject_access/find.html",
            {
                "sar": sar,
                "form": SearchForm(),
                "matches": None,
                "choice_error": "That person is not on the register: search again",
            },
        )
    matches = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        matches = services.find_people(
            request.user,
            sar,
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            identifier=data["identifier"],
            phone=data["phone"],
            audit=request.audit,
        )
    else:
        _viewed(request, sar, "find the person")
    return render(
        request, "information_governance/subject_access/find.html", {"sar": sar, "form": form, "matches": matches}
    )


@allowed(ACTION)
@require_http_methods(["POST"])
def assemble(request, reference):
    sar = _request(request, reference)
    try:
        services.assemble(request.user, sar, audit=request.audit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("subject_access:detail", reference=sar.reference)
    messages.success(
        request,
        "Everything held about them has been assembled, with third parties and "
        "sensitive intelligence redacted by default",
    )
    return redirect("subject_access:disclosure", reference=sar.reference)


def _content(sar):
    content = sar.content
    if content is None:
        raise Http404("The disclosure has not been assembled")
    return content


@allowed(ACTION)
@require_http_methods(["GET"])
def disclosure(request, reference):
    """The disclosure, a section at a time, with its contents on the left."""
    sar = _request(request, reference)
    content = _content(sar)
    redactor = selectors.redactor(sar)
    sections = redactor.sections(content)
    keys = [s.key for s in sections]
    current = request.GET.get("section") if request.GET.get("section") in keys else keys[0]
    section = next(s for s in sections if s.key == current)
    _viewed(request, sar, "disclosure", section=current, items=[i.key for i in section.items])
    return render(
        request,
        "information_governance/subject_access/disclosure.html",
        {
            "sar": sar,
            "sections": sections,
            "section": section,
            "contents": [
                {
                    "key": s.key,
                    "title": s.title,
                    "items": len(s.items),
                    "redactions": sum(i.redaction_count for i in s.items),
                }
                for s in sections
            ],
        },
    )


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def disclosure_item(request, reference, item_key):
    """One item, its redactions each with a way to change it, and a form to redact more."""
    sar = _request(request, reference)
    content = _content(sar)
    section, raw = find_item(content, item_key)
    if raw is None:
        raise Http404("No such item")
    form = AddRedactionForm(request.POST if request.method == "POST" else None, item=raw)
    if request.method == "POST" and form.is_valid():
        what = form.cleaned_data["what"]
        try:
            services.add_redaction(
                request.user,
                sar,
                item_key="" if what == "words" else item_key,
                field_key=what.removeprefix("field:") if what.startswith("field:") else "",
                words=form.cleaned_data["words"] if what == "words" else "",
                reason_code=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                audit=request.audit,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Redaction added")
            return redirect("subject_access:item", reference=sar.reference, item_key=item_key)
    redactor = selectors.redactor(sar)
    item = redactor.item(raw)
    _viewed(request, sar, "item", item=item_key)
    return render(
        request,
        "information_governance/subject_access/item.html",
        {
            "sar": sar,
            "section": section,
            "raw": raw,
            "item": item,
            "form": form,
            "word_redactions": sar.redactions.filter(pk__in=_words_applied(item), item_key="").select_related("reason"),
            "released": sar.redactions.filter(item_key=item_key, is_redacted=False).select_related("reason"),
        },
    )


def _words_applied(item):
    """The words redactions that black out something in this item."""
    parts = list(item.title_parts) + [p for f in item.fields if f.redaction is None for p in f.parts]
    return {p["redaction"] for p in parts if "redaction" in p}


@allowed(ACTION)
@require_http_methods(["GET"])
def redaction_list(request, reference):
    sar = _request(request, reference)
    content = _content(sar)
    redactor = selectors.redactor(sar)
    counts = redactor.occurrences(content)
    titles = {i["key"]: i["title"] for s in content["sections"] for i in s["items"]}
    labels = {(i["key"], f["key"]): f["label"] for s in content["sections"] for i in s["items"] for f in i["fields"]}
    rows = []
    for r in sar.redactions.select_related("reason", "changed_by"):
        rows.append(
            {
                "redaction": r,
                "where": titles.get(r.item_key, ""),
                "field": labels.get((r.item_key, r.field_key), ""),
                "places": counts.get(r.pk, 0),
            }
        )
    _viewed(request, sar, "redactions")
    return render(request, "information_governance/subject_access/redactions.html", {"sar": sar, "rows": rows})


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def redaction_change(request, reference, pk):
    sar = _request(request, reference)
    redaction = get_object_or_404(Redaction.objects.select_related("reason"), pk=pk, request=sar)
    content = _content(sar)
    initial = {
        "decision": "redact" if redaction.is_redacted else "release",
        "reason": redaction.reason.code if redaction.reason else "",
    }
    form = RedactionChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_redaction(
                request.user,
                sar,
                redaction,
                redact=form.cleaned_data["decision"] == "redact",
                reason_code=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                audit=request.audit,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Redaction changed")
            if redaction.item_key:
                return redirect("subject_access:item", reference=sar.reference, item_key=redaction.item_key)
            return redirect("subject_access:redactions", reference=sar.reference)
    _section, raw = find_item(content, redaction.item_key) if redaction.item_key else (None, None)
    field = next((f for f in raw["fields"] if f["key"] == redaction.field_key), None) if raw else None
    _viewed(request, sar, "redaction", redaction=redaction.pk)
    return render(
        request,
        "information_governance/subject_access/redaction.html",
        {
            "sar": sar,
            "redaction": redaction,
            "form": form,
            "raw": raw,
            "field": field,
            "back": (
                reverse("subject_access:item", args=[sar.reference, redaction.item_key])
                if redaction.item_key
                else reverse("subject_access:redactions", args=[sar.reference])
            ),
        },
    )


def _filename(sar, extension):
    return f"subject-access-{sar.reference}-{timezone.localdate():%Y-%m-%d}.{extension}"


@allowed(ACTION)
@require_http_methods(["GET"])
def export_pdf(request, reference):
    sar = _request(request, reference)
    _content(sar)
    sections = services.export(request.user, sar, "pdf", audit=request.audit)
    html = render_to_string("information_governance/subject_access/document.html", document_context(sar, sections))
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(sar, "pdf")}"'
    return response


def document_context(sar, sections):
    reasons = RedactionReason.objects.filter(pk__in=sar.redactions.filter(is_redacted=True).values("reason")).order_by(
        "position"
    )
    return {
        "sar": sar,
        "sections": sections,
        "reasons": reasons,
        "today": timezone.localdate(),
        "partnership_name": settings.PARTNERSHIP_NAME,
    }


@allowed(ACTION)
@require_http_methods(["GET"])
def export_json(request, reference):
    sar = _request(request, reference)
    _content(sar)
    sections = services.export(request.user, sar, "json", audit=request.audit)
    body = json.dumps(selectors.machine_readable(sar, sections), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(sar, "json")}"'
    return response


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def extend(request, reference):
    sar = _request(request, reference)
    form = ExtendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend(request.user, sar, reason=form.cleaned_data["reason"], audit=request.audit)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Deadline extended to {sar.extended_to:%-d %B %Y}")
            return redirect("subject_access:detail", reference=sar.reference)
    _viewed(request, sar, "extend")
    return render(request, "information_governance/subject_access/extend.html", {"sar": sar, "form": form})


@allowed(ACTION)
@require_http_methods(["GET", "POST"])
def close(request, reference):
    sar = _request(request, reference)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close(request.user, sar, audit=request.audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Request {sar.reference} closed")
            return redirect("subject_access:detail", reference=sar.reference)
    _viewed(request, sar, "close")
    return render(request, "information_governance/subject_access/close.html", {"sar": sar, "form": form})
