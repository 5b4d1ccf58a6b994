"""Events name the key their hash is an HMAC under.

The column is nullable and has no default, so adding it is a plain ALTER TABLE
on both databases: no existing row is touched (the triggers forbid UPDATE) and
SQLite does not rebuild the table (which would drop its triggers). Events
already in the log keep a NULL key id: their plain SHA-256 hashes verify as the
legacy start of the chain.
"""

from django.db import migrations, models

from hoth.audit import triggers


def install_event_triggers(apps, schema_editor):
    # Unapplying drops the column, which SQLite does by rebuilding the table and
    # so dropping its triggers: they are put back.
    triggers.install(schema_editor.connection, (triggers.EVENTS,))


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_people_index_and_fork_guard"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, install_event_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
    ]
