"""Evidence against, bands and the issue's cases, scored as in production: with the
model estimated by EM on a registry (a synthetic background of 1,500 IKM)."""

import random
from datetime import date

import pytest

from sentra.linkage import engine, synthetic
from sentra.testing.factories import valid_nik

DESA = "51.71.03.1005"


@pytest.fixture(scope="module")
def background():
    data = synthetic.dataset(rng=random.Random(3), originals=1500, duplicates=200)
    return [dict(r, id=r["id"] + 1_000_000) for r in data.records]


def _score(background, *records):
    matches, params = engine.link([*background, *records])
    assert params.trained_on  # estimated on the data, not the priors
    wanted = {r["id"] for r in records}
    return {
        (min(m.left, m.right), max(m.left, m.right)): m
        for m in matches
        if m.left in wanted and m.right in wanted
    }


BASE = {
    "name": "Kerajinan Rotan Amerta",
    "owner_name": "I Putu Sumerta",
    "address": "Jl. Tukad Badung No. 17",
    "desa_id": DESA,
    "main_products": "anyaman rotan",
    "owner_phone": "081338001122",
    "owner_sex": "L",
}


def test_two_different_valid_niks_are_evidence_against(background):
    a = {**BASE, "id": 1, "owner_nik": valid_nik(born=date(1967, 3, 2), serial=11)}
    b = {**BASE, "id": 2, "owner_nik": valid_nik(born=date(1989, 7, 9), serial=57)}
    c = {**BASE, "id": 3, "owner_nik": valid_nik(born=date(1967, 3, 2), serial=17)}  # one digit
    pairs = _score(background, a, b, c)
    assert pairs[(1, 2)].evidence["nik"]["weight"] < -5
    assert pairs[(1, 2)].band != "likely"
    assert pairs[(1, 3)].evidence["nik"]["level"] == "NIK hampir sama (salah ketik)"
    assert pairs[(1, 3)].band == "likely"


def test_a_man_and_a_woman_are_not_one_owner(background):
    # "I Ketut Artini" and "Ni Kadek Artini" both normalise to "artini".
    a = {**BASE, "id": 1, "owner_name": "I Ketut Artini", "owner_sex": ""}
    b = {**BASE, "id": 2, "owner_name": "Ni Kadek Artini", "owner_sex": ""}
    c = {**BASE, "id": 3, "owner_name": "Ketut Artini", "owner_sex": "", "owner_phone": ""}
    pairs = _score(background, a, b, c)
    assert pairs[(1, 2)].evidence["sex"]["weight"] < -3
    assert pairs[(1, 2)].band != "likely"
    assert pairs[(1, 3)].band == "likely"  # "I" dropped: sex unknown, not different


def test_a_different_birth_date_is_evidence_against(background):
    a = {**BASE, "id": 1, "owner_birth_date": date(1967, 3, 2)}
    b = {**BASE, "id": 2, "owner_birth_date": "1989-07-09"}
    c = {**BASE, "id": 3, "owner_birth_date": "1967-03-02"}
    pairs = _score(background, a, b, c)
    assert pairs[(1, 2)].evidence["birth"]["weight"] < -3
    assert pairs[(1, 3)].evidence["birth"]["weight"] > 3
    assert pairs[(1, 2)].weight < pairs[(1, 3)].weight - 6


def test_the_amerta_pair_of_the_issue_is_not_proposed(background):
    a = {
        "id": 1,
        "name": "Amerta Ayu",
        "main_products": "kerajinan rotan",
        "owner_name": "I Putu Sumerta",
        "owner_birth_date": "1967-05-14",
        "owner_nik": valid_nik(born=date(1967, 5, 14), serial=3),
        "owner_phone": "081236540011",
        "desa_id": DESA,
        "address": "Jl. Gunung Agung No. 3",
    }
    b = {"id": 2, "name": "Produksi Amerta", "main_products": "film dokumenter",
         "owner_name": "I Gede Sumerta", "owner_birth_date": "1989-11-02",
         "owner_nik": valid_nik(born=date(1989, 11, 2), serial=8), "owner_phone": "087861230099",
         "desa_id": DESA, "address": "Jl. Gunung Agung No. 41"}  # fmt: skip
    assert _score(background, a, b) == {}


