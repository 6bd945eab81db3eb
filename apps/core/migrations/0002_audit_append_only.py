"""The audit table refuses UPDATE and DELETE (and TRUNCATE) in the database: see apps/core/audit_guard.py."""

from django.db import migrations


def install(apps, schema_editor):
    from apps.core import audit_guard

    audit_guard.install(schema_editor.connection)


def remove(apps, schema_editor):
    from apps.core import audit_guard

    audit_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
