from django.db import migrations

from hoth.audit import triggers

# Only the events table exists at this point; 0003 adds the people index.
TABLES = (triggers.EVENTS,)


def install(apps, schema_editor):
    triggers.install(schema_editor.connection, TABLES)


def remove(apps, schema_editor):
    triggers.remove(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
