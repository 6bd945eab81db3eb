"""The built-in output measures (apps/activities/measures.py), created once; the office edits them."""

from django.db import migrations


def create(apps, schema_editor):
    from apps.activities.measures import ensure_measures

    ensure_measures(apps.get_model("activities", "OutputMeasure"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
