"""The list's search reads the address too, and the owner's phone in one form.

search_text gains the business address; phone_key holds the owner's phone as national
digits (lib.phone.phone_key). Both are filled for the rows there are, and on SQLite the
full-text triggers are brought up to date (they now also feed the word vocabulary).
"""

from django.db import migrations, models

BATCH = 2000


def refill(apps, schema_editor):
    from sentra.lib.phone import phone_key
    from sentra.lib.text import fold
    from sentra.registry.search_index import ensure_sqlite_fts

    Ikm = apps.get_model("registry", "Ikm")
    fields = ("name", "owner_name", "nib", "main_products", "address")
    batch = []
    for ikm in Ikm.objects.only("id", "owner_phone", *fields).iterator(chunk_size=BATCH):
        ikm.search_text = fold(" ".join(filter(None, (getattr(ikm, f) for f in fields))))
        ikm.phone_key = phone_key(ikm.owner_phone)
        batch.append(ikm)
        if len(batch) >= BATCH:
            Ikm.objects.bulk_update(batch, ["search_text", "phone_key"])
            batch = []
    if batch:
        Ikm.objects.bulk_update(batch, ["search_text", "phone_key"])
    ensure_sqlite_fts(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_merge_20261202_1501")]

    operations = [
        migrations.AddField(
            model_name="ikm",
            name="phone_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=20),
        ),
        migrations.RunPython(refill, migrations.RunPython.noop),
    ]
