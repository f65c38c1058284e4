"""SQLite: a large insert into registry_ikm builds its secondary indexes once, at the end.

registry_ikm carries some twenty indexes (the list's partial indexes by name, kecamatan,
desa and subsector, the foreign keys, NIK, phone…). Each inserted row goes into every
one of them at a random place, which costs about three quarters of a 100,000-row
insert; building an index over the finished table (one sort) costs a fraction of that.
`indexes_built_after` drops those indexes inside a savepoint of the caller's
transaction and creates them again from their own stored SQL at the end, so:
  - other connections never see the table without them (WAL readers read the last
    committed state; writers wait for the transaction's write lock anyway);
  - a failure inside the block rolls the drop back with everything else;
  - the indexes the write itself reads (NIB: the import's matching and the one live
    IKM per NIB rule, enforced at each insert as before) and the primary key stay.
Only worth it when the insert is large against the table: rebuilding costs in
proportion to the whole table, so a small import into a large registry keeps the
indexes as they are. PostgreSQL is left alone: DROP INDEX there locks the table
against readers until the commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

TABLE = "registry_ikm"
# Read or enforced while an import writes: kept. (Names from the migrations: the unique
# partial index by its constraint name, the plain one as Django names db_index fields.)
KEPT = {"ikm_nib_unique_active"}
KEPT_PREFIXES = ("registry_ikm_nib_",)
# Below this many new rows the indexes are maintained as usual (see the module doc):
# a rebuild then saves too little to be worth a schema change.
MIN_ROWS = 10_000


def _deferrable(name: str) -> bool:
    return name not in KEPT and not name.startswith(KEPT_PREFIXES)


@contextmanager
def indexes_built_after(connection, *, rows: int) -> Iterator[bool]:
    """Inside the block, inserts into registry_ikm skip its secondary indexes (but the
    NIB ones) when `rows` new rows are at least MIN_ROWS and at least the rows already
    there; the indexes are built at the end. Yields whether they were deferred."""
    if connection.vendor != "sqlite" or rows < MIN_ROWS:
        yield False
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        existing = cursor.fetchone()[0]
    if existing > rows:
        yield False
        return
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",  # autoindexes of UNIQUE columns have no SQL: kept
                [TABLE],
            )
            dropped = [(name, sql) for name, sql in cursor.fetchall() if _deferrable(name)]
            for name, _sql in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
        yield True
        with connection.cursor() as cursor:
            for _name, sql in dropped:
                cursor.execute(sql)
