import django.db.models.deletion
from django.db import migrations, models

from hoth.audit import triggers


def install_event_triggers(apps, schema_editor):
    # SQLite adds a unique constraint by rebuilding the table, which drops its
    # triggers; they are put back whichever way this migration runs.
    triggers.install(schema_editor.connection, (triggers.EVENTS,))


def index_people_already_logged(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEventPerson = apps.get_model("audit", "AuditEventPerson")
    rows = []
    for event_id, person_id, detail in AuditEvent.objects.values_list("id", "person_id", "detail").iterator():
        shown = detail.get("person_ids", []) if isinstance(detail, dict) else []
        for pid in sorted({int(p) for p in shown} | ({person_id} if person_id is not None else set())):
            rows.append(AuditEventPerson(event_id=event_id, person_id=pid))
    AuditEventPerson.objects.bulk_create(rows, batch_size=1000)


def install_all_triggers(apps, schema_editor):
    triggers.install(schema_editor.connection, triggers.TABLES)


def remove_people_triggers(apps, schema_editor):
    triggers.remove(schema_editor.connection, (triggers.EVENT_PEOPLE,))


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, install_event_triggers),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("previous_hash",), name="audit_chain_does_not_fork"),
        ),
        migrations.CreateModel(
            name="AuditEventPerson",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("person_id", models.BigIntegerField()),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="people", to="audit.auditevent"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("person_id", "event"), name="audit_person_once_per_event")
                ],
            },
        ),
        migrations.RunPython(index_people_already_logged, migrations.RunPython.noop),
        migrations.RunPython(install_all_triggers, remove_people_triggers),
    ]
