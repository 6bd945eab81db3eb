from django.db import migrations


def seed(apps, schema_editor):
    from apps.standards.services import install_starter_standards

    install_starter_standards(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
