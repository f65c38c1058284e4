"""Sentra's own export goes back in as it is; re-importing it changes nothing."""

from datetime import date

import pytest

from sentra.imports.tests.conftest import registry_state
from sentra.lib.tabular import csv_lines, xlsx_bytes
from sentra.registry.models import Ikm
from sentra.registry.selectors import IkmFilters, ikm_export_header, ikm_export_rows, ikm_list
from sentra.testing.factories import DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def _export(user) -> list:
    return list(ikm_export_rows(ikm_list(filters=IkmFilters(status="all")), user=user))


def test_an_export_reimported_changes_nothing(run_import, admin_user):
    IkmFactory(name="Endek Sumerta", desa_id=DESA_TIMUR, data_as_of=date(2025, 1, 1))
    IkmFactory(name="Pie Susu Dauh Puri", subsector_id="B16-08")
    before = registry_state()
    job = run_import(
        xlsx_bytes(ikm_export_header(), _export(admin_user)), "ekspor.xlsx", kind="survei"
    )
    assert job.status == "committed", job.error
    assert job.layout == "sentra"
    assert (job.rows_valid, job.created_count, job.updated_count) == (2, 0, 0)
    assert registry_state() == before


def test_an_edited_export_with_newer_data_updates_only_what_changed(run_import, admin_user):
    ikm = IkmFactory(name="Endek Sumerta", desa_id=DESA_TIMUR, data_as_of=date(2025, 1, 1))
    header = ikm_export_header()
    rows = _export(admin_user)
    rows[0][header.index("tk_dibayar_laki")] = 7
    rows[0][header.index("data_per")] = date(2025, 6, 30)
    content = "".join(csv_lines(header, rows)).encode("utf-8")
    job = run_import(content, "ekspor.csv", kind="survei")
    assert job.status == "committed", job.error
    assert (job.created_count, job.updated_count) == (0, 1)
    ikm.refresh_from_db()
    assert ikm.workers_paid_male == 7 and ikm.data_as_of == date(2025, 6, 30)
    assert ikm.name == "Endek Sumerta"


def test_an_unknown_sentra_id_is_an_error_not_a_new_record(run_import, admin_user):
    IkmFactory(name="Endek Sumerta")
    header = ikm_export_header()
    rows = _export(admin_user)
    rows[0][0] = 999999
    job = run_import(xlsx_bytes(header, rows), "ekspor.xlsx", kind="survei", commit=False)
    assert job.rows_invalid == 1
    assert "ID Sentra 999999 tidak ada" in job.issues.get().message
    assert Ikm.objects.count() == 1
