"""Synthetic demo data for Kota Denpasar, calibrated to the published figures.

Everything here is invented (names, businesses, numbers) and every page says so. What
is NOT invented: the 43 desa/kelurahan and their boundaries, KBLI codes and subsectors.
Calibration (press figures for 2018, Disperindag Prov. Bali via bisnisbali.com):
4,045 active IKM (the office's figure; press: 4,074), 30,862 workers and Rp 282 miliar
investment in total, all times --scale.

Life cycle: the active stock follows a target curve (7.5 % a year before 2012, easing
to 5.5 % from 2020: the office says "5–8 %, today 5–6 %"); each year about 2 % of the
stock closes and births fill the gap, so yearly growth of the active stock computed
from the dates lands on the curve.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import shapely
from shapely.geometry import shape

from sentra.lib.bulk import fast_insert
from sentra.lib.text import fold
from sentra.registry.models import Ikm, IkmSource, SourceKind

AS_OF = date(2026, 10, 31)  # fixed, so the data are the same whichever day they are built
ACTIVE = 4045
WORKERS = 30_862
INVESTMENT = 282_000_000_000
CLOSE_RATE = 0.02
FIRST_YEAR = 1965
OFFICE_RECORDS_FROM = date(1998, 1, 1)
CENSUS_DAYS = [date(2008, 8, 1), date(2014, 9, 1), date(2018, 8, 1)]  # big field surveys


def _demo_email(owner: str, nik: str) -> str:
    """About four in ten owners have an e-mail. Derived from the name and NIK, not drawn
    from the generator, so the rest of the demo data stays as calibrated. The domain is
    reserved (example.id): no real mailbox."""
    if not owner or not nik or int(nik[-1]) > 3:
        return ""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in fold(owner).split()[:2]]
    local = ".".join(word for word in words if word) or "pemilik"
    return f"{local}.{nik[-4:]}@surel.example.id"


def growth_rate(year: int) -> float:
    if year <= 2012:
        return 0.075
    if year >= 2020:
        return 0.055
    return 0.075 - (year - 2012) * 0.0025


# Subsector code → (share of IKM, female share of workers, [(KBLI, [products])]).
SECTORS: dict[str | None, tuple[float, float, list[tuple[str, list[str]]]]] = {
    "B16-08": (
        0.46,
        0.62,
        [
            ("10710", ["pie susu", "roti manis", "kue kering", "bolu kukus"]),
            ("10792", ["jaje bali", "kue basah", "klepon", "laklak"]),
            ("10794", ["keripik singkong", "kacang disko", "rengginang", "keripik pisang"]),
            ("10750", ["sambal matah", "ayam betutu beku", "sate lilit beku", "lawar kemasan"]),
            ("10761", ["kopi bubuk", "kopi bali kintamani sangrai"]),
            ("11040", ["loloh cemcem", "minuman jahe", "es kuwut"]),
            ("10799", ["arak bali", "bumbu base genep", "madu kemasan"]),
        ],
    ),
    "B16-10": (
        0.16,
        0.7,
        [
            ("13121", ["kain endek", "kain songket"]),
            ("14111", ["kaos sablon", "kemeja endek", "busana adat bali"]),
            ("14120", ["jahit kebaya", "jahit safari"]),
            ("15201", ["sandal kulit", "sandal hotel"]),
            ("13134", ["kain batik bali"]),
        ],
    ),
    "B16-07": (
        0.18,
        0.45,
        [
            ("16293", ["patung kayu", "topeng ukir", "ukiran pintu"]),
            ("32112", ["perhiasan perak", "cincin perak"]),
            ("16291", ["anyaman bambu", "keben", "sokasi"]),
            ("32903", ["dupa", "canang sari kering", "kerajinan kerang"]),
            ("23939", ["gerabah", "keramik hias"]),
            ("32120", ["perhiasan imitasi", "manik-manik"]),
        ],
    ),
    "B16-05": (
        0.012,
        0.35,
        [("59112", ["produksi video", "animasi 2D"]), ("74141", ["desain animasi", "storyboard"])],
    ),
    "B16-06": (0.012, 0.3, [("74201", ["jasa foto produk", "foto prewedding"])]),
    "B16-04": (0.01, 0.4, [("31001", ["mebel jati minimalis"])]),
    "B16-03": (0.008, 0.45, [("74130", ["desain kemasan", "desain logo"])]),
    "B16-12": (0.012, 0.4, [("18111", ["percetakan undangan", "sablon kertas"])]),
    "B16-09": (0.008, 0.2, [("32201", ["gamelan", "rindik", "kendang"])]),
    "B16-16": (0.01, 0.3, [("32909", ["lukisan kamasan", "lukisan kanvas"])]),
    "B16-11": (0.004, 0.3, [("62019", ["aplikasi kasir", "aplikasi pemesanan"])]),
    None: (
        0.116,
        0.35,
        [
            ("25999", ["teralis besi", "pagar besi"]),
            ("22299", ["kemasan plastik"]),
            ("20231", ["sabun cuci", "sabun herbal"]),
            ("20232", ["minyak kelapa virgin kosmetik", "lulur bali"]),
            ("23951", ["batako", "paving"]),
            ("11051", ["air minum isi ulang"]),
            ("33121", ["bengkel las"]),
        ],
    ),
}

BIRTH_ORDER = ["Wayan", "Putu", "Gede", "Made", "Kadek", "Nengah", "Nyoman", "Komang", "Ketut"]
# "Gede" is for men only; "Luh" for women.
BIRTH_ORDER_FEMALE = [
    "Wayan",
    "Putu",
    "Luh",
    "Made",
    "Kadek",
    "Nengah",
    "Nyoman",
    "Komang",
    "Ketut",
]
BALI_MALE = [
    "Sudarma",
    "Suartana",
    "Adnyana",
    "Wirawan",
    "Arsana",
    "Sutama",
    "Budiarta",
    "Mertayasa",
    "Sukadana",
    "Parwata",
    "Suardika",
    "Darmawan",
    "Astawa",
    "Sumerta",
]
BALI_FEMALE = [
    "Ariani",
    "Sri Wahyuni",
    "Suryani",
    "Widiastuti",
    "Sukerti",
    "Astiti",
    "Puspitasari",
    "Sariasih",
    "Kartini",
    "Lestari",
    "Dewi",
    "Mardani",
    "Rusmini",
]
NAME_WORDS = [
    "Sari",
    "Rasa",
    "Dewata",
    "Bali",
    "Merta",
    "Jaya",
    "Santhi",
    "Sedana",
    "Lestari",
    "Werdhi",
    "Amerta",
    "Nadi",
    "Kencana",
    "Mulia",
    "Agung",
    "Puri",
    "Segara",
    "Taksu",
    "Kembang",
    "Bintang",
    "Surya",
    "Candra",
    "Windu",
    "Ayu",
    "Asri",
    "Mekar",
]
STREETS = [
    "Jl. Gatot Subroto",
    "Jl. Teuku Umar",
    "Jl. Gunung Agung",
    "Jl. Imam Bonjol",
    "Jl. Hayam Wuruk",
    "Jl. Sedap Malam",
    "Jl. Tukad Badung",
    "Jl. Raya Sesetan",
    "Jl. Ahmad Yani",
    "Jl. Cokroaminoto",
    "Jl. Gunung Soputan",
    "Jl. Nangka",
    "Jl. Pulau Bali",
    "Jl. Kamboja",
    "Jl. Tukad Pakerisan",
    "Jl. Waturenggong",
    "Jl. Antasura",
    "Jl. Kebo Iwa",
    "Jl. Mahendradatta",
    "Jl. Pidada",
]
LEGAL_FORMS = [
    ("perorangan", 0.72),
    ("ud", 0.15),
    ("cv", 0.08),
    ("pt", 0.03),
    ("koperasi", 0.01),
    ("firma", 0.01),
]
EDUCATION = [
    ("sd", 0.1),
    ("smp", 0.15),
    ("sma", 0.45),
    ("diploma", 0.1),
    ("s1", 0.17),
    ("s2", 0.03),
]
KECAMATAN_DIGITS = {"51.71.01": "01", "51.71.02": "02", "51.71.03": "03", "51.71.04": "04"}


@dataclass
class Life:
    start: date
    recorded: date
    closed: date | None


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _day_in_year(rng: random.Random, year: int, end: date = AS_OF) -> date:
    first = date(year, 1, 1)
    last = min(date(year, 12, 31), end)
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def simulate_lives(rng: random.Random, active: int) -> list[Life]:
    """Births and closures year by year so the active stock follows the target curve."""
    # Target stock at each year end, back from the as-of stock.
    targets: dict[int, float] = {AS_OF.year: active}
    partial = (AS_OF.timetuple().tm_yday) / 365
    targets[AS_OF.year - 1] = active / (1 + growth_rate(AS_OF.year)) ** partial
    for year in range(AS_OF.year - 2, FIRST_YEAR - 1, -1):
        targets[year] = targets[year + 1] / (1 + growth_rate(year + 1))
    alive: list[Life] = []
    dead: list[Life] = []
    for _ in range(round(targets[FIRST_YEAR])):
        alive.append(Life(_day_in_year(rng, rng.randint(1940, FIRST_YEAR)), AS_OF, None))
    for year in range(FIRST_YEAR + 1, AS_OF.year + 1):
        span = partial if year == AS_OF.year else 1
        closures = min(len(alive) - 1, round(CLOSE_RATE * span * len(alive)))
        births = round(targets[year]) - (len(alive) - closures)
        # Young businesses close more often than old ones.
        weights = [1 / (1 + (year - life.start.year)) for life in alive]
        closing: set[int] = set()
        while len(closing) < closures:
            closing.update(rng.choices(range(len(alive)), weights, k=closures - len(closing)))
        for i in closing:
            life = alive[i]
            life.closed = max(life.start, _day_in_year(rng, year))
            dead.append(life)
        alive = [life for i, life in enumerate(alive) if i not in closing]
        alive.extend(Life(_day_in_year(rng, year), AS_OF, None) for _ in range(max(births, 0)))
    lives = alive + dead
    for life in lives:
        life.recorded = _recorded(rng, life)
    # An IKM that closed before the office ever recorded it is not in the registry.
    return [life for life in lives if life.recorded <= (life.closed or AS_OF)]


def _recorded(rng: random.Random, life: Life) -> date:
    lag = timedelta(days=int(rng.expovariate(1 / 500)))
    recorded = max(life.start + lag, OFFICE_RECORDS_FROM + timedelta(days=rng.randrange(900)))
    # The field surveys found many IKM that had been running unrecorded for years.
    for census in CENSUS_DAYS:
        if life.start < census < recorded and rng.random() < 0.6:
            recorded = census + timedelta(days=rng.randrange(120))
            break
    return min(recorded, AS_OF)


def _sample_points(rng: random.Random, geometry: dict, n: int) -> list[tuple[float, float]]:
    geom = shape(geometry)
    minx, miny, maxx, maxy = geom.bounds
    gen = np.random.default_rng(rng.randrange(2**32))
    points: list[tuple[float, float]] = []
    while len(points) < n:
        xs = gen.uniform(minx, maxx, n * 3)
        ys = gen.uniform(miny, maxy, n * 3)
        inside = shapely.contains_xy(geom, xs, ys)
        points.extend(zip(ys[inside].tolist(), xs[inside].tolist(), strict=True))
    return points[:n]


def _calibrate_int(rng: random.Random, values: list[int], total: int, minimum: int) -> list[int]:
    """Scale to `total`, then add or remove one at a time so the sum is exact."""
    factor = total / sum(values)
    out = [max(minimum, round(v * factor)) for v in values]
    diff = total - sum(out)
    while diff:
        i = rng.randrange(len(out))
        step = 1 if diff > 0 else -1
        if out[i] + step >= minimum:
            out[i] += step
            diff -= step
    return out


def build_ikm(*, rng: random.Random, scale: int = 1, stdout=None) -> int:
    """Create the synthetic IKM; returns how many (active + closed)."""
    from sentra.areas.models import Area

    say = stdout.write if stdout else (lambda s: None)
    lives = simulate_lives(rng, ACTIVE * scale)
    rng.shuffle(lives)
    active_idx = [i for i, life in enumerate(lives) if life.closed is None]
    say(f"  {len(lives):,} IKM ({len(active_idx):,} aktif)\n")

    villages = list(Area.objects.villages().order_by("code"))
    village_weights = [rng.gammavariate(2.0, 1.0) for _ in villages]
    desa_of = rng.choices(villages, village_weights, k=len(lives))
    points: dict[str, list[tuple[float, float]]] = {}
    for v in villages:
        need = sum(1 for d in desa_of if d.code == v.code)
        points[v.code] = _sample_points(rng, v.geometry, need) if v.geometry else []

    sectors = list(SECTORS.items())
    sector_of = rng.choices([s for s, _ in sectors], [spec[0] for _, spec in sectors], k=len(lives))

    # Workers and investment: skewed like real IKM (most tiny, a few large).
    raw_workers = [max(1, round(rng.lognormvariate(1.55, 0.75))) for _ in lives]
    raw_invest = [rng.lognormvariate(17.6, 1.1) for _ in lives]
    act_workers = _calibrate_int(rng, [raw_workers[i] for i in active_idx], WORKERS * scale, 1)
    inv_factor = INVESTMENT * scale / sum(raw_invest[i] for i in active_idx)
    act_invest = [round(raw_invest[i] * inv_factor / 100_000) * 100_000 for i in active_idx]
    act_invest[-1] += INVESTMENT * scale - sum(act_invest)  # exact total
    workers, invest = list(raw_workers), [round(v * inv_factor, -5) for v in raw_invest]
    for j, i in enumerate(active_idx):
        workers[i], invest[i] = act_workers[j], int(act_invest[j])

    fake_names = _fake_names()
    serial: dict[str, int] = {}
    batch: list[Ikm] = []
    created = 0
    for i, life in enumerate(lives):
        desa = desa_of[i]
        sector = sector_of[i]
        share, female_share, kblis = SECTORS[sector]
        kbli, products = rng.choice(kblis)
        product = rng.choice(products)
        female = rng.random() < 0.5
        balinese = rng.random() < 0.78
        if balinese:
            given = rng.choice(BALI_FEMALE if female else BALI_MALE)
            order = rng.choice(BIRTH_ORDER_FEMALE if female else BIRTH_ORDER)
            owner = f"{'Ni' if female else 'I'} {order} {given}"
        else:
            owner = fake_names[rng.randrange(len(fake_names))]
        born = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
        key = f"{desa.parent_id}{born:%d%m%y}"
        serial[key] = serial.get(key, 0) + 1
        nik = (
            f"5171{KECAMATAN_DIGITS[str(desa.parent_id)]}{born.day + (40 if female else 0):02d}"
            f"{born:%m%y}{serial[key]:04d}"
        )
        legal = _pick(rng, LEGAL_FORMS)
        word = rng.choice(NAME_WORDS)
        name = f"{word} {rng.choice([w for w in NAME_WORDS if w != word])}"
        if legal in ("ud", "cv", "pt"):
            name = f"{legal.upper()} {name}"
        elif rng.random() < 0.5:
            name = f"{product.split()[0].capitalize()} {word}"
        w = workers[i]
        unpaid = min(w, rng.choice([0, 1, 1, 2]))
        paid = w - unpaid
        paid_f = sum(1 for _ in range(paid) if rng.random() < female_share)
        unpaid_f = sum(1 for _ in range(unpaid) if rng.random() < 0.6)
        inv = invest[i]
        turnover = int(round(inv * rng.uniform(1.2, 3.5), -5))
        production = int(round(turnover * rng.uniform(0.75, 0.95), -5))
        lat, lon = points[desa.code].pop() if points[desa.code] else (None, None)
        if lat is not None and rng.random() < 0.08:
            lat = lon = None  # not every record has coordinates
        data_as_of = max(
            life.recorded, min(AS_OF, life.recorded + timedelta(days=rng.randrange(3000)))
        )
        if life.closed:
            data_as_of = min(data_as_of, life.closed)
        ikm = Ikm(
            name=name,
            legal_form=legal,
            nib=f"{rng.randrange(10**12, 10**13)}"
            if life.start.year >= 2000 or rng.random() < 0.4
            else "",
            pirt_number=f"{rng.randrange(10**14, 10**15)}"
            if sector == "B16-08" and rng.random() < 0.5
            else "",
            kbli_id=kbli,
            subsector_id=sector,
            main_products=product,
            business_activity=f"Produksi {product}",
            owner_name=owner,
            owner_nik=nik,
            owner_sex="P" if female else "L",
            owner_birth_date=born,
            owner_education=_pick(rng, EDUCATION),
            owner_disability=rng.random() < 0.015,
            owner_phone=f"08{rng.choice(['12', '13', '19', '77', '57', '78'])}{rng.randrange(10**7, 10**8)}",
            owner_email=_demo_email(owner, nik),
            address=f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}",
            rt="",
            rw="",
            desa_id=desa.code,
            postal_code=desa.postal_code,
            latitude=None if lat is None else round(lat, 6),
            longitude=None if lon is None else round(lon, 6),
            workers_paid_male=paid - paid_f,
            workers_paid_female=paid_f,
            workers_unpaid_male=unpaid - unpaid_f,
            workers_unpaid_female=unpaid_f,
            investment=inv,
            land_building_value=int(round(inv * rng.uniform(0.5, 3), -5)),
            production_value=production,
            raw_material_value=int(round(production * rng.uniform(0.4, 0.65), -5)),
            annual_turnover=turnover,
            assets=int(round(inv * rng.uniform(1.5, 4), -5)),
            started_year=life.start.year,
            started_month=life.start.month,
            first_recorded_on=life.recorded,
            closed_on=life.closed,
            closed_reason="tutup" if life.closed else "",
            data_as_of=data_as_of,
        )
        ikm.refresh_derived()
        batch.append(ikm)
        if len(batch) >= 5000:
            created += _flush(batch)
            say(f"  {created:,}/{len(lives):,}\n")
    created += _flush(batch)
    return created


def _flush(batch: list[Ikm]) -> int:
    fast_insert(Ikm, batch)
    fast_insert(
        IkmSource,
        [
            IkmSource(ikm_id=ikm.pk, kind=SourceKind.DEMO, reference="data contoh sintetis")
            for ikm in batch
        ],
    )
    n = len(batch)
    batch.clear()
    return n


def _fake_names(n: int = 400) -> list[str]:
    from faker import Faker

    fake = Faker("id_ID")
    fake.seed_instance(2018)
    return [fake.name() for _ in range(n)]
