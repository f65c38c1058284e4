from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sentra.areas.models import Area
from sentra.audit.models import AuditEntry
from sentra.exhibitions import selectors, services
from sentra.exhibitions.models import Application, Channel, LinkStatus, RunStatus, Status
from sentra.linkage.selectors import registry_records
from sentra.registry.models import Ikm, IkmSource
from sentra.registry.timeline import events_for
from sentra.testing.factories import (
    DESA_BARAT,
    DESA_TIMUR,
    ApplicationFactory,
    BoothTypeFactory,
    ExhibitionFactory,
    IkmFactory,
    StudentFactory,
    valid_nik,
)

pytestmark = pytest.mark.django_db


def _signup_data(exhibition, **over):
    data = {
        "business_name": "Dapur Bu Komang",
        "owner_name": "Ni Komang Ayu Lestari",
        "owner_sex": "P",
        "phone": "081337001122",
        "email": "komang@contoh.id",
        "desa": Area.objects.get(code=DESA_TIMUR),
        "address": "Jl. Nangka Utara No. 12",
        "products": "kue kering dan sambal matah",
        "subsector": None,
        "nib": "",
        "pirt_number": "2065171010123-27",
        "halal_number": "",
        "booth_type": exhibition.booths.first(),
        "consent": True,
    }
    return {**data, **over}


def test_it_creates_an_unknown_applicant_as_an_ikm_to_verify():
    booth = BoothTypeFactory()
    IkmFactory.create_batch(3)
    application = services.signup_submit(
        exhibition=booth.exhibition, data=_signup_data(booth.exhibition)
    )
    assert application.channel == Channel.PUBLIC
    assert application.needs_verification and application.consent_at
    ikm = application.ikm
    assert ikm.name == "Dapur Bu Komang" and ikm.kecamatan_id == "51.71.02"
    assert IkmSource.objects.get(ikm=ikm).kind == "pameran"
    assert AuditEntry.objects.filter(model="registry.ikm", object_id=str(ikm.pk)).exists()
    assert AuditEntry.objects.filter(model="exhibitions.application", action="create").exists()


def test_it_links_a_known_applicant_to_the_registry_instead_of_creating_one():
    booth = BoothTypeFactory()
    known = IkmFactory(
        name="Dapur Bu Komang",
        owner_name="Ni Komang Ayu Lestari",
        # The same woman: her sex and NIK agree (the factory's defaults are a man's,
        # which the engine rightly counts against the match).
        owner_sex="P",
        owner_nik=valid_nik(female=True, serial=4242),
        owner_phone="081337001122",
        desa_id=DESA_TIMUR,
        main_products="kue kering dan sambal matah",
        address="Jl. Nangka Utara No. 12",
    )
    IkmFactory.create_batch(3)
    before = Ikm.objects.count()
    application = services.signup_submit(
        exhibition=booth.exhibition,
        data=_signup_data(booth.exhibition, business_name="DAPUR BU KOMANG"),
        registry=registry_records(),
    )
    assert application.ikm_id == known.pk
    assert not application.needs_verification
    assert Ikm.objects.count() == before


def test_sign_up_refuses_a_closed_window_and_missing_consent():
    booth = BoothTypeFactory(
        exhibition=ExhibitionFactory(
            applications_open=date.today() - timedelta(days=20),
            applications_close=date.today() - timedelta(days=1),
        )
    )
    with pytest.raises(ValidationError):
        services.signup_submit(exhibition=booth.exhibition, data=_signup_data(booth.exhibition))
    open_booth = BoothTypeFactory()
    with pytest.raises(ValidationError):
        services.signup_submit(
            exhibition=open_booth.exhibition,
            data=_signup_data(open_booth.exhibition, consent=False),
        )
    assert not Application.objects.exists()


def _event_with_applicants(n=5, booths=2):
    booth = BoothTypeFactory(count=booths)
    apps = [
        ApplicationFactory(
            booth_type=booth, ikm=IkmFactory(desa_id=DESA_BARAT if i % 2 else DESA_TIMUR)
        )
        for i in range(n)
    ]
    return booth.exhibition, apps


def test_selection_writes_status_reasons_booths_and_the_waiting_list(admin_user):
    exhibition, apps = _event_with_applicants(5, booths=2)
    result = services.selection_run(actor=admin_user, exhibition=exhibition)
    assert result.optimal
    rows = list(exhibition.applications.order_by("pk"))
    picked = [a for a in rows if a.status == Status.SELECTED]
    assert len(picked) == 2
    assert sorted(a.booth_number for a in picked) == ["A-01", "A-02"]
    waiting = sorted(
        (a for a in rows if a.status == Status.WAITLIST), key=lambda a: a.waitlist_rank
    )
    assert [a.waitlist_rank for a in waiting] == [1, 2, 3]
    for a in rows:
        assert selectors.reason_texts(a.reasons)
    # Both kecamatan get a booth: the spread term outweighs the tie-break by order.
    assert {a.ikm.kecamatan_id for a in picked} == {"51.71.02", "51.71.03"}
    assert AuditEntry.objects.filter(action="select", model="exhibitions.exhibition").exists()


