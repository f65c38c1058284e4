"""Editing an exhibition (lost-update check, field-by-field audit), named quotas on the
way to the solver, background runs with progress, and uploaded outcome photos."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sentra.audit.models import AuditEntry
from sentra.exhibitions import selectors, services
from sentra.exhibitions.models import (
    PHOTO_MAX_BYTES,
    Application,
    BackgroundRun,
    OutcomePhoto,
    RunStatus,
    Status,
)
from sentra.registry import versions
from sentra.testing.factories import (
    DENPASAR_BARAT,
    DENPASAR_TIMUR,
    DESA_BARAT,
    DESA_TIMUR,
    ApplicationFactory,
    BoothTypeFactory,
    IkmFactory,
    OutcomePhotoFactory,
    photo_bytes,
)

pytestmark = pytest.mark.django_db

BARAT, TIMUR = DENPASAR_BARAT, DENPASAR_TIMUR
DESA = {BARAT: DESA_BARAT, TIMUR: DESA_TIMUR}


def _data(exhibition, **changes):
    return {name: getattr(exhibition, name) for name in services.EXHIBITION_FIELDS} | changes


def _booths(exhibition, **changes):
    return [
        {"id": b.pk, **{k: getattr(b, k) for k in services.BOOTH_FIELDS}, **changes}
        for b in exhibition.booths.all()
    ]


def test_an_edit_is_audited_field_by_field_and_bumps_the_version(admin_user):
    booth = BoothTypeFactory(count=4)
    exhibition = booth.exhibition
    services.exhibition_update(
        actor=admin_user,
        exhibition=exhibition,
        data=_data(exhibition, venue="Taman Budaya Bali", kecamatan_quotas={BARAT: 2}),
        subsectors=[],
        booths=[
            *_booths(exhibition, count=6),
            {**_booths(exhibition)[0], "code": "B"} | {"id": None},
        ],
        version=exhibition.version,
    )
    exhibition.refresh_from_db()
    assert exhibition.version == 2 and exhibition.kecamatan_quotas == {BARAT: 2}
    entry = AuditEntry.objects.get(action="update", model="exhibitions.exhibition")
    assert set(entry.changes) == {"venue", "kecamatan_quotas"}
    assert entry.changes["venue"][1] == "Taman Budaya Bali"
    booth_entry = AuditEntry.objects.get(action="update", model="exhibitions.boothtype")
    assert booth_entry.changes == {"count": [4, 6]}
    assert exhibition.booths.count() == 2
    assert AuditEntry.objects.filter(action="create", model="exhibitions.boothtype").count() == 1


def test_an_edit_from_an_older_form_is_refused_and_says_what_changed(admin_user):
    exhibition = BoothTypeFactory().exhibition
    token = versions.edit_token(exhibition, fields=services.EXHIBITION_FIELDS)
    base = versions.read_token(token, pk=exhibition.pk, model=type(exhibition))
    services.exhibition_update(
        actor=admin_user,
        exhibition=exhibition,
        data=_data(exhibition, theme="Kriya perak"),
        subsectors=[],
        booths=_booths(exhibition),
        version=base.version,
    )
    with pytest.raises(services.ExhibitionChanged) as caught:
        services.exhibition_update(
            actor=admin_user,
            exhibition=exhibition,
            data=_data(exhibition, theme="Kuliner"),
            subsectors=[],
            booths=_booths(exhibition),
            version=base.version,
        )
    changes = versions.changes_since(base, caught.value.current, fields=services.EXHIBITION_FIELDS)
    assert [c.name for c in changes] == ["theme"] and changes[0].now == "Kriya perak"
    exhibition.refresh_from_db()
    assert exhibition.theme == "Kriya perak"
    # An IKM's token does not pass for an exhibition with the same id, nor the reverse.
    ikm = IkmFactory()
    assert versions.read_token(versions.edit_token(ikm), pk=ikm.pk, model=type(exhibition)) is None
    assert versions.read_token(token, pk=exhibition.pk) is None


def test_a_booth_type_applicants_chose_is_not_deleted(admin_user):
    a = ApplicationFactory()
    exhibition = a.exhibition
    with pytest.raises(ValidationError, match="sudah dipilih pendaftar"):
        services.exhibition_update(
            actor=admin_user,
            exhibition=exhibition,
            data=_data(exhibition),
            subsectors=[],
            booths=[*_booths(exhibition, delete=True), {**_booths(exhibition)[0], "id": None}],
            version=exhibition.version,
        )
    assert exhibition.booths.count() == 1


def test_unknown_quota_codes_and_negative_quotas_are_refused(admin_user):
    exhibition = BoothTypeFactory().exhibition
    for quotas, field in (
        ({"kecamatan_quotas": {"51.71.99": 2}}, "kecamatan_quotas"),
        ({"subsector_quotas": {"B16-08": -1}}, "subsector_quotas"),
        ({"kecamatan_quotas": {DESA_BARAT: 1}}, "kecamatan_quotas"),  # a desa, not a kecamatan
    ):
        with pytest.raises(ValidationError) as caught:
            services.exhibition_update(
                actor=admin_user,
                exhibition=exhibition,
                data=_data(exhibition, **quotas),
                subsectors=[],
                booths=_booths(exhibition),
                version=exhibition.version,
            )
        assert field in caught.value.message_dict


def test_named_quotas_bind_the_background_selection_and_show_beside_the_fairness(admin_user):
    booth = BoothTypeFactory(count=5)
    exhibition = booth.exhibition
    for kec in (BARAT, BARAT, BARAT, TIMUR, TIMUR):
        ApplicationFactory(booth_type=booth, ikm=IkmFactory(desa_id=DESA[kec]))
    exhibition.kecamatan_quotas = {BARAT: 1}
    exhibition.max_per_kecamatan = 5
    exhibition.save()
    run = services.selection_request(actor=admin_user, exhibition=exhibition)
    assert services.selection_request(actor=admin_user, exhibition=exhibition) == run
    run = services.selection_run_background(run=run)
    assert run.status == RunStatus.DONE and run.result["picked"] == 3
    assert run.progress["best"] == run.result["objective"] and run.progress["limit"] > 0
    picked = Application.objects.filter(exhibition=exhibition, status=Status.SELECTED)
    assert sorted(a.ikm.kecamatan_id for a in picked) == sorted([BARAT, TIMUR, TIMUR])
    waiting = Application.objects.filter(exhibition=exhibition, status=Status.WAITLIST)
    assert all(
        "kuota kecamatan (1) sudah penuh" in selectors.reason_texts(a.reasons) for a in waiting
    )
    fairness = selectors.fairness(exhibition)
    kec_table = fairness["tables"][0]
    assert kec_table["has_quota"]
    quota_of = {r["value"]: (r["count"], r["quota"]) for r in kec_table["rows"]}
    assert sorted(quota_of.values()) == [(1, 1), (2, 5)]
    assert {"dim": "Kecamatan", "name": "lainnya", "limit": 5} in fairness["quotas"]
    assert AuditEntry.objects.filter(action="select", model="exhibitions.exhibition").exists()


def test_a_selection_that_cannot_fit_ends_the_run_as_failed_with_the_reason(admin_user):
    booth = BoothTypeFactory(count=1)
    first = ApplicationFactory(booth_type=booth, override="in", override_note="tema")
    ApplicationFactory(booth_type=booth, override="in", override_note="tema juga")
    run = services.selection_run_background(
        run=services.selection_request(actor=admin_user, exhibition=first.exhibition)
    )
    assert run.status == RunStatus.FAILED and "tidak muat" in run.error
    assert not BackgroundRun.objects.filter(status=RunStatus.RUNNING).exists()


# --- photos -----------------------------------------------------------------------------


def _upload(content: bytes, name: str = "stan.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _attended(admin_user) -> Application:
    a = ApplicationFactory()
    services.selection_run(actor=admin_user, exhibition=a.exhibition)
    services.attendance_record(actor=admin_user, application=a, attended=True)
    return Application.objects.get(pk=a.pk)


def test_photos_are_stored_under_media_root_with_a_random_name_and_audited(admin_user, settings):
    a = _attended(admin_user)
    services.outcome_record(
        actor=admin_user,
        application=a,
        data={"sales": 100_000},
        photos=[
            _upload(photo_bytes("JPEG"), "Bu Komang KTP.jpg"),
            _upload(photo_bytes("WEBP"), "b.webp"),
        ],
    )
    photos = list(OutcomePhoto.objects.filter(outcome__application=a))
    assert len(photos) == 2
    for p in photos:
        assert p.image.path.startswith(str(settings.MEDIA_ROOT))
        assert "Komang" not in p.image.name
    assert AuditEntry.objects.filter(action="upload", model="exhibitions.outcomephoto").count() == 2


@pytest.mark.parametrize(
    "content, name",
    [
        (b"%PDF-1.4 not a photo", "foto.jpg"),  # a PDF renamed .jpg
        (b"GIF89a" + b"\x00" * 40, "anim.gif"),
        (photo_bytes("GIF"), "real.gif"),  # a real image, but not an allowed type
        (photo_bytes("JPEG")[:60], "cut.jpg"),  # a cut-off upload
        (b"", "empty.png"),
    ],
)
def test_a_bad_file_is_refused_in_indonesian(admin_user, content, name):
    a = _attended(admin_user)
    with pytest.raises(ValidationError) as caught:
        services.outcome_record(
            actor=admin_user, application=a, data={}, photos=[_upload(content, name)]
        )
    assert "bukan foto JPEG, PNG atau WebP" in " ".join(caught.value.messages)
    assert not OutcomePhoto.objects.exists()


def test_a_photo_over_the_stated_size_is_refused(admin_user):
    a = _attended(admin_user)
    big = io.BytesIO(photo_bytes("PNG") + b"\x00" * (PHOTO_MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="paling besar 5 MB"):
        services.outcome_record(
            actor=admin_user, application=a, data={}, photos=[_upload(big.getvalue(), "besar.png")]
        )


def test_photos_are_served_only_to_signed_in_users_or_through_the_ikms_own_link(client, viewer):
    photo = OutcomePhotoFactory()
    other = OutcomePhotoFactory()
    url = f"/pameran/foto/{photo.pk}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]
    token = photo.outcome.application.outcome_token
    public = client.get(f"/pameran/hasil/{token}/foto/{photo.pk}/")
    assert public.status_code == 200 and public["Content-Type"] == "image/png"
    assert b"".join(public.streaming_content).startswith(b"\x89PNG")
    # One participant's link does not open another participant's photo.
    assert client.get(f"/pameran/hasil/{token}/foto/{other.pk}/").status_code == 404
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    assert "private" in client.get(url)["Cache-Control"]


def test_the_outcome_form_uploads_and_refuses_with_the_message_on_the_form(client, admin_user):
    a = _attended(admin_user)
    client.force_login(admin_user)
    url = f"/pameran/pendaftaran/{a.pk}/hasil/"
    bad = client.post(url, {"sales": "1000", "photos": _upload(b"MZ\x90\x00 exe", "foto.png")})
    assert bad.status_code == 200
    assert "bukan foto JPEG, PNG atau WebP" in bad.content.decode()
    assert not OutcomePhoto.objects.exists()
    good = client.post(
        url,
        {
            "sales": "1000",
            "photos": [_upload(photo_bytes("PNG"), "a.png"), _upload(photo_bytes("JPEG"))],
        },
    )
    assert good.status_code == 302
    assert OutcomePhoto.objects.filter(outcome__application=a).count() == 2
    page = client.get(f"/pameran/{a.exhibition_id}/").content.decode()
    assert page.count('data-testid="photo-thumb"') == 2


def test_the_report_pdf_has_the_photos_as_thumbnails(client, admin_user):
    photo = OutcomePhotoFactory()
    client.force_login(admin_user)
    with_photo = client.get(f"/pameran/{photo.outcome.application.exhibition_id}/laporan.pdf")
    assert with_photo.status_code == 200 and with_photo.content.startswith(b"%PDF")
    assert b"/Subtype /Image" in with_photo.content
    photo.delete()
    without = client.get(f"/pameran/{photo.outcome.application.exhibition_id}/laporan.pdf")
    assert b"/Subtype /Image" not in without.content


def test_the_progress_partial_shows_the_best_so_far_and_time_left(client, admin_user):
    booth = BoothTypeFactory()
    run = BackgroundRun.objects.create(
        kind="seleksi",
        exhibition=booth.exhibition,
        status=RunStatus.RUNNING,
        progress={"limit": 10, "elapsed": 4, "best": 95, "bound": 110},
        created_by=admin_user,
    )
    client.force_login(admin_user)
    partial = client.get(f"/pameran/proses/{run.pk}/kemajuan/", HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert 'value="40"' in text and "nilai tujuan 95" in text and "± 6 detik" in text
    assert "HX-Refresh" not in partial
    run.status = RunStatus.DONE
    run.result = {"picked": 1, "objective": 95, "optimal": True}
    run.save()
    done = client.get(f"/pameran/proses/{run.pk}/kemajuan/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def _edit_post(page_html: str, exhibition, **changes) -> dict:
    import re

    token = re.search(r'name="edit_token" value="([^"]+)"', page_html).group(1)
    booths = list(exhibition.booths.all())
    data = {
        "edit_token": token,
        "name": exhibition.name,
        "organiser": exhibition.organiser,
        "organiser_name": exhibition.organiser_name,
        "start_date": exhibition.start_date.isoformat(),
        "end_date": exhibition.end_date.isoformat(),
        "venue": exhibition.venue,
        "theme": exhibition.theme,
        "applications_open": exhibition.applications_open.isoformat(),
        "applications_close": exhibition.applications_close.isoformat(),
        "other_costs": str(exhibition.other_costs),
        "booth-TOTAL_FORMS": str(len(booths)),
        "booth-INITIAL_FORMS": "0",
        "booth-MIN_NUM_FORMS": "1",
        "booth-MAX_NUM_FORMS": "1000",
    }
    for dim in ("kecamatan", "subsector"):
        data |= {f"quota_{dim}-TOTAL_FORMS": "1", f"quota_{dim}-INITIAL_FORMS": "0"}
    for i, b in enumerate(booths):
        data |= {f"booth-{i}-booth_id": str(b.pk)}
        data |= {
            f"booth-{i}-{k}": str(getattr(b, k)) for k in services.BOOTH_FIELDS if k != "water"
        }
    return data | changes


def test_the_edit_page_saves_and_a_second_tab_sees_the_conflict(client, officer_barat):
    exhibition = BoothTypeFactory().exhibition
    client.force_login(officer_barat)
    url = f"/pameran/{exhibition.pk}/ubah/"
    first_tab = client.get(url).content.decode()
    second_tab = client.get(url).content.decode()
    saved = client.post(
        url,
        _edit_post(
            first_tab,
            exhibition,
            venue="GOR Lila Bhuana",
            **{"quota_kecamatan-0-code": BARAT, "quota_kecamatan-0-limit": "2"},
        ),
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    exhibition.refresh_from_db()
    assert exhibition.venue == "GOR Lila Bhuana" and exhibition.kecamatan_quotas == {BARAT: 2}
    stale = client.post(url, _edit_post(second_tab, exhibition, theme="Fesyen"))
    assert stale.status_code == 200
    text = stale.content.decode()
    assert 'data-testid="edit-conflict"' in text and "GOR Lila Bhuana" in text
    exhibition.refresh_from_db()
    assert exhibition.theme != "Fesyen"
