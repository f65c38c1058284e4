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


def _failed_commit(run_import, monkeypatch):
    """A three-row import whose commit dies after its first write; asserts it left the
    registry as it was, and returns the job."""
    from sentra.imports import services

    def crash(job, written):
        raise RuntimeError("proses dihentikan")

    monkeypatch.setattr(services.commit, "_checkpoint", crash)
    job = run_import(sidt_csv([sidt_row(n) for n in range(3)]), "gagal.csv", commit=False)
    before = registry_state()
    job = services.import_job_commit(job=job, actor=None)
    assert job.status == "commit_failed"
    assert registry_state() == before
    return job


def test_a_failed_commit_keeps_the_search_index_as_it_was(run_import, monkeypatch):
    from sentra.imports import services

    job = _failed_commit(run_import, monkeypatch)
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


def _ikm_indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'registry_ikm' AND sql IS NOT NULL"
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'registry_ikm'"
            )
        return dict(cursor.fetchall())


def test_a_large_commit_builds_the_indexes_after_and_stores_the_same(run_import, monkeypatch):
    """With the threshold lowered, the commit on SQLite drops and rebuilds registry_ikm's
    secondary indexes (PostgreSQL never: DROP INDEX would lock readers out): afterwards
    they are the same indexes, the search finds the rows, and the one-live-IKM-per-NIB
    rule still holds for later writes."""
    from django.db import IntegrityError, transaction

    from sentra.registry import bulk_indexes

    before = _ikm_indexes()
    dropped: list[str] = []
    real = bulk_indexes._deferrable
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 2)
    monkeypatch.setattr(
        bulk_indexes, "_deferrable", lambda name: real(name) and (dropped.append(name) or True)
    )
    job = run_import(sidt_csv([sidt_row(n) for n in range(4)]), "besar.csv")
    assert job.status == "committed" and job.created_count == 4, job.error
    if connection.vendor == "sqlite":
        assert len(dropped) > 10 and "ikm_active_name" in dropped
        assert "ikm_nib_unique_active" not in dropped
    else:
        assert dropped == []
    assert _ikm_indexes() == before
    assert _found("susu dewata") == {f"Pie Susu Dewata {n}" for n in range(4)}
    assert _insert_trigger_present()
    twin = Ikm.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        IkmFactory(nib=twin.nib)


def test_a_failed_large_commit_leaves_the_indexes_in_place(run_import, monkeypatch):
    from sentra.registry import bulk_indexes

    before = _ikm_indexes()
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 2)
    _failed_commit(run_import, monkeypatch)
    assert _ikm_indexes() == before


def test_a_large_commit_into_a_larger_registry_keeps_its_indexes(run_import, monkeypatch):
    """Rebuilding costs in proportion to the whole table: a commit smaller than the
    registry maintains the indexes as it writes."""
    from sentra.registry import bulk_indexes

    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 2)
    IkmFactory.create_batch(4)
    with monkeypatch.context() as m:
        m.setattr(
            bulk_indexes,
            "_deferrable",
            lambda name: pytest.fail(f"index {name} dropped for a small commit"),
        )
        job = run_import(sidt_csv([sidt_row(n) for n in range(3)]), "kecil.csv")
    assert job.status == "committed" and job.created_count == 3, job.error