def test_a_common_name_in_one_desa_is_not_proposed(background):
    # Many people in one desa are "Wayan Sudarma" once "I" and the order name go.
    a = {
        "id": 1,
        "name": "UD Sari Mekar",
        "owner_name": "I Wayan Sudarma",
        "desa_id": DESA,
        "main_products": "canang sari",
        "address": "Jl. Noja No. 4",
    }
    b = {"id": 2, "name": "Sari Mekar Jaya", "owner_name": "Made Sudarma", "desa_id": DESA,
         "main_products": "canang sari", "address": "Jl. Noja No. 90"}  # fmt: skip
    namesakes = [
        {"id": 10 + k, "name": f"Usaha {w}", "owner_name": f"I {o} Sudarma", "desa_id": DESA,
         "main_products": "dupa", "address": f"Jl. Kamboja No. {k}"}
        for k, (w, o) in enumerate(
            [(w, o) for w in ("Dewata", "Kencana", "Lestari", "Santhi")
             for o in ("Wayan", "Made", "Nyoman", "Ketut", "Putu")]
        )
    ]  # fmt: skip
    pairs = _score(background, a, b, *namesakes)
    assert (1, 2) not in pairs or pairs[(1, 2)].band != "likely"
    assert not any(m.band == "likely" for m in pairs.values())


def test_typod_true_duplicates_are_still_likely(background):
    owner = {
        "owner_name": "Men Tempe",
        "owner_nik": valid_nik(female=True, serial=44),
        "owner_phone": "081999000123",
        "desa_id": DESA,
        "address": "Jl. Pidada No. 9",
    }
    a = {"id": 1, "name": "Warung Kopi Men Tempe", "main_products": "kopi", **owner}
    b = {"id": 2, "name": "Warung Kopi Men Tempeh", "main_products": "kopi", **owner}
    c = {
        "id": 3,
        "name": "Pie Susu Dewata",
        "owner_name": "I Wayan Sukarta",
        "owner_phone": "081234567001",
        "desa_id": DESA,
        "address": "Jl. Noja No. 7",
        "main_products": "pie susu",
    }
    d = {"id": 4, "name": "UD. Pie Susu Dewat", "owner_name": "Wyn Sukarta",
         "owner_phone": "+62 812-3456-7001", "desa_id": DESA, "address": "Jalan Noja Nomor 7",
         "main_products": "pie susu"}  # fmt: skip
    pairs = _score(background, a, b, c, d)
    assert pairs[(1, 2)].band == "likely"
    assert pairs[(3, 4)].band == "likely"


def test_bands_follow_from_the_probability_thresholds():
    assert engine.band(engine.LIKELY) == "likely"
    assert engine.band((engine.LIKELY + engine.POSSIBLE) / 2) == "possible"
    assert engine.band(engine.POSSIBLE / 2) == ""


def test_filler_numbers_are_unknown_not_evidence():
    from sentra.linkage import normalize

    assert normalize.identifier("0000000000000000") == ""
    assert normalize.identifier("1234567890123") == ""
    assert normalize.identifier("5171031204850001") == "5171031204850001"
    records = [
        {"id": k, "name": f"Usaha {w}", "owner_name": f"Owner {w}", "owner_nik": "5171031204850001",
         "desa_id": DESA, "main_products": p}
        for k, (w, p) in enumerate(zip(["Alfa", "Beta", "Gama", "Delta", "Eko", "Foxi", "Golf"],
                                       ["dupa", "roti", "tahu", "tempe", "kopi", "garam", "sabun"], strict=True))
    ]  # fmt: skip
    matches, _ = engine.link(records)  # one NIK typed for seven businesses: a filler
    assert not [m for m in matches if m.band == "likely"]


def test_the_engine_links_any_list_with_optional_fields():
    # FEBRL-like person records: no business name, NIB or desa code.
    records = [
        {"id": 1, "owner_name": "kate smith", "owner_birth_date": "19700312",
         "address": "12 hill street", "postcode": "2600", "desa": "braddon"},
        {"id": 2, "owner_name": "kate smiht", "owner_birth_date": "19700312",
         "address": "12 hill st", "postcode": "2600", "desa": "bradon"},
        {"id": 3, "owner_name": "john brown", "owner_birth_date": "19551101",
         "address": "4 lake road", "postcode": "3000", "desa": "carlton"},
    ]  # fmt: skip
    matches, _ = engine.link(records)
    assert [(m.left, m.right) for m in matches] == [(1, 2)]
