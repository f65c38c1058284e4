from datetime import date

import pytest
from django.db.models import Sum

from sentra.atlas.measures import product_key
from sentra.atlas.selectors import (
    MapFilters,
    area_profile,
    class_breaks,
    class_of,
    detect_sentra,
    map_data,
    map_points,
    profile_sections,
)
from sentra.coaching.models import Activity, Category, Participation, Programme
from sentra.registry.models import Ikm
from sentra.testing.factories import (
    DENPASAR_BARAT,
    DENPASAR_SELATAN,
    DESA_BARAT,
    DESA_SELATAN,
    DESA_TIMUR,
    IkmFactory,
    certify,
)

pytestmark = pytest.mark.django_db
SIDAKARYA = "51.71.01.1006"


def test_map_data_has_every_desa_and_counts_per_class(monkeypatch):
    # The certified rule belongs to the certification app; here a plain field stands in.
    from django.db.models import Q

    from sentra.atlas import measures

    monkeypatch.setattr(measures, "certified_q", lambda **_: ~Q(halal_number=""))
    IkmFactory.create_batch(3, desa_id=DESA_BARAT, subsector_id="B16-08")
    IkmFactory(desa_id=DESA_TIMUR, subsector_id="B16-07", halal_number="ID123")
    IkmFactory(desa_id=DESA_TIMUR, closed_on=date(2024, 1, 1), started_year=2000)
    data = map_data(filters=MapFilters(level="desa"), indicator="n")
    assert len(data["areas"]) == 43
    assert data["areas"][DESA_BARAT]["value"] == 3
    assert data["areas"][DESA_TIMUR]["value"] == 1  # the closed one is not counted
    assert sum(data["counts"]) + data["no_data"] == 43
    kec = map_data(filters=MapFilters(level="kecamatan", subsector="B16-08"), indicator="n")
    assert len(kec["areas"]) == 4 and kec["areas"][DENPASAR_BARAT]["value"] == 3
    cert = map_data(filters=MapFilters(level="desa"), indicator="certified_share")
    assert cert["areas"][DESA_TIMUR]["value"] == 100
    assert cert["areas"][DESA_BARAT]["value"] == 0
    assert cert["areas"][SIDAKARYA]["value"] is None  # no IKM: no share
    dens = map_data(filters=MapFilters(level="desa"), indicator="per_km2")
    assert dens["areas"][DESA_BARAT]["value"] > 0


def test_growth_indicator_per_area():
    this_year = date.today().year
    IkmFactory(desa_id=DESA_BARAT, started_year=this_year - 5)
    IkmFactory(desa_id=DESA_BARAT, started_year=this_year - 1)
    data = map_data(filters=MapFilters(level="desa"), indicator="growth")
    assert data["areas"][DESA_BARAT]["value"] == pytest.approx(100.0)


def test_class_breaks():
    assert class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [2, 4, 6, 8, 10]
    assert class_breaks([0, 0, 0, 5]) == [0, 5]
    assert class_of(3, [2, 4, 6]) == 1 and class_of(None, [1]) is None


def test_points_follow_the_personal_data_rule(admin_user, viewer, officer_barat):
    IkmFactory(desa_id=DESA_BARAT, latitude="-8.6560", longitude="115.2100")
    IkmFactory(desa_id=DESA_TIMUR, latitude="-8.6500", longitude="115.2300")
    box = (115.1, -8.8, 115.3, -8.5)
    f = MapFilters()
    assert map_points(user=viewer, bbox=box, zoom=13, filters=f)["mode"] == "none"
    grid = map_points(user=admin_user, bbox=box, zoom=13, filters=f)
    assert grid["mode"] == "grid" and sum(p[0] for p in grid["points"]) == 2
    mine = map_points(user=officer_barat, bbox=box, zoom=18, filters=f)
    assert mine["mode"] == "points" and len(mine["points"]) == 1


