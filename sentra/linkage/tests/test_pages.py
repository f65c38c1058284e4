import re

import pytest
from django.urls import reverse

from sentra.linkage.models import CandidatePair, DedupeRun, Merge, PairStatus
from sentra.registry.models import Ikm
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory, valid_nik

pytestmark = pytest.mark.django_db


def _pair(a, b, score=0.9):
    a, b = sorted([a, b], key=lambda i: i.pk)
    return CandidatePair.objects.create(
        ikm_a=a, ikm_b=b, score=score, weight=10,
        evidence={"name": {"level": "mirip", "weight": 6.0}, "owner": {"level": "NIK sama", "weight": 14.0}},
    )  # fmt: skip


@pytest.fixture
def pairs():
    a = IkmFactory(name="Pie Susu Dewata", desa_id=DESA_BARAT, owner_nik=valid_nik(serial=21))
    b = IkmFactory(name="UD Pie Susu Dewata", desa_id=DESA_BARAT, owner_nik=valid_nik(serial=21))
    c = IkmFactory(name="Endek Sari", desa_id=DESA_TIMUR, owner_nik=valid_nik(serial=22))
    d = IkmFactory(name="Endek Sari Mekar", desa_id=DESA_TIMUR, owner_nik=valid_nik(serial=23))
    return _pair(a, b, 0.99), _pair(c, d, 0.7)


def test_it_lists_pending_pairs_by_score_and_filters_by_kecamatan(client, analyst, pairs):
    client.force_login(analyst)
    url = reverse("linkage:pair_list")
    html = client.get(url, {"band": "all"}).content.decode()
    assert html.index("Pie Susu Dewata") < html.index("Endek Sari")
    html = client.get(url, {"band": "all", "order": "score"}).content.decode()
    assert html.index("Endek Sari") < html.index("Pie Susu Dewata")
    html = client.get(url, {"band": "all", "kecamatan": "51.71.02"}).content.decode()
    assert "Endek Sari" in html and "Pie Susu Dewata" not in html


def test_likely_and_possible_duplicates_are_listed_apart_with_their_reasons(client, analyst, pairs):
    client.force_login(analyst)
    url = reverse("linkage:pair_list")
    likely = client.get(url).content.decode()
    assert "Pie Susu Dewata" in likely and "Endek Sari" not in likely
    possible = client.get(url, {"band": "possible"}).content.decode()
    assert "Endek Sari" in possible and "Pie Susu Dewata" not in possible
    assert "NIK sama" in possible  # the reasons, in the list itself


def test_the_review_page_shows_evidence_for_and_against(client, analyst, pairs):
    pair = pairs[1]
    pair.evidence = {
        "name": {"level": "mirip", "weight": 2.5},
        "sex": {"level": "jenis kelamin berbeda", "weight": -7.0},
        "nik": {"level": "NIK berbeda (orang lain)", "weight": -11.0},
    }
    pair.save()
    client.force_login(analyst)
    html = client.get(reverse("linkage:pair_detail", args=[pair.pk])).content.decode()
    against = html[html.index('data-testid="evidence-against"') :]
    assert "NIK berbeda (orang lain)" in against and "jenis kelamin berbeda" in against
    assert against.index("NIK berbeda") < against.index("jenis kelamin berbeda")  # strongest first
    assert "-11.0" in against or "−11.0" in against or "-11,0" in against
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("linkage:pair_detail", args=[pair.pk]), headers={"accept-language": "en"}
    ).content.decode()
    assert "jenis kelamin berbeda" not in html


def test_the_queue_takes_a_fixed_number_of_queries(
    client, analyst, pairs, django_assert_max_num_queries
):
    for n in range(20):
        _pair(
            IkmFactory(owner_nik=valid_nik(serial=100 + n)),
            IkmFactory(owner_nik=valid_nik(serial=200 + n)),
        )
    client.force_login(analyst)
    with django_assert_max_num_queries(12):
        client.get(reverse("linkage:pair_list"))


def test_side_by_side_shows_evidence_and_masks_personal_data_for_viewers(client, viewer, pairs):
    pair = pairs[0]
    client.force_login(viewer)
    response = client.get(reverse("linkage:pair_detail", args=[pair.pk]))
    html = response.content.decode()
    assert "NIK sama" in html and "0,990" in html
    assert pair.ikm_a.owner_nik not in html
    assert 'data-testid="merge"' not in html  # read-only


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_readers_get_403_on_merge_and_reject(client, request, role, pairs):
    client.force_login(request.getfixturevalue(role))
    pair = pairs[0]
    assert (
        client.post(reverse("linkage:pair_merge", args=[pair.pk]), {"keep": "a"}).status_code == 403
    )
    assert client.post(reverse("linkage:pair_reject", args=[pair.pk])).status_code == 403
    assert client.post(reverse("linkage:run_start")).status_code == 403
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING


