"""Erasing a record under the retention schedule: anonymising or deleting it
and everything that is part of it, then taking its names out of every other
record.

What is part of what is declared by each app (`retention.py`, see
record_types). Erasing a person anonymises their register entry (names,
aliases, addresses, identifiers, phones, handles, notes go; year of birth,
sex, ethnicity, first language and needs stay) and every part of their
record (free text emptied; dates, statuses, codes, levels and ratings stay,
so the board's figures do not move); records that are only about them go.

The audit log is never touched: its triggers refuse it, and its hash chain
must still verify afterwards. It holds the person's id, so who saw the
record, and that it was erased, stay accountable.

Free text elsewhere can still name the person (another child's case note,
a report's "who", a named associate). `scrub()` replaces their full names,
distinctive aliases, identifiers, phone numbers and handles in every text
column of the service with "[removed]". It reads every encrypted value once
per review, so it runs once for a whole review, after the records
themselves; until it has run the terms wait, encrypted, on the review's
items (RetentionItem.scrub_terms), and a review that stopped part-way
finishes its scrub on the next run.
"""

import json
import re
from datetime import date

from django.apps import apps
from django.db import models, transaction
from django.db.models import ProtectedError, Q

from hoth.encryption import EncryptedTextField
from hoth.people.models import DobPrecision, Person

from .models import RetentionAction
from .record_types import NoPersonalData, declarations, parts_of

REMOVED = "[removed]"
# Their own rows: other people's names and numbers are theirs, even when
# they match (a duplicate record of the same individual, a shared phone)
# and they go by their own rules. The audit log and the record of erasure
# are never changed.
NOT_SCRUBBED = {
    "people.Person",
    "people.Alias",
    "people.Address",
    "people.Identifier",
    "people.PhoneNumber",
    "people.OnlineHandle",
    "audit.AuditEvent",
    "audit.AuditEventPerson",
    "information_governance.RetentionItem",
    "information_governance.RetentionRule",
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "accounts.User",
}
# Shorter text fields hold codes, references and numbers, not narrative.
FREE_TEXT_MIN_LENGTH = 100
CONDITIONS_PER_QUERY = 200


class CannotErase(Exception):
    pass


# ---------------------------------------------------------------- parts


def _rows(model, part, owner):
    manager = model._base_manager
    if part.where is not None:
        return manager.filter(part.where(owner))
    return manager.filter(**{part.path or "pk": owner.pk})


def _placeholder(model, field_name, pk):
    # Lower case never matches a real registration or an E.164 number.
    return f"x{pk}"[: model._meta.get_field(field_name).max_length]


def apply_parts(owner_kind, owner, *, skip=()):
    """Clear, round, replace or delete everything declared part of `owner`."""
    for model, part in parts_of(owner_kind):
        if model._meta.label in skip:
            continue
        rows = _rows(model, part, owner)
        if part.delete:
            rows.delete()
            continue
        if part.clear:
            # Through the field, so an encrypted field stores its empty value as the field expects.
            ids = list(rows.values_list("pk", flat=True).distinct())
            if ids:
                model._base_manager.filter(pk__in=ids).update(**{name: "" for name in part.clear})
        if part.round:
            for pk, *values in rows.values_list("pk", *part.round):
                model._base_manager.filter(pk=pk).update(
                    **{
                        name: (round(value, 3) if value is not None else None)
                        for name, value in zip(part.round, values)
                    }
                )
        if part.replace:
            for pk in rows.values_list("pk", flat=True):
                model._base_manager.filter(pk=pk).update(
                    **{name: _placeholder(model, name, pk) for name in part.replace}
                )


# ---------------------------------------------------------------- what to look for elsewhere


def _term(text, exact_case=False):
    text = " ".join((text or "").split())
    return {"text": text, "exact_case": exact_case} if len(text) >= 3 else None