def test_map_clusters_are_the_registry_grouped_by_cell_at_every_zoom(admin_user, officer_barat):
    """The clusters read from the map cells equal the registry grouped in Python: counts
    and mean positions per cell, with the filters and an officer's kecamatan scope."""
    import math
    import random

    from sentra.atlas.models import MAP_CELL_DEGREES

    rng = random.Random(7)
    for i in range(60):
        IkmFactory(
            desa_id=[DESA_BARAT, DESA_TIMUR, DESA_SELATAN][i % 3],
            subsector_id=["B16-08", "B16-12", None][i % 3 if i % 2 else 0],
            latitude=f"{rng.uniform(-8.70, -8.60):.6f}",
            longitude=f"{rng.uniform(115.17, 115.26):.6f}",
        )
    IkmFactory(desa_id=DESA_BARAT, latitude=None, longitude=None)
    box = (115.19, -8.68, 115.24, -8.62)
    for user, zoom, subsector in [
        (admin_user, 10, ""),
        (admin_user, 13, ""),
        (admin_user, 16, "B16-08"),
        (officer_barat, 14, ""),
        (admin_user, 15, "none"),
    ]:
        cell = MAP_CELL_DEGREES / 2**zoom
        qs = Ikm.objects.active().filter(latitude__isnull=False)
        if subsector == "none":
            qs = qs.filter(subsector__isnull=True)
        elif subsector:
            qs = qs.filter(subsector_id=subsector)
        if user == officer_barat:
            qs = qs.filter(kecamatan_id=DENPASAR_BARAT)
        expected: dict[tuple[int, int], list[float]] = {}
        lo = (math.floor(box[0] / cell), math.floor(box[1] / cell))
        hi = (math.floor(box[2] / cell), math.floor(box[3] / cell))
        for lat, lng in qs.values_list("latitude", "longitude"):
            key = (math.floor(float(lng) / cell), math.floor(float(lat) / cell))
            if lo[0] <= key[0] <= hi[0] and lo[1] <= key[1] <= hi[1]:
                acc = expected.setdefault(key, [0, 0.0, 0.0])
                acc[0] += 1
                acc[1] += float(lat)
                acc[2] += float(lng)
        got = map_points(user=user, bbox=box, zoom=zoom, filters=MapFilters(subsector=subsector))
        assert got["mode"] == "grid"
        assert sorted((n, round(lat, 9), round(lng, 9)) for n, lat, lng in got["points"]) == (
            sorted((n, round(la / n, 9), round(lo_ / n, 9)) for n, la, lo_ in expected.values())
        ), (zoom, subsector)
        assert sum(p[0] for p in got["points"]) > 0


def test_product_key_and_sentra_detection():
    assert product_key("Pie Susu, pia kacang") == "pie susu"
    assert product_key("  KAIN endek dan songket") == "kain endek"
    for i in range(5):
        IkmFactory(
            desa_id=DESA_SELATAN,
            kbli_id="10710",
            main_products=["Pie susu", "pie susu, pia"][i % 2],
        )
    for _ in range(4):
        IkmFactory(desa_id=DESA_SELATAN, kbli_id="13134", main_products="kain endek")
    IkmFactory(desa_id=DESA_BARAT, kbli_id="10710", main_products="pie susu")
    found = detect_sentra(Ikm.objects.active())
    assert [(s.desa_code, s.kbli_group, s.product, s.n) for s in found] == [
        (DESA_SELATAN, "107", "pie susu", 5)
    ]