def test_officer_gets_403_outside_their_kecamatan(client, officer_barat, pairs):
    client.force_login(officer_barat)
    outside = pairs[1]
    assert (
        client.post(reverse("linkage:pair_merge", args=[outside.pk]), {"keep": "a"}).status_code
        == 403
    )
    inside = pairs[0]
    response = client.post(reverse("linkage:pair_reject", args=[inside.pk]))
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.status == PairStatus.REJECTED


def merge_tokens(client, pair) -> dict[str, str]:
    """The hidden version tokens of the pair page's merge form, as a browser sends them."""
    html = client.get(reverse("linkage:pair_detail", args=[pair.pk])).content.decode()
    return dict(re.findall(r'name="(token_[ab])" value="([^"]+)"', html))


def test_merge_with_field_choice_then_undo(client, admin_user, pairs):
    pair = pairs[0]
    client.force_login(admin_user)
    response = client.post(
        reverse("linkage:pair_merge", args=[pair.pk]),
        {"keep": "a", "f_name": "b", **merge_tokens(client, pair)},
    )
    merge = Merge.objects.get()
    assert response.url == reverse("linkage:merge_detail", args=[merge.pk])
    kept = Ikm.objects.get(pk=pair.ikm_a_id)
    assert kept.name == pair.ikm_b.name
    assert Ikm.objects.get(pk=pair.ikm_b_id).closed_reason == "duplikat"
    html = client.get(response.url).content.decode()
    assert 'data-testid="undo"' in html
    client.post(reverse("linkage:merge_undo", args=[merge.pk]))
    assert Ikm.objects.get(pk=pair.ikm_a_id).name == pair.ikm_a.name
    assert Ikm.objects.get(pk=pair.ikm_b_id).closed_on is None
    # The IKM page shows the merge and its undoing on the timeline.
    html = client.get(reverse("registry:ikm_detail", args=[pair.ikm_a_id])).content.decode()
    assert "dibatalkan" in html


def test_run_from_the_page_reports_progress(client, admin_user):
    IkmFactory(name="Toko Dupa Harum", owner_name="I Ketut Raka", owner_phone="081299990001",
               desa_id=DESA_BARAT, address="Jl. Noja No. 1", main_products="dupa")  # fmt: skip
    IkmFactory(name="Dupa Harum", owner_name="Ketut Raka", owner_phone="6281299990001",
               desa_id=DESA_BARAT, address="Jalan Noja No 1", main_products="dupa")  # fmt: skip
    client.force_login(admin_user)
    client.post(reverse("linkage:run_start"))
    run = DedupeRun.objects.get()
    assert run.status == "done" and run.progress == 100 and run.new == 1
    html = client.get(reverse("linkage:run_status")).content.decode()
    assert "1 pasangan ditemukan" in html


def test_a_running_pass_blocks_a_second_one_until_it_is_stale(client, admin_user):
    from datetime import timedelta

    from django.utils import timezone

    running = DedupeRun.objects.create(status=DedupeRun.Status.RUNNING)
    client.force_login(admin_user)
    client.post(reverse("linkage:run_start"))
    assert DedupeRun.objects.count() == 1
    DedupeRun.objects.filter(pk=running.pk).update(created_at=timezone.now() - timedelta(hours=3))
    client.post(reverse("linkage:run_start"))
    assert DedupeRun.objects.filter(status="done").count() == 1


def test_a_running_pass_shows_its_percent_and_time_left_and_a_missing_worker(client, admin_user):
    from datetime import timedelta

    from django.utils import timezone

    from sentra.lib import progress
    from sentra.linkage.selectors import dedupe_progress_key

    client.force_login(admin_user)
    run = DedupeRun.objects.create(status=DedupeRun.Status.QUEUED)
    html = client.get(reverse("linkage:run_status")).content.decode()
    assert "menunggu giliran" in html and 'data-testid="worker-missing"' not in html
    DedupeRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    html = client.get(reverse("linkage:run_status")).content.decode()
    assert 'data-testid="worker-missing"' in html

    DedupeRun.objects.filter(pk=run.pk).update(status="running", stage="blok", progress=25)
    progress.board_start(dedupe_progress_key(run), stage="running")
    progress.board_report(dedupe_progress_key(run), done=0, total=4000)
    note = progress.board_read(dedupe_progress_key(run))
    note["started"] -= 100
    progress._write(dedupe_progress_key(run), note)
    html = client.get(reverse("linkage:run_status")).content.decode()
    assert 'data-testid="progress-percent">25 %<' in html and "4.000 IKM dibandingkan" in html
    assert "sisa waktu ± 5 menit" in html  # 100 s for 25 % → 300 s for the rest
    assert 'data-testid="worker-missing"' not in html  # it runs: a worker took it
