from django.db import migrations

from sentra.certification.defaults import DEFAULT_SCHEMES


def create(apps, schema_editor):
    Scheme = apps.get_model("certification", "Scheme")
    Unit = apps.get_model("certification", "CompetencyUnit")
    for spec in DEFAULT_SCHEMES:
        scheme, _ = Scheme.objects.get_or_create(
            code=spec["code"], defaults={"name": spec["name"], "role": spec["role"]}
        )
        for order, (code, title) in enumerate(spec["units"]):
            Unit.objects.get_or_create(
                scheme=scheme, code=code, defaults={"title": title, "order": order}
            )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
