from django.db import migrations


def mark_merged_away(apps, schema_editor):
    """Records merged away before Ikm.merged_into existed: point them at the kept one."""
    Merge = apps.get_model("linkage", "Merge")
    Ikm = apps.get_model("registry", "Ikm")
    for merged_id, kept_id in Merge.objects.filter(undone_at__isnull=True).values_list(
        "merged_id", "kept_id"
    ):
        Ikm.objects.filter(pk=merged_id, merged_into__isnull=True).update(merged_into_id=kept_id)


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0001_initial"),
        ("registry", "0006_ikm_version_merged_into"),
    ]

    operations = [migrations.RunPython(mark_merged_away, migrations.RunPython.noop)]
