"""Default jurisdiction levels and unit types; both stay editable afterwards."""

from django.db import migrations

from apps.organization.defaults import ensure_defaults


def create_defaults(apps, schema_editor):
    ensure_defaults(apps.get_model("organization", "JurisdictionLevel"), apps.get_model("organization", "UnitType"))


class Migration(migrations.Migration):
    dependencies = [("organization", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
