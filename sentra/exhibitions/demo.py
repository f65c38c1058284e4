"""Synthetic exhibitions for `manage.py demo_data` (registered in ExhibitionsConfig.ready).

The office's story: two exhibitions a year since 2022 — the city's own and the
province's "Bali UKM/IKM Industri Kreatif" — with about twice as many applicants as
booths, selected by the published rule; most participants come, sell a few million
rupiah and collect buyer contacts; students from two universities and two SMK help at
the booths, and a few of them later appear as IKM owners. One exhibition is open for
sign-up on the day the demo is built. Figures are invented (no published series exists
for Denpasar's exhibitions) and chosen to be plausible: Rp 0.5–15 million sales per
booth over a 4-day event, 92 % attendance. Deterministic for a given rng.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from sentra.exhibitions import selection as S
from sentra.exhibitions import selectors, services
from sentra.exhibitions.models import (
    Application,
    BoothType,
    Channel,
    Exhibition,
    Institution,
    LinkStatus,
    Outcome,
    Status,
    Student,
    StudentRole,
    new_code,
)
from sentra.exhibitions.services import selecting
from sentra.lib.bulk import fast_update
from sentra.registry.models import Ikm

YEARS = (2022, 2023, 2024, 2025)
EVENTS = [
    # name, organiser, organiser name, month, venue, theme, theme subsectors
    (
        "Denpasar Festival Produk IKM",
        "kota",
        "Disperindag Kota Denpasar",
        8,
        "Lapangan Puputan Badung I Gusti Ngurah Made Agung",
        "Kuliner dan kriya khas Denpasar",
        ["B16-08", "B16-07"],
    ),
    (
        "Bali UKM/IKM Industri Kreatif",
        "provinsi",
        "Dinas Perindustrian dan Perdagangan Provinsi Bali",
        11,
        "Taman Budaya Provinsi Bali (Art Centre)",
        "Fesyen dan kriya Bali",
        ["B16-10", "B16-07"],
    ),
]
INSTITUTIONS = [
    ("Universitas Udayana", "pt"),
    ("Institut Seni Indonesia Denpasar", "pt"),
    ("SMK Negeri 1 Denpasar", "smk"),
    ("SMK Negeri 5 Denpasar", "smk"),
]
PROGRAMMES = {
    "pt": ["Manajemen", "Desain Komunikasi Visual", "Kriya Seni", "Teknologi Pangan"],
    "smk": ["Tata Boga", "Tata Busana", "Desain Komunikasi Visual", "Kriya Kayu"],
}
BRANDING = ["katalog produk", "foto produk", "video pendek", "desain label kemasan", ""]


def _booths(exhibition: Exhibition, scale: int) -> list[BoothType]:
    specs = [
        ("A", "Stan standar 3×3", 14, Decimal("9"), 900, False, 2_500_000, 2_500_000),
        ("B", "Stan kuliner 3×3 dengan air", 6, Decimal("9"), 1300, True, 3_000_000, 2_500_000),
    ]
    return BoothType.objects.bulk_create(
        BoothType(
            exhibition=exhibition,
            code=code,
            name=name,
            count=count * scale,
            size_m2=size,
            power_watt=watt,
            water=water,
            fee=fee,
            subsidy=subsidy,
        )
        for code, name, count, size, watt, water, fee, subsidy in specs
    )


def _exhibition(spec, *, start: date, opens: date, closes: date, cost: int) -> Exhibition:
    name, organiser, organiser_name, _month, venue, theme, subsectors = spec
    exhibition = Exhibition.objects.create(
        name=name,
        organiser=organiser,
        organiser_name=organiser_name,
        start_date=start,
        end_date=start + timedelta(days=3),
        venue=venue,
        theme=theme,
        applications_open=opens,
        applications_close=closes,
        max_per_kecamatan=None,
        max_per_subsector=None,
        other_costs=cost,
    )
    exhibition.subsectors.set(subsectors)
    return exhibition


def _apply(
    rng, exhibition: Exhibition, booths: list[BoothType], pool: list[Ikm], regulars, n: int
) -> None:
    food_booth, standard = booths[1], booths[0]
    # About 60 % of applicants are the office's regulars, who apply again and again.
    chosen = rng.sample(regulars, min(len(regulars), n * 6 // 10))
    seen = {ikm.pk for ikm in chosen}
    chosen += [ikm for ikm in rng.sample(pool, min(len(pool), n)) if ikm.pk not in seen][
        : n - len(chosen)
    ]
    Application.objects.bulk_create(
        Application(
            exhibition=exhibition,
            ikm=ikm,
            booth_type=food_booth if ikm.subsector_id == "B16-08" else standard,
            channel=Channel.PUBLIC if rng.random() < 0.6 else Channel.OFFICER,
            products=ikm.main_products[:300] or ikm.name,
            contact_name=ikm.owner_name or ikm.name,
            contact_phone=ikm.owner_phone,
            contact_email=ikm.owner_email,
            consent_at=timezone.now(),
        )
        for ikm in chosen
    )


def _outcomes(rng, exhibition: Exhibition) -> None:
    # Written at once, not a save per participant: at --scale 100 an exhibition selects
    # thousands (fast_update: Django's bulk_update is slower than saves on SQLite).
    selected = list(exhibition.applications.filter(status=Status.SELECTED))
    outcomes = []
    for a in selected:
        a.attended = rng.random() < 0.92
        if a.attended:
            a.certificate_code = new_code()
            sales = int(math.exp(rng.gauss(math.log(2_500_000), 0.8)) // 1000 * 1000)
            outcomes.append(
                Outcome(
                    application=a,
                    sales=min(sales, 15_000_000),
                    buyer_contacts=rng.randint(2, 30),
                    orders_after=int(sales * rng.choice([0, 0, 0.2, 0.5, 1.0])),
                    branding=rng.choice(BRANDING),
                    rating=rng.choice([3, 4, 4, 4, 5, 5]),
                    recorded_by_ikm=rng.random() < 0.4,
                )
            )
    fast_update(Application, selected, ["attended", "certificate_code"])
    Outcome.objects.bulk_create(outcomes, batch_size=1000)


def build(*, rng, scale: int, stdout=None) -> None:
    pool = list(
        Ikm.objects.active()
        .filter(subsector_id__in=["B16-07", "B16-08", "B16-10", "B16-04"])
        .order_by("pk")
    )
    if not pool:
        return
    regulars = rng.sample(pool, min(len(pool), 60 * scale))
    for year in YEARS:
        for spec in EVENTS:
            start = date(year, spec[3], rng.randint(5, 20))
            exhibition = _exhibition(
                spec,
                start=start,
                opens=start - timedelta(days=60),
                closes=start - timedelta(days=21),
                cost=rng.randint(15, 40) * 1_000_000 * scale,
            )
            booths = _booths(exhibition, scale)
            _apply(rng, exhibition, booths, pool, regulars, 2 * sum(b.count for b in booths))
            problem = selectors.selection_problem(exhibition, time_limit=5)
            selecting._selection_write(actor=None, exhibition=exhibition, result=S.solve(problem))
            _outcomes(rng, exhibition)
    # One open for sign-up on the day the demo is built, so the public form works.
    today = date.today()
    coming = _exhibition(
        EVENTS[0],
        start=today + timedelta(days=35),
        opens=today - timedelta(days=7),
        closes=today + timedelta(days=21),
        cost=25_000_000 * scale,
    )
    booths = _booths(coming, scale)
    _apply(rng, coming, booths, pool, regulars, 12 * scale)
    _students(rng, scale)
    if stdout:
        stdout.write(
            f"  pameran: {Exhibition.objects.count()} pameran, "
            f"{Application.objects.count()} pendaftar, {Student.objects.count()} mahasiswa/siswa"
        )


def _students(rng, scale: int) -> None:
    institutions = [
        Institution.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in INSTITUTIONS
    ]
    past = list(Exhibition.objects.filter(start_date__year__in=YEARS).order_by("start_date"))
    # Young owners of businesses started 2023 or later: some of them were students who
    # helped at an exhibition before; they get a student record with the same name,
    # birth date and phone, as a clerk would have typed it from the student's form.
    founders = [
        ikm
        for ikm in Ikm.objects.filter(started_year__gte=2023, owner_birth_date__isnull=False)
        .exclude(owner_name="")
        .order_by("pk")
        if ikm.owner_birth_date
        and ikm.started_year
        and ikm.owner_birth_date.year >= ikm.started_year - 28
    ]
    founders = rng.sample(founders, min(len(founders), 8 * scale))
    students = []
    for ikm in founders:
        institution = rng.choice(institutions)
        students.append(
            (
                Student(
                    institution=institution,
                    name=ikm.owner_name,
                    programme=rng.choice(PROGRAMMES[institution.kind]),
                    entry_year=ikm.started_year - rng.randint(2, 4),
                    birth_date=ikm.owner_birth_date,
                    phone=ikm.owner_phone,
                    email=f"mhs{ikm.pk}@contoh.ac.id",
                    consent_at=timezone.now(),
                ),
                ikm,
            )
        )
    names = list(Ikm.objects.exclude(owner_name="").values_list("owner_name", flat=True)[:2000])
    for i in range(50 * scale):
        institution = rng.choice(institutions)
        born = date(rng.randint(1998, 2008), rng.randint(1, 12), rng.randint(1, 28))
        students.append(
            (
                Student(
                    institution=institution,
                    # A different family name order: never the same person as an owner.
                    name=f"{rng.choice(names).split()[-1]} {rng.choice(names).split()[0]}",
                    programme=rng.choice(PROGRAMMES[institution.kind]),
                    entry_year=born.year + (18 if institution.kind == "pt" else 15),
                    birth_date=born,
                    phone=f"0857{rng.randint(10_000_000, 99_999_999)}",
                    email=f"siswa{i}@contoh.sch.id",
                    consent_at=timezone.now(),
                ),
                None,
            )
        )
    Student.objects.bulk_create([s for s, _ in students])
    roles = []
    for student, ikm in students:
        before = [e for e in past if ikm is None or e.start_date.year < ikm.started_year]
        for exhibition in rng.sample(before, min(len(before), rng.randint(1, 2))):
            roles.append(
                StudentRole(
                    student=student,
                    exhibition=exhibition,
                    role=rng.choice(["stan", "konten", "enumerator"]),
                    hours=Decimal(rng.choice([8, 12, 16, 24, 32])),
                    certificate_code=new_code(),
                )
            )
    StudentRole.objects.bulk_create(roles)
    links = services.student_links_find(actor=None, students=[s for s, ikm in students if ikm])
    # The office has confirmed most proposals; the rest wait on the student page.
    for link in links[: max(1, len(links) * 3 // 4)]:
        link.status = LinkStatus.CONFIRMED
        link.decided_at = timezone.now()
        link.save(update_fields=["status", "decided_at"])