def test_denpasar_selatan_profile_totals_equal_the_registry():
    IkmFactory.create_batch(4, desa_id=DESA_SELATAN, production_value=10_000_000)
    IkmFactory.create_batch(2, desa_id=SIDAKARYA, subsector_id="B16-08")
    IkmFactory(desa_id=DESA_SELATAN, closed_on=date(2024, 2, 1), started_year=2001)
    IkmFactory.create_batch(3, desa_id=DESA_BARAT)
    food = Ikm.objects.filter(desa_id=SIDAKARYA).first()
    programme = Programme.objects.create(
        category=Category.objects.get(code="kuliner"), year=2024, name="P", organiser="D"
    )
    activity = Activity.objects.create(
        programme=programme, kind="pelatihan", title="T", date=date(2024, 3, 1), place="A"
    )
    Participation.objects.create(activity=activity, ikm=food)

    p = area_profile(code=DENPASAR_SELATAN)
    registry = Ikm.objects.filter(kecamatan_id=DENPASAR_SELATAN, closed_on__isnull=True)
    sums = registry.aggregate(
        w=Sum("workers_total"),
        i=Sum("investment"),
        pv=Sum("production_value"),
        m=Sum("workers_paid_male"),
        um=Sum("workers_unpaid_male"),
        f=Sum("workers_paid_female"),
        uf=Sum("workers_unpaid_female"),
    )
    assert p.totals["n"] == registry.count() == 6
    assert p.totals["workers"] == sums["w"]
    assert p.totals["workers_male"] + p.totals["workers_female"] == sums["w"]
    assert p.totals["workers_male"] == sums["m"] + sums["um"]
    assert p.totals["investment"] == sums["i"]
    assert p.totals["production_value"] == sums["pv"] == 40_000_000
    assert p.closed == 1
    assert p.totals["coached"] == 1 and p.share("coached") == pytest.approx(100 / 6)
    assert sum(n for _, _, n, _ in p.by_scale) == 6
    assert sum(c["n"] for c in p.children) == 6 and len(p.children) > 5
    kuliner = next(r for r in p.lq if r["code"] == "B16-08")
    # 2 of 6 here vs 2 of 9 in the city.
    assert kuliner["lq"] == pytest.approx((2 / 6) / (2 / 9))
    assert p.city["n"] == 9
    condition = profile_sections(p)[0]
    rows = {
        (condition.heading, row[0].value): (row[1].value, row[2].value) for row in condition.rows
    }
    assert rows[("Kondisi", "IKM aktif")] == (6, 9 / 4)


def test_certified_share_matches_the_certification_progress():
    """The map's certified share uses the certification app's own definition."""
    from datetime import timedelta

    from sentra.atlas.selectors import certification_progress

    today = date.today()
    both, manager_only, expired = IkmFactory.create_batch(3, desa_id=DESA_BARAT)

    for ikm, roles, expires in [
        (both, ("manager", "marketer"), today + timedelta(days=300)),
        (manager_only, ("manager",), today + timedelta(days=300)),
        (expired, ("manager", "marketer"), today - timedelta(days=1)),
    ]:
        for role in roles:
            certify(ikm, role, expires=expires, assessed_on=today - timedelta(days=30))
    data = map_data(filters=MapFilters(level="kecamatan"), indicator="certified_share")
    progress = certification_progress()
    barat = data["areas"][DENPASAR_BARAT]
    assert progress["certified"] == 1 and progress["target"] == 3
    assert barat["value"] == pytest.approx(100 * progress["share"]) == pytest.approx(100 / 3)


def test_workers_without_detail_are_in_the_total_and_in_no_sex(client, admin_user):
    IkmFactory(desa_id=DESA_SELATAN, workers_paid_male=2, workers_paid_female=1)
    IkmFactory(desa_id=DESA_SELATAN, workers_paid_male=0, workers_paid_female=0,
               workers_unpaid_male=0, workers_unpaid_female=0, workers_unspecified=7)  # fmt: skip
    p = area_profile(code=DENPASAR_SELATAN)
    t = p.totals
    assert t["workers"] == Ikm.objects.aggregate(w=Sum("workers_total"))["w"]
    assert p.workers_unspecified == p.city_workers_unspecified == 7
    assert t["workers_male"] + t["workers_female"] + p.workers_unspecified == t["workers"]
    condition = profile_sections(p)[0]
    rows = {row[0].value: row[1].value for row in condition.rows}
    assert rows["Tenaga kerja tanpa rincian jenis kelamin"] == 7
    client.force_login(admin_user)
    page = client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/").content.decode()
    assert "tanpa rincian (sumber hanya memberi jumlah)" in page
