"""Importing historic intelligence from an earlier system, as CSV.

All or nothing: every row is checked first, and if any row is wrong nothing
is imported and each wrong row is reported with what is wrong with it. Old
reports keep the grading they were given, 5x5x5 included, and are shown as
such; the sharing rules read a legacy handling code as its 3x5x2 equivalent.

An import is a background job (hoth.jobs), so that a file of 20,000 rows
never holds the database for a minute:

1. the page checks the file itself (encoding, header, number of rows) at
   once, keeps it, queues the job and shows the job's page;
2. the job checks every row and writes the good ones to a staging table
   (StagedReport) and the problems to the job, in batches of BATCH rows,
   each in a short transaction of its own, reporting progress as it goes;
3. if no row was rejected, it publishes every staged row into the real
   tables in one short transaction (INSERT ... SELECT from the staging
   table, then the harm types and agencies shared with in bulk) and writes
   the audit event; otherwise it publishes nothing, and the job's page
   lists every problem with its row;
4. the staging rows are removed however the job ended.

Columns (a header row is required; order does not matter):

    reference, agency, submitted_on, what, happened_on, where, postcode, who,
    how_known, harm_types, scheme, source_evaluation, intelligence_assessment,
    handling_code, handling_conditions, shared_with, sanitised

`harm_types` and `shared_with` take several values separated by ";" (harm
type codes, agency names). Dates are YYYY-MM-DD.
"""

import csv
import io
import time as clock
from datetime import date, datetime, time

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from hoth.access import policy
from hoth.accounts.models import Agency
from hoth.analytics.identifiers import normalise_postcode
from hoth.audit import log
from hoth.contexts.geography import locate
from hoth.jobs import services as jobs
from hoth.jobs.models import JobProblem
from hoth.jobs.registry import JobFailed
from hoth.jobs.selectors import input_bytes
from hoth.people.models import new_reference
from hoth.referrals.models import HarmType

from . import grading
from .models import IntelligenceReport, StagedReport, StagedReportHarm, StagedReportShare
from .services import grading_problems

KIND = "intelligence.import"

REQUIRED = (
    "reference",
    "agency",
    "submitted_on",
    "what",
    "scheme",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
    "sanitised",
)
COLUMNS = REQUIRED + (
    "happened_on",
    "where",
    "postcode",
    "who",
    "how_known",
    "harm_types",
    "handling_conditions",
    "shared_with",
)
MAX_ROWS = 20_000
# Rows checked and staged per transaction: small enough that a batch holds
# SQLite's write lock for milliseconds, large enough that bulk inserts pay.
BATCH = 500
# Where csv puts the values of a row that has more of them than the header has columns.
EXTRA = "\x00extra"


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


def read_file(raw):
    """(rows, None) for a file whose encoding, header and size are right, or
    (None, what is wrong with it): checked while the person waits."""
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
    try:
        rows = [
            {(k or "").strip().lower(): v if k == EXTRA else (v or "").strip() for k, v in row.items()}
            for row in reader
        ]
    except csv.Error as error:
        # Nothing after this point of the file can be read, so the file as a whole is refused. The
        # reader has counted the lines of the rows it finished: the one it failed on starts on the next.
        line = reader.line_num + 1
        if "field larger than field limit" in str(error):
            return None, (
                f"Line {line} has a value longer than {csv.field_size_limit():,} characters: "
                "check the file is the CSV export, with every long text between double quotes"
            )
        return None, f"Line {line} cannot be read as CSV ({error}): check the file is the CSV export"
    if not rows:
        return None, "The file has no rows after the header"
    if len(rows) > MAX_ROWS:
        return None, f"Import at most {MAX_ROWS:,} rows at a time"
    return rows, None


def check_row(row, *, agencies, harm_types, seen, imported, gradings=None):
    """(fields for the report, harm types, agencies shared with, problems).
    `imported`: the references already imported, read once for the file.
    `gradings`: a dict kept for the file, remembering what each grading's
    check found (a file repeats a few dozen gradings thousands of times)."""
    problems = []
    if row.get(EXTRA):
        problems.append(
            (
                "",
                "The row has more values than the header has columns: put any text with a comma "
                "in it between double quotes",
            )
        )
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
        conditions, sharing = row.get("handling_conditions", ""), [a for a in shared if a]
        key = (
            scheme,
            row["source_evaluation"],
            row["intelligence_assessment"],
            row["handling_code"],
            bool(conditions.strip()),
            bool(sharing),
        )
        gradings = {} if gradings is None else gradings
        if key not in gradings:
            gradings[key] = grading_problems(*key[:4], conditions=conditions, shared_with=sharing)
        problems += list(gradings[key].items())
    fields = {
        "imported_reference": reference,
        "submitted_by_agency": agency,
        "what": row.get("what", ""),
        "happened_on": happened_on,
        "where": row.get("where", ""),
        "postcode": postcode,
        "who": row.get("who", ""),
        "how_known": how_known,
        "scheme": scheme,
        "source_evaluation": row.get("source_evaluation", ""),
        "intelligence_assessment": row.get("intelligence_assessment", ""),
        "handling_code": row.get("handling_code", ""),
        "handling_conditions": row.get("handling_conditions", ""),
        "sanitised": row.get("sanitised", ""),
        "submitted_at": timezone.make_aware(datetime.combine(submitted_on, time(9))) if submitted_on else None,
    }
    return fields, [harm_types[c] for c in codes if c in harm_types], [a for a in shared if a], problems