def person_terms(person):
    """The names and numbers that identify `person`, to take out of other records.
    A single given or family name alone is too common to remove from
    everyone's notes; a full name, an alias, a number or a handle is not."""
    terms = []
    first = (person.given_names or "").split()[:1]
    for given in {person.given_names, first[0] if first else "", person.preferred_name}:
        if given:
            terms.append(_term(f"{given} {person.family_name}"))
    for alias in person.aliases.all():
        words = alias.name.split()
        # A one-word street name or nickname ("Tiny") is removed where it is
        # written as a name, with its capital, not as an ordinary word.
        terms.append(_term(alias.name, exact_case=len(words) == 1))
    for value in person.identifiers.values_list("value", flat=True):
        terms.append(_term(value))
        spaced = value.replace(" ", "")
        if spaced.isdigit() and len(spaced) == 10:  # an NHS number as people write it: 485 777 3456
            terms.append(_term(f"{spaced[:3]} {spaced[3:6]} {spaced[6:]}"))
    for e164 in person.phone_numbers.values_list("e164", flat=True):
        terms.append(_term(e164))
        if e164.startswith("+44"):
            terms.append(_term("0" + e164[3:]))
    for handle in person.online_handles.values_list("handle", flat=True):
        terms.append(_term(handle.lstrip("@")))
    unique = {}
    for term in terms:
        if term:
            unique[(term["text"].casefold(), term["exact_case"])] = term
    return sorted(unique.values(), key=lambda t: (-len(t["text"]), t["text"]))


def subject_terms(subject):
    if subject.vehicle_id:
        registration = subject.vehicle.registration
        spaced = subject.vehicle.display_registration
        return [t for t in (_term(registration), _term(spaced)) if t]
    if subject.phone_id:
        e164 = subject.phone.e164
        terms = [_term(e164)] + ([_term("0" + e164[3:])] if e164.startswith("+44") else [])
        return [t for t in terms if t]
    return []


def context_terms(context):
    return [t for t in (_term(context.address), _term(context.handle)) if t and context.kind != "school"]


# ---------------------------------------------------------------- owners


def _anonymise_person_row(person):
    dob = person.date_of_birth
    person.given_names, person.family_name, person.preferred_name = "Anonymised", "person", ""
    person.gender = ""
    if dob is not None:
        # The year of birth stays for the figures; the day goes.
        person.date_of_birth, person.dob_precision = date(dob.year, 1, 1), DobPrecision.YEAR
    person.school = None
    person.sensitive_notes = ""
    person.save()


def erase_person(person, action):
    terms = person_terms(person)
    apply_parts("person", person)
    _anonymise_person_row(person)
    if action == RetentionAction.DELETE:
        try:
            with transaction.atomic():
                Person.objects.filter(pk=person.pk).delete()
        except ProtectedError:
            # Another record (a child's referral naming them, a link) still
            # refers to the entry: it stays, anonymised.
            pass
    return terms


def erase_referral(referral, action):
    if action != RetentionAction.ANONYMISE:
        raise CannotErase("A referral is anonymised: meetings, screenings and links refer to it")
    apply_parts("referral", referral)
    return []


def erase_intelligence(report, action):
    from hoth.intelligence.models import Link, LinkAlert

    if action == RetentionAction.ANONYMISE:
        apply_parts("intelligence", report)
        return []
    # Links that rest on it go with it: an association with nothing behind it is not intelligence.
    links = Link.objects.filter(intelligence=report)
    for alert in LinkAlert.objects.filter(link__in=links):
        alert.children.clear()
        alert.persons_of_concern.clear()
        alert.high_level_children.clear()
        alert.told.clear()
        alert.delete()
    links.delete()
    report.delete()
    return []


def erase_subject(subject, action):
    if action != RetentionAction.ANONYMISE:
        raise CannotErase("A vehicle or phone of concern is anonymised: links and disruption refer to it")
    terms = subject_terms(subject)
    apply_parts("subject", subject)
    return terms


def erase_context(context, action):
    if action != RetentionAction.ANONYMISE:
        raise CannotErase("A context is anonymised: referrals, incidents and links refer to it")
    terms = context_terms(context)
    apply_parts("context", context)
    context.name = f"Anonymised {context.get_kind_display().removeprefix('A ').removeprefix('An ').lower()}"
    context.address = context.postcode = context.handle = context.description = ""
    if context.latitude is not None and context.longitude is not None:
        context.latitude, context.longitude = round(context.latitude, 3), round(context.longitude, 3)
    context.save()
    return terms


