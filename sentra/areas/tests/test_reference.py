import pytest

from sentra.areas.geo import locate, location_check
from sentra.areas.models import Area
from sentra.sectors.models import Kbli, Subsector

pytestmark = pytest.mark.django_db


def test_it_loads_the_denpasar_area_tree():
    assert Area.objects.get(code="51").name == "Bali"
    assert Area.objects.get(code="51.71").name == "Kota Denpasar"
    assert Area.objects.kecamatan().count() == 4
    villages = Area.objects.villages()
    assert villages.filter(village_kind="kelurahan").count() == 16
    assert villages.filter(village_kind="desa").count() == 27
    assert villages.filter(geometry__isnull=False).count() == 43
    assert villages.exclude(postal_code="").count() == 43
    assert Area.objects.get(code="51.71.01.1001").name == "Serangan"
    assert Area.objects.get(code="51.71.01.1001").parent.name == "Denpasar Selatan"


def test_it_loads_kbli_2020_with_hierarchy():
    assert Kbli.objects.count() == 2712
    assert Kbli.objects.filter(level="kelompok").count() == 1791
    roti = Kbli.objects.get(code="10710")
    assert roti.parent.parent.parent.code == "10"  # 1071 → 107 → 10
    assert roti.parent.parent.parent.parent.code == "C"
    assert Kbli.objects.get(code="01111").section == "A"  # leading zero kept


def test_it_loads_both_subsector_schemes_and_their_correspondence():
    assert Subsector.objects.filter(scheme="bekraf_16").count() == 16
    assert Subsector.objects.filter(scheme="kemenparekraf_17").count() == 17
    apps = Subsector.objects.get(code="B16-11")
    assert set(apps.counterparts.values_list("code", flat=True)) == {"K17-11", "K17-12"}
    assert "Kerajinan" in Subsector.objects.get(code="B16-07").alias_list


def test_point_in_polygon_with_nearest_fallback():
    serangan = Area.objects.get(code="51.71.01.1001")
    from shapely.geometry import shape

    inside = shape(serangan.geometry).representative_point()
    assert locate(inside.y, inside.x).code == "51.71.01.1001"
    assert location_check(desa_code="51.71.01.1001", latitude=inside.y, longitude=inside.x) == "ok"
    assert (
        location_check(desa_code="51.71.03.1005", latitude=inside.y, longitude=inside.x)
        == "mismatch"
    )
    # Jakarta is far outside the city.
    assert location_check(desa_code="51.71.01.1001", latitude=-6.2, longitude=106.8) == "outside"
    assert location_check(desa_code="51.71.01.1001", latitude=None, longitude=None) == ""


def test_a_point_in_a_sliver_takes_the_nearest_polygon():
    from shapely.geometry import Point, shape

    serangan = shape(Area.objects.get(code="51.71.01.1001").geometry)
    # Just outside Serangan's boundary, far from any other polygon's interior.
    edge = (
        serangan.exterior.coords[0]
        if hasattr(serangan, "exterior")
        else list(serangan.geoms[0].exterior.coords)[0]
    )
    outside = Point(edge[0] + 0.0004, edge[1])
    found = locate(outside.y, outside.x)
    assert found.code is not None
