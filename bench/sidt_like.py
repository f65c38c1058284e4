"""An independent adversarial test set: a SIDT-style Denpasar IKM list.

Written apart from `sentra.linkage.synthetic` and without Sentra's normaliser, the way
the office's lists come: SIDT column names, kelurahan and kecamatan by name, NIK with
the birth date and sex in it, some rows a second or third time as another clerk or a
field survey wrote them — Balinese name parts dropped or abbreviated (IGN, AA, IB,
Ni Luh → Luh), keyboard typos, caps lock, "Jl."/"JL"/"Jalan", "No."/"#", legal forms
and "Warung"/"Toko" added or dropped, phone as 0812-…, +62 812 …, 62812…, NIB and NIK
left out, coordinates jittered — and hard non-matches: owners with a genuine second
business, spouses and siblings at one address with the household phone, men and women
with the same given name ("I Ketut Artini", "Ni Kadek Artini"), many people with one
name in one kelurahan.

`sidt_list(seed, businesses, repeats, second_businesses)` returns the rows (dicts with
SIDT headers), the true pairs of row numbers, and `to_engine(row)` maps a row to the
engine's record keys. `repeats=0` gives a clean file: no true pairs at all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

KELURAHAN = {
    "Denpasar Selatan": ["Sesetan", "Sidakarya", "Panjer", "Renon", "Sanur", "Sanur Kauh",
                         "Sanur Kaja", "Pedungan", "Pemogan", "Serangan"],
    "Denpasar Timur": ["Dangin Puri", "Sumerta", "Kesiman", "Penatih", "Sumerta Kauh",
                       "Sumerta Kaja", "Kesiman Petilan", "Kesiman Kertalangu"],
    "Denpasar Barat": ["Dauh Puri", "Pemecutan", "Padangsambian", "Tegal Harum",
                       "Tegal Kerta", "Dauh Puri Kauh", "Padangsambian Kaja"],
    "Denpasar Utara": ["Peguyangan", "Ubung", "Tonja", "Dangin Puri Kaja", "Peguyangan Kaja",
                       "Ubung Kaja", "Pemecutan Kaja", "Dauh Puri Kaja"],
}  # fmt: skip
KEC_CODE = {"Denpasar Selatan": "517101", "Denpasar Timur": "517102",
            "Denpasar Barat": "517103", "Denpasar Utara": "517104"}  # fmt: skip
# Given names, most common first (drawn Zipf-like); Balinese names are mostly unisex.
GIVEN = """artini sudana sumerta artawa suarsana widiana sukadana arsana parwati sudiarsa
mertayasa ariasa wirata suweca budiarta sariani suastika yasa adi putra sujana darmika
wartana kariani suwena rai sukarsa ardana sutama artha mustika wijana sedana
kertiasih sugiarta wardana puspa suarjana astuti antara ariyani juliana kusuma
dharmawan sudirga suparta suwitra sukerti widnyana ratna suardika dana""".split()  # noqa: SIM905
ORDER = [("Wayan", 16), ("Putu", 10), ("Gede", 6), ("Luh", 3), ("Made", 15), ("Kadek", 9),
         ("Nengah", 3), ("Nyoman", 10), ("Komang", 8), ("Ketut", 13), ("", 7)]  # fmt: skip
TITLE = [("", 86), ("I Gusti Ngurah", 3), ("I Gusti Ayu", 2), ("Anak Agung", 3),
         ("Ida Bagus", 2), ("Ida Ayu", 1), ("Dewa", 1), ("Desak", 1), ("Cokorda", 1)]  # fmt: skip
JAVANESE = """Sri Wahyuni;Agus Salim;Muhammad Rizal;Siti Rahma;Budi Hartono;Dwi Lestari;
Eko Prasetyo;Nur Aini;Rudi Hermawan;Yuli Astuti""".replace("\n", "").split(";")
WORDS = """Amerta Ayu Sari Dewi Bali Kencana Murti Sedana Lestari Giri Taksu Mekar Rahayu
Sanggraha Karya Dharma Prima Abadi Mulia Werdhi Nadi Jaya Sentosa Asih Suci Widya
Kerthi Manik Permai""".split()  # noqa: SIM905
GOODS = [("Kerajinan", "anyaman rotan"), ("Produksi", "film dokumenter"), ("Dapur", "jaje bali"),
         ("Warung Kopi", "kopi bubuk"), ("Tenun", "kain endek"), ("Ukiran", "ukiran kayu"),
         ("Konveksi", "kaos sablon"), ("Bengkel Las", "pagar besi"), ("Salon", "jasa rias"),
         ("Perak", "perhiasan perak"), ("Pie", "pie susu"), ("Tempe", "tempe"),
         ("Roti", "roti manis"), ("Dupa", "dupa"), ("Sablon", "kaos sablon")]  # fmt: skip
STREET = """Gatot Subroto Timur;Cokroaminoto;Tukad Barito;Tukad Musi;Letda Made Putra;
Raya Sesetan;Pulau Bungin;Kecubung;Tukad Petanu;Waribang;Sekar Tunjung;Gunung Lumut;
Nangka Utara;Ahmad Yani Utara;Pura Mertasari;Danau Buyan""".replace("\n", "").split(";")


@dataclass
class SidtList:
    rows: list[dict]
    true_pairs: set[tuple[int, int]]


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _given(rng: random.Random) -> str:
    return GIVEN[min(int(rng.expovariate(1 / 9)), len(GIVEN) - 1)].title()


def _owner(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.12:
        name = rng.choice(JAVANESE)
        return name, "P" if name.split()[0] in ("Sri", "Siti", "Dwi", "Nur", "Yuli") else "L"
    female = rng.random() < 0.48
    title = _pick(rng, TITLE)
    if title in ("I Gusti Ayu", "Ida Ayu", "Desak"):
        female = True
    elif title in ("I Gusti Ngurah", "Ida Bagus", "Dewa"):
        female = False
    marker = "" if title else ("Ni" if female else "I")
    order = _pick(rng, ORDER)
    if order == "Luh":
        female, marker = True, "Ni"
    parts = [marker, title, order, _given(rng)]
    if rng.random() < 0.25:
        parts.insert(3, _given(rng))
    return " ".join(p for p in parts if p), "P" if female else "L"


def _nik(rng: random.Random, kec: str, born: date, sex: str) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{KEC_CODE[kec]}{day:02d}{born:%m%y}{rng.randint(1, 2999):04d}"


def _business(rng: random.Random) -> dict:
    kind, product = rng.choice(GOODS)
    words = rng.sample(WORDS, rng.choice([1, 2, 2]))
    name = " ".join([kind, *words] if rng.random() < 0.6 else words)
    if rng.random() < 0.3:
        name = rng.choice(["UD. ", "CV ", "PT. ", "Toko "]) + name
    return {"Nama Usaha": name, "Produk Utama": product}


def _place(rng: random.Random) -> dict:
    kec = rng.choice(list(KELURAHAN))
    return {
        "Kecamatan": kec,
        "Kelurahan/Desa": rng.choice(KELURAHAN[kec]),
        "Alamat": f"Jl. {rng.choice(STREET)} No. {rng.randint(1, 180)}",
        "Latitude": round(-8.65 - rng.random() * 0.1, 6),
        "Longitude": round(115.18 + rng.random() * 0.1, 6),
    }


def _person(rng: random.Random, kec: str) -> dict:
    owner, sex = _owner(rng)
    born = date(1955, 1, 1) + timedelta(days=rng.randrange(365 * 50))
    return {
        "Nama Pemilik": owner,
        "Jenis Kelamin": {"L": "Laki-laki", "P": "Perempuan"}[sex],
        "Tanggal Lahir": born.strftime("%d/%m/%Y") if rng.random() < 0.5 else "",
        "NIK": _nik(rng, kec, born, sex) if rng.random() < 0.55 else "",
        "No. HP": "08" + rng.choice("1257") + "".join(rng.choice("0123456789") for _ in range(9)),
    }


def _row(rng: random.Random) -> dict:
    place = _place(rng)
    nib = "".join(rng.choice("0123456789") for _ in range(13))
    return {**_business(rng), **_person(rng, place["Kecamatan"]), **place,
            "NIB": nib if rng.random() < 0.5 else ""}  # fmt: skip


# --- how a second clerk writes the same business ------------------------------------------

# A neighbouring key on a QWERTY keyboard.
KEYBOARD = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wertyuiopoasdfghjklkzxcvbn", strict=True))


def _keyboard_typo(rng: random.Random, text: str) -> str:
    spots = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(spots) < 5:
        return text
    i = rng.choice(spots)
    ch = text[i].lower()
    how = rng.random()
    if how < 0.4:
        return text[:i] + KEYBOARD.get(ch, ch) + text[i + 1 :]
    if how < 0.7:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def _owner_variant(rng: random.Random, owner: str) -> str:
    swaps = [("I Gusti Ngurah ", "IGN "), ("I Gusti Ayu ", "IGA "), ("Anak Agung ", "AA "),
             ("Ida Bagus ", "IB "), ("Ni Luh ", "Luh "), ("Ni ", ""), ("I ", ""),
             ("Wayan ", "Wyn "), ("Nyoman ", "Nym "), ("Ketut ", "Kt. "), ("Made ", "Md. "),
             ("Putu ", ""), ("Kadek ", ""), ("Komang ", "")]  # fmt: skip
    rng.shuffle(swaps)
    for old, new in swaps:
        if owner.startswith(old) or f" {old}" in owner:
            return owner.replace(old, new, 1)
    return owner


def _name_variant(rng: random.Random, name: str) -> str:
    for form in ("UD. ", "CV ", "PT. ", "Toko "):
        if name.startswith(form):
            return name[len(form) :]
    return rng.choice(["UD ", "CV. ", "Usaha ", "Warung "]) + name if rng.random() < 0.5 else name


def _phone_variant(rng: random.Random, phone: str) -> str:
    rest = phone[1:]
    return rng.choice([f"+62 {rest[:3]} {rest[3:7]} {rest[7:]}", "62" + rest,
                       f"{phone[:4]}-{phone[4:8]}-{phone[8:]}"])  # fmt: skip


def _again(rng: random.Random, row: dict) -> dict:
    copy = dict(row)
    edits = [
        lambda r: r.update({"Nama Pemilik": _owner_variant(rng, r["Nama Pemilik"])}),
        lambda r: r.update({"Nama Pemilik": _keyboard_typo(rng, r["Nama Pemilik"])}),
        lambda r: r.update({"Nama Usaha": _keyboard_typo(rng, r["Nama Usaha"])}),
        lambda r: r.update({"Nama Usaha": _name_variant(rng, r["Nama Usaha"])}),
        lambda r: r.update({"Nama Usaha": r["Nama Usaha"].upper()}),
        lambda r: r.update({"Alamat": r["Alamat"].replace("Jl. ", rng.choice(["Jalan ", "JL ", "Jln "]))}),
        lambda r: r.update({"Alamat": r["Alamat"].replace("No. ", rng.choice(["No ", "#", "Nomor "]))}),
        lambda r: r.update({"No. HP": _phone_variant(rng, r["No. HP"])}),
        lambda r: r.update({"No. HP": ""}),
        lambda r: r.update({"NIB": ""}),
        lambda r: r.update({"NIK": ""}),
        lambda r: r.update({"Tanggal Lahir": ""}),
        lambda r: r.update({"Jenis Kelamin": r["Jenis Kelamin"][0]}),
        lambda r: r.update({"Produk Utama": _keyboard_typo(rng, r["Produk Utama"])}),
    ]  # fmt: skip
    for edit in rng.sample(edits, rng.randint(2, 5)):
        edit(copy)
    copy["Latitude"] = round(copy["Latitude"] + rng.uniform(-0.0005, 0.0005), 6)
    copy["Longitude"] = round(copy["Longitude"] + rng.uniform(-0.0005, 0.0005), 6)
    return copy


def _second_business(rng: random.Random, row: dict) -> dict:
    other = {**_row(rng)}
    for key in ("Nama Pemilik", "Jenis Kelamin", "Tanggal Lahir", "NIK", "No. HP"):
        other[key] = row[key]
    if rng.random() < 0.6:
        for key in ("Kecamatan", "Kelurahan/Desa", "Alamat", "Latitude", "Longitude"):
            other[key] = row[key]
    return other


def _household(rng: random.Random, row: dict) -> dict:
    """Spouse or sibling at the same address, often with the household's phone."""
    other = _row(rng)
    for key in ("Kecamatan", "Kelurahan/Desa", "Alamat", "Latitude", "Longitude"):
        other[key] = row[key]
    if rng.random() < 0.6:
        other["No. HP"] = row["No. HP"]
    if rng.random() < 0.5:
        other["Produk Utama"] = row["Produk Utama"]
    return other


