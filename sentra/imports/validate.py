"""Row validation: convert cells, resolve areas and codes, then run `Ikm.clean()`.

Everything the rules need from the database (areas, KBLI, subsectors, the user's
kecamatan) is read once in `RowValidator.__init__`; validating a row runs no query.
Unsaved `Ikm` objects go through `clean_fields()` and `clean()`, so an import and the
form apply the same rules with the same messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.core import validators as dv
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault
from django.utils.translation import gettext as _

from sentra.accounts.permissions import editable_kecamatan_codes
from sentra.areas.geo import location_check
from sentra.imports import convert
from sentra.imports.areas_match import AreaMatcher
from sentra.imports.convert import CellError
from sentra.imports.targets import FIELD_OF, IGNORE, REQUIRED, TARGETS, Target, money_unit
from sentra.lib.text import fold
from sentra.registry.models import MONEY_FIELDS, Ikm
from sentra.sectors.messages import KBLI_NOT_FOUND

_ALL_FIELDS = {f.name for f in Ikm._meta.concrete_fields}
# Checked here against prefetched sets (Django's own check would query per row).
_FK_FIELDS = {"desa", "kecamatan", "kbli", "subsector", "created_by"}
_JOINED = {"_owner_region"}


# --- Model.clean_fields without the per-value cost -------------------------------------
# Field.clean (to_python, validate, run_validators) costs ~4 µs a value; at 100,000 rows
# of 25 values it was half of validation. For the plain field types below, a value of
# the exact Python type the converter produced, within the field's own limits, is one
# Field.clean returns unchanged without error: that is checked directly. Any other value
# (and any other field type) still goes through Field.clean, so every error, and its
# message, comes from Django and the model. test_validate_fast proves the equivalence.


def _limits(f: models.Field) -> tuple[int | None, int | None, int | None] | None:
    """(max_length, min_value, max_value) from the field's validators, or None when it
    has a validator this module does not know (EmailField, URLField, …)."""
    max_length = min_value = max_value = None
    for validator in f.validators:
        kind = type(validator)
        if kind is dv.MaxLengthValidator:
            max_length = cast(dv.BaseValidator, validator).limit_value
        elif kind is dv.MinValueValidator:
            min_value = cast(dv.BaseValidator, validator).limit_value
        elif kind is dv.MaxValueValidator:
            max_value = cast(dv.BaseValidator, validator).limit_value
        elif kind is not dv.ProhibitNullCharactersValidator:
            return None
    if any(callable(v) for v in (max_length, min_value, max_value)):
        return None
    return max_length, min_value, max_value


def passes_unchanged(f: models.Field) -> Callable[[Any], bool] | None:
    """A predicate: True only for values `f.clean` returns unchanged and accepts.

    None when there is no such shortcut for this field (every value goes to f.clean).
    """
    limits = _limits(f)
    if limits is None or f.generated:
        return None
    max_length, low, high = limits
    choices = None
    if f.choices is not None:
        flat = [value for value, _label in f.flatchoices]
        if not all(type(v) is str for v in flat):
            return None
        choices = frozenset(flat)
    kind = type(f)
    if kind in (models.CharField, models.TextField):
        needs_text = not f.blank  # blank=False refuses "" (Field.validate)

        def text_ok(value: Any) -> bool:
            return (
                type(value) is str
                and (max_length is None or len(value) <= max_length)
                and "\x00" not in value
                and (value != "" or not needs_text)
                and (choices is None or value in choices)
            )

        return text_ok
    if choices is not None:
        return None
    if kind in (
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
    ):

        def int_ok(value: Any) -> bool:
            return (
                type(value) is int
                and (low is None or value >= low)
                and (high is None or value <= high)
            )

        return int_ok
    if kind is models.BooleanField and limits == (None, None, None):
        return lambda value: type(value) is bool
    if kind is models.DateField and limits == (None, None, None):
        return lambda value: type(value) is date
    return None


def clean_fields_plan(exclude: set[str]) -> list[tuple[models.Field, str, Callable | None]]:
    """The fields Ikm.clean_fields(exclude) checks, in its order, with their shortcut."""
    from sentra.registry.models import DERIVED_FIELDS

    skip = set(exclude) | DERIVED_FIELDS  # what Ikm.clean_fields adds
    return [
        (f, f.attname, passes_unchanged(f))
        for f in Ikm._meta.fields
        if f.name not in skip and not f.generated
    ]


def clean_fields(ikm: Ikm, plan: list[tuple[models.Field, str, Callable | None]]) -> None:
    """Model.clean_fields (Django 6.1's loop, same errors in the same order), with the
    shortcut above for values that need no Field.clean."""
    errors = {}
    state = ikm.__dict__
    for f, attname, shortcut in plan:
        raw_value = state[attname]
        if f.blank and raw_value in f.empty_values:
            continue
        if isinstance(raw_value, DatabaseDefault):
            continue
        if shortcut is not None and shortcut(raw_value):
            continue
        try:
            setattr(ikm, attname, f.clean(raw_value, ikm))
        except ValidationError as e:
            errors[f.name] = e.error_list
    if errors:
        raise ValidationError(errors)


_MISS = object()
_MEMO_SIZE = 2048


@dataclass(frozen=True, slots=True)
class _Refused:
    message: str


@dataclass
class RowResult:
    row: int
    fields: dict[str, Any] = field(default_factory=dict)  # Ikm attname → value
    external_id: str = ""
    sentra_id: int | None = None
    # (column, value, message): errors refuse the row, warnings cost one field.
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    # Ikm fields left empty because the file's value was unusable ("perlu dilengkapi").
    missing: list[str] = field(default_factory=list)
    # The earlier row of the same file this one repeats (same NIB): queued for review.
    same_as: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


# The Ikm field a target's bad value leaves empty.
_FIELD_NAME = {"kbli": "kbli", "_subsector": "subsector"}


def _shown(value) -> str:
    if value is None:
        return ""
    return str(value)[:200]


class RowValidator:
    def __init__(self, *, header: list[str], mapping: dict[str, str], actor) -> None:
        from sentra.sectors.models import Kbli, KbliLevel, Subsector

        self.header = header
        self.columns = [
            (index, name, TARGETS[mapping[name]])
            for index, name in enumerate(header)
            if mapping.get(name, IGNORE) in TARGETS
        ]
        # A money column whose header states its unit converts to annual rupiah.
        self.unit_notes: list[str] = []
        for slot, (index, name, target) in enumerate(self.columns):
            if target.key not in MONEY_FIELDS:
                continue
            unit = money_unit(name, target.key)
            if unit.factor != 1:
                self.columns[slot] = (
                    index,
                    name,
                    Target(target.key, target.label, convert.money_in(unit.scale, unit.period)),
                )
                self.unit_notes.append(_unit_note(name, str(target.label), unit))
        self.targets = {t.key for _, _, t in self.columns}
        # The column to blame for an error in an Ikm field.
        self.column_of: dict[str, str] = {}
        for _index, name, target in self.columns:
            self.column_of.setdefault(FIELD_OF.get(target.key, target.key), name)
            self.column_of.setdefault(target.key, name)
        self.column_of.setdefault("desa", self.column_of.get("_desa", ""))
        self.column_of.setdefault("desa_id", self.column_of.get("_desa", ""))
        self.column_of.setdefault("kbli", self.column_of.get("kbli_id", ""))
        self.column_of.setdefault("subsector", self.column_of.get("_subsector", ""))

        self.areas = AreaMatcher()
        self.kbli = set(
            Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", flat=True)
        )
        self.subsectors: dict[str, str] = {}
        for code, name, aliases in Subsector.objects.filter(scheme="bekraf_16").values_list(
            "code", "name", "aliases"
        ):
            for word in [code, name, *aliases.split(";")]:
                if word.strip():
                    self.subsectors[fold(word)] = code
        self.actor = actor
        # None: may write anywhere (admin, or the management command run by the system).
        self.allowed = None if actor is None else editable_kecamatan_codes(actor)
        written = {FIELD_OF[t] for t in self.targets if t in FIELD_OF}
        written |= {"desa"} if "_desa" in self.targets else set()
        self.clean_exclude = (_ALL_FIELDS - written - {"name"}) | _FK_FIELDS
        self.clean_plan = clean_fields_plan(self.clean_exclude)

        # One unsaved Ikm, reset for every row: building a model instance per row would
        # cost more than the checks themselves.
        self._ikm = Ikm()
        self._blank_state = dict(self._ikm.__dict__)
        self._desa_memo: dict = {}
        # Converters are pure functions of the cell: columns of repeated values (codes,
        # choices, dates, areas) convert each distinct text once.
        self._memos: list[dict | None] = [{} for _ in self.columns]
        self._kecamatan_memo: dict = {}

    def _match_desa(self, text: str, kecamatan: str | None):
        key = (text, kecamatan)
        if key not in self._desa_memo:
            self._desa_memo[key] = self.areas.match_desa(text, kecamatan=kecamatan)
        return self._desa_memo[key]

    def _match_kecamatan(self, text: str):
        if text not in self._kecamatan_memo:
            self._kecamatan_memo[text] = self.areas.match_kecamatan(text)
        return self._kecamatan_memo[text]

    def validate(self, row: int, cells: list, cell_issues: dict | None = None) -> RowResult:
        result = RowResult(row=row)
        errors = result.errors
        values: dict[str, Any] = {}
        memos = self._memos
        for slot, (index, name, target) in enumerate(self.columns):
            raw = cells[index] if index < len(cells) else None
            if cell_issues and (row, index) in cell_issues:
                if target.key in REQUIRED:
                    errors.append((name, _shown(raw), cell_issues[(row, index)]))
                else:
                    self._lose(result, name, raw, cell_issues[(row, index)], target.key)
                continue
            if raw == "" or raw is None:
                continue  # most cells of a wide sheet are empty: skip the call
            memo = memos[slot]
            # Only text is memoised: 1, 1.0 and True are equal keys but convert differently.
            value = memo.get(raw, _MISS) if memo is not None and type(raw) is str else _MISS
            if value is _MISS:
                try:
                    value = target.converter(raw)
                except CellError as exc:
                    value = _Refused(str(exc))
                if memo is not None and type(raw) is str:
                    memo[raw] = value
                    if len(memo) >= _MEMO_SIZE:  # a column of mostly distinct values
                        memos[slot] = None
            if type(value) is _Refused:
                if target.key in REQUIRED:
                    errors.append((name, _shown(raw), value.message))
                else:
                    self._lose(result, name, raw, value.message, target.key)
                continue
            if value is None:
                continue
            key = target.key
            if key in _JOINED:
                values.setdefault(key, []).append(value)
            else:
                values.setdefault(key, value)

        fields: dict[str, Any] = {}
        for key, value in values.items():
            attname = FIELD_OF.get(key)
            if attname:
                fields[attname] = value

        # Location: a desa of this city, consistent with the kecamatan given.
        city = values.get("_city")
        kecamatan_code = None
        outside = bool(city and not self.areas.is_city(city))
        if outside:
            errors.append(
                (
                    self.column_of["_city"],
                    _shown(city),
                    _("Lokasi usaha di luar %(city)s; Sentra hanya mencatat IKM di %(city)s.")
                    % {"city": self.areas.city_name},
                )
            )
        elif values.get("_kecamatan"):
            found = self._match_kecamatan(values["_kecamatan"])
            if found.error:
                errors.append((self.column_of["_kecamatan"], values["_kecamatan"], found.error))
            kecamatan_code = found.code
        if outside:
            pass
        elif values.get("_desa"):
            found = self._match_desa(values["_desa"], kecamatan_code)
            if found.error:
                errors.append((self.column_of["_desa"], values["_desa"], found.error))
            else:
                fields["desa_id"] = found.code
        else:
            errors.append((self.column_of.get("_desa", ""), "", _("Desa/kelurahan wajib diisi.")))

        kbli = fields.get("kbli_id")
        if kbli and kbli not in self.kbli:
            del fields["kbli_id"]
            self._lose(
                result,
                self.column_of["kbli"],
                kbli,
                str(KBLI_NOT_FOUND % {"value": kbli}),
                "kbli",
            )
        subsector = values.get("_subsector")
        if subsector:
            code = self.subsectors.get(fold(subsector)) or self.subsectors.get(subsector)
            if code:
                fields["subsector_id"] = code
            else:
                self._lose(
                    result,
                    self.column_of["_subsector"],
                    subsector,
                    _("Subsektor ekraf '%(name)s' tidak dikenal (16 subsektor Bekraf).")
                    % {"name": subsector},
                    "_subsector",
                )

        region = values.get("_owner_region")
        if region:
            # Files list the province first; an address reads from the smallest area up.
            fields["owner_region"] = ", ".join(dict.fromkeys(reversed(region)))[:300]
        rt_rw = [
            f"{label} {values[key]}"
            for key, label in (("_owner_rt", "RT"), ("_owner_rw", "RW"))
            if values.get(key)
        ]
        if rt_rw:
            fields["owner_address"] = " ".join(
                filter(None, [fields.get("owner_address", ""), "/".join(rt_rw)])
            )[:300]

        result.external_id = values.get("_external_id", "")[:64]
        result.sentra_id = values.get("_sentra_id")

        self._clean(fields, result)
        if fields.get("latitude") is not None and fields.get("longitude") is not None:
            check = location_check(
                desa_code=fields.get("desa_id"),
                latitude=fields["latitude"],
                longitude=fields["longitude"],
            )
            if check == "outside":
                result.warnings.append(
                    (
                        self.column_of.get("latitude", ""),
                        f"{fields['latitude']}, {fields['longitude']}",
                        _(
                            "Koordinat di luar %(city)s: disimpan, tetapi ditandai 'di luar "
                            "kota' untuk diperiksa."
                        )
                        % {"city": self.areas.city_name},
                    )
                )
        if result.missing:
            fields["incomplete_fields"] = list(dict.fromkeys(result.missing))

        desa = fields.get("desa_id")
        if desa and self.allowed is not None and desa.rsplit(".", 1)[0] not in self.allowed:
            errors.append(
                (
                    self.column_of.get("_desa", ""),
                    desa,
                    _("Anda tidak berwenang menambah atau mengubah IKM di kecamatan ini."),
                )
            )
        result.fields = fields
        return result

    def _lose(self, result: RowResult, column: str, raw, message: str, key: str) -> None:
        """A bad value costs its field, not the row: left empty, warned, listed."""
        result.warnings.append((column, _shown(raw), message))
        name = _FIELD_NAME.get(key, FIELD_OF.get(key, key))
        if not name.startswith("_"):
            result.missing.append(name.removesuffix("_id") if name == "kbli_id" else name)

    def _clean(self, fields: dict[str, Any], result: RowResult) -> None:
        """The model's own rules, on an unsaved Ikm. A field that breaks one is dropped
        (with a warning) and the rules run again, until the rest passes; only the name
        and the place refuse the row."""
        ikm = self._ikm
        state = ikm.__dict__
        plan = self.clean_plan
        for _attempt in range(4):
            state.clear()
            state.update(self._blank_state)
            state.update(fields)
            failed: dict[str, str] = {}
            for step in (lambda: clean_fields(ikm, plan), ikm.clean):
                try:
                    step()
                except ValidationError as exc:
                    for name, messages in exc.message_dict.items():
                        failed.setdefault(name, " ".join(str(m) for m in messages))
                if failed:
                    break
            if not failed:
                break
            for name, message in failed.items():
                attname = "kbli_id" if name == "kbli" else name
                if name == "longitude" and attname not in fields and "latitude" in fields:
                    name = attname = "latitude"  # half a coordinate: the pair goes
                column = self.column_of.get(name, "")
                value = _shown(fields.get(attname))
                if name in ("name", "desa", "__all__") or attname not in fields:
                    result.errors.append((column, value, message))
                    fields.pop(attname, None)
                    continue
                del fields[attname]
                self._lose(result, column, value, message, name)
            if result.errors:
                return
        # clean() normalises identity numbers (spaces, dots); keep its form.
        for name in ("owner_nik", "nib"):
            if name in fields:
                fields[name] = getattr(ikm, name)


def _unit_note(column: str, label: str, unit) -> str:
    parts = []
    if unit.scale != 1:
        scale = f"{unit.scale:,}".replace(",", ".")
        parts.append(_("dikali %(scale)s (satuan di judul kolom)") % {"scale": scale})
    if unit.period != 1:
        parts.append(
            _("dikali %(period)s (nilai per periode menjadi per tahun)") % {"period": unit.period}
        )
    return _("Kolom '%(column)s' dibaca sebagai %(label)s: %(how)s.") % {
        "column": column,
        "label": label,
        "how": ", ".join(parts),
    }
