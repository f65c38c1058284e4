import random

from sentra.linkage import engine, synthetic


def _pairs(matches, band="likely"):
    return {(min(m.left, m.right), max(m.left, m.right)) for m in matches if m.band == band}


def test_it_finds_labelled_duplicates_with_high_precision():
    data = synthetic.dataset(rng=random.Random(11), originals=1500, duplicates=300)
    matches, params = engine.link(data.records)
    found = _pairs(matches)
    true_positives = len(found & data.true_pairs)
    precision = true_positives / len(found)
    recall = true_positives / len(data.true_pairs)
    assert params.trained_on == len(data.records)  # estimated on the data, not the priors
    assert precision >= 0.995
    assert recall >= 0.98


def test_an_owners_second_business_is_not_a_duplicate():
    owner = {
        "owner_name": "I Wayan Sukarta",
        "owner_nik": "5171031204850001",
        "owner_phone": "081234567890",
        "desa_id": "51.71.03.1005",
        "address": "Jl. Gatot Subroto No. 12",
    }
    records = [
        {"id": 1, "name": "UD Pie Susu Dewata", "main_products": "pie susu", **owner},
        {"id": 2, "name": "Endek Mekar Sari", "main_products": "kain endek", **owner},
        {"id": 3, "name": "Pie Susu Dewata", "main_products": "pie susu", **owner,
         "owner_phone": "+62 812-3456-7890"},
    ]  # fmt: skip
    matches, _ = engine.link(records)
    assert _pairs(matches) == {(1, 3)}


def test_equal_nib_is_a_match_and_different_nib_is_not():
    base = {"owner_name": "Ni Made Ariani", "desa_id": "51.71.03.1005", "main_products": "kopi"}
    records = [
        {"id": 1, "name": "Kopi Bubuk Sari", "nib": "8120417390523", **base},
        {"id": 2, "name": "CV Kopi Bubuk Sari", "nib": "8120417390523", **base},
        {"id": 3, "name": "Kopi Bubuk Sari", "nib": "9120304050607", **base,
         "address": "Jl. Noja No. 1"},
    ]  # fmt: skip
    matches, _ = engine.link(records)
    by_pair = {(min(m.left, m.right), max(m.left, m.right)): m for m in matches}
    assert (1, 2) in by_pair
    assert by_pair[(1, 2)].probability > 0.999
    assert (1, 3) not in by_pair and (2, 3) not in by_pair


def test_incoming_records_are_matched_against_the_registry():
    registry = [
        {"id": 10, "name": "UD Sari Mekar", "owner_name": "I Wayan Sukarta",
         "address": "Jl. Noja No. 7", "desa_id": "51.71.03.1005", "main_products": "dupa",
         "owner_phone": "081234500001"},
        {"id": 11, "name": "Toko Bintang Jaya", "owner_name": "Ketut Suardana",
         "address": "Jl. Sedap Malam No. 3", "desa_id": "51.71.02.1010",
         "main_products": "roti"},
    ]  # fmt: skip
    incoming = [
        {"name": "SARI MEKAR", "owner_name": "Wayan Sukarta", "address": "Jalan Noja Nomor 7",
         "desa_id": "51.71.03.1005", "main_products": "dupa", "owner_phone": "+6281234500001"},
        {"name": "Tenun Ikat Lestari", "owner_name": "Made Oka", "address": "Jl. Kamboja 2",
         "desa_id": "51.71.04.1001", "main_products": "tenun ikat"},
    ]  # fmt: skip
    matches = engine.match_incoming(incoming=incoming, registry=registry, params=None)
    assert [(m.left, m.right) for m in matches] == [(10, "new:0")]
    evidence = matches[0].evidence
    assert evidence["phone"]["level"] == "HP sama"
    assert evidence["name"]["level"] == "sama"


def test_params_round_trip_through_json():
    params = engine.DEFAULT_PARAMS
    assert engine.ModelParams.from_json(params.to_json()) == params


def test_a_nib_one_keystroke_away_is_a_typo_not_a_veto():
    base = {
        "owner_name": "Ni Made Ariani",
        "desa_id": "51.71.03.1005",
        "main_products": "kopi bubuk",
        "address": "Jl. Noja No. 1",
    }
    records = [
        {"id": 1, "name": "Kopi Bubuk Sari", "nib": "8120417390523", **base},
        {"id": 2, "name": "CV Kopi Bubuk Sari", "nib": "8120417390528", **base},  # one digit
        {"id": 3, "name": "Kopi Bubuk Sari", "nib": "8120417309523", **base},  # swapped
        {"id": 4, "name": "Kopi Bubuk Sari", "nib": "5550000000123", **base},  # another NIB
    ]
    matches, _ = engine.link(records)
    by_pair = {(min(m.left, m.right), max(m.left, m.right)): m for m in matches}
    assert {(1, 2), (1, 3)} <= set(by_pair)
    assert by_pair[(1, 2)].evidence["nib"]["level"] == "hampir sama (salah ketik satu angka)"
    assert by_pair[(1, 2)].evidence["nib"]["weight"] > 0
    assert not any(4 in pair for pair in by_pair)


