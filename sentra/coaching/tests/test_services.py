from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sentra.audit.models import AuditEntry
from sentra.coaching import services
from sentra.coaching.models import Activity, Category, Participation, Programme
from sentra.registry import timeline
from sentra.testing.factories import IkmFactory

pytestmark = pytest.mark.django_db


def _programme(actor, **kw):
    data = {
        "category": Category.objects.get(code="kuliner"),
        "year": 2024,
        "name": "Pembinaan Kuliner 2024",
        "organiser": "Disperindag",
        "budget": 50_000_000,
    } | kw
    return services.programme_create(actor=actor, data=data)


def test_default_categories_map_onto_official_subsectors():
    mapping = dict(Category.objects.values_list("code", "subsector_id"))
    assert mapping == {
        "kuliner": "B16-08",
        "animasi": "B16-05",
        "fashion": "B16-10",
        "kerajinan": "B16-07",
        "kriya": "B16-07",
    }
    assert Category.objects.get(code="animasi").partial is True


def test_it_creates_programme_and_activity_with_participants_and_audit(admin_user):
    programme = _programme(admin_user)
    a, b = IkmFactory(), IkmFactory()
    activity = services.activity_create(
        actor=admin_user,
        data={
            "programme": programme,
            "kind": "pelatihan",
            "title": "Pelatihan kemasan",
            "date": date(2024, 5, 2),
            "place": "Aula Disperindag",
            "facilitator": "BPOM",
        },
        participant_ids=[a.pk, b.pk, a.pk],
    )
    assert set(activity.participants.values_list("pk", flat=True)) == {a.pk, b.pk}
    actions = list(
        AuditEntry.objects.filter(model="coaching.activity").values_list("action", flat=True)
    )
    assert sorted(actions) == ["add_participants", "create"]
    assert AuditEntry.objects.filter(model="coaching.programme", action="create").count() == 1
    # Adding the same IKM again adds nothing and writes no entry.
    assert (
        services.activity_add_participants(actor=admin_user, activity=activity, ikm_ids=[a.pk]) == 0
    )


def test_unknown_participant_refuses_the_whole_activity(admin_user):
    programme = _programme(admin_user)
    ikm = IkmFactory()
    with pytest.raises(ValidationError, match="tidak ditemukan"):
        services.activity_create(
            actor=admin_user,
            data={
                "programme": programme,
                "kind": "kunjungan",
                "title": "Kunjungan",
                "date": date(2024, 6, 1),
                "place": "Sesetan",
            },
            participant_ids=[ikm.pk, 999_999],
        )
    assert Activity.objects.count() == 0 and Participation.objects.count() == 0


def test_validation_messages_are_indonesian(admin_user):
    with pytest.raises(ValidationError) as exc:
        _programme(admin_user, year=1990, budget=-5)
    assert "Tahun anggaran" in str(exc.value) and "negatif" in str(exc.value)
    programme = _programme(admin_user)
    with pytest.raises(ValidationError, match="sebelum tanggal mulai"):
        services.activity_create(
            actor=admin_user,
            data={
                "programme": programme,
                "kind": "pelatihan",
                "title": "X",
                "date": date(2024, 5, 2),
                "end_date": date(2024, 5, 1),
                "place": "Aula",
            },
        )
    assert Programme.objects.count() == 1


def test_viewer_and_analyst_cannot_write(viewer, analyst):
    for user in (viewer, analyst):
        with pytest.raises(PermissionDenied):
            _programme(user)
    assert Programme.objects.count() == 0


def test_update_writes_only_changed_fields(officer_barat):
    programme = _programme(officer_barat)
    services.programme_update(actor=officer_barat, programme=programme, data={"budget": 60_000_000})
    entry = AuditEntry.objects.get(model="coaching.programme", action="update")
    assert entry.changes == {"budget": [50_000_000, 60_000_000]}


def test_activity_shows_on_the_ikm_timeline(admin_user):
    ikm = IkmFactory()
    activity = services.activity_create(
        actor=admin_user,
        data={
            "programme": _programme(admin_user),
            "kind": "pendampingan",
            "title": "Pendampingan halal",
            "date": date(2024, 7, 9),
            "place": "Lokasi usaha",
        },
        participant_ids=[ikm.pk],
    )
    events = [e for e in timeline.events_for(ikm, viewer=None) if e.kind == "coaching"]
    assert len(events) == 1
    assert "Pendampingan halal" in events[0].title
    assert events[0].url == f"/pembinaan/kegiatan/{activity.pk}/"
    services.activity_remove_participant(actor=admin_user, activity=activity, ikm_id=ikm.pk)
    assert not [e for e in timeline.events_for(ikm, viewer=None) if e.kind == "coaching"]
