import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sentra.audit.models import AuditEntry
from sentra.linkage import services
from sentra.linkage.models import CandidatePair, Merge, PairStatus
from sentra.linkage.services import full_snapshot
from sentra.registry.models import Ikm, IkmSource, SourceKind
from sentra.registry.timeline import events_for
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory, valid_nik

pytestmark = pytest.mark.django_db


def _pair(a, b, score=0.97):
    a, b = sorted([a, b], key=lambda i: i.pk)
    return CandidatePair.objects.create(
        ikm_a=a, ikm_b=b, score=score, weight=12.0,
        evidence={"name": {"level": "mirip", "weight": 6.1}},
    )  # fmt: skip


@pytest.fixture
def twins():
    a = IkmFactory(
        name="UD Pie Susu Dewata", owner_name="I Wayan Sukarta", owner_phone="081234567890",
        address="Jl. Noja No. 7", desa_id=DESA_BARAT, nib="", main_products="pie susu",
        owner_nik=valid_nik(serial=11),
    )  # fmt: skip
    b = IkmFactory(
        name="Pie Susu Dewata", owner_name="Wayan Sukarta", owner_phone="",
        address="Jalan Noja Nomor 7", desa_id=DESA_BARAT, nib="1234567890123",
        main_products="pie susu, kue kering", owner_nik=valid_nik(serial=11),
    )  # fmt: skip
    IkmSource.objects.create(ikm=a, kind=SourceKind.SURVEY, reference="survei 2024.xlsx baris 4")
    IkmSource.objects.create(ikm=b, kind=SourceKind.SIDT, reference="sidt.csv baris 9")
    IkmSource.objects.create(ikm=b, kind=SourceKind.OSS, reference="oss.xlsx baris 2")
    return a, b


def test_merge_takes_the_chosen_values_and_keeps_both_sources(twins, admin_user):
    a, b = twins
    pair = _pair(a, b)
    merge = services.pair_merge(
        actor=admin_user, pair=pair, keep_id=a.pk,
        choices={"nib": "merged", "main_products": "merged", "name": "kept"},
    )  # fmt: skip
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.nib == "1234567890123"
    assert a.main_products == "pie susu, kue kering"
    assert a.name == "UD Pie Susu Dewata"
    assert a.owner_phone == "081234567890"  # not chosen: the kept record's own value
    assert sorted(a.sources.values_list("reference", flat=True)) == [
        "oss.xlsx baris 2", "sidt.csv baris 9", "survei 2024.xlsx baris 4",
    ]  # fmt: skip
    assert not b.sources.exists()
    assert b.closed_reason == "duplikat" and b.closed_on is not None
    assert f"#{a.pk}" in b.closed_note
    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED
    assert merge.moved[0]["model"] == "registry.ikmsource"
    actions = set(
        AuditEntry.objects.filter(object_id__in=[a.pk, b.pk]).values_list("action", flat=True)
    )
    assert {"merge", "update", "close"} <= actions
    assert any(e.kind == "merge" for e in events_for(a, viewer=None))
    assert any(e.kind == "merge" for e in events_for(b, viewer=None))


def test_undo_restores_both_records_and_sources_exactly(twins, admin_user):
    a, b = twins
    a_before, b_before = (
        full_snapshot(Ikm.objects.get(pk=a.pk)),
        full_snapshot(Ikm.objects.get(pk=b.pk)),
    )
    sources_before = sorted(IkmSource.objects.values_list("pk", "ikm_id"))
    pair = _pair(a, b)
    merge = services.pair_merge(
        actor=admin_user,
        pair=pair,
        keep_id=b.pk,
        choices={"owner_phone": "merged", "name": "merged"},
    )
    assert full_snapshot(Ikm.objects.get(pk=b.pk)) != b_before
    services.merge_undo(actor=admin_user, merge=merge)
    # Every column as it was, except the version: it only moves forward, so an edit
    # form opened before the undo is stale after it.
    a_after, b_after = (full_snapshot(Ikm.objects.get(pk=pk)) for pk in (a.pk, b.pk))
    assert a_after.pop("version") > a_before.pop("version")
    assert b_after.pop("version") > b_before.pop("version")
    assert (a_after, b_after) == (a_before, b_before)
    assert sorted(IkmSource.objects.values_list("pk", "ikm_id")) == sources_before
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == admin_user
    for ikm in (a, b):
        actions = list(
            AuditEntry.objects.filter(model="registry.ikm", object_id=str(ikm.pk)).values_list(
                "action", flat=True
            )
        )
        assert "merge" in actions and "merge_undo" in actions
    titles = [e.title for e in events_for(a, viewer=None)]
    assert any("dibatalkan" in t for t in titles)
    with pytest.raises(ValidationError):
        services.merge_undo(actor=admin_user, merge=merge)


def test_undo_refuses_to_overwrite_a_later_edit(twins, admin_user):
    from sentra.registry.services import ikm_update

    a, b = twins
    merge = services.pair_merge(actor=admin_user, pair=_pair(a, b), keep_id=a.pk, choices={})
    ikm_update(actor=admin_user, ikm=Ikm.objects.get(pk=a.pk), data={"main_products": "bakpia"})
    with pytest.raises(ValidationError):
        services.merge_undo(actor=admin_user, merge=merge)
    assert Ikm.objects.get(pk=a.pk).main_products == "bakpia"


