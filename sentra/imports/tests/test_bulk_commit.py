"""The bulk commit writes what the ORM would: search index, audit entries, sources."""

from __future__ import annotations

import pytest
from django.db import connection

from sentra.audit.models import AuditEntry
from sentra.audit.services import diff, snapshot
from sentra.imports.tests.conftest import registry_state
from sentra.imports.tests.samples import sidt_csv, sidt_row
from sentra.registry.models import Ikm, IkmSource
from sentra.registry.search_index import TABLE
from sentra.registry.selectors import IkmFilters, ikm_list
from sentra.registry.services import AUDITED_FIELDS
from sentra.testing.factories import IkmFactory

pytestmark = pytest.mark.django_db


def _found(q: str) -> set[str]:
    return set(ikm_list(filters=IkmFilters(q=q, status="all")).values_list("name", flat=True))


def _insert_trigger_present() -> bool:
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=%s", [TABLE + "_ai"]
        )
        return cursor.fetchone() is not None


def test_imported_ikm_are_found_by_search_and_later_inserts_too(run_import):
    IkmFactory(name="Kopi Merta Lama", main_products="kopi")
    job = run_import(sidt_csv([sidt_row(n) for n in range(4)]), "cari.csv")
    assert job.status == "committed", job.error
    assert _found("susu dewata") == {f"Pie Susu Dewata {n}" for n in range(4)}
    assert _found("merta lama") == {"Kopi Merta Lama"}
    assert _insert_trigger_present()
    # Indexed by the trigger, which the commit put back.
    IkmFactory(name="Endek Merta Baru", main_products="endek")
    assert _found("merta baru") == {"Endek Merta Baru"}


def test_a_failed_commit_keeps_the_search_index_as_it_was(run_import, monkeypatch):
    from sentra.imports import services

    def crash(job, written):
        raise RuntimeError("proses dihentikan")

    monkeypatch.setattr(services.commit, "_checkpoint", crash)
    job = run_import(sidt_csv([sidt_row(n) for n in range(3)]), "gagal.csv", commit=False)
    before = registry_state()
    job = services.import_job_commit(job=job, actor=None)
    assert job.status == "commit_failed"
    assert registry_state() == before
    assert _insert_trigger_present()
    monkeypatch.setattr(services.commit, "_checkpoint", lambda job, written: None)
    job = services.import_job_commit(job=job, actor=None)
    assert job.status == "committed" and job.created_count == 3
    assert _found("susu dewata") == {f"Pie Susu Dewata {n}" for n in range(3)}


def test_audit_entry_of_an_imported_ikm_is_what_ikm_create_records(run_import):
    job = run_import(sidt_csv([sidt_row(n) for n in range(3)]), "audit.csv")
    assert job.status == "committed", job.error
    for ikm in Ikm.objects.all():
        entry = AuditEntry.objects.get(model="registry.ikm", object_id=str(ikm.pk))
        values = snapshot(ikm, AUDITED_FIELDS)
        expected = diff({}, {k: v for k, v in values.items() if v not in ("", None)})
        assert entry.changes == expected
        assert entry.action == "create" and entry.actor is None
        source = IkmSource.objects.get(ikm=ikm)
        assert entry.source == source.reference and source.reference.startswith("audit.csv › ")
    # Each entry and source got its own number; later ORM writes take the next ones.
    assert (
        AuditEntry.objects.filter(model="registry.ikm").count() == 3
        and IkmSource.objects.count() == 3
    )
    IkmFactory(name="Sesudah Impor")
    assert Ikm.objects.count() == 4
