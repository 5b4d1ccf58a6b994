"""Re-encrypt every encrypted field value under the first key in HOTH_FIELD_KEYS.

To rotate: put the new key first (HOTH_FIELD_KEYS=new,old), run this command,
then remove the old key. Values are read and written raw, bypassing
EncryptedTextField's conversions, so that any model's encrypted fields rotate
the same way, and a value is never decrypted into a Python object that could
be logged.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from hoth import encryption


def rotate_table(model, field_name, batch_size=500):
    field = model._meta.get_field(field_name)
    quote = connection.ops.quote_name
    table, column, pk = quote(model._meta.db_table), quote(field.column), quote(model._meta.pk.column)
    rotated = 0
    last = None
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} {where}ORDER BY {pk} LIMIT %s",
                    ([last] if last is not None else []) + [batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    return rotated
                updates = [(encryption.rotate(value), key) for key, value in rows if value]
                if updates:
                    cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", updates)
                rotated += len(updates)
                last = rows[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the first key in HOTH_FIELD_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        total = 0
        for model, field_name in encryption.encrypted_fields():
            count = rotate_table(model, field_name, batch_size=batch_size)
            total += count
            self.stdout.write(f"{model._meta.label}.{field_name}: {count} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{total} values now under the first key"))
