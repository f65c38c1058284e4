from django.db import migrations


def forwards(apps, schema_editor):
    from sentra.coaching.defaults import DEFAULT_CATEGORIES

    Category = apps.get_model("coaching", "Category")
    for order, (code, name, subsector, partial, description) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "subsector_id": subsector,
                "partial": partial,
                "description": description,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0001_initial"),
        ("sectors", "0002_load_kbli_subsectors"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
