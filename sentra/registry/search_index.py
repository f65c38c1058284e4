"""The SQLite full-text (FTS5 trigram) index behind the list's search.

It mirrors registry_ikm.search_text as external-content tables (trigrams for substrings,
words for the typo-tolerant vocabulary) kept in step by
triggers, so rows inserted without the ORM are indexed too. SQLite drops a table's
triggers whenever a migration rebuilds the table, so `ensure_sqlite_fts` runs after
every migrate and puts back whatever is missing (rebuilding the index if it had to).
PostgreSQL uses the pg_trgm GIN index of migration 0002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

TABLE = "registry_ikm_fts"
# Whole words of the same text (detail=none: row ids only, a fraction of the trigram
# index) and its vocabulary: a search term that matches nothing is looked up there for
# words one edit away ("kopii" → "kopi"), see registry.selectors._search.
WORDS = "registry_ikm_words"
VOCAB = "registry_ikm_vocab"
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "search_text, content='registry_ikm', content_rowid='id', tokenize='trigram')"
)
CREATE_WORDS = (
    f"CREATE VIRTUAL TABLE {WORDS} USING fts5("
    "search_text, content='registry_ikm', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', detail=none)"
)
CREATE_VOCAB = f"CREATE VIRTUAL TABLE {VOCAB} USING fts5vocab({WORDS}, 'row')"


def _insert(values: str) -> str:
    return "".join(
        f"INSERT INTO {t}(rowid, search_text) VALUES ({values}); " for t in (TABLE, WORDS)
    )


def _delete(values: str) -> str:
    return "".join(
        f"INSERT INTO {t}({t}, rowid, search_text) VALUES ('delete', {values}); "
        for t in (TABLE, WORDS)
    )


TRIGGERS = {
    f"{TABLE}_ai": (
        f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON registry_ikm BEGIN "
        + _insert("new.id, new.search_text")
        + "END"
    ),
    f"{TABLE}_ad": (
        f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON registry_ikm BEGIN "
        + _delete("old.id, old.search_text")
        + "END"
    ),
    f"{TABLE}_au": (
        f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF search_text ON registry_ikm BEGIN "
        + _delete("old.id, old.search_text")
        + _insert("new.id, new.search_text")
        + "END"
    ),
}


def _supported(cursor) -> bool:
    cursor.execute("SELECT sqlite_version()")
    major, minor, *_ = (int(p) for p in cursor.fetchone()[0].split("."))
    return (major, minor) >= (3, 34)  # the trigram tokenizer


def ensure_sqlite_fts(connection) -> bool:
    """Create the index and its triggers where missing; True if it exists afterwards."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        if not _supported(cursor):
            return False
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'registry_ikm'")
        if cursor.fetchone() is None:
            return False
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger') "
            "AND (name LIKE %s OR name IN (%s, %s))",
            [f"{TABLE}%", WORDS, VOCAB],
        )
        present = dict(cursor.fetchall())
        rebuild = False
        for name, sql in ((TABLE, CREATE_TABLE), (WORDS, CREATE_WORDS), (VOCAB, CREATE_VOCAB)):
            if name not in present:
                cursor.execute(sql)
                rebuild = True
        for name, sql in TRIGGERS.items():
            if present.get(name) != sql:  # missing, or an older version's (one table only)
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(sql)
                rebuild = True
        if rebuild:
            for table in (TABLE, WORDS):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    return True


def drop_sqlite_fts(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in (VOCAB, WORDS, TABLE):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


@contextmanager
def indexed_after_insert(connection) -> Iterator[None]:
    """Bulk inserts into registry_ikm inside this block are indexed once, at the end.

    The per-row insert trigger costs about 100 µs a row (four times the insert itself);
    one INSERT … SELECT over the new rows costs a tenth of that. The trigger is dropped
    and put back inside a savepoint of the caller's transaction, so other connections
    never see the table without it and a failure restores it. Only for inserts that
    number their rows after the current maximum id, as fast_insert and the ORM do.
    """
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexed_after_insert needs a transaction")
    trigger = f"{TABLE}_ai"
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger]
            )
            present = cursor.fetchone() is not None  # absent: no index (old SQLite)
            if present:
                cursor.execute("SELECT coalesce(max(id), 0) FROM registry_ikm")
                last = cursor.fetchone()[0]
                cursor.execute(f"DROP TRIGGER {trigger}")
        yield
        if present:
            with connection.cursor() as cursor:
                for table in (TABLE, WORDS):
                    cursor.execute(
                        f"INSERT INTO {table}(rowid, search_text) "
                        "SELECT id, search_text FROM registry_ikm WHERE id > %s",
                        [last],
                    )
                cursor.execute(TRIGGERS[trigger])


# PostgreSQL's typo vocabulary: every word of search_text, kept by the triggers of
# migration 0011 (the pg_trgm GIN index of migration 0002 answers the substrings).
PG_WORDS = "registry_search_word"
