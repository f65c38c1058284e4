"""Fast bulk insert for large synthetic or imported batches.

Django's bulk_create compiles every value through each field's get_db_prep_save, which
dominates at hundreds of thousands of rows. `fast_insert` assigns primary keys itself
(so callers can link child rows), converts only the columns holding values that need
it (with the field's own get_db_prep_save), and writes each batch at once: one executemany on SQLite, COPY on PostgreSQL. Callers
validate before inserting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from types import NoneType
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.db.models.base import ModelState

_BLANK: dict[type, dict[str, Any]] = {}


def unsaved[M: models.Model](model: type[M], fields: dict[str, Any]) -> M:
    """An unsaved instance without Model.__init__, which at 100,000 rows costs more than
    the insert itself. Defaults come from one real instance (so only for models whose
    defaults are constants, not callables such as timezone.now); `fields` are attnames
    (``job_id``, not ``job``)."""
    blank = _BLANK.get(model)
    if blank is None:
        blank = _BLANK[model] = {k: v for k, v in model().__dict__.items() if k != "_state"}
    obj = model.__new__(model)
    obj.__dict__.update(blank)
    obj.__dict__.update(fields)
    obj._state = ModelState()
    return obj


def _as_is(field: models.Field[Any, Any]) -> frozenset[type]:
    """Python types the driver stores for `field` exactly as Django would write them."""
    if isinstance(field, models.ForeignKey):
        return _as_is(field.target_field)
    if isinstance(field, models.CharField | models.TextField):  # also e-mail, URL
        return frozenset({str})
    if isinstance(field, models.BooleanField):
        return frozenset({bool})
    if isinstance(field, models.IntegerField | models.AutoField):  # every integer variant
        return frozenset({int})
    if isinstance(field, models.FloatField):
        return frozenset({float})
    if connection.vendor == "postgresql":  # psycopg adapts these as Django does
        if isinstance(field, models.DateTimeField):
            return frozenset({datetime})
        if isinstance(field, models.DateField):
            return frozenset({date})
        if isinstance(field, models.DecimalField):
            return frozenset({Decimal})
    return frozenset()


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How to turn any other non-null value of `field` into what Django would write."""
    if isinstance(field, models.JSONField):
        ops, encoder = connection.ops, field.encoder
        return lambda value: ops.adapt_json_value(value, encoder)
    if connection.vendor == "sqlite" and isinstance(field, models.DecimalField):
        return str  # what Django's sqlite3 adapter writes
    if not isinstance(field, models.DateField):
        return lambda value: field.get_db_prep_save(value, connection)
    # Dates and timestamps repeat a lot (one `created_at` for the whole batch): memoised.
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            memo[value] = done = field.get_db_prep_save(value, connection)
            return done

    return convert


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # From the table's own sequence: other sessions inserting meanwhile (an audit
            # entry from a web request) draw different numbers, so nothing is locked.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    # SQLite: the transaction holds the write lock (transaction_mode IMMEDIATE), so no one
    # else can take a number between this maximum and the insert.
    start = (model._default_manager.aggregate(m=Max(meta.pk.attname))["m"] or 0) + 1
    return list(range(start, start + count))


def fast_insert(
    model: type[models.Model], objs: Sequence[models.Model], *, batch: int = 5000
) -> None:
    """Insert `objs` (pk assigned here when None); the caller holds the transaction."""
    if not objs:
        return
    meta = model._meta
    pk = meta.pk
    missing = [o for o in objs if o.pk is None]
    explicit = len(missing) < len(objs)
    if missing:
        for obj, number in zip(missing, _allocate_ids(model, len(missing)), strict=True):
            setattr(obj, pk.attname, number)
    for field in meta.concrete_fields:
        # auto_now / auto_now_add: one timestamp for the whole insert, as one statement.
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = field.pre_save(objs[0], add=True)
            for obj in objs:
                setattr(obj, field.attname, value)
    fields = list(meta.concrete_fields)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)  # type: ignore[arg-type]  # concrete: never None
    getter = attrgetter(*[f.attname for f in fields])
    plans = [(i, _as_is(f), _converter(f)) for i, f in enumerate(fields)]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            rows: list[Any] = list(map(getter, objs[start : start + batch]))
            # Column-wise: transpose, convert only the columns holding a value the driver
            # would not store as Django does (a float in an integer column, a date on
            # SQLite, JSON), transpose back. The type check runs at C speed.
            cols: list[Any] = list(zip(*rows, strict=True))
            converted = False
            for i, as_is, convert in plans:
                types = set(map(type, cols[i]))
                types.discard(NoneType)
                if not types <= as_is:
                    cols[i] = [None if v is None else convert(v) for v in cols[i]]
                    converted = True
            if converted:
                rows = list(zip(*cols, strict=True))
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
        if explicit and connection.vendor == "postgresql":
            # Numbers given by the caller: move the sequence past them.
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)


def fast_update(
    model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]
) -> None:
    """UPDATE `fields` of `objs` (saved rows) by primary key in one executemany.

    Django's bulk_update builds a CASE WHEN per row and field, which compiles slower than
    a save per row takes on SQLite; one parametrised UPDATE run for every row is faster on
    both databases (psycopg pipelines it). Values are written as `fast_insert` writes them.
    The caller holds the transaction.
    """
    if not objs:
        return
    meta = model._meta
    concrete = {f.name: f for f in meta.concrete_fields}
    columns = [concrete[name] for name in fields]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in columns)  # type: ignore[arg-type]  # concrete: never None
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # type: ignore[arg-type]
    plans = [(f.attname, _as_is(f), _converter(f)) for f in columns]

    def row(obj: models.Model) -> list[Any]:
        values = []
        for attname, as_is, convert in plans:
            value = getattr(obj, attname)
            values.append(value if value is None or type(value) in as_is else convert(value))
        return [*values, obj.pk]

    with connection.cursor() as cursor:
        cursor.executemany(sql, [row(obj) for obj in objs])
