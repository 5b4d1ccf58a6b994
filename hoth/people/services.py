"""Domain operations on the person register. Each runs in one transaction,
checks the policy, writes its FieldChange rows and one audit event. Views, the
API and commands all call these; none of them writes people directly."""

import datetime
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hoth.access import policy
from hoth.access.models import BreakGlass
from hoth.accounts.models import Agency, User
from hoth.audit import log
from hoth.audit.context import AuditContext

from .models import Address, Alias, FieldChange, Identifier, Involvement, OnlineHandle, Person, PhoneNumber
from .selectors import active_lead_professionals

# The Person fields an edit may change, in the order the history shows them.
PERSON_FIELDS = [
    "given_names",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "dob_precision",
    "sex",
    "gender",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "send_status",
    "has_disability",
    "has_learning_disability",
    "care_status",
    "school_id",
    "sensitive_notes",
]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _change(person, user, obj, field, before, after, at):
    return FieldChange(
        person=person,
        model=obj._meta.model_name,
        object_id=str(obj.pk),
        field=field,
        before=_text(before),
        after=_text(after),
        changed_by=user,
        changed_at=at,
    )


def _record_new(person, user, obj, fields, at):
    return [_change(person, user, obj, f, "", getattr(obj, f), at) for f in fields if _text(getattr(obj, f))]


def _record_removed(person, user, obj, fields, at):
    return [_change(person, user, obj, f, getattr(obj, f), "", at) for f in fields if _text(getattr(obj, f))]


@transaction.atomic
def create_person(
    user: User,
    # Cleaned form data: each field's value is of that field's own type.
    data: Mapping[str, Any],
    *,
    audit: AuditContext | None = None,
) -> Person:
    """Record a new person from cleaned NewPersonForm data. The creator is
    involved (RAISED) so that they can see what they recorded."""
    policy.check(user, "person.create")
    person = Person(created_by=user, source_agency=user.agency)
    for field in PERSON_FIELDS:
        if field == "school_id":
            person.school_id = data.get("school") or None
        elif field in data and data[field] is not None:
            setattr(person, field, data[field])
    person.save()
    Involvement.objects.create(person=person, user=user, kind=Involvement.Kind.RAISED)
    if data.get("address_line1"):
        Address.objects.create(
            person=person,
            line1=data["address_line1"],
            line2=data.get("address_line2", ""),
            town=data["address_town"],
            postcode=data["address_postcode"],
            valid_from=timezone.localdate(),
        )
    schemes = [
        ("nhs_number", Identifier.Scheme.NHS),
        ("upn", Identifier.Scheme.UPN),
        ("police_reference", Identifier.Scheme.POLICE),
        ("la_reference", Identifier.Scheme.LOCAL_AUTHORITY),
    ]
    Identifier.objects.bulk_create(
        [
            Identifier(person=person, scheme=scheme, value=data[key], issued_by=user.agency)
            for key, scheme in schemes
            if data.get(key)
        ]
    )
    PhoneNumber.objects.bulk_create([PhoneNumber(person=person, e164=n) for n in data.get("phone_numbers", [])])
    OnlineHandle.objects.bulk_create(
        [OnlineHandle(person=person, platform=p, handle=h) for p, h in data.get("online_handles", [])]
    )
    for name in data.get("aliases", []):
        Alias.objects.create(person=person, name=name, kind=Alias.Kind.ALIAS)
    log.record("create", audit=audit, user=user, obj=person)
    return person