def test_a_merge_that_fails_validation_writes_nothing(twins, admin_user):
    a, b = twins
    Ikm.objects.filter(pk=b.pk).update(rt="x1")  # legacy rubbish the merge would copy
    pair = _pair(a, b)
    before = full_snapshot(Ikm.objects.get(pk=a.pk)), full_snapshot(Ikm.objects.get(pk=b.pk))
    audit_count = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.pair_merge(actor=admin_user, pair=pair, keep_id=a.pk, choices={"rt": "merged"})
    assert (
        full_snapshot(Ikm.objects.get(pk=a.pk)),
        full_snapshot(Ikm.objects.get(pk=b.pk)),
    ) == before
    assert AuditEntry.objects.count() == audit_count
    assert not Merge.objects.exists()
    assert IkmSource.objects.filter(ikm=b).count() == 2


def test_officer_may_merge_only_within_their_kecamatan(twins, officer_barat, analyst, viewer):
    a, b = twins
    pair = _pair(a, b)
    for user in (analyst, viewer):
        with pytest.raises(PermissionDenied):
            services.pair_merge(actor=user, pair=pair, keep_id=a.pk, choices={})
        with pytest.raises(PermissionDenied):
            services.pair_reject(actor=user, pair=pair)
    elsewhere = IkmFactory(
        name="Pie Susu Dewata", desa_id=DESA_TIMUR, owner_nik=valid_nik(serial=12)
    )
    cross = _pair(a, elsewhere)
    with pytest.raises(PermissionDenied):
        services.pair_merge(actor=officer_barat, pair=cross, keep_id=a.pk, choices={})
    assert services.pair_merge(actor=officer_barat, pair=pair, keep_id=a.pk, choices={}).pk


def test_a_rejected_pair_is_not_proposed_again(twins, admin_user):
    from sentra.linkage.engine import Match

    a, b = twins
    pair = _pair(a, b)
    services.pair_reject(actor=admin_user, pair=pair, note="dua usaha berbeda")
    assert AuditEntry.objects.filter(model="linkage.candidatepair", action="reject").exists()
    found, new = services.pairs_store(
        matches=[Match(left=b.pk, right=a.pk, probability=0.99, weight=20)]
    )
    assert (found, new) == (1, 0)
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED and pair.score == 0.97
    assert CandidatePair.objects.count() == 1


def test_find_duplicates_stores_pending_pairs(admin_user):
    a = IkmFactory(name="Toko Endek Mekar Sari", owner_name="Ni Made Ariani", desa_id=DESA_BARAT,
                   address="Jl. Gunung Agung No. 5", main_products="kain endek",
                   owner_phone="081200000001")  # fmt: skip
    b = IkmFactory(name="Endek Mekar Sari", owner_name="Made Ariani", desa_id=DESA_BARAT,
                   address="Jalan Gunung Agung Nomor 5", main_products="kain endek",
                   owner_phone="+62 812-0000-0001")  # fmt: skip
    IkmFactory(name="Kopi Bubuk Bintang", owner_name="Budi Santoso", desa_id=DESA_TIMUR,
               address="Jl. Kamboja No. 9", main_products="kopi bubuk")  # fmt: skip
    run = services.find_duplicates(actor=admin_user)
    assert run.status == "done" and run.records == 3 and run.new == 1
    pair = CandidatePair.objects.get()
    assert (pair.ikm_a_id, pair.ikm_b_id) == (min(a.pk, b.pk), max(a.pk, b.pk))
    assert pair.evidence["phone"]["level"] == "HP sama"
    # A second pass finds the same pair and adds nothing.
    assert services.find_duplicates(actor=admin_user).new == 0


def test_an_incoming_file_is_scored_with_the_registrys_model(admin_user):
    import random

    from django.core.management import call_command

    from sentra.linkage import synthetic
    from sentra.linkage.models import LinkageModel
    from sentra.linkage.selectors import incoming_duplicates

    data = synthetic.dataset(rng=random.Random(5), originals=1100, duplicates=100)
    rows = []
    seen_nib: set[str] = set()
    for r in data.records:
        # The registry holds one live IKM per NIB (a database constraint): a synthetic
        # copy with its original's exact NIB is stored without it, as a clerk's would be.
        nib = r["nib"] if r["nib"] not in seen_nib else ""
        seen_nib.add(nib)
        ikm = Ikm(
            name=r["name"], owner_name=r["owner_name"], address=r["address"], desa_id=r["desa_id"],
            owner_phone=r["owner_phone"], main_products=r["main_products"], nib=nib,
        )  # fmt: skip
        ikm.refresh_derived()
        rows.append(ikm)
    Ikm.objects.bulk_create(rows)
    call_command("find_duplicates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    model = LinkageModel.objects.get()
    assert model.records == 1200
    saved = Ikm.objects.order_by("pk")[10]
    incoming = [
        {"name": saved.name.upper(), "owner_name": saved.owner_name, "address": saved.address,
         "desa_id": saved.desa_id, "owner_phone": saved.owner_phone,
         "main_products": saved.main_products},
        {"name": "Bengkel Las Sinar Terang", "owner_name": "Yohanes Lado",
         "address": "Jl. Nusa Kambangan No. 250", "desa_id": "51.71.01.1001",
         "main_products": "pagar besi"},
    ]  # fmt: skip
    found = incoming_duplicates(incoming=incoming)
    assert list(found) == [0]
    assert saved.pk in [m.right for m in found[0]]
