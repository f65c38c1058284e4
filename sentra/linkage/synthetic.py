"""Synthetic Denpasar IKM records with noisy duplicates and known truth.

Used by `bench/dedupe.py`, the engine's tests and the demo data. Deterministic for a
given `random.Random`. The noise is the kind seen in the office's lists: typos, legal
forms dropped or added, `Jl.`/`Jalan`, swapped words, missing NIB/NIK/phone, changed
case, phone written +62/62/0, Balinese name parts dropped, abbreviated or swapped
(Wayan ↔ Putu ↔ Gede are all "first-born"). Hard negatives are included too: owners
with a second, different business (same owner, NIK and phone) and the many unrelated
people who share a Balinese name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

# The 43 desa/kelurahan of Kota Denpasar (reference/denpasar_wilayah.csv).
DESA = [
    "51.71.01.1001", "51.71.01.1002", "51.71.01.1003", "51.71.01.1004", "51.71.01.1005",
    "51.71.01.1006", "51.71.01.2007", "51.71.01.2008", "51.71.01.2009", "51.71.01.2010",
    "51.71.02.1003", "51.71.02.1006", "51.71.02.1010", "51.71.02.1014", "51.71.02.2001",
    "51.71.02.2002", "51.71.02.2004", "51.71.02.2005", "51.71.02.2007", "51.71.02.2008",
    "51.71.02.2015", "51.71.03.1005", "51.71.03.1007", "51.71.03.1010", "51.71.03.2001",
    "51.71.03.2002", "51.71.03.2003", "51.71.03.2004", "51.71.03.2006", "51.71.03.2008",
    "51.71.03.2009", "51.71.03.2011", "51.71.04.1004", "51.71.04.1007", "51.71.04.1009",
    "51.71.04.2001", "51.71.04.2002", "51.71.04.2003", "51.71.04.2005", "51.71.04.2006",
    "51.71.04.2008", "51.71.04.2010", "51.71.04.2011",
]  # fmt: skip
STREETS = """Gatot Subroto;Teuku Umar;Imam Bonjol;Diponegoro;Hayam Wuruk;Sesetan;Raya Sesetan;
Pulau Bali;Tukad Badung;Tukad Yeh Aya;Tukad Pakerisan;Gunung Agung;Gunung Batur;
Gunung Soputan;Mahendradatta;Cokroaminoto;Ahmad Yani;Gajah Mada;Sulawesi;Kartini;
Sumatra;Kamboja;Nangka;Ratna;Trengguli;Waturenggong;Hang Tuah;Danau Tamblingan;
Danau Poso;Bypass Ngurah Rai;Pidada;Noja;Antasura;Buluh Indah;Kebo Iwa;Padang Luwih;
Gunung Salak;Pulau Moyo;Pulau Saelus;Pura Demak;Sedap Malam;Tukad Citarum;Kenyeri;
Tantular;Kapten Japa;Drupadi;Merdeka;Puputan;Raya Puputan;Badak Agung;Cargo Permai;
Gelogor Carik;Batanghari;Tukad Unda;Pemogan;Mertasari;Kusuma Bangsa;Nusa Kambangan;
Ciung Wanara;Anggrek""".replace("\n", "").split(";")
PRODUCTS = [
    "pie susu", "kain endek", "kain songket", "canang sari", "patung kayu", "kerajinan perak",
    "kopi bubuk", "tahu", "tempe", "sate lilit beku", "arak bali", "dupa", "keben",
    "lukisan kaca", "anyaman bambu", "sabun herbal", "minyak kelapa", "kacang disco",
    "keripik singkong", "jaje bali", "roti", "kue kering", "sambal matah", "bumbu base genep",
    "busana adat", "udeng", "tas rajut", "sandal kulit", "perhiasan emas", "ukiran batu padas",
    "topeng", "wayang kulit", "gamelan", "kerupuk", "es krim", "minuman jahe", "garam",
    "ikan asap", "kaos sablon", "tenun ikat",
]  # fmt: skip
NAME_WORDS = """sari mekar jaya abadi dewata bali putra putri ayu amerta santhi lestari
sejahtera makmur murni harum wangi indah agung sentosa karya mandiri kencana permata
giri segara surya candra bintang taman asri widya dharma yasa kerta bumi prima nusa
laksmi saraswati ganesha wisnu semeru kenanga cempaka jepun sandat melati kamboja
cahaya teratai lotus rahayu bagus manik kusuma mas merta sedana mulia guna sakti
berkah rejeki barokah sumber utama anugrah""".split()  # noqa: SIM905
BALI_GIVEN = """sukarta suardana sudarma artawan wirawan suartika mahendra sudiarta
sujana adnyana astawa budiasa darmawan gunawan juliartha kariasa merta mudita
parwata pastika rai redana sedana subrata sumerta suparta suwirya tirtayasa wijaya
yasa ariani widiastuti sriasih suartini kusumawati puspawati sukerti darmini
rusmini sugiartini wartini yuliani astiti candrawati dewi lestari sari suryani
oka raka alit arsana budiarta dharmawan eka kertiyasa mardika purnama""".split()  # noqa: SIM905
BALI_SECOND = ["", "", "", "", "adi", "agus", "arya", "putra", "putri", "dwi", "tri", "eka"]
BIRTH_ORDER = [["wayan", "putu", "gede"], ["made", "kadek", "nengah"], ["nyoman", "komang"],
               ["ketut"]]  # fmt: skip
CASTE = ["", "", "", "", "", "", "", "gusti", "anak agung", "ida bagus", "dewa", "desak", "cokorda"]
OTHER_FIRST = """siti ahmad muhammad nur dewi sri budi agus eko hendra rudi yusuf ali hasan
rina wati fitri ani lina yanti joko bambang slamet dedi heru iwan andi""".split()  # noqa: SIM905
OTHER_LAST = """aminah fauzi hidayat santoso wibowo saputra setiawan kurniawan hartono
susanto rahman hakim pratama nugroho wijayanti lestari handayani rahayu kusuma
prasetyo syahputra siregar nasution simanjuntak""".split()  # noqa: SIM905
LEGAL = ["", "", "", "", "UD", "UD.", "CV", "CV.", "PT", "Toko", "Usaha Dagang", "Koperasi"]
ABBREV = {"wayan": "wyn", "ketut": "kt", "nyoman": "nym", "made": "md", "gusti": "gst",
          "anak agung": "a.a.", "ida bagus": "ib", "komang": "kmg"}  # fmt: skip


@dataclass
class Dataset:
    records: list[dict]
    # Pairs of record ids that are the same IKM (id_a < id_b).
    true_pairs: set[tuple[int, int]] = field(default_factory=set)


# Birth-order names as they are given in Denpasar: Wayan and Made far more often than
# Putu/Gede or Kadek/Nengah; about one child in five is a fourth-born Ketut. Caste
# titles are rare (most Balinese are Sudra, without title).
ORDER_WEIGHTS = [
    ("wayan", 0.18), ("putu", 0.09), ("gede", 0.05), ("made", 0.16), ("kadek", 0.09),
    ("nengah", 0.03), ("nyoman", 0.11), ("komang", 0.08), ("ketut", 0.14), ("", 0.07),
]  # fmt: skip
CASTE_WEIGHTS = [
    ("", 0.88), ("gusti", 0.04), ("anak agung", 0.025), ("ida bagus", 0.02), ("dewa", 0.015),
    ("cokorda", 0.005), ("desak", 0.005), ("sang", 0.01),
]  # fmt: skip


def _weighted(rng: random.Random, table: list[tuple[str, float]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _given(rng: random.Random) -> str:
    # Zipf-like: a few given names are very common, so many different people in one
    # desa share "Wayan Sudarma" or "Ni Made Ariani" once the birth-order name is gone.
    k = min(int(rng.paretovariate(1.1)) - 1, len(BALI_GIVEN) - 1)
    return BALI_GIVEN[k]


def _person(rng: random.Random) -> tuple[str, str]:
    """(name, sex). Most owners in Denpasar carry Balinese names."""
    if rng.random() < 0.7:
        female = rng.random() < 0.45
        caste = _weighted(rng, CASTE_WEIGHTS)
        order = _weighted(rng, ORDER_WEIGHTS)
        given = _given(rng)
        second = rng.choice(BALI_SECOND)
        parts = [("ni" if female else "i") if not caste else "", caste]
        if caste in ("desak", "dewa") or (caste and female and rng.random() < 0.5):
            parts.append("ayu" if female else "")
        parts += [order, second, given]
        return " ".join(p for p in parts if p).title(), "P" if female else "L"
    first = rng.choice(OTHER_FIRST)
    female = first in (
        "siti",
        "nur",
        "dewi",
        "sri",
        "rina",
        "wati",
        "fitri",
        "ani",
        "lina",
        "yanti",
    )
    return f"{first} {rng.choice(OTHER_LAST)}".title(), "P" if female else "L"


def _business(rng: random.Random, product: str) -> str:
    words = rng.sample(NAME_WORDS, rng.choice([1, 2, 2, 2, 3]))
    if rng.random() < 0.35:
        words = product.split() + words
    legal = rng.choice(LEGAL)
    return " ".join(([legal] if legal else []) + [w.title() for w in words])


def _address(rng: random.Random) -> str:
    parts = [rng.choice(["Jl.", "Jl.", "Jalan", "Jln."]), rng.choice(STREETS)]
    if rng.random() < 0.3:
        parts += [rng.choice(["Gg.", "Gang"]), rng.choice(["I", "II", "III", "IV", "V", "VII"])]
    parts += [rng.choice(["No.", "No"]), str(rng.randint(1, 250))]
    if rng.random() < 0.4:
        parts.append(f"RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 8):03d}")
    return " ".join(parts)


def _phone(rng: random.Random) -> str:
    return f"08{rng.choice('1235789')}{rng.randint(10_000_000, 999_999_999)}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _birth_date(rng: random.Random) -> date:
    return date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))


def _nik(rng: random.Random, desa: str, born: date, sex: str) -> str:
    """A plausible NIK: the desa's kecamatan, the birth date (day + 40 for women)."""
    day = born.day + (40 if sex == "P" else 0)
    kecamatan = desa.replace(".", "")[:6]
    return f"{kecamatan}{day:02d}{born:%m%y}{rng.randint(1, 9999):04d}"


