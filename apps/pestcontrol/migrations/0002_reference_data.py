from django.db import migrations


def seed(apps, schema_editor):
    from apps.pestcontrol import builtin_drugs, builtin_levels

    builtin_drugs.install(apps.get_model)
    builtin_levels.install(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("pestcontrol", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