def start_import(user, upload):
    """Check the file itself now, then queue its import; return the job.
    Raises ValidationError, for the form, when the file cannot be imported
    at all."""
    policy.check(user, "intelligence.import")
    raw = upload.read()
    rows, problem = read_file(raw)
    if problem:
        raise ValidationError(problem)
    return jobs.start(
        KIND,
        user=user,
        title=f"Import of historic intelligence from {upload.name}",
        total=len(rows),
        unit="rows checked",
        params={"file": upload.name, "rows": len(rows)},
        input=(upload.name, "text/csv", raw),
    )


def run_import(job, progress):
    """The job (see the module's docstring): check and stage every row, then
    publish them all or none."""
    user = job.user
    policy.check(user, "intelligence.import")  # they may have lost the role since they asked
    rows, problem = read_file(input_bytes(job))
    if problem:
        raise JobFailed(f"Nothing was imported: {problem}")
    problems = stage(job, rows, progress)
    if problems:
        raise JobFailed(f"Nothing was imported: {problems:,} problem{'s' if problems != 1 else ''} in the file")
    progress.stage("Adding the reports to the service")
    started = clock.perf_counter()
    imported = publish(job, user)
    seconds = clock.perf_counter() - started
    return {
        "summary": f"{imported:,} report{'s' if imported != 1 else ''} imported",
        "count": imported,
        "url": f"{reverse('intelligence:list')}?status=graded&source=import",
        "link_text": "See the imported reports",
        "publish_seconds": round(seconds, 3),
    }


def stage(job, rows, progress):
    """Check every row, a batch at a time: good rows to the staging table
    (only while no row has been rejected: after that nothing will be
    published, so rows are only checked), problems to the job. Returns the
    number of problems."""
    progress.stage("Checking the rows", total=len(rows), unit="rows checked")
    agencies = {a.name.lower(): a for a in Agency.objects.all()}
    harm_types = {h.code: h for h in HarmType.objects.all()}
    seen, places, gradings, sharing, problems = set(), {}, {}, {}, 0
    job_id = StagedReport._meta.get_field("job").get_db_prep_save(job.pk, connection)
    for first in range(0, len(rows), BATCH):
        batch = rows[first : first + BATCH]
        references = {row.get("reference", "") for row in batch} - {""}
        imported = set(
            IntelligenceReport.objects.filter(imported_reference__in=references).values_list(
                "imported_reference", flat=True
            )
        )
        staged, harms_of, shares_of, rejected = [], [], [], []
        for number, row in enumerate(batch, start=first + 2):
            fields, harms, shared, found = check_row(
                row, agencies=agencies, harm_types=harm_types, seen=seen, imported=imported, gradings=gradings
            )
            seen.add(row.get("reference", ""))
            if found:
                rejected += [
                    JobProblem(job=job, line=number, column=column, message=message[:500]) for column, message in found
                ]
            elif not problems and not rejected:
                report = _staged(job, number, fields, places)
                staged.append(report)
                harms_of += [(job_id, report.reference, harm.pk) for harm in harms]
                code = (fields["scheme"], fields["handling_code"])
                if code not in sharing:
                    sharing[code] = grading.sharing(*code)
                if sharing[code] == "C":
                    shares_of += [(job_id, report.reference, agency.pk) for agency in shared]
        problems += len(rejected)
        with transaction.atomic():
            if rejected:
                JobProblem.objects.bulk_create(rejected)
            elif staged and not problems:
                StagedReport.objects.bulk_create(staged)
                _insert_rows(StagedReportHarm, ("job", "reference", "harm_type"), harms_of)
                _insert_rows(StagedReportShare, ("job", "reference", "agency"), shares_of)
        progress.advance(first + len(batch))
    return problems


