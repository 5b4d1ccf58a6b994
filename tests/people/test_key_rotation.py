"""Field keys can be rotated: re-encrypt under a new key, then retire the old one."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from hoth.people.models import FieldChange, Person

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def _raw(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_rotating_from_key_a_to_key_b_keeps_every_value_readable_without_key_a(settings, users):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    people = [
        Person.objects.create(given_names=f"Child{n}", family_name="Rotate", sensitive_notes=f"note {n}")
        for n in range(7)
    ]
    FieldChange.objects.create(
        person=people[0],
        model="person",
        object_id=people[0].pk,
        field="sensitive_notes",
        before="old secret",
        after="new secret",
    )
    under_a = _raw("people_person", "sensitive_notes")

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_field_keys", batch_size=3, stdout=open("/dev/null", "w"))
    under_b = _raw("people_person", "sensitive_notes")
    assert len(under_b) == 7 and not set(under_b) & set(under_a)
    for token in under_b + _raw("people_fieldchange", "before") + _raw("people_fieldchange", "after"):
        Fernet(KEY_B).decrypt(token.removeprefix("fernet:").encode())

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert sorted(Person.objects.values_list("sensitive_notes", flat=True)) == [f"note {n}" for n in range(7)]
    change = FieldChange.objects.get()
    assert (change.before, change.after) == ("old secret", "new secret")


def test_without_the_key_a_value_was_written_with_reading_it_fails_loudly(settings, users):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    Person.objects.create(given_names="Amy", family_name="Shaw", sensitive_notes="secret")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Person.objects.get().sensitive_notes  # noqa: B018 (reading the field is what fails)
