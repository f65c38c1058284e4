from django.db import migrations


def forwards(apps, schema_editor):
    from sentra.sectors.reference import load_kbli, load_subsectors

    load_kbli(apps.get_model("sectors", "Kbli"))
    load_subsectors(apps.get_model("sectors", "Subsector"))


class Migration(migrations.Migration):
    dependencies = [("sectors", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
