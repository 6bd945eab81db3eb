from django.db import migrations

from apps.cases.categories import ensure_categories


def seed(apps, schema_editor):
    from apps.inspections.services import install_starter_templates

    ensure_categories(apps.get_model("cases", "Category"))  # adds 检查扣分问题 for items without a category
    install_starter_templates(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("cases", "0004_clock_started"),
        ("organization", "0003_member_order"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