def sidt_list(
    *, seed: int = 2026, businesses: int = 3000, repeats: int = 600, second_businesses: int = 150
) -> SidtList:
    rng = random.Random(seed)
    rows: list[dict] = []
    entity: list[int] = []
    for _ in range(businesses):
        draw = rng.random()
        if rows and draw < 0.05:
            rows.append(_household(rng, rng.choice(rows)))
        else:
            rows.append(_row(rng))
        entity.append(len(entity))
    for _ in range(second_businesses):
        rows.append(_second_business(rng, rng.choice(rows[:businesses])))
        entity.append(len(entity))
    for _ in range(repeats):
        k = rng.randrange(businesses)
        rows.append(_again(rng, rows[k]))
        entity.append(entity[k])
        if rng.random() < 0.2:  # a third time
            rows.append(_again(rng, rows[k]))
            entity.append(entity[k])
    order = list(range(len(rows)))
    rng.shuffle(order)
    rows = [rows[k] for k in order]
    entity = [entity[k] for k in order]
    groups: dict[int, list[int]] = {}
    for n, e in enumerate(entity):
        groups.setdefault(e, []).append(n)
    pairs = {(a, b) for members in groups.values() for a in members for b in members if a < b}
    return SidtList(rows=rows, true_pairs=pairs)


def to_engine(row: dict, rid: int) -> dict:
    """A SIDT row as the engine's record (its documented optional keys)."""
    born = row["Tanggal Lahir"]
    return {
        "id": rid,
        "name": row["Nama Usaha"],
        "owner_name": row["Nama Pemilik"],
        "owner_nik": row["NIK"],
        "nib": row["NIB"],
        "owner_sex": row["Jenis Kelamin"],
        "owner_birth_date": f"{born[6:]}-{born[3:5]}-{born[:2]}" if born else "",
        "owner_phone": row["No. HP"],
        "address": row["Alamat"],
        "desa": row["Kelurahan/Desa"],
        "kecamatan": row["Kecamatan"],
        "main_products": row["Produk Utama"],
    }
