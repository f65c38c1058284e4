"""Coaching participants found by typing a name, as an officer does it."""

import re

import pytest

from sentra.coaching.models import Activity, Category, Programme
from sentra.testing.factories import IkmFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_types_a_name_ticks_the_ikm_and_saves(page, login, officer_barat):
    wanted = IkmFactory(name="Tenun Ikat Sekar Jagat", owner_name="Ni Made Sekarini")
    also = IkmFactory(name="Endek Sekar Sari")
    IkmFactory(name="Kopi Bubuk Pak Tut")
    programme = Programme.objects.create(
        category=Category.objects.get(code="fashion"), year=2026, name="Fesyen 2026", organiser="D"
    )
    login("petugas_barat")
    page.goto(f"/pembinaan/program/{programme.pk}/kegiatan/baru/")
    page.select_option("#id_kind", "pelatihan")
    page.fill("#id_title", "Pelatihan pewarnaan alami")
    page.fill("#id_date", "2026-03-12")
    page.fill("#id_place", "Aula Dinas")
    search = page.get_by_test_id("ikm-search")
    search.press_sequentially("sekar ja", delay=40)
    choice = page.locator("#ikm-choices label", has_text="Tenun Ikat Sekar Jagat")
    choice.wait_for()
    assert page.locator("#ikm-choices label", has_text="Kopi Bubuk").count() == 0
    choice.locator("input[type=checkbox]").check()
    # Typing again keeps the ticked IKM and lists the new matches below it.
    search.fill("")
    search.press_sequentially("endek sekar", delay=40)
    other = page.locator("#ikm-choices label", has_text="Endek Sekar Sari")
    other.wait_for()
    assert (
        page.locator("#ikm-choices label", has_text="Tenun Ikat Sekar Jagat")
        .locator("input")
        .is_checked()
    )
    page.click("form button[type=submit]:has-text('Simpan')")
    page.wait_for_url(re.compile(r"/pembinaan/kegiatan/\d+/$"))

    activity = Activity.objects.get(title="Pelatihan pewarnaan alami")
    assert list(activity.participants.values_list("pk", flat=True)) == [wanted.pk]
    assert "Tenun Ikat Sekar Jagat" in page.get_by_test_id("participants").inner_text()

    # On the activity page: one more participant by name, added and listed.
    search = page.get_by_test_id("ikm-search")
    search.press_sequentially("endek", delay=40)
    row = page.locator("#ikm-choices label", has_text="Endek Sekar Sari")
    row.wait_for()
    row.locator("input[type=checkbox]").check()
    page.click("button:has-text('Tambah peserta')")
    page.wait_for_url(re.compile(rf"/pembinaan/kegiatan/{activity.pk}/$"))
    assert "Endek Sekar Sari" in page.get_by_test_id("participants").inner_text()
    assert set(activity.participants.values_list("pk", flat=True)) == {wanted.pk, also.pk}


def test_officer_uploads_an_attendance_list_and_confirms_it(page, login, officer_barat, tmp_path):
    from datetime import date

    from sentra.coaching.tests.attendance_files import attendance_xlsx
    from sentra.imports.areas_match import AreaMatcher

    areas = AreaMatcher()
    known = IkmFactory(
        name="Endek Sari Warna",
        owner_name="Ni Made Sukarmini",
        owner_sex="P",
        owner_phone="081239001111",
        desa_id=areas.match_desa("Padangsambian").code,
    )
    typo = IkmFactory(
        name="Perak Sudarma",
        owner_name="I Wayan Sudarma",
        owner_phone="081239002222",
        desa_id=areas.match_desa("Dauh Puri Kauh").code,
    )
    programme = Programme.objects.create(
        category=Category.objects.get(code="kriya"), year=2026, name="Kriya 2026", organiser="D"
    )
    activity = Activity.objects.create(
        programme=programme, kind="pelatihan", title="Pengemasan", date=date(2026, 3, 12), place="A"
    )
    path = tmp_path / "DAFTAR HADIR.xlsx"
    path.write_bytes(attendance_xlsx())
    login("petugas_barat")
    page.goto(f"/pembinaan/kegiatan/{activity.pk}/")
    page.get_by_test_id("attendance-form").locator("input[type=file]").set_input_files(path)
    page.click("button:has-text('Unggah dan cocokkan')")
    matched = page.get_by_test_id("attendance-matched")
    matched.wait_for()
    assert "Perak Sudarma" in matched.inner_text()
    assert "Komang Adi Pranata" in page.get_by_test_id("attendance-unmatched").inner_text()
    # Both are ticked (the engine is sure); the officer unticks the one he doubts.
    assert matched.locator(f"input[value='{known.pk}']").is_checked()
    box = matched.locator(f"input[value='{typo.pk}']")
    assert box.is_checked()
    box.uncheck()
    page.get_by_test_id("attendance-confirm").click()
    page.wait_for_url(re.compile(rf"/pembinaan/kegiatan/{activity.pk}/$"))
    assert "1 peserta ditambahkan." in page.inner_text("main")
    assert list(activity.participants.values_list("pk", flat=True)) == [known.pk]


