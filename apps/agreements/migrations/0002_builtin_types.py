"""The built-in agreement types and a starter template of each (apps/agreements/builtin.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from apps.agreements.builtin import ensure_builtin

    ensure_builtin(
        apps.get_model("agreements", "AgreementType"),
        apps.get_model("agreements", "AgreementTemplate"),
        apps.get_model("agreements", "TemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
