"""On PostgreSQL, the words of search_text in a table of their own: the typo vocabulary.

A search word that matches nothing is looked up there for the words one edit away
("kopii" → "kopi"), as SQLite does in its FTS5 vocabulary, and those words are then
searched through the trigram index. The word similarity operator (`<%`) that did this
before scanned most of the registry for a short word: 2.6 s at 100× the data.

Statement-level triggers with transition tables keep the table in step with inserts and
updates made with or without the ORM, in one statement per bulk write. Words of rows
since deleted or changed stay: a neighbour that matches nothing costs nothing.
"""

from django.db import migrations

WORDS = "registry_search_word"
SPLIT = r"regexp_split_to_table(search_text, '[^[:alpha:]]+')"

FUNCTION = f"""
CREATE OR REPLACE FUNCTION {WORDS}_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {WORDS} (word)
    SELECT DISTINCT w FROM new_rows, {SPLIT} AS w WHERE length(w) >= 3
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {WORDS} (word text PRIMARY KEY)")
        cursor.execute(FUNCTION)
        for event in ("INSERT", "UPDATE"):
            name = f"{WORDS}_{event.lower()}"
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON registry_ikm")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON registry_ikm "
                "REFERENCING NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {WORDS}_add()"
            )
        cursor.execute(
            f"INSERT INTO {WORDS} (word) SELECT DISTINCT w FROM registry_ikm, {SPLIT} AS w "
            "WHERE length(w) >= 3 ON CONFLICT DO NOTHING"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in ("insert", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {WORDS}_{event} ON registry_ikm")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {WORDS}_add()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {WORDS}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_search_address_phone")]
    operations = [migrations.RunPython(forwards, backwards)]