def test_the_attendance_page_polls_the_background_match_until_it_shows_the_rows(
    page, login, officer_barat, tmp_path, settings
):
    """With a worker that has not taken the task yet, the page shows the queue and its
    progress; once the match has run, the poll reloads it into the rows to confirm."""
    from datetime import date

    from sentra.coaching import services
    from sentra.coaching.models import AttendanceRun
    from sentra.coaching.tests.attendance_files import attendance_xlsx

    # Queued, not run: the dummy backend keeps the task as a worker would find it.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    programme = Programme.objects.create(
        category=Category.objects.get(code="kriya"), year=2026, name="Kriya 2026", organiser="D"
    )
    activity = Activity.objects.create(
        programme=programme, kind="pelatihan", title="Pengemasan", date=date(2026, 3, 12), place="A"
    )
    IkmFactory(name="Perak Sudarma", owner_name="I Wayan Sudarma", owner_phone="081239002222")
    path = tmp_path / "DAFTAR HADIR.xlsx"
    path.write_bytes(attendance_xlsx())
    login("petugas_barat")
    page.goto(f"/pembinaan/kegiatan/{activity.pk}/")
    page.get_by_test_id("attendance-form").locator("input[type=file]").set_input_files(path)
    page.click("button:has-text('Unggah dan cocokkan')")
    page.wait_for_url(re.compile(r"/pembinaan/daftar-hadir/\d+/$"))
    assert "menunggu giliran" in page.get_by_test_id("attendance-progress").inner_text()
    run = AttendanceRun.objects.get(activity=activity)
    assert run.status == AttendanceRun.Status.QUEUED and run.total == 4
    services.attendance_run_match(run=run)  # what the worker does
    page.get_by_test_id("attendance-matched").wait_for()
    assert "Perak Sudarma" in page.get_by_test_id("attendance-matched").inner_text()
    assert "Komang Adi Pranata" in page.get_by_test_id("attendance-unmatched").inner_text()


def test_coordinator_adds_a_candidate_by_name(page, login, db):
    from sentra.accounts.models import Role
    from sentra.certification.models import Candidate, Scheme
    from sentra.testing.factories import UserFactory

    UserFactory(username="koordinator", role=Role.COORDINATOR)
    ikm = IkmFactory(name="Tenun Ikat Sekar Jagat")
    scheme = Scheme.objects.get(code="pemasaran-ikm")
    login("koordinator")
    page.goto("/sertifikasi/")
    page.get_by_test_id("candidate-create").click()
    page.get_by_test_id("ikm-search").press_sequentially("sekar jagat", delay=40)
    choice = page.locator("#ikm-choices label", has_text="Tenun Ikat Sekar Jagat")
    choice.wait_for()
    choice.locator("input[name=ikm]").check()
    page.select_option("#id_scheme", str(scheme.pk))
    page.fill("#id_name", "Kadek Ayu Lestari")
    page.select_option("#id_role", "marketer")
    page.check("#id_documents_complete")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(r"/sertifikasi/$"))
    candidate = Candidate.objects.get()
    assert (candidate.ikm_id, candidate.scheme, candidate.role) == (ikm.pk, scheme, "marketer")
