from django.db import migrations


def forwards(apps, schema_editor):
    from sentra.coaching.defaults import seed_categories

    seed_categories(apps.get_model("coaching", "Category"))


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0001_initial"),
        ("sectors", "0002_load_kbli_subsectors"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
