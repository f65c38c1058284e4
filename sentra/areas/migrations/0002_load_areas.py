from django.db import migrations


def forwards(apps, schema_editor):
    from sentra.areas.reference import load_areas

    load_areas(apps.get_model("areas", "Area"))


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