def _owner_fields(rng: random.Random, desa: str) -> dict:
    owner, sex = _person(rng)
    born = _birth_date(rng)
    return {
        "owner_name": owner,
        "owner_sex": sex if rng.random() < 0.6 else "",
        "owner_birth_date": born.isoformat() if rng.random() < 0.5 else "",
        # Half the rows have no NIK and half no NIB, as in the office's lists.
        "owner_nik": _nik(rng, desa, born, sex) if rng.random() < 0.5 else "",
        "owner_phone": _phone(rng) if rng.random() < 0.85 else "",
    }


def original(rng: random.Random, rid: int) -> dict:
    product = rng.choice(PRODUCTS)
    desa = rng.choice(DESA)
    return {
        "id": rid,
        "name": _business(rng, product),
        **_owner_fields(rng, desa),
        "address": _address(rng),
        "desa_id": desa,
        "main_products": product,
        "nib": _digits(rng, 13) if rng.random() < 0.5 else "",
    }


def housemate(rng: random.Random, record: dict, rid: int) -> dict:
    """A spouse or sibling at the same address with a business of their own: another
    person (own NIK, birth date), often the household's phone — a hard non-match."""
    other = original(rng, rid)
    other["address"], other["desa_id"] = record["address"], record["desa_id"]
    if rng.random() < 0.5:
        other["owner_phone"] = record["owner_phone"]
    if rng.random() < 0.4:
        other["main_products"] = record["main_products"]
    return other


