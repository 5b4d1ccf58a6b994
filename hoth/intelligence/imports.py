"""Importing historic intelligence from an earlier system, as CSV.

All or nothing: every row is checked first, and if any row is wrong nothing
is imported and each wrong row is reported with what is wrong with it. Old
reports keep the grading they were given, 5x5x5 included, and are shown as
such; the sharing rules read a legacy handling code as its 3x5x2 equivalent.

Columns (a header row is required; order does not matter):

    reference, agency, submitted_on, what, happened_on, where, postcode, who,
    how_known, harm_types, scheme, source_evaluation, intelligence_assessment,
    handling_code, handling_conditions, shared_with, sanitised

`harm_types` and `shared_with` take several values separated by ";" (harm
type codes, agency names). Dates are YYYY-MM-DD.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Agency
from hoth.analytics.identifiers import normalise_postcode
from hoth.audit import log
from hoth.contexts.geography import locate
from hoth.referrals.models import HarmType

from . import grading
from .models import IntelligenceReport
from .services import grading_problems

REQUIRED = ("reference", "agency", "submitted_on", "what", "scheme", "source_evaluation",
            "intelligence_assessment", "handling_code", "sanitised")
COLUMNS = REQUIRED + ("happened_on", "where", "postcode", "who", "how_known", "harm_types", "handling_conditions",
                      "shared_with")
MAX_ROWS = 20_000
# Where csv puts the values of a row that has more of them than the header has columns.
EXTRA = "\x00extra"


@dataclass
class Rejected:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ImportResult:
    imported: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    rows: int = 0


def _date(value, column, problems):
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        problems.append((column, f"'{value}' is not a date written YYYY-MM-DD"))
        return None
    if parsed > timezone.localdate():
        problems.append((column, "The date must be today or in the past"))
    return parsed


def _read(upload):
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "The file must be CSV saved as UTF-8"
    if "\x00" in text:
        return None, "The file must be a CSV file: this one holds characters a CSV file cannot (is it a spreadsheet?)"
    reader = csv.DictReader(io.StringIO(text), restkey=EXTRA)
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        return None, f"The header row must name the columns {', '.join(missing)}"
    unknown = sorted(headers - set(COLUMNS))
    if unknown:
        return None, f"Unknown columns: {', '.join(unknown)}"
    rows = [{(k or "").strip().lower(): v if k == EXTRA else (v or "").strip() for k, v in row.items()}
            for row in reader]
    if not rows:
        return None, "The file has no rows after the header"
    if len(rows) > MAX_ROWS:
        return None, f"Import at most {MAX_ROWS:,} rows at a time"
    return rows, None


def check_row(row, *, agencies, harm_types, seen, imported):
    """(fields for the report, harm types, agencies shared with, problems).
    `imported`: the references already imported, read once for the file."""
    problems = []
    if row.get(EXTRA):
        problems.append(("", "The row has more values than the header has columns: put any text with a comma "
                             "in it between double quotes"))
    for column in REQUIRED:
        if not row.get(column):
            problems.append((column, f"Enter the {column.replace('_', ' ')}"))
    reference = row.get("reference", "")
    if reference in seen:
        problems.append(("reference", f"{reference} appears twice in the file"))
    elif reference in imported:
        problems.append(("reference", f"{reference} has already been imported"))
    agency = agencies.get(row.get("agency", "").lower())
    if row.get("agency") and agency is None:
        problems.append(("agency", f"'{row['agency']}' is not an agency of the partnership"))
    submitted_on = _date(row.get("submitted_on"), "submitted_on", problems)
    happened_on = _date(row.get("happened_on"), "happened_on", problems)
    how_known = row.get("how_known") or IntelligenceReport.HowKnown.RECORD
    if how_known not in IntelligenceReport.HowKnown.values:
        problems.append(("how_known", f"how_known must be one of {', '.join(IntelligenceReport.HowKnown.values)}"))
    codes = [c.strip() for c in row.get("harm_types", "").split(";") if c.strip()]
    unknown_harms = [c for c in codes if c not in harm_types]
    if unknown_harms:
        problems.append(("harm_types", f"Unknown harm types: {', '.join(unknown_harms)}"))
    postcode = ""
    if row.get("postcode"):
        postcode = normalise_postcode(row["postcode"]) or ""
        if not postcode:
            problems.append(("postcode", f"'{row['postcode']}' is not a postcode"))
    shared = [agencies.get(name.strip().lower()) for name in row.get("shared_with", "").split(";") if name.strip()]
    if None in shared:
        problems.append(("shared_with", "shared_with names an agency that is not in the partnership"))
    scheme = row.get("scheme", "")
    if scheme and all(row.get(c) for c in ("source_evaluation", "intelligence_assessment", "handling_code")):
        for column, message in grading_problems(
                scheme, row["source_evaluation"], row["intelligence_assessment"], row["handling_code"],
                conditions=row.get("handling_conditions", ""), shared_with=[a for a in shared if a]).items():
            problems.append((column, message))
    fields = {
        "imported_reference": reference, "submitted_by_agency": agency, "what": row.get("what", ""),
        "happened_on": happened_on, "where": row.get("where", ""), "postcode": postcode, "who": row.get("who", ""),
        "how_known": how_known, "scheme": scheme, "source_evaluation": row.get("source_evaluation", ""),
        "intelligence_assessment": row.get("intelligence_assessment", ""),
        "handling_code": row.get("handling_code", ""), "handling_conditions": row.get("handling_conditions", ""),
        "sanitised": row.get("sanitised", ""),
        "submitted_at": timezone.make_aware(datetime.combine(submitted_on, time(9))) if submitted_on else None,
    }
    return fields, [harm_types[c] for c in codes if c in harm_types], [a for a in shared if a], problems


def import_intelligence(user, upload, *, request=None):
    """Import the file's reports, or none of them (see the module's docstring)."""
    policy.check(user, "intelligence.import")
    result = ImportResult()
    rows, problem = _read(upload)
    if problem:
        result.rejected.append(Rejected(1, "", problem))
        return result
    result.rows = len(rows)
    agencies = {a.name.lower(): a for a in Agency.objects.all()}
    harm_types = {h.code: h for h in HarmType.objects.all()}
    references = sorted({row.get("reference", "") for row in rows} - {""})
    imported = set(IntelligenceReport.objects.filter(imported_reference__in=references)
                   .values_list("imported_reference", flat=True))
    checked, seen = [], set()
    for number, row in enumerate(rows, start=2):
        fields, harms, shared, problems = check_row(row, agencies=agencies, harm_types=harm_types, seen=seen,
                                                    imported=imported)
        seen.add(row.get("reference", ""))
        result.rejected += [Rejected(number, column, message) for column, message in problems]
        checked.append((fields, harms, shared))
    if result.rejected:
        return result
    with transaction.atomic():
        now = timezone.now()
        for fields, harms, shared in checked:
            lat, lng = locate(fields["postcode"]) if fields["postcode"] else (None, None)
            report = IntelligenceReport.objects.create(
                **fields, latitude=lat, longitude=lng, source=IntelligenceReport.Source.IMPORT,
                status=IntelligenceReport.Status.GRADED, submitted_by=user, graded_by=user, graded_at=now)
            report.harm_types.set(harms)
            if grading.sharing(fields["scheme"], fields["handling_code"]) == "C":
                report.shared_with.set(shared)
            result.imported.append(report)
        log.record("create", request=request, user=user,
                   detail={"imported": "intelligence", "count": len(result.imported),
                           "references": [r.reference for r in result.imported][:1000]})
    return result