def erase_incident(incident, action):
    if action == RetentionAction.DELETE:
        incident.delete()
    else:
        apply_parts("incident", incident)
    return []


def erase_request(request, action):
    if action != RetentionAction.DELETE:
        raise CannotErase("A subject access request is deleted")
    request.delete()
    return []


ERASERS = {
    "person": erase_person,
    "referral": erase_referral,
    "intelligence": erase_intelligence,
    "subject": erase_subject,
    "context": erase_context,
    "incident": erase_incident,
    "request": erase_request,
}


def erase(owner_kind, record, action):
    """Erase one record; returns the terms to take out of other records."""
    return ERASERS[owner_kind](record, action)


# ---------------------------------------------------------------- the scrub


def _patterns(terms):
    patterns = []
    for exact_case in (False, True):
        texts = [t["text"] for t in terms if t["exact_case"] == exact_case]
        if texts:
            alternatives = "|".join(re.escape(text).replace(r"\ ", r"\s+") for text in texts)
            flags = 0 if exact_case else re.IGNORECASE
            patterns.append(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags))
    return patterns


def scrub_columns():
    """(model, plain text fields, encrypted fields) for every free-text column
    that may name someone: TextFields and longer CharFields without choices,
    of every model with personal data."""
    declared = declarations()
    for label, entries in sorted(declared.items()):
        if label in NOT_SCRUBBED or all(isinstance(e, NoPersonalData) for e in entries):
            continue
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        plain, encrypted = [], []
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                continue
            if isinstance(field, EncryptedTextField):
                encrypted.append(field.name)
            elif isinstance(field, models.TextField) or (field.max_length or 0) >= FREE_TEXT_MIN_LENGTH:
                plain.append(field.name)
        if plain or encrypted:
            yield model, plain, encrypted


def _scrubbed(value, patterns):
    if not value:
        return value
    for pattern in patterns:
        value = pattern.sub(REMOVED, value)
    return value


def scrub(terms, *, chunk=2000):
    """Replace `terms` wherever they appear in free text. Returns how many
    values were changed."""
    patterns = _patterns(terms)
    if not patterns:
        return 0
    changed = 0
    for model, plain, encrypted in scrub_columns():
        manager = model._base_manager
        if plain:
            # The database finds the few rows with a match (a few words at a
            # time: SQLite refuses very long conditions); Python then checks
            # whole words and case.
            words = sorted({term["text"].split()[0].casefold() for term in terms})
            candidates = set()
            step = max(1, CONDITIONS_PER_QUERY // len(plain))
            for start in range(0, len(words), step):
                condition = Q()
                for word in words[start : start + step]:
                    for name in plain:
                        condition |= Q(**{f"{name}__icontains": word})
                candidates |= set(manager.filter(condition).values_list("pk", flat=True))
            candidates = sorted(candidates)
            for start in range(0, len(candidates), chunk):
                rows = manager.filter(pk__in=candidates[start : start + chunk]).values_list("pk", *plain)
                changed += _rewrite(model, plain, rows, patterns)
        if encrypted:
            # Encrypted text can only be read here, a chunk at a time.
            for name in encrypted:
                rows = manager.exclude(**{name: ""}).values_list("pk", name).order_by("pk").iterator(chunk_size=chunk)
                changed += _rewrite(model, [name], rows, patterns)
    return changed


def _rewrite(model, names, rows, patterns):
    changed = 0
    for pk, *values in rows:
        updates = {}
        for name, value in zip(names, values):
            new = _scrubbed(value, patterns)
            if new != value:
                updates[name] = new
        if updates:
            # An update, not a save: no signal fires and no "last changed" moves;
            # the fields still prepare their values, so encrypted text is encrypted again.
            model._base_manager.filter(pk=pk).update(**updates)
            changed += 1
    return changed


def pending_terms(items):
    terms = {}
    for item in items:
        for term in json.loads(item.scrub_terms) if item.scrub_terms else []:
            terms[(term["text"].casefold(), term["exact_case"])] = term
    return list(terms.values())
