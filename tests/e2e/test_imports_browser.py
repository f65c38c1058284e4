import re

import pytest

from sentra.imports.tests.samples import sidt_csv, sidt_row
from sentra.registry.models import Ikm

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_upload_report_commit(page, login, admin_user):
    rows = [sidt_row(0), sidt_row(1, kel_usaha="Kuta", kec_usaha="Kuta"), sidt_row(2)]
    login("admin")
    page.goto("/impor/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "sidt-denpasar.csv", "mimeType": "text/csv", "buffer": sidt_csv(rows)}],
    )
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url(re.compile(r"/impor/\d+/$"))

    # Report: the layout was recognised, one row is refused with a clear reason.
    page.get_by_test_id("rows-valid").wait_for()
    assert page.get_by_test_id("layout").inner_text().startswith("Ekspor Satu Data UMKM (SIDT)")
    assert page.get_by_test_id("rows-valid").inner_text() == "2"
    assert page.get_by_test_id("rows-invalid").inner_text() == "1"
    issues = page.get_by_test_id("issues").inner_text()
    assert "Kecamatan 'Kuta' tidak ada di Kota Denpasar" in issues
    assert Ikm.objects.count() == 0  # nothing saved before the person decides

    with page.expect_download() as download:
        page.get_by_test_id("report-errors").click()
    assert download.value.suggested_filename.endswith("-bermasalah.xlsx")

    page.get_by_test_id("commit").click()
    page.get_by_test_id("created").wait_for()
    assert page.get_by_test_id("created").inner_text() == "2"
    assert sorted(Ikm.objects.values_list("name", flat=True)) == [
        "Pie Susu Dewata 0",
        "Pie Susu Dewata 2",
    ]
