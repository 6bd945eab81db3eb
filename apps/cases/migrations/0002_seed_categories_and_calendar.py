from django.db import migrations

from apps.cases.categories import ensure_categories
from apps.worktime.holidays import ensure_calendar


def seed(apps, schema_editor):
    ensure_categories(apps.get_model("cases", "Category"))
    ensure_calendar(apps.get_model("cases", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
