"""The open data as a visitor gets it: no login, no personal field, small cells hidden
so that they cannot be worked out from the published totals."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest
from ortools.sat.python import cp_model

from sentra.atlas import summary
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db

OTHER_BARAT = "51.71.03.1010"  # Padangsambian, Denpasar Barat


@pytest.fixture
def registry():
    # Kuliner everywhere, one film IKM in Dauh Puri: a small subsector in one desa.
    for desa in (DESA_BARAT, OTHER_BARAT, DESA_TIMUR):
        IkmFactory.create_batch(6, desa_id=desa, subsector_id="B16-08", owner_email="a@b.id")
    IkmFactory.create_batch(4, desa_id=DESA_BARAT, subsector_id="B16-07")
    IkmFactory.create_batch(3, desa_id=OTHER_BARAT, subsector_id="B16-07")
    IkmFactory(desa_id=DESA_BARAT, subsector_id="B16-05", owner_email="rahasia@contoh.id")
    summary.refresh()


def published(client, slug="ikm-wilayah-subsektor"):
    response = client.get(f"/data/{slug}.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # Excel wants the BOM
    return list(csv.DictReader(io.StringIO(text)))


def test_it_needs_no_login_and_lists_the_tables(client, registry):
    page = client.get("/data/")
    assert page.status_code == 200
    assert b"ikm-wilayah-subsektor.csv" in page.content
    assert client.get("/data/kamus/").status_code == 200


def test_it_hides_a_small_subsector_in_one_desa(client, registry):
    rows = published(client)
    film = next(
        r for r in rows if r["kode_wilayah"] == DESA_BARAT and r["kode_subsektor"] == "B16-05"
    )
    assert film["disembunyikan"] == "ya"
    assert film["jumlah_ikm"] == film["tenaga_kerja"] == film["investasi_rp"] == ""
    city = next(r for r in rows if r["tingkat_wilayah"] == "kota" and r["kode_subsektor"] == "")
    assert city["jumlah_ikm"] == "26"  # the city total stays published


def test_the_hidden_cells_cannot_be_recovered_from_the_totals(client, registry):
    """An attacker with the CSV: whole-number counts per desa × subsector, every published
    number as an equality (desa belong to kecamatan by their Kemendagri code), and the
    largest (and, when needed, smallest) value each hidden cell can take. Zero cells are
    hidden too and must not be told from a 1 or 2."""
    from django.db.models import Count

    from sentra.registry.models import Ikm

    rows = published(client)
    desa = sorted({r["kode_wilayah"] for r in rows if r["tingkat_wilayah"] == "desa_kelurahan"})
    subs = sorted({r["kode_subsektor"] for r in rows if r["kode_subsektor"]})
    hidden = [r for r in rows if r["disembunyikan"] == "ya"]
    assert hidden
    # Every desa × subsector is a row, zero or not: no cell is told by its absence.
    assert len({(r["kode_wilayah"], r["kode_subsektor"]) for r in rows}) == len(rows)
    assert sum(r["tingkat_wilayah"] == "desa_kelurahan" for r in rows) == len(desa) * (
        len(subs) + 1
    )
    truth = {
        (d, s or "bukan_ekraf"): n
        for d, s, n in Ikm.objects.values_list("desa_id", "subsector_id")
        .annotate(n=Count("id"))
        .values_list("desa_id", "subsector_id", "n")
    }

    def leaves(row):
        code, level, sub = row["kode_wilayah"], row["tingkat_wilayah"], row["kode_subsektor"]
        if level == "desa_kelurahan":
            areas = [code]
        elif level == "kecamatan":
            areas = [d for d in desa if d.startswith(code + ".")]
        else:
            areas = desa
        return [(a, s) for a in areas for s in ([sub] if sub else subs)]

    total = int(
        next(r for r in rows if r["tingkat_wilayah"] == "kota" and not r["kode_subsektor"])[
            "jumlah_ikm"
        ]
    )
    model = cp_model.CpModel()
    x = {(d, s): model.NewIntVar(0, total, f"{d}{s}") for d in desa for s in subs}
    for row in rows:
        if row["disembunyikan"] == "tidak":
            model.Add(sum(x[k] for k in leaves(row)) == int(row["jumlah_ikm"]))

    def solve(objective, sense) -> float:
        model.Minimize(objective) if sense == "min" else model.Maximize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.Solve(model) == cp_model.OPTIMAL
        return solver.ObjectiveValue()

    zero_cells = 0
    for target in hidden:
        objective = sum(x[k] for k in leaves(target))
        true = sum(truth.get(k, 0) for k in leaves(target))
        high = solve(objective, "max")
        # The true table fits what is published, so the minimum is at most the truth:
        # a maximum above it already shows the cell can move.
        low = true if high > true else solve(objective, "min")
        where = f"{target['kode_wilayah']} {target['kode_subsektor']} = {true}"
        assert low < high, f"{where} recovered"
        if true < 3:
            assert high >= 3, f"{where} known to be small"
        zero_cells += true == 0
    assert zero_cells, "the fixture must hold a zero cell for this test to mean anything"
    film = next(
        r for r in hidden if r["kode_wilayah"] == DESA_BARAT and r["kode_subsektor"] == "B16-05"
    )
    assert film
    nothing = next(
        r for r in rows if r["kode_wilayah"] == DESA_TIMUR and r["kode_subsektor"] == "B16-05"
    )
    assert nothing["disembunyikan"] == "ya" and nothing["jumlah_ikm"] == ""


def test_no_personal_data_in_any_file(client, registry):
    from sentra.registry.models import Ikm

    secrets = set()
    for ikm in Ikm.objects.all():
        secrets |= {ikm.owner_nik, ikm.owner_phone, ikm.owner_email, ikm.owner_name}
    secrets.discard("")
    secrets.discard(None)
    for slug in ("ikm-wilayah-subsektor", "ikm-wilayah-skala", "pertumbuhan-ikm"):
        for fmt in ("csv", "json", "geojson"):
            response = client.get(f"/data/{slug}.{fmt}")
            assert response.status_code == 200
            body = (
                b"".join(response.streaming_content) if response.streaming else response.content
            ).decode()
            assert not [s for s in secrets if s in body]


def test_the_catalogue_describes_every_column(client, registry):
    package = client.get("/data/datapackage.json").json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resource = next(r for r in package["resources"] if r["name"] == "ikm-wilayah-subsektor")
    header = list(published(client)[0])
    assert [f["name"] for f in resource["schema"]["fields"]] == header
    assert all(f["description"] for f in resource["schema"]["fields"])
    ckan = client.get("/data/ckan/pertumbuhan-ikm.json").json()
    assert ckan["license_id"] == "cc-by"
    assert ckan["name"].isascii() and ckan["name"] == ckan["name"].lower()
    assert {r["format"] for r in ckan["resources"]} == {"CSV", "JSON", "GEOJSON"}


def test_geojson_has_a_boundary_per_area(client, registry):
    data = json.loads(client.get("/data/ikm-wilayah-subsektor.geojson?tingkat=kecamatan").content)
    assert data["type"] == "FeatureCollection"
    by_area = defaultdict(list)
    for feature in data["features"]:
        by_area[feature["properties"]["kode_wilayah"]].append(feature)
    assert len(by_area) == 4
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])


def test_growth_table_has_rates_only_where_both_years_are_shown(client, registry):
    rows = published(client, "pertumbuhan-ikm")
    assert rows
    for row in rows:
        if row["disembunyikan"] == "ya":
            assert row["jumlah_ikm"] == "" and row["pertumbuhan_persen"] == ""