def test_a_model_saved_before_the_nib_typo_level_loads_with_the_priors_for_nib():
    old = engine.DEFAULT_PARAMS.to_json()
    old["m"] = {**old["m"], "nib": [0.01, 0.99]}
    old["u"] = {**old["u"], "nib": [0.999999, 0.000001]}
    params = engine.ModelParams.from_json(old)
    assert params.m["nib"] == engine.DEFAULT_PARAMS.m["nib"]
    assert params.m["name"] == old["m"]["name"]


def _levels(a: dict, b: dict) -> dict[str, str | None]:
    import numpy as np

    from sentra.linkage.engine.comparisons import FIELDS, LEVELS, gammas
    from sentra.linkage.engine.records import prepare

    row = gammas([prepare(a, 1), prepare(b, 2)], np.array([[0, 1]]))[0]
    return {f: (LEVELS[f][int(v)] if v >= 0 else None) for f, v in zip(FIELDS, row, strict=True)}


def test_an_address_without_its_second_part_is_the_same_street_and_number():
    short = {"address": "16 couvreur street"}
    assert (
        _levels(short, {"address": "16 couvreur street kimberley caravan park"})["address"]
        == "jalan dan nomor sama"
    )
    assert (
        _levels(
            {"address": "Jl. Gatot Subroto No. 4"}, {"address": "Jl. Gatot Subroto Gg. Mawar No. 4"}
        )["address"]
        == "jalan dan nomor sama"
    )
    # Another street with the same number, or a one-word street that merely begins
    # another, stays different.
    assert _levels(short, {"address": "16 crichton crescent"})["address"] == "berbeda"
    assert (
        _levels({"address": "Jl. Noja No. 4"}, {"address": "Jl. Nojaan Raya No. 4"})["address"]
        != "jalan dan nomor sama"
    )


def test_an_address_but_for_a_typo_is_its_own_level_above_street_and_number():
    typo = "sama kecuali salah ketik"
    written = {"address": "245 duncan street clear vreek"}
    # A mistyped first letter moves the word in a token sort (79): compared as written.
    assert _levels(written, {"address": "245 duncan street clear creek"})["address"] == typo
    # A space left out or typed in the middle of a word is a keystroke too.
    assert (
        _levels(
            {"address": "1 hopegoodplace willow lmdge"},
            {"address": "1 hopegood place willowvlodge"},
        )["address"]
        == typo
    )
    assert (
        _levels({"address": "Jl. Gatot Subroto No. 14"}, {"address": "Jl Gatot Subrot No 14"})[
            "address"
        ]
        == typo
    )
    # The same street and number with another second part stays "street and number";
    # another house number is never "but for a typo".
    assert (
        _levels({"address": "245 duncan street"}, {"address": "245 duncan street caravan park"})[
            "address"
        ]
        == "jalan dan nomor sama"
    )
    assert (
        _levels({"address": "Jl. Noja No. 4"}, {"address": "Jl. Noja No. 9"})["address"]
        == "jalan sama"
    )


def test_a_model_saved_before_the_address_typo_level_loads_with_the_priors_for_address():
    old = engine.DEFAULT_PARAMS.to_json()
    old["m"] = {**old["m"], "address": [0.05, 0.05, 0.1, 0.3, 0.5]}
    old["u"] = {**old["u"], "address": [0.95, 0.03, 0.01, 0.0099, 0.0001]}
    params = engine.ModelParams.from_json(old)
    assert params.m["address"] == engine.DEFAULT_PARAMS.m["address"]
    assert params.u["address"] == engine.DEFAULT_PARAMS.u["address"]


def test_two_desa_with_a_kecamatan_unknown_on_one_side_is_no_evidence():
    a = {"desa": "annandale", "kecamatan": "nsw"}
    assert _levels(a, {"desa": "mildura south"})["desa"] is None
    assert _levels(a, {"desa": "mildura south", "kecamatan": "vic"})["desa"] == "kecamatan lain"
    assert _levels(a, {"desa": "mildura south", "kecamatan": "nsw"})["desa"] == "kecamatan sama"
    assert _levels(a, {"desa": "annandale"})["desa"] == "desa sama"
    # Kemendagri codes carry their kecamatan: two desa in two kecamatan stay "another".
    assert (
        _levels({"desa_id": "51.71.03.1005"}, {"desa_id": "51.71.01.1001"})["desa"]
        == "kecamatan lain"
    )


def test_one_owner_name_word_in_common_is_its_own_level_between_different_and_similar():
    def owner(a: str, b: str) -> str | None:
        return _levels({"owner_name": a}, {"owner_name": b})["owner"]

    assert owner("kayla tu", "brooke tu") == "satu kata nama pemilik sama"
    assert owner("I Made Sari Dewi", "Ni Ketut Sari Wati") == "satu kata nama pemilik sama"
    # Nothing in common stays "different"; a name written in part stays "partly similar".
    assert owner("kayla tu", "brooke smith") == "berbeda"
    assert owner("white", "kody white") == "nama pemilik sebagian mirip"
    assert owner("I Putu Sumerta", "I Gede Sumerta") == "nama pemilik sama"
