"""fast_insert and fast_update write what the ORM would write, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from sentra.audit.models import AuditEntry
from sentra.lib.bulk import fast_insert, fast_update, unsaved
from sentra.registry.models import Ikm, LegalForm
from sentra.testing.factories import DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db


def _fields(ikm: Ikm) -> dict:
    skip = {"id", "created_at", "updated_at"}
    return {
        f.attname: getattr(ikm, f.attname) for f in Ikm._meta.concrete_fields if f.name not in skip
    }


def test_values_read_back_as_the_orm_writes_them():
    values = {
        "name": "Endek Bulk",
        "legal_form": LegalForm.CV,  # a str subclass
        "desa_id": DESA_BARAT,
        "investment": 24_100_000.0,  # a float in an integer column, as the demo data have
        "latitude": Decimal("-8.650000"),
        "longitude": Decimal("115.216667"),
        "owner_birth_date": date(1980, 5, 17),
        "data_as_of": date(2025, 6, 30),
    }
    orm = IkmFactory.build(**values)
    orm.refresh_derived()
    bulk = Ikm(**{f.attname: getattr(orm, f.attname) for f in Ikm._meta.concrete_fields})
    with transaction.atomic():
        orm.save()
        fast_insert(Ikm, [bulk])
    assert bulk.pk > orm.pk
    orm_back, bulk_back = Ikm.objects.get(pk=orm.pk), Ikm.objects.get(pk=bulk.pk)
    assert _fields(bulk_back) == _fields(orm_back)
    assert bulk_back.investment == 24_100_000 and type(bulk_back.investment) is int
    assert Ikm.objects.filter(created_at=bulk_back.created_at).get() == bulk_back
    # The table's numbering goes on after the bulk insert.
    after = IkmFactory(name="Sesudahnya")
    assert after.pk > bulk.pk


def test_json_and_timestamps_of_audit_entries():
    changes = {"name": [None, "Endek"], "investment": [None, 5], "data_as_of": [None, "2025-06-30"]}
    entries = [
        AuditEntry(action="create", model="registry.ikm", object_id=str(n), changes=changes)
        for n in range(3)
    ]
    with transaction.atomic():
        fast_insert(AuditEntry, entries)
    stored = list(AuditEntry.objects.order_by("pk"))
    assert [e.changes for e in stored] == [changes] * 3
    assert len({e.at for e in stored}) == 1 and stored[0].at is not None
    assert AuditEntry.objects.filter(changes__name=[None, "Endek"]).count() == 3
    assert AuditEntry.objects.filter(at__lte=stored[0].at).count() == 3
    later = AuditEntry.objects.create(action="update", model="registry.ikm", object_id="9")
    assert later.pk > stored[-1].pk


def test_fast_update_writes_the_named_fields_as_a_save_would():
    a, b, other = IkmFactory.create_batch(3, desa_id=DESA_BARAT, investment=5)
    a.name, a.legal_form, a.data_as_of = "Endek Baru", LegalForm.CV, date(2025, 6, 30)
    a.latitude, a.investment = Decimal("-8.650000"), 24_100_000.0  # float, as the demo has
    b.name, b.data_as_of, b.latitude = "Tenun Baru", None, None
    b.owner_name = "Tidak Ditulis"  # not named below: left as stored
    with transaction.atomic():
        fast_update(Ikm, [a, b], ["name", "legal_form", "data_as_of", "latitude", "investment"])
    a_back, b_back = Ikm.objects.get(pk=a.pk), Ikm.objects.get(pk=b.pk)
    assert (a_back.name, a_back.legal_form, a_back.data_as_of) == (
        "Endek Baru",
        LegalForm.CV,
        date(2025, 6, 30),
    )
    assert a_back.latitude == Decimal("-8.650000") and a_back.investment == 24_100_000
    assert type(a_back.investment) is int
    assert (b_back.name, b_back.data_as_of, b_back.latitude) == ("Tenun Baru", None, None)
    assert b_back.investment == 5 and b_back.owner_name != "Tidak Ditulis"
    assert Ikm.objects.get(pk=other.pk).name == other.name
    fast_update(Ikm, [], ["name"])  # nothing to write: no statement


def test_unsaved_is_the_instance_model_init_builds():
    from sentra.imports.models import ImportIssue, ImportJob

    job = ImportJob(pk=7)
    fields = {"job_id": 7, "severity": "warning", "row": 12, "column": "NIK", "message": "x"}
    built = unsaved(ImportIssue, fields)
    expected = ImportIssue(job=job, severity="warning", row=12, column="NIK", message="x")
    plain = {k: v for k, v in expected.__dict__.items() if k != "_state"}
    assert {k: v for k, v in built.__dict__.items() if k != "_state"} == plain
    assert built._state.adding and built._state.db is None
    assert built.value == "" and built.pk is None  # the model's defaults
    # Each instance has its own state: changing one leaves the next as built.
    built.row = 99
    assert unsaved(ImportIssue, fields).row == 12
