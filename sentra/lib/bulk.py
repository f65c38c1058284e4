"""Fast bulk insert for large synthetic or imported batches.

Django's bulk_create compiles every value through each field's get_db_prep_save, which
dominates at hundreds of thousands of rows. `fast_insert` assigns primary keys itself
(so callers can link child rows), converts the few plain types Sentra stores, and runs
one executemany per batch. Only for models whose fields are plain scalars (no custom
field types); callers validate before inserting.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models
from django.db.models import Max


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def fast_insert(
    model: type[models.Model], objs: Sequence[models.Model], *, batch: int = 5000
) -> None:
    """Insert `objs` (pk assigned here when None); the caller holds the transaction."""
    if not objs:
        return
    meta = model._meta
    pk = meta.pk
    missing = [o for o in objs if o.pk is None]
    if missing:
        start = (model.objects.aggregate(m=Max(pk.attname))["m"] or 0) + 1
        for offset, obj in enumerate(missing):
            setattr(obj, pk.attname, start + offset)
    for field in meta.concrete_fields:
        # auto_now / auto_now_add are filled in by pre_save.
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                field.pre_save(obj, add=True)
    fields = list(meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"
    convert = _sqlite_value if connection.vendor == "sqlite" else (lambda v: v)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        for i in range(0, len(objs), batch):
            rows = [[convert(getattr(o, a)) for a in attnames] for o in objs[i : i + batch]]
            cursor.executemany(sql, rows)
        if connection.vendor == "postgresql":
            for statement in connection.ops.sequence_reset_sql(_NoStyle(), [model]):
                cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text
