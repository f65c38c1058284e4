"""Synthetic certification history for the demo (registered as a demo hook).

One LSP in Surabaya with three assessors who fly in (one holds both schemes, one only
Pengelola, one only Pemasaran), one TUK in Denpasar with 20 seats (two assessors a day),
an LSP in Bali with a local assessor kept inactive (the what-if "more local assessors"),
past batches 2022–2026 with kompeten / belum kompeten results (re-assessed later for
some), certificates expiring soon, and ready or not-yet-ready candidates for the rest.
Bulk writes: at --scale 100 there are 400k IKM. Deterministic for the rng.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from faker import Faker

from sentra.certification.models import (
    Assessor,
    AvailabilityWindow,
    Batch,
    BatchStatus,
    Candidate,
    Enrollment,
    Lsp,
    Outcome,
    Result,
    Role,
    Scheme,
    Trip,
    Tuk,
)
from sentra.certification.workdays import add_years
from sentra.registry.models import Ikm

FIRST_WEEK = date(2022, 1, 3)  # a Monday
LAST_WINDOW = date(2030, 12, 31)
HISTORY_END = date(2026, 10, 30)
PER_DAY = 10
DAYS_PER_TRIP = 3
CERTIFIED_SHARE = 0.22  # of active IKM assessed at least once before the demo date
CANDIDATE_SHARE = 0.65  # of the rest registered as candidates
READY_SHARE = 0.85


def _mondays(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=7)


def _windows(assessor: Assessor, rng: random.Random, *, every: int, offset: int) -> list:
    out = []
    for i, monday in enumerate(_mondays(FIRST_WEEK, LAST_WINDOW)):
        if i % every == offset and rng.random() > 0.1:  # 10 % of weeks off (leave, other work)
            out.append(
                AvailabilityWindow(assessor=assessor, start=monday, end=monday + timedelta(days=4))
            )
    return out


def build(*, rng: random.Random, scale: int = 1, stdout=None) -> None:
    fake = Faker("id_ID")
    fake.seed_instance(rng.randrange(2**31))
    schemes = {
        s.role: s for s in Scheme.objects.filter(code__in=["pengelola-ikm", "pemasaran-ikm"])
    }
    lsp = Lsp.objects.create(
        name="LSP Industri Kecil Menengah Jawa Timur (contoh)",
        city="Surabaya",
        licence_number="CONTOH-BNSP-LSP-0417",
    )
    lsp_bali = Lsp.objects.create(
        name="LSP UMKM Bali (contoh)", city="Denpasar", licence_number="CONTOH-BNSP-LSP-0912"
    )
    for scheme in schemes.values():
        scheme.lsp = lsp
        scheme.save(update_fields=["lsp"])
    specs = [
        ("Hendra Wijaya", [Role.MANAGER, Role.MARKETER], 1, 0),
        ("Siti Rahmawati", [Role.MANAGER], 2, 0),
        ("Agus Prasetyo", [Role.MARKETER], 2, 1),
    ]
    surabaya = []
    windows = []
    for name, roles, every, offset in specs:
        a = Assessor.objects.create(
            lsp=lsp, name=name, home_city="Surabaya", candidates_per_day=PER_DAY
        )
        a.schemes.set([schemes[r] for r in roles])
        windows += _windows(a, rng, every=every, offset=offset)
        surabaya.append((a, {schemes[r].pk for r in roles}))
    local = Assessor.objects.create(
        lsp=lsp_bali,
        name="Ni Luh Putu Ayu Lestari",
        home_city="Denpasar",
        local=True,
        candidates_per_day=PER_DAY,
        active=False,
    )
    local.schemes.set(schemes.values())
    windows += _windows(local, rng, every=1, offset=0)
    AvailabilityWindow.objects.bulk_create(windows, batch_size=2000)
    tuk = Tuk.objects.create(
        name="TUK Disperindag Kota Denpasar",
        place="Aula Dinas, Jl. Majapahit, Denpasar",
        capacity=20,
    )

    ikm = list(
        Ikm.objects.active()
        .order_by("id")
        .values_list("id", "owner_name", "desa_id", "kecamatan_id")
    )
    rng.shuffle(ikm)
    n_hist = int(len(ikm) * CERTIFIED_SHARE)
    history, rest = ikm[:n_hist], ikm[n_hist:]

    def candidates_for(rows, *, ready_share: float, coached_from: date, coached_to: date):
        out = []
        span = (coached_to - coached_from).days
        for ikm_id, owner, _desa, _kec in rows:
            for role in (Role.MANAGER, Role.MARKETER):
                ready = rng.random() < ready_share
                coached = (
                    coached_from + timedelta(days=rng.randrange(span))
                    if ready or rng.random() < 0.5
                    else None
                )
                out.append(
                    Candidate(
                        ikm_id=ikm_id,
                        scheme=schemes[role],
                        role=role,
                        name=owner if role == Role.MANAGER and owner else fake.name(),
                        coaching_finished_on=coached,
                        documents_complete=ready,
                    )
                )
        return out

    hist_cands = Candidate.objects.bulk_create(
        candidates_for(
            history, ready_share=1.0, coached_from=date(2021, 6, 1), coached_to=date(2022, 1, 1)
        ),
        batch_size=2000,
    )
    chosen = [r for r in rest if rng.random() < CANDIDATE_SHARE]
    Candidate.objects.bulk_create(
        candidates_for(
            chosen,
            ready_share=READY_SHARE,
            coached_from=date(2025, 1, 6),
            coached_to=date(2026, 10, 1),
        ),
        batch_size=2000,
    )

    # Past batches: per scheme and kecamatan, full days of PER_DAY, in trips of the
    # assessors holding the scheme, spread over 2022 – October 2026.
    area = {ikm_id: (desa, kec) for ikm_id, _o, desa, kec in ikm}
    by_class = defaultdict(list)
    for c in hist_cands:
        by_class[(c.scheme_id, area[c.ikm_id][1])].append(c)
    day_batches = []  # (scheme_id, [candidates]) one per assessment day
    # An IKM's manager and marketer are assessed around the same time: both follow the
    # IKM's place in the queue (rank); trips run through the queue from 2022 to 2026.
    rank = {ikm_id: rng.random() for ikm_id, *_ in history}
    for (scheme_id, _kec), cands in sorted(by_class.items()):
        cands.sort(key=lambda c: rank[c.ikm_id])
        for i in range(0, len(cands), PER_DAY):
            day_batches.append((scheme_id, cands[i : i + PER_DAY]))
    day_batches.sort(key=lambda db: sum(rank[c.ikm_id] for c in db[1]) / len(db[1]))
    mondays = list(_mondays(FIRST_WEEK, HISTORY_END - timedelta(days=7)))
    per_assessor = defaultdict(list)
    turn: defaultdict[int, int] = defaultdict(int)
    for scheme_id, cands in day_batches:
        holders = [a for a, holds in surabaya if scheme_id in holds]
        per_assessor[holders[turn[scheme_id] % len(holders)].pk].append((scheme_id, cands))
        turn[scheme_id] += 1
    trips, batches, enrolments, outcomes, retry = [], [], [], [], []
    cert_no = 0
    for offset, (assessor, _holds) in enumerate(surabaya):
        mine = per_assessor[assessor.pk]
        chunks = [mine[i : i + DAYS_PER_TRIP] for i in range(0, len(mine), DAYS_PER_TRIP)]
        for i, todo in enumerate(chunks):
            monday = mondays[(i * len(mondays) // max(len(chunks), 1) + offset) % len(mondays)]
            trip = Trip(
                assessor=assessor,
                start_date=monday,
                end_date=monday + timedelta(days=DAYS_PER_TRIP - 1),
                cost=6_000_000,
                status=BatchStatus.DONE,
            )
            trips.append((trip, assessor, todo))
    Trip.objects.bulk_create([t for t, _a, _b in trips], batch_size=2000)
    codes: defaultdict[date, int] = defaultdict(int)
    for trip, assessor, todo in trips:
        for j, (scheme_id, cands) in enumerate(todo):
            day = trip.start_date + timedelta(days=j)
            codes[day] += 1
            batch = Batch(
                code=f"B{day:%Y%m%d}-{codes[day]:02d}",
                scheme_id=scheme_id,
                tuk=tuk,
                trip=trip,
                start_date=day,
                end_date=day,
                capacity=PER_DAY,
                status=BatchStatus.DONE,
            )
            batches.append((batch, assessor, cands))
    Batch.objects.bulk_create([b for b, _a, _c in batches], batch_size=2000)
    Batch.assessors.through.objects.bulk_create(
        [Batch.assessors.through(batch_id=b.pk, assessor_id=a.pk) for b, a, _c in batches],
        batch_size=2000,
    )
    for batch, _a, cands in batches:
        for c in cands:
            enrolments.append(Enrollment(batch=batch, candidate=c))
            if rng.random() < 0.84:
                cert_no += 1
                issued = batch.start_date + timedelta(days=21)
                outcomes.append(
                    Outcome(
                        candidate=c,
                        batch=batch,
                        ikm_id=c.ikm_id,
                        role=c.role,
                        result=Result.COMPETENT,
                        assessed_on=batch.start_date,
                        certificate_number=f"CONTOH-{issued:%Y}-{cert_no:06d}",
                        issued_on=issued,
                        expires_on=add_years(issued, 3),
                    )
                )
            else:
                outcomes.append(
                    Outcome(
                        candidate=c,
                        batch=batch,
                        ikm_id=c.ikm_id,
                        role=c.role,
                        result=Result.NOT_YET,
                        assessed_on=batch.start_date,
                    )
                )
                retry.append((c, batch.start_date))
    # Re-assessment: about half of the belum kompeten passed on a later visit.
    for c, first in retry:
        later = first + timedelta(days=rng.randrange(120, 400))
        if later < HISTORY_END and rng.random() < 0.5:
            later -= timedelta(days=later.weekday())
            cert_no += 1
            issued = later + timedelta(days=21)
            outcomes.append(
                Outcome(
                    candidate=c,
                    ikm_id=c.ikm_id,
                    role=c.role,
                    result=Result.COMPETENT,
                    assessed_on=later,
                    certificate_number=f"CONTOH-{issued:%Y}-{cert_no:06d}",
                    issued_on=issued,
                    expires_on=add_years(issued, 3),
                    note="Asesmen ulang",
                )
            )
    Enrollment.objects.bulk_create(enrolments, batch_size=2000)
    Outcome.objects.bulk_create(outcomes, batch_size=2000)
    if stdout:
        stdout.write(
            f"    sertifikasi: {len(hist_cands) + 2 * len(chosen)} asesi, {len(batches)} batch "
            f"lampau, {len(outcomes)} hasil asesmen"
        )
