"""Auditors' search of the audit log, its CSV export, and each person's
"who has seen this record". Reading the log is itself written to the log."""

import csv
import json
from datetime import UTC

from django.apps import apps
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hoth.access import policy
from hoth.access.decorators import allowed
from hoth.accounts.models import Role
from hoth.people.models import Person

from .forms import AuditSearchForm
from .log import record
from .models import Action, AuditEvent

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
# detail["area"] tells reading the log apart from reading a record.
AREA_AUDIT_LOG = "audit log"
AREA_ACCESS_HISTORY = "access history"


def _page(request, events):
    return Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))


def _page_links(request, page):
    """Previous/next links that keep the filters."""

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}"

    return {
        "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
    }


def _role_labels(codes):
    labels = {value: label for value, label in Role.choices}
    return [labels.get(code, code) for code in codes.split(",") if code]


def _references(person_ids):
    """Person references for the events on a page, in one query. Only the
    reference is read: it names the record without showing anything in it."""
    ids = {pid for pid in person_ids if pid is not None}
    if not ids:
        return {}
    return dict(Person.objects.filter(pk__in=ids).values_list("pk", "reference"))


def _kind_of_record(label):
    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


@allowed("audit.search")
def search(request):
    form = AuditSearchForm(request.GET)
    context = {"form": form, "rows": [], "page": None}
    if form.is_valid():
        page = _page(request, form.events().select_related("user"))
        references = _references(event.person_id for event in page)
        context["rows"] = [
            {
                "event": event,
                "name": event.user.full_name if event.user else "",
                "roles": _role_labels(event.roles),
                "kind": _kind_of_record(event.object_type),
                "reference": references.get(event.person_id, ""),
                "shown": len(event.detail.get("person_ids", [])) if isinstance(event.detail, dict) else 0,
            }
            for event in page
        ]
        context["page"] = page
        context.update(_page_links(request, page))
        context["export_query"] = request.GET.urlencode()
        context["filtered"] = bool(form.filters())
        # The people named by reference on the page are not recorded as "shown":
        # the table shows who did what, nothing from their records.
        record(
            "search",
            request=request,
            person=form.person_id,
            detail={
                "area": AREA_AUDIT_LOG,
                "filters": form.filters(),
                "page": page.number,
                "ids": [event.pk for event in page],
            },
        )
    return render(request, "audit/search.html", context)


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    """Text a spreadsheet will not run as a formula (CSV injection): reasons are typed by users."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_lines(events):
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            "Event",
            "Time (UTC)",
            "User",
            "Name",
            "Agency",
            "Roles",
            "Action",
            "Type of record",
            "Record",
            "Person reference",
            "Reason",
            "IP address",
            "Detail",
            "Hash",
        ]
    )
    # Keyset chunks keep memory flat however large the export.
    upper = None
    while True:
        chunk_query = events if upper is None else events.filter(id__lt=upper)
        chunk = list(chunk_query.select_related("user")[:EXPORT_CHUNK])
        if not chunk:
            return
        references = _references(event.person_id for event in chunk)
        for event in chunk:
            yield writer.writerow(
                _cell(v)
                for v in [
                    event.pk,
                    event.at.astimezone(UTC).isoformat(),
                    event.actor,
                    event.user.full_name if event.user else "",
                    event.agency,
                    ", ".join(_role_labels(event.roles)),
                    event.get_action_display(),
                    event.object_type,
                    event.object_id,
                    references.get(event.person_id, ""),
                    event.reason,
                    event.ip_address,
                    json.dumps(event.detail, sort_keys=True),
                    event.hash,
                ]
            )
        upper = chunk[-1].pk


@allowed("audit.search")
def export(request):
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/search.html", {"form": form, "rows": [], "page": None})
    # Fix the end of the export before recording it: the log only grows, so the
    # filters plus this last id say exactly which rows the file holds.
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    events = form.events().filter(id__lte=newest)
    count = events.count()
    record(
        "export",
        request=request,
        person=form.person_id,
        detail={
            "area": AREA_AUDIT_LOG,
            "format": "csv",
            "filters": form.filters(),
            "up_to_id": newest,
            "count": count,
        },
    )
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


def what_happened(event, person_id):
    """One line a lead professional or a family can read: what this event did
    with this person's record."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    area = detail.get("area")
    if event.action == Action.BREAK_GLASS:
        if "rolled_back" in detail:
            # Written again after its transaction rolled back (log.surviving_rollback): the grant never was.
            return "Asked for break-glass access, which failed before it was given"
        return "Opened the record with break-glass access"
    if event.person_id != person_id:
        return {
            Action.SEARCH: "Searched, and this person was shown in the results",
            Action.EXPORT: "Exported a list that included this person",
            Action.PRINT: "Printed a list that included this person",
        }.get(event.action, "Was shown this person in a list")
    if area == AREA_ACCESS_HISTORY:
        return "Looked at who has seen this record"
    if area == AREA_AUDIT_LOG:
        if event.action == Action.EXPORT:
            return "Downloaded the audit log for this person"
        return "Searched the audit log for this person"
    kind = _kind_of_record(event.object_type)
    about = "the record" if event.object_type in ("", "people.Person") else f"the {kind}"
    return {
        Action.VIEW: f"Viewed {about}",
        Action.LIST: "Was shown this person in a list",
        Action.SEARCH: "Searched for this person",
        Action.EXPORT: f"Exported {about}",
        Action.PRINT: f"Printed {about}",
        Action.CREATE: f"Added {about}",
        Action.UPDATE: f"Changed {about}",
        Action.DELETE: f"Deleted {about}",
        Action.ACCESS_DENIED: "Was refused access to the record",
    }.get(event.action, event.get_action_display())


@allowed("person.view_access_history")
def person_access(request, reference):
    # Person.objects, not visible_to(user): an auditor answering a subject
    # access request cannot see people through visible_to (their role reads the
    # log, not records), yet must see this page. The person.access_history rule
    # is the decision: it lets auditors in, and lets casework roles in only for
    # people they can see and lead on (or coordinate). Only the reference, and
    # the name for those allowed to view the record, is shown.
    person = get_object_or_404(Person.objects, reference=reference)
    policy.check(request.user, "person.view_access_history", person)
    events = AuditEvent.objects.filter(people__person_id=person.pk)
    page = _page(request, events.select_related("user").order_by("-id"))
    rows = [
        {
            "event": event,
            "name": event.user.full_name if event.user else event.actor,
            "roles": _role_labels(event.roles),
            "what": what_happened(event, person.pk),
            "break_glass": event.action == Action.BREAK_GLASS,
        }
        for event in page
    ]
    can_view = policy.can(request.user, "person.view", person)
    try:
        record_url = reverse("people:detail", args=[person.reference]) if can_view else ""
    except NoReverseMatch:
        record_url = ""
    context = {
        "person": person,
        "can_view": can_view,
        "record_url": record_url,
        "rows": rows,
        "page": page,
        "break_glass_count": events.filter(action=Action.BREAK_GLASS).count(),
        **_page_links(request, page),
    }
    record(
        "view",
        request=request,
        obj=person,
        detail={"area": AREA_ACCESS_HISTORY, "page": page.number, "ids": [event.pk for event in page]},
    )
    return render(request, "audit/person_access.html", context)
