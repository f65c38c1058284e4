import pytest

from sentra.linkage import normalize


@pytest.mark.parametrize(
    ("raw", "core", "forms"),
    [
        ("UD. Sari Mekar", "sari mekar", ("ud",)),
        ("Usaha Dagang Sari Mekar", "sari mekar", ("ud",)),
        ("SARI MEKAR", "sari mekar", ()),
        ("P.T. Bali Jaya Abadi, Tbk", "bali jaya abadi", ("pt",)),
        ("CV Dewata", "dewata", ("cv",)),
        ("Toko Kue Bu Komang", "kue bu komang", ("toko",)),
        ("Kop. Wanita Sejahtera", "wanita sejahtera", ("koperasi",)),
        ("Koperasi Serba Usaha Tani Makmur", "tani makmur", ("koperasi",)),
        ("  pie   susu  dewata ", "pie susu dewata", ()),
        ("Toko", "toko", ("toko",)),  # a name that is only a legal form keeps its word
    ],
)
def test_it_removes_and_reports_legal_forms(raw, core, forms):
    parts = normalize.business_name(raw)
    assert parts.core == core
    assert parts.legal_forms == forms


@pytest.mark.parametrize(
    ("raw", "strong", "weak"),
    [
        ("I Wayan Sukarta", ("sukarta",), ("i", "wayan")),
        ("Ni Luh Ketut Ariani", ("ariani",), ("ni", "luh", "ketut")),
        ("Ida Bagus Putu Wijaya", ("wijaya",), ("ida", "bagus", "putu")),
        ("Ida Ayu Made Sari", ("sari",), ("ida", "ayu", "made")),
        ("Anak Agung Gede Oka", ("oka",), ("anak", "agung", "gede")),
        ("A.A. Gede Oka, S.Pd.", ("oka",), ("a", "a", "gede")),
        ("Cokorda Istri Raka", ("raka",), ("cokorda", "istri")),
        ("Desak Nyoman Suartini", ("suartini",), ("desak", "nyoman")),
        ("Dewa Komang Adnyana", ("adnyana",), ("dewa", "komang")),
        ("I Gusti Ngurah Rai", ("rai",), ("i", "gusti", "ngurah")),
        ("Sang Kadek Nengah Budi", ("budi",), ("sang", "kadek", "nengah")),
        ("Hj. Siti Aminah", ("siti", "aminah"), ("hj",)),
        ("Wyn. Sukarta", ("sukarta",), ("wyn",)),
    ],
)
def test_it_treats_balinese_name_parts_as_weak(raw, strong, weak):
    parts = normalize.person_name(raw)
    assert parts.strong == strong
    assert parts.weak == weak


def test_it_keeps_a_name_made_only_of_weak_parts():
    assert normalize.person_name("Made Ketut").core == "made ketut"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jl. Gatot Subroto No. 12", "JALAN GATOT SUBROTO NOMOR 12"),
        ("Jln Gatot Subroto no.12", "jl gatot subroto no 12"),
        ("Gg. Mawar II No 3", "Gang Mawar II Nomor 3"),
        ("Jl. Sesetan No. 5 RT 001/RW 002", "Jalan Sesetan No 5 RT.1 RW.2"),
        ("Jl. Sesetan No. 5 RT/RW 001/002", "Jalan Sesetan No 5 rt 01 rw 02"),
        ("Br. Kaja, Jl. Noja No. 7", "Banjar Kaja Jalan Noja No 7"),
    ],
)
def test_it_writes_addresses_one_way(a, b):
    assert normalize.address(a) == normalize.address(b)


def test_address_form():
    assert normalize.address("Jl. Gatot Subroto No.12, Gg. III RT 001/RW 002") == (
        "jl gatot subroto no 12 gg iii rt 1 rw 2"
    )
    assert normalize.street("Jln. Teuku Umar No 5") == "teuku umar"


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(+62) 812.3456.7890", "081234567890"],
)
def test_it_writes_phones_one_way(raw):
    assert normalize.phone(raw) == "+6281234567890"


@pytest.mark.parametrize(("raw", "out"), [("(0361) 234567", "+62361234567"), ("123", ""), ("", "")])
def test_landlines_and_rubbish(raw, out):
    assert normalize.phone(raw) == out


def test_clean_removes_case_accents_punctuation_spacing():
    assert normalize.clean("  Café  BALI--Jaya!! ") == "cafe bali jaya"
