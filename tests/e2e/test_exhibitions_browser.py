"""Exhibition from sign-up to certificate, and a student who founded an IKM, as people
click through it."""

import re
from datetime import date

import pytest

from sentra.exhibitions.models import Application, Status
from sentra.testing.factories import (
    DESA_BARAT,
    DESA_SELATAN,
    ApplicationFactory,
    BoothTypeFactory,
    ExhibitionFactory,
    IkmFactory,
    StudentFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_sign_up_on_a_phone_to_selection_override_outcome_report_and_certificate(
    browser, live_server, page, login, admin_user
):
    booth = BoothTypeFactory(count=2)
    exhibition = booth.exhibition
    for desa in (DESA_BARAT, DESA_BARAT, DESA_SELATAN):
        ApplicationFactory(booth_type=booth, ikm=IkmFactory(desa_id=desa))

    phone = browser.new_context(base_url=live_server.url, locale="id-ID", **PHONE)
    mobile = phone.new_page()
    mobile.goto(f"/pameran/{exhibition.pk}/daftar/")
    form = mobile.get_by_test_id("signup-form")
    # Nothing of the form may be wider than the phone's screen.
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    form.get_by_label("Nama usaha").fill("Dapur Bu Komang")
    form.get_by_label("Nama pemilik").fill("Ni Komang Ayu Lestari")
    form.get_by_label("Nomor HP/WhatsApp").fill("0813 3700 1122")
    form.get_by_label("E-mail").fill("komang@contoh.id")
    form.get_by_label("Desa/kelurahan tempat usaha").select_option(label="Dangin Puri")
    form.get_by_label("Produk yang akan dipamerkan").fill("kue kering, sambal matah")
    form.get_by_label("Nomor PIRT (bila ada)").fill("2065171010123-27")
    form.get_by_label("Jenis stan").select_option(index=1)
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="Kirim pendaftaran").click()
    mobile.get_by_test_id("signup-done").wait_for()
    newcomer = Application.objects.get(ikm__name="Dapur Bu Komang")
    assert newcomer.needs_verification

    login("admin")
    page.goto(f"/pameran/{exhibition.pk}/")
    page.get_by_test_id("run-selection").click()
    page.get_by_test_id("selection-info").wait_for()
    assert "optimal terbukti" in page.get_by_test_id("selection-info").inner_text()
    table = page.get_by_test_id("applications")
    assert "belum pernah ikut pameran dinas" in table.inner_text()
    assert "stan jenis ini terisi" in table.inner_text()
    fairness = page.get_by_test_id("fairness").inner_text()
    assert "Pendatang baru" in fairness and "Kecamatan" in fairness and "Skala usaha" in fairness

    waiting = Application.objects.filter(exhibition=exhibition, status=Status.WAITLIST).first()
    row = page.get_by_test_id(f"application-{waiting.pk}")
    row.locator("summary").click()
    override = row.get_by_test_id("override-form")
    override.locator("select[name=decision]").select_option("in")
    override.locator("input[name=note]").fill("Produk unggulan tema tahun ini")
    override.get_by_role("button", name="Simpan keputusan").click()
    row = page.get_by_test_id(f"application-{waiting.pk}")
    assert "Terpilih" in row.get_by_test_id("status").inner_text()
    assert "dipilih oleh petugas" in row.get_by_test_id("reasons").inner_text()

    row.get_by_test_id("attended").click()
    row = page.get_by_test_id(f"application-{waiting.pk}")
    assert "hadir" in row.get_by_test_id("status").inner_text()
    row.get_by_test_id("outcome-link").click()
    outcome = page.get_by_test_id("outcome-form")
    outcome.locator("input[name=sales]").fill("4500000")
    outcome.locator("input[name=buyer_contacts]").fill("9")
    outcome.locator("input[name=rating]").fill("4")
    outcome.get_by_role("button", name="Simpan hasil").click()
    page.wait_for_url(re.compile(rf"/pameran/{exhibition.pk}/$"))
    assert "4.500.000" in page.get_by_test_id("report").inner_text()

    report = page.request.get(page.get_by_test_id("report-pdf").get_attribute("href"))
    assert report.headers["content-type"] == "application/pdf"
    assert report.body().startswith(b"%PDF")
    row = page.get_by_test_id(f"application-{waiting.pk}")
    certificate = page.request.get(row.get_by_test_id("certificate-link").get_attribute("href"))
    assert certificate.body().startswith(b"%PDF")

    code = Application.objects.get(pk=waiting.pk).certificate_code
    mobile.goto("/pameran/verifikasi/")
    mobile.get_by_label("Kode verifikasi").fill(code.lower())
    mobile.get_by_role("button", name="Cek").click()
    verified = mobile.get_by_test_id("verify-ok").inner_text()
    assert code in verified and waiting.ikm.name in verified
    assert waiting.contact_phone not in mobile.content()
    phone.close()


def test_a_student_found_as_a_later_owner_is_confirmed_and_counted_young(page, login, admin_user):
    student = StudentFactory(name="I Made Wira Adnyana", birth_date=date(2001, 3, 4))
    past = ExhibitionFactory(
        start_date=date(2021, 7, 1),
        end_date=date(2021, 7, 4),
        applications_open=date(2021, 5, 1),
        applications_close=date(2021, 6, 1),
    )
    from sentra.exhibitions.models import StudentRole

    StudentRole.objects.create(student=student, exhibition=past, role="stan", hours=16)
    founded = IkmFactory(
        name="Wira Kriya Studio",
        owner_name="I Made Wira Adnyana",
        owner_birth_date=date(2001, 3, 4),
        owner_phone=student.phone,
        started_year=date.today().year - 1,
        started_month=2,
    )
    login("admin")
    page.goto("/pameran/mahasiswa/")
    page.get_by_test_id("find-links").click()
    proposals = page.get_by_test_id("proposals")
    assert "Wira Kriya Studio" in proposals.inner_text()
    proposals.get_by_test_id("confirm-link").click()
    page.goto(f"/pameran/mahasiswa/{student.pk}/")
    assert "Dikonfirmasi" in page.get_by_test_id("student-links").inner_text()
    page.goto(f"/ikm/{founded.pk}/")
    assert "mahasiswa/siswa pendamping pameran" in page.content()
    page.goto("/pameran/")
    young = page.get_by_test_id("young-founders")
    last_year = young.locator("tr", has_text=str(date.today().year - 1))
    assert last_year.locator("td").nth(1).inner_text() == "1"
    assert last_year.locator("td").nth(2).inner_text() == "1"
