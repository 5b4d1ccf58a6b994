"""Writing generated rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Shared by the phases of the generator that write many rows of many models
(hoth.synthetic.front_door, hoth.synthetic.protect)."""

import enum

from django.db import connection, models

from hoth.encryption import EncryptedTextField, encrypt

# Fields whose Python value COPY can take as it is: Django's per-value
# preparation of them (most of the cost of writing a row) changes nothing
# for the values the generator makes.
PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BooleanField,
    models.CharField,
    models.DecimalField,
    models.FloatField,
    models.DateField,
    models.ForeignKey,
)


def write_rows(model, rows, batch_size=2000, tokens=None):
    """Insert `rows` (unsaved instances of `model`) and give each its primary
    key, so rows made later can point at them. `tokens`, a dict, lets equal
    encrypted texts share one token (see copy_rows)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        copy_rows(model, rows, tokens=tokens)
    else:
        model.objects.bulk_create(rows, batch_size=batch_size)


def _preparer(field, tokens):
    """How to turn the field's value on a row into what COPY writes."""
    attname = field.attname
    if isinstance(field, EncryptedTextField):
        if tokens is None:
            return lambda row: encrypt(getattr(row, attname))

        def reuse(row):
            # Only for synthetic text: equal texts get equal tokens, which real
            # data must never have (real text is encrypted afresh every time).
            text = getattr(row, attname)
            if len(text) > 400:  # a plan's snapshot: never the same twice
                return encrypt(text)
            token = tokens.get(text)
            if token is None:
                token = tokens[text] = encrypt(text)
            return token

        return reuse
    automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if not automatic and (isinstance(field, PLAIN_FIELDS) or type(field) is models.TextField):

        def raw(row):
            value = getattr(row, attname)
            # Choices are enums; COPY wants the value stored, not the member.
            return value.value if isinstance(value, enum.Enum) else value

        return raw
    return lambda row: field.get_db_prep_save(field.pre_save(row, True), connection)


def copy_rows(model, rows, tokens=None):
    """bulk_create by COPY, for PostgreSQL: the values bulk_create would
    write, with primary keys taken from the table's sequence first so that
    rows made later can point at these."""
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall()):
            row.pk = pk
        fields = meta.concrete_fields
        preparers = [_preparer(f, tokens) for f in fields]
        values = []
        for row in rows:
            row._prepare_related_fields_for_save(operation_name="bulk_create")
            values.append([prepare(row) for prepare in preparers])
            row._state.adding, row._state.db = False, connection.alias
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
