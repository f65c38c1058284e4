import pytest

from sentra.imports.areas_match import AreaMatcher, area_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return AreaMatcher()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dauh Puri Kelod", "51.71.03.2004"),
        ("Dauh Puri Klod", "51.71.03.2004"),
        ("DAUH PURI KLOD", "51.71.03.2004"),
        ("  dauh   puri  kelod ", "51.71.03.2004"),
        ("Desa Dauh Puri Kelod", "51.71.03.2004"),
        ("Kel. Padangsambian", "51.71.03.1010"),
        ("Padang Sambian", "51.71.03.1010"),
        ("Padangsambian Kaja", "51.71.03.2011"),  # the reference writes "Padang Sambian Kaja"
        ("Kelurahan Sumerta", "51.71.02.1006"),
        ("51.71.03.1005", "51.71.03.1005"),
        ("5171031005", "51.71.03.1005"),
    ],
)
def test_desa_names_as_people_write_them(areas, text, code):
    assert areas.match_desa(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Denpasar Barat", "51.71.03"),
        ("Kec. Denpasar Barat", "51.71.03"),
        ("KECAMATAN DENPASAR BARAT", "51.71.03"),
        ("Denbar", "51.71.03"),
        ("Densel", "51.71.01"),
        ("Dentim", "51.71.02"),
        ("Denut", "51.71.04"),
        ("Dps Utara", "51.71.04"),
        ("51.71.02", "51.71.02"),
        ("517102", "51.71.02"),
    ],
)
def test_kecamatan_names_and_short_forms(areas, text, code):
    assert areas.match_kecamatan(text).code == code


def test_a_name_outside_the_city_is_an_error(areas):
    found = areas.match_desa("Kuta")
    assert found.code is None and found.error == "Desa/kelurahan 'Kuta' tidak ada di Kota Denpasar."
    assert "tidak ada di Kota Denpasar" in areas.match_kecamatan("Kuta Selatan").error
    assert "tidak ada di Kota Denpasar" in areas.match_desa("51.03.01.1001").error


def test_the_kecamatan_given_must_contain_the_desa(areas):
    found = areas.match_desa("Sanur", kecamatan="51.71.03")
    assert found.code is None
    assert found.error == "Desa/kelurahan 'Sanur' tidak terletak di Kecamatan Denpasar Barat."
    assert areas.match_desa("Sanur", kecamatan="51.71.01").code == "51.71.01.1006"


def test_the_city_itself(areas):
    assert areas.is_city("KOTA DENPASAR") and areas.is_city("Denpasar") and areas.is_city("51.71")
    assert not areas.is_city("KABUPATEN BADUNG") and not areas.is_city("51.03")


def test_area_key_is_stable():
    assert area_key("Dauh Puri Klod") == area_key("dauh puri kelod") == "dauhpurikelod"


def test_one_typo_is_read_when_no_other_name_is_close(areas):
    assert areas.match_desa("Sesetn").code == "51.71.01.1003"  # Sesetan
    assert areas.match_kecamatan("Denpasar Barta").code == "51.71.03"
    assert areas.match_kecamatan("Denpasar Brt").code == "51.71.03"
    # Sanur Kaja and Sanur Kauh are two desa: a slip between them is not guessed.
    assert areas.match_desa("Sanur Kajh").code is None
    assert areas.match_desa("Kuta").code is None  # Badung, not Denpasar
