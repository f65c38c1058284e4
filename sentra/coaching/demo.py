"""Synthetic coaching records for `manage.py demo_data` (registered in CoachingConfig.ready).

The office's story: five categories, yearly programmes 2019–2026, coaching concentrated
on kuliner, fashion and kriya IKM, a little animasi. Deterministic for a given rng.
"""

from __future__ import annotations

from datetime import date, timedelta

from sentra.coaching.defaults import seed_categories
from sentra.coaching.models import Activity, ActivityKind, Category, Participation, Programme
from sentra.registry.models import Ikm

YEARS = range(2019, 2027)
ORGANISERS = [
    "Disperindag Kota Denpasar",
    "Disperindag Kota Denpasar bersama Dekranasda",
    "Disperindag Kota Denpasar bersama BPOM Denpasar",
    "Dinas Koperasi dan UKM Provinsi Bali",
]
PLACES = [
    "Aula Disperindag Kota Denpasar",
    "Gedung Dharma Negara Alaya",
    "Taman Budaya Bali",
    "Balai Banjar Kaja Sesetan",
    "Rumah Kreatif Denpasar",
    "Lokasi usaha peserta",
]
FACILITATORS = [
    "Tim Teknis Disperindag",
    "Konsultan desain produk",
    "Fasilitator BPOM",
    "Praktisi ekspor kerajinan",
    "Pengajar animasi SMK Negeri 1",
    "Dekranasda Kota Denpasar",
]
TITLES = {
    ActivityKind.TRAINING: "Pelatihan {topic}",
    ActivityKind.MENTORING: "Pendampingan {topic}",
    ActivityKind.VISIT: "Kunjungan lapangan {topic}",
    ActivityKind.EXHIBITION: "Persiapan pameran {topic}",
}
TOPICS = {
    "kuliner": ["higiene dan PIRT", "kemasan pangan", "sertifikasi halal"],
    "animasi": ["animasi 2D", "penulisan naskah"],
    "fashion": ["pola busana", "pewarnaan alami endek", "merek dagang"],
    "kerajinan": ["desain kerajinan", "pemasaran daring"],
    "kriya": ["finishing kayu", "kriya perak", "standar ekspor"],
}
# Participants per activity at scale 1, and the share of the subsector's IKM that the
# office reaches at all (it coaches a core group again and again).
PARTICIPANTS = {"kuliner": 25, "fashion": 20, "kriya": 18, "kerajinan": 12, "animasi": 6}
POOL_SHARE = {"kuliner": 0.30, "fashion": 0.30, "kriya": 0.25, "kerajinan": 0.15, "animasi": 0.4}


def build(*, rng, scale: int, stdout=None) -> None:
    seed_categories(Category)
    categories = {c.code: c for c in Category.objects.filter(code__in=PARTICIPANTS)}
    today = date.today()
    pools: dict[str, list[tuple[int, int | None]]] = {}
    for code, cat in categories.items():
        rows = list(
            Ikm.objects.filter(subsector_id=cat.subsector_id, closed_on__isnull=True)
            .order_by("id")
            .values_list("id", "started_year")
        )
        k = max(1, int(len(rows) * POOL_SHARE[code])) if rows else 0
        pools[code] = rng.sample(rows, k) if k else []

    n_prog = n_act = n_part = 0
    for year in YEARS:
        for code, cat in categories.items():
            programme = Programme.objects.create(
                category=cat,
                year=year,
                name=f"Pembinaan IKM {cat.name} {year}",
                organiser=rng.choice(ORGANISERS),
                budget=rng.randint(5, 25) * 10_000_000,
            )
            n_prog += 1
            kinds = list(ActivityKind)
            activities = []
            for i in range(rng.randint(3, 5)):
                kind = kinds[i % len(kinds)]
                start = date(year, 2, 1) + timedelta(days=rng.randint(0, 300))
                if year == today.year and i == 0:
                    # Keep something on the agenda: the first activity of this year is upcoming.
                    start = today + timedelta(days=rng.randint(3, 25))
                activities.append(
                    Activity(
                        programme=programme,
                        kind=kind,
                        title=TITLES[kind].format(topic=rng.choice(TOPICS[code])),
                        date=start,
                        end_date=start + timedelta(days=rng.choice([0, 0, 1, 2])),
                        place=rng.choice(PLACES),
                        facilitator=rng.choice(FACILITATORS),
                    )
                )
            Activity.objects.bulk_create(activities)
            n_act += len(activities)
            eligible = [i for i, started in pools[code] if started is None or started <= year]
            parts = []
            for activity in activities:
                if activity.date > today:
                    continue  # participants of an upcoming activity are not known yet
                k = min(len(eligible), PARTICIPANTS[code] * scale)
                for ikm_id in rng.sample(eligible, k):
                    parts.append(Participation(activity=activity, ikm_id=ikm_id))
            Participation.objects.bulk_create(parts, batch_size=5000)
            n_part += len(parts)
    if stdout is not None:
        stdout.write(
            f"pembinaan: {n_prog} program, {n_act} kegiatan, {n_part} peserta (sintetis)\n"
        )