def namesake(rng: random.Random, record: dict, rid: int) -> dict:
    """Another person with the same name in the same desa (common given name, other
    birth-order name or none), own NIK and business — a hard non-match."""
    other = original(rng, rid)
    given = record["owner_name"].split()[-1]
    words = other["owner_name"].split()
    other["owner_name"] = " ".join([*words[:-1], given])
    other["desa_id"] = record["desa_id"]
    if rng.random() < 0.3:
        other["main_products"] = record["main_products"]
    return other


# --- noise ------------------------------------------------------------------------------


def typo(rng: random.Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    kind = rng.randrange(4)
    if kind == 0:  # deletion
        return text[:i] + text[i + 1 :]
    if kind == 1:  # insertion
        return text[:i] + rng.choice("aeiounrstlk") + text[i:]
    if kind == 2:  # substitution
        return text[:i] + rng.choice("aeiounrstlk") + text[i + 1 :]
    if i + 1 < len(text):  # transposition
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def _change_case(rng: random.Random, text: str) -> str:
    return rng.choice([text.upper(), text.lower(), text.title()])


def _legal_noise(rng: random.Random, name: str) -> str:
    words = name.split()
    if words and words[0].rstrip(".").upper() in ("UD", "CV", "PT", "TOKO", "KOPERASI"):
        return (
            " ".join(words[1:])
            if rng.random() < 0.7
            else rng.choice(LEGAL[4:]) + " " + " ".join(words[1:])
        )
    if words[:2] == ["Usaha", "Dagang"]:
        return "UD " + " ".join(words[2:]) if rng.random() < 0.5 else " ".join(words[2:])
    return rng.choice(["UD", "UD.", "CV", "Toko", "PT."]) + " " + name


def _swap(rng: random.Random, text: str) -> str:
    words = text.split()
    if len(words) < 2:
        return text
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _address_noise(rng: random.Random, addr: str) -> str:
    swaps = [("Jl.", "Jalan"), ("Jalan", "Jl"), ("Jln.", "Jl."), ("No.", "Nomor"), ("No", "No."),
             ("Gg.", "Gang"), ("Gang", "Gg")]  # fmt: skip
    for a, b in rng.sample(swaps, len(swaps)):
        if a + " " in addr:
            addr = addr.replace(a + " ", b + " ", 1)
            break
    if "RT " in addr and rng.random() < 0.5:
        addr = addr.replace("RT 0", "RT.").replace("/RW 0", " RW.")
    return addr


def _phone_noise(rng: random.Random, phone: str) -> str:
    if not phone:
        return phone
    rest = phone[1:]
    form = rng.randrange(3)
    if form == 0:
        return f"+62 {rest[:3]}-{rest[3:7]}-{rest[7:]}"
    if form == 1:
        return "62" + rest
    return f"{phone[:4]} {phone[4:8]} {phone[8:]}"


def _balinese_noise(rng: random.Random, owner: str) -> str:
    low = owner.lower()
    words = low.split()
    choice = rng.randrange(4)
    if choice == 0 and words and words[0] in ("i", "ni"):
        return " ".join(words[1:]).title()
    if choice == 1:
        for group in BIRTH_ORDER:
            for w in group:
                if f" {w} " in f" {low} " and len(group) > 1:
                    other = rng.choice([g for g in group if g != w])
                    return f" {low} ".replace(f" {w} ", f" {other} ").strip().title()
    if choice == 2:
        for full, short in ABBREV.items():
            if f" {full} " in f" {low} ":
                return f" {low} ".replace(f" {full} ", f" {short} ").strip().title()
    if choice == 3 and words:
        for group in BIRTH_ORDER:
            for w in group:
                if w in words:
                    return " ".join(x for x in words if x != w).title()
    return owner


def _digit_typo(rng: random.Random, code: str) -> str:
    """One keystroke: a digit replaced, or two neighbours swapped."""
    if len(code) < 2:
        return code
    k = rng.randrange(len(code) - 1)
    if rng.random() < 0.5 and code[k] != code[k + 1]:
        return code[:k] + code[k + 1] + code[k] + code[k + 2 :]
    other = rng.choice([d for d in "0123456789" if d != code[k]])
    return code[:k] + other + code[k + 1 :]


NOISES = [
    ("name_typo", lambda rng, r: r.update(name=typo(rng, r["name"]))),
    ("name_legal", lambda rng, r: r.update(name=_legal_noise(rng, r["name"]))),
    ("name_swap", lambda rng, r: r.update(name=_swap(rng, r["name"]))),
    ("name_case", lambda rng, r: r.update(name=_change_case(rng, r["name"]))),
    ("owner_typo", lambda rng, r: r.update(owner_name=typo(rng, r["owner_name"]))),
    ("owner_bali", lambda rng, r: r.update(owner_name=_balinese_noise(rng, r["owner_name"]))),
    ("owner_case", lambda rng, r: r.update(owner_name=_change_case(rng, r["owner_name"]))),
    ("address_words", lambda rng, r: r.update(address=_address_noise(rng, r["address"]))),
    ("address_typo", lambda rng, r: r.update(address=typo(rng, r["address"]))),
    ("address_case", lambda rng, r: r.update(address=_change_case(rng, r["address"]))),
    ("phone_form", lambda rng, r: r.update(owner_phone=_phone_noise(rng, r["owner_phone"]))),
    ("phone_missing", lambda rng, r: r.update(owner_phone="")),
    ("nib_missing", lambda rng, r: r.update(nib="")),
    ("nib_typo", lambda rng, r: r.update(nib=_digit_typo(rng, r["nib"]))),
    ("nik_missing", lambda rng, r: r.update(owner_nik="")),
    ("nik_typo", lambda rng, r: r.update(owner_nik=_digit_typo(rng, r["owner_nik"]))),
    ("birth_missing", lambda rng, r: r.update(owner_birth_date="")),
    ("sex_missing", lambda rng, r: r.update(owner_sex="")),
    ("product_typo", lambda rng, r: r.update(main_products=typo(rng, r["main_products"]))),
]


def duplicate(rng: random.Random, record: dict, rid: int) -> dict:
    dup = dict(record, id=rid)
    for _name, apply in rng.sample(NOISES, rng.randint(2, 5)):
        apply(rng, dup)
    return dup


def second_business(rng: random.Random, record: dict, rid: int) -> dict:
    """The same owner's other, different business: a hard non-match."""
    other = original(rng, rid)
    for key in ("owner_name", "owner_sex", "owner_phone", "owner_nik", "owner_birth_date"):
        other[key] = record[key]
    if rng.random() < 0.5:
        other["address"], other["desa_id"] = record["address"], record["desa_id"]
    return other


def dataset(
    *,
    rng: random.Random,
    originals: int,
    duplicates: int,
    second_businesses: float = 0.01,
    housemates: float = 0.03,
    namesakes: float = 0.05,
) -> Dataset:
    """`originals` distinct IKM — shares of them an owner's second business, a spouse's
    or sibling's business at the same address, another person of the same name in the
    same desa — and `duplicates` noisy copies of randomly chosen ones, shuffled, ids
    0..n-1. Only the copies are true pairs."""
    records: list[dict] = []
    for i in range(originals):
        draw = rng.random()
        if records and draw < second_businesses:
            records.append(second_business(rng, rng.choice(records), i))
        elif records and draw < second_businesses + housemates:
            records.append(housemate(rng, rng.choice(records), i))
        elif records and draw < second_businesses + housemates + namesakes:
            records.append(namesake(rng, rng.choice(records), i))
        else:
            records.append(original(rng, i))
    entity = {r["id"]: r["id"] for r in records}
    for j in range(duplicates):
        source = records[rng.randrange(originals)]
        dup = duplicate(rng, source, originals + j)
        entity[dup["id"]] = entity[source["id"]]
        records.append(dup)
    rng.shuffle(records)
    # Renumber so that position says nothing about being a copy.
    new_id = {r["id"]: n for n, r in enumerate(records)}
    groups: dict[int, list[int]] = {}
    for r in records:
        groups.setdefault(entity[r["id"]], []).append(new_id[r["id"]])
        r["id"] = new_id[r["id"]]
    true_pairs = {(a, b) for members in groups.values() for a in members for b in members if a < b}
    return Dataset(records=records, true_pairs=true_pairs)