def test_an_override_needs_a_note_is_audited_and_moves_the_booth(admin_user):
    exhibition, apps = _event_with_applicants(3, booths=1)
    services.selection_run(actor=admin_user, exhibition=exhibition)
    loser = exhibition.applications.filter(status=Status.WAITLIST).first()
    with pytest.raises(ValidationError):
        services.application_override(actor=admin_user, application=loser, decision="in", note=" ")
    run = services.application_override(
        actor=admin_user, application=loser, decision="in", note="Produk unggulan tema"
    )
    # The override queues a run; nothing is solved until the background task runs it.
    loser.refresh_from_db()
    assert loser.status == Status.WAITLIST and run.status == RunStatus.QUEUED
    run = services.selection_run_background(run=run)
    assert run.status == RunStatus.DONE and run.result["optimal"]
    loser.refresh_from_db()
    assert loser.status == Status.SELECTED and loser.booth_number == "A-01"
    assert "dipilih oleh petugas" in selectors.reason_texts(loser.reasons)
    entry = AuditEntry.objects.get(action="override", object_id=str(loser.pk))
    assert entry.changes["override"] == ["", "in"]


def test_a_cancellation_promotes_the_first_on_the_waiting_list(admin_user):
    exhibition, apps = _event_with_applicants(3, booths=1)
    services.selection_run(actor=admin_user, exhibition=exhibition)
    chosen = exhibition.applications.get(status=Status.SELECTED)
    first_waiting = exhibition.applications.get(waitlist_rank=1)
    promoted = services.application_cancel(actor=admin_user, application=chosen, reason="sakit")
    assert promoted.pk == first_waiting.pk
    promoted.refresh_from_db()
    assert promoted.status == Status.SELECTED and promoted.booth_number == "A-01"


def test_attendance_outcome_certificate_and_timeline(admin_user):
    exhibition, apps = _event_with_applicants(1, booths=1)
    services.selection_run(actor=admin_user, exhibition=exhibition)
    a = exhibition.applications.get()
    a = services.attendance_record(actor=admin_user, application=a, attended=True)
    assert len(a.certificate_code) == 10
    assert selectors.certificate_lookup(a.certificate_code.lower())["holder"] == a.ikm.name
    assert selectors.certificate_lookup("ZZZZZZZZZZ") is None
    services.outcome_record(
        actor=None,
        application=a,
        data={"sales": 3_500_000, "buyer_contacts": 12, "orders_after": 1_000_000, "rating": 4},
        by_ikm=True,
    )
    with pytest.raises(ValidationError):
        services.outcome_record(actor=admin_user, application=a, data={"rating": 9})
    report = selectors.report(exhibition)
    assert report.sales == 3_500_000
    # 2,000,000 booth subsidy + 5,000,000 other costs for one booth and Rp 3.5 M sales.
    assert report.cost_per_booth == 7_000_000
    assert report.cost_per_rupiah_sales == pytest.approx(2.0)
    titles = [e.title for e in events_for(a.ikm, viewer=admin_user)]
    assert any("Ikut pameran" in t for t in titles)


def test_viewers_may_not_manage(viewer):
    booth = BoothTypeFactory()
    with pytest.raises(PermissionDenied):
        services.selection_run(actor=viewer, exhibition=booth.exhibition)


def test_a_student_matched_to_a_later_ikm_is_confirmed_and_counted_young(admin_user):
    student = StudentFactory(name="I Made Wira Adnyana", birth_date=date(2001, 3, 4))
    exhibition = ExhibitionFactory(
        start_date=date(2021, 7, 1),
        end_date=date(2021, 7, 4),
        applications_open=date(2021, 5, 1),
        applications_close=date(2021, 6, 1),
    )
    services.student_role_add(
        actor=admin_user, student=student, exhibition=exhibition, role="stan", hours=16
    )
    founded = IkmFactory(
        name="Wira Kriya Studio",
        owner_name="I Made Wira Adnyana",
        owner_birth_date=date(2001, 3, 4),
        owner_phone=student.phone,
        started_year=2023,
        started_month=5,
    )
    IkmFactory.create_batch(5, owner_birth_date=date(1970, 1, 1), started_year=2023)
    links = services.student_links_find(actor=admin_user, students=[student])
    assert [link.ikm_id for link in links] == [founded.pk]
    services.student_link_decide(actor=admin_user, link=links[0], confirm=True)
    assert links[0].student.ikm_links.get().status == LinkStatus.CONFIRMED
    counts = {r["year"]: r for r in selectors.young_founders_by_year(today=date(2025, 6, 1))}
    assert counts[2023]["young"] == 1 and counts[2023]["exhibited_first"] == 1
    assert any("mahasiswa" in e.title for e in events_for(founded, viewer=admin_user))


def test_a_student_with_a_different_birth_date_is_not_proposed(admin_user):
    student = StudentFactory(name="I Made Wira Adnyana", birth_date=date(2001, 3, 4))
    IkmFactory(
        owner_name="I Made Wira Adnyana",
        owner_birth_date=date(1980, 1, 1),
        owner_phone=student.phone,
    )
    assert services.student_links_find(actor=admin_user, students=[student]) == []


def test_the_atlas_counts_ikm_that_took_part_in_an_exhibition(admin_user):
    from sentra.atlas import selectors as atlas_selectors
    from sentra.atlas import summary

    exhibition, apps = _event_with_applicants(3, booths=2)
    services.selection_run(actor=admin_user, exhibition=exhibition)
    absent, present = exhibition.applications.filter(status=Status.SELECTED)
    services.attendance_record(actor=admin_user, application=absent, attended=False)
    services.attendance_record(actor=admin_user, application=present, attended=True)
    summary.refresh()
    values = atlas_selectors.area_values(
        filters=atlas_selectors.MapFilters(level="kecamatan"), indicator="exhibited_share"
    )
    kec = present.ikm.kecamatan_id
    assert values[kec]["exhibited"] == 1
    n = values[kec]["n"]
    assert values[kec]["exhibited_share"] == pytest.approx(100 / n)
    assert sum(v["exhibited"] for v in values.values()) == 1
