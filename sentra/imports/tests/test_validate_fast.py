"""The import's shortcut around Field.clean gives exactly Django's results and messages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sentra.imports import validate
from sentra.imports.layouts import detect_layout
from sentra.imports.tests.samples import SENTRA_HEADER, sentra_row
from sentra.imports.validate import RowValidator, passes_unchanged
from sentra.registry.models import Ikm


class _Text(str):
    pass


def _candidates(f) -> list:
    values: list = ["", " ", "a", "A" * 3, "a\x00b", _Text("perorangan"), None]
    values += [0, 1, -1, 12, 13, 1899, 1900, 2**15, 2**31, 2**31 - 1, 2**63, -(2**63) - 1]
    values += [True, False, 1.0, Decimal("1"), date(2020, 2, 29), datetime(2020, 2, 29, 8, 0)]
    values += ["2020-02-29", "1", "ya"]
    if getattr(f, "max_length", None):
        values += ["x" * f.max_length, "x" * (f.max_length + 1), "é" * f.max_length]
    for v in f.validators:
        limit = getattr(v, "limit_value", None)
        if isinstance(limit, int):
            values += [limit - 1, limit, limit + 1]
    if f.choices:
        values += [value for value, _ in f.flatchoices]
        values += [str(label) for _, label in f.flatchoices if label]
        values += ["PERORANGAN", "bukan pilihan"]
    return values


@pytest.mark.parametrize("field", Ikm._meta.fields, ids=lambda f: f.name)
def test_a_value_the_shortcut_passes_is_one_field_clean_returns_unchanged(field):
    shortcut = passes_unchanged(field)
    if shortcut is None:
        return  # every value of this field goes through Field.clean
    instance = Ikm()
    for value in _candidates(field):
        if not shortcut(value):
            continue
        cleaned = field.clean(value, instance)  # must not raise
        assert cleaned == value and type(cleaned) is type(value), (field.name, value)


def test_shortcuts_exist_for_the_plain_fields_and_not_for_the_others():
    shortcut = {f.name: passes_unchanged(f) for f in Ikm._meta.fields}
    for name in ("name", "legal_form", "nib", "workers_paid_male", "investment", "data_as_of"):
        assert shortcut[name] is not None, name
    for name in ("owner_email", "photo_url", "latitude", "production_capacity", "created_at"):
        assert shortcut[name] is None, name


def _rows() -> list[dict]:
    bad = [
        {"nama_usaha": ""},
        {"nama_usaha": "N" * 201},
        {"nib": "1" * 14},
        {"nik_pemilik": "5171"},
        {"tk_dibayar_laki": -3},
        {"tk_dibayar_perempuan": 2**70},
        {"investasi": -5},
        {"tahun_mulai_operasi": 1800},
        {"kode_pos": "8023"},
        {"rt": "0021"},
        {"email": "bukan-email"},
        {"latitude": "-8.65", "longitude": ""},
        {"latitude": "123.5", "longitude": "115.2"},
        {"kapasitas_produksi": "1234567890123456.5"},
        {"tanggal_lahir": date(1890, 1, 1)},
        {"alamat_usaha": "A" * 301, "kontak_hp": "0" * 21},
    ]
    return [sentra_row(n) for n in range(3)] + [sentra_row(10 + n, **o) for n, o in enumerate(bad)]


@pytest.mark.django_db
def test_rows_give_the_same_errors_and_values_as_model_clean_fields(monkeypatch):
    layout = detect_layout(SENTRA_HEADER)
    assert layout is not None
    header = SENTRA_HEADER
    rows = [[row.get(h, "") for h in header] for row in _rows()]

    def run() -> list:
        validator = RowValidator(header=header, mapping=layout[1], actor=None)
        return [
            (r.errors, r.warnings, r.fields, r.external_id, r.sentra_id)
            for r in (validator.validate(n + 2, cells) for n, cells in enumerate(rows))
        ]

    fast = run()

    def django_clean_fields(ikm, plan):
        exclude = {f.name for f in Ikm._meta.fields} - {f.name for f, _a, _s in plan}
        ikm.clean_fields(exclude=exclude)

    monkeypatch.setattr(validate, "clean_fields", django_clean_fields)
    reference = run()
    assert fast == reference
    # The sample covers every outcome: clean rows, rows refused by Field.clean (the
    # name), and rows where Field.clean costs one field (a warning, the field dropped).
    assert not fast[0][0] and not fast[0][1]
    assert [n for n, (errors, *_) in enumerate(fast) if errors] == [3, 4]
    assert [n for n, (errors, warnings, *_) in enumerate(fast) if warnings] == list(
        range(5, len(rows))
    )
    with pytest.raises(ValidationError):
        Ikm(name="N" * 201).clean_fields(exclude={"desa", "kecamatan"})