@transaction.atomic
def update_person(
    user: User,
    person: Person,
    # Cleaned form data, as for create_person: only the keys present are changed.
    data: Mapping[str, Any],
    *,
    audit: AuditContext | None = None,
) -> list[FieldChange]:
    """Change the person's own fields; one FieldChange per field that changed."""
    policy.check(user, "person.update", person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    now = timezone.now()
    changes = []
    for field in PERSON_FIELDS:
        key = "school" if field == "school_id" else field
        if key not in data:
            continue
        # Any: a value of the field's own type (a date, a flag, a school's id, text).
        new: Any = data[key] if data[key] is not None or field in ("date_of_birth", "school_id") else ""
        old = getattr(person, field)
        if _text(old) != _text(new):
            if field == "school_id":
                # The history is read by people: record the school's name, not its id.
                names = dict(Agency.objects.filter(pk__in=[old, new]).values_list("pk", "name"))
                changes.append(_change(person, user, person, "school", names.get(old, ""), names.get(new, ""), now))
            else:
                changes.append(_change(person, user, person, field, old, new, now))
            setattr(person, field, new)
    if changes:
        person.save()
        FieldChange.objects.bulk_create(changes)
        log.record("update", audit=audit, user=user, obj=person, detail={"fields": [c.field for c in changes]})
    return changes


def _child_change(user, person, obj, fields, *, removed=False, audit=None, extra=()):
    at = timezone.now()
    rows = (_record_removed if removed else _record_new)(person, user, obj, fields, at)
    FieldChange.objects.bulk_create(rows + list(extra))
    log.record(
        "update",
        audit=audit,
        user=user,
        obj=obj,
        person=person,
        detail={"model": obj._meta.model_name, "removed" if removed else "added": obj.pk},
    )


@transaction.atomic
def add_alias(user: User, person: Person, *, name: str, kind: str, audit: AuditContext | None = None) -> Alias:
    policy.check(user, "person.update", person)
    alias = Alias.objects.create(person=person, name=name, kind=kind)
    _child_change(user, person, alias, ["name", "kind"], audit=audit)
    return alias


@transaction.atomic
def move_address(
    user: User,
    person: Person,
    *,
    line1: str,
    line2: str = "",
    town: str,
    postcode: str,
    valid_from: datetime.date | None = None,
    audit: AuditContext | None = None,
) -> Address:
    """A new current address. The old current address ends the day before the
    move, so the record keeps where they lived and when."""
    policy.check(user, "person.update", person)
    valid_from = valid_from or timezone.localdate()
    at = timezone.now()
    closing = []
    for old in person.addresses.select_for_update().filter(valid_to__isnull=True):
        ends = max(valid_from - timedelta(days=1), old.valid_from or valid_from - timedelta(days=1))
        closing.append(_change(person, user, old, "valid_to", "", ends, at))
        old.valid_to = ends
        old.save(update_fields=["valid_to"])
    address = Address.objects.create(
        person=person, line1=line1, line2=line2, town=town, postcode=postcode, valid_from=valid_from
    )
    _child_change(
        user, person, address, ["line1", "line2", "town", "postcode", "valid_from"], audit=audit, extra=closing
    )
    return address


@transaction.atomic
def add_identifier(
    user: User, person: Person, *, scheme: str, value: str, audit: AuditContext | None = None
) -> Identifier:
    policy.check(user, "person.update", person)
    identifier, created = Identifier.objects.get_or_create(
        person=person, scheme=scheme, value=value, defaults={"issued_by": user.agency}
    )
    if created:
        _child_change(user, person, identifier, ["scheme", "value"], audit=audit)
    return identifier


@transaction.atomic
def add_phone(
    user: User, person: Person, *, e164: str, label: str = "", audit: AuditContext | None = None
) -> PhoneNumber:
    policy.check(user, "person.update", person)
    phone = PhoneNumber.objects.create(person=person, e164=e164, label=label)
    _child_change(user, person, phone, ["e164", "label"], audit=audit)
    return phone


@transaction.atomic
def add_handle(
    user: User, person: Person, *, platform: str, handle: str, audit: AuditContext | None = None
) -> OnlineHandle:
    policy.check(user, "person.update", person)
    item = OnlineHandle.objects.create(person=person, platform=platform, handle=handle)
    _child_change(user, person, item, ["platform", "handle"], audit=audit)
    return item


REMOVABLE: dict[
    str, tuple[type[Alias] | type[Address] | type[Identifier] | type[PhoneNumber] | type[OnlineHandle], list[str]]
] = {
    "alias": (Alias, ["name", "kind"]),
    "address": (Address, ["line1", "line2", "town", "postcode", "valid_from", "valid_to"]),
    "identifier": (Identifier, ["scheme", "value"]),
    "phone": (PhoneNumber, ["e164", "label"]),
    "handle": (OnlineHandle, ["platform", "handle"]),
}


@transaction.atomic
def remove_detail(user: User, person: Person, kind: str, pk: int, *, audit: AuditContext | None = None) -> None:
    """Remove a name, address, reference, phone or handle recorded in error.
    Its values stay in the change history."""
    policy.check(user, "person.update", person)
    model, fields = REMOVABLE[kind]
    obj = model.objects.select_for_update().get(person=person, pk=pk)
    _child_change(user, person, obj, fields, removed=True, audit=audit)
    obj.delete()


# How long emergency access lasts: a shift.
BREAK_GLASS_DURATION = timedelta(hours=8)


@transaction.atomic
def break_glass(user: User, person: Person, reason: str, *, audit: AuditContext | None = None) -> BreakGlass:
    """Emergency access outside the user's scope: granted for a limited time,
    audited with the reason, and every lead professional is told who and why."""
    from hoth.notifications.services import notify

    policy.check(user, "person.break_glass", person)
    if person is None or not (reason or "").strip():
        # Emergency access is always to one person, and always for a stated reason.
        raise PermissionDenied("person.break_glass needs a person and a reason")
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=user, person=person, reason=reason, granted_at=now, expires_at=now + BREAK_GLASS_DURATION
    )
    log.record(
        "break_glass",
        audit=audit,
        user=user,
        obj=person,
        reason=reason,
        detail={"expires_at": grant.expires_at.isoformat()},
    )
    url = reverse("people:detail", args=[person.reference])
    for lead in active_lead_professionals(person):
        # The subject names no child: notifications are also emailed.
        notify(
            lead,
            "Someone used emergency access to a record you lead on",
            body=f"{user.full_name} ({user.agency}) opened record {person.reference}. Their reason: {reason}",
            url=url,
        )
    return grant