def _insert_rows(model, names, rows):
    """Plain rows into a staging table of three columns: tens of thousands of
    them, for which bulk_create spends longer building model instances than
    the database spends storing them."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})", rows
        )


def _staged(job, line, fields, places):
    postcode = fields["postcode"]
    if postcode and postcode not in places:
        places[postcode] = locate(postcode)
    latitude, longitude = places[postcode] if postcode else (None, None)
    return StagedReport(
        job=job, line=line, reference=new_reference("I"), latitude=latitude, longitude=longitude, **fields
    )


def publish(job, user, now=None):
    """Every staged row of the job into IntelligenceReport, with its harm
    types and sharing (three INSERT ... SELECT), and the audit event, in one
    transaction; return the number imported. Refuses, publishing nothing, if
    another import took any of the file's references after they were checked."""
    now = now or timezone.now()
    staged = StagedReport.objects.filter(job=job)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Foreign keys are checked as the rows go in, not all at COMMIT:
                # the audit event, written last, takes the audit chain's lock,
                # which every audited page then waits for until this commits.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            taken = set(
                IntelligenceReport.objects.filter(
                    imported_reference__in=staged.values("imported_reference")
                ).values_list("imported_reference", flat=True)
            )
            if not taken:
                count = _copy_reports(job, user, now)
                _copy_links(job, IntelligenceReport.harm_types.through, StagedReportHarm, "harm_type")
                _copy_links(job, IntelligenceReport.shared_with.through, StagedReportShare, "agency")
                log.record(
                    "create",
                    user=user,
                    detail={
                        "imported": "intelligence",
                        "count": count,
                        "job": str(job.pk),
                        "references": list(staged.order_by("line").values_list("reference", flat=True)[:1000]),
                    },
                )
    except IntegrityError:
        raise JobFailed(
            "Nothing was imported: another import added some of the same reports at the same moment. "
            "Import the file again to see which rows are already imported."
        ) from None
    if taken:
        lines = staged.filter(imported_reference__in=taken).values_list("line", "imported_reference")
        JobProblem.objects.bulk_create(
            [
                JobProblem(job=job, line=line, column="reference", message=f"{reference} has already been imported")
                for line, reference in lines
            ]
        )
        raise JobFailed(
            f"Nothing was imported: {len(taken):,} of the file's reports were imported by someone else "
            "while it was being checked"
        )
    return count


# What every imported report is given, beside what its row says.
def _given(user, now):
    return {
        "status": IntelligenceReport.Status.GRADED,
        "source": IntelligenceReport.Source.IMPORT,
        "submitted_by": user.pk,
        "graded_by": user.pk,
        "graded_at": now,
        "how_known_detail": "",
        "happened_at_time": None,
        "place": None,
        "about_person": None,
    }


def _copy_reports(job, user, now):
    """INSERT INTO the reports SELECT FROM the staging rows: the rows never
    pass through Python, and their encrypted texts are copied as they are.
    A column of IntelligenceReport that is neither staged nor given stops
    the import, rather than leaving a new field empty without anyone noticing."""
    given = _given(user, now)
    staged_columns = {f.column for f in StagedReport._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns, values, params = [], [], []
    for field in IntelligenceReport._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.name in given:
            values.append("%s")
            params.append(field.get_db_prep_save(given[field.name], connection))
        elif field.column in staged_columns:
            values.append(quote(field.column))
        else:
            raise ImproperlyConfigured(f"IntelligenceReport.{field.name} is neither staged nor given on import")
    job_field = StagedReport._meta.get_field("job")
    params.append(job_field.get_db_prep_save(job.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(IntelligenceReport._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {quote(StagedReport._meta.db_table)} "
            f"WHERE {quote(job_field.column)} = %s ORDER BY {quote('line')}",
            params,
        )
        return cursor.rowcount


def _copy_links(job, through, staged, target):
    """INSERT INTO a report's many-to-many table SELECT FROM its staging
    table, joined to the reports just published by their reference."""
    quote = connection.ops.quote_name
    report_field, target_field = (
        next(f for f in through._meta.concrete_fields if f.related_model is model)
        for model in (IntelligenceReport, staged._meta.get_field(target).related_model)
    )
    job_field = staged._meta.get_field("job")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(through._meta.db_table)} ({quote(report_field.column)}, {quote(target_field.column)}) "
            f"SELECT report.{quote('id')}, staged.{quote(staged._meta.get_field(target).column)} "
            f"FROM {quote(staged._meta.db_table)} staged "
            f"JOIN {quote(IntelligenceReport._meta.db_table)} report ON report.{quote('reference')} = "
            f"staged.{quote('reference')} WHERE staged.{quote(job_field.column)} = %s",
            [job_field.get_db_prep_save(job.pk, connection)],
        )


def clear_staging(job):
    for model in (StagedReportHarm, StagedReportShare, StagedReport):
        model.objects.filter(job=job).delete()
