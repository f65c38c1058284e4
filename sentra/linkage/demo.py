"""Duplicates in the demo data (registered in LinkageConfig.ready), so the review page
shows both bands: a few demo IKM are rewritten as another clerk's noisy copy of
another demo IKM (likely duplicates), a few as the business of a housemate or namesake
(same address and phone or the same owner name, another person: possible duplicates or
none), then the engine scores them against the registry. The IKM count stays as
calibrated: records are rewritten, not added. Deterministic for a given rng.
"""

from __future__ import annotations

import random

from sentra.linkage import synthetic
from sentra.linkage.services import pairs_find_for
from sentra.registry.models import Ikm

COPIES = 16
HOUSEHOLDS = 12
# Scoring normalises the whole registry: at a large demo scale that is minutes.
SCORE_UP_TO_SCALE = 10
FIELDS = ["name", "owner_name", "owner_nik", "owner_sex", "owner_birth_date", "owner_phone",
          "address", "desa_id", "main_products", "nib"]  # fmt: skip


def _as_record(ikm: Ikm) -> dict:
    return {f: getattr(ikm, f) or "" for f in FIELDS}


def _write(ikm: Ikm, values: dict) -> None:
    for f, v in values.items():
        setattr(ikm, f, v if v != "" or f != "owner_birth_date" else None)
    ikm.refresh_derived()
    ikm.save()


def build(*, rng: random.Random, scale: int, stdout=None) -> None:
    pool = list(Ikm.objects.active().order_by("pk")[: 400 * scale])
    if len(pool) < 2 * (COPIES + HOUSEHOLDS):
        return
    picked = rng.sample(pool, 2 * (COPIES + HOUSEHOLDS))
    touched = []
    for k in range(COPIES):
        source, target = picked[2 * k], picked[2 * k + 1]
        record = _as_record(source)
        # A NIK typo would contradict the birth date the demo keeps: not that noise.
        noises = [n for n in synthetic.NOISES if n[0] not in ("nik_typo", "birth_missing")]
        for _name, noise in rng.sample(noises, rng.randint(2, 4)):
            noise(rng, record)
        record["owner_birth_date"] = source.owner_birth_date or ""
        if record["nib"] == source.nib:
            # One live IKM per NIB: the copy comes from a list that had no NIB.
            record["nib"] = ""
        _write(target, record)
        touched.append(target.pk)
    for k in range(COPIES, COPIES + HOUSEHOLDS):
        source, target = picked[2 * k], picked[2 * k + 1]
        # A spouse or namesake: same address and phone, a business of the same trade
        # under a name that shares a word — another owner, another NIK.
        _write(
            target,
            {
                "address": source.address,
                "desa_id": source.desa_id,
                "owner_phone": source.owner_phone,
                "main_products": source.main_products,
                "name": f"{source.name.split()[-1]} {target.name.split()[0]}",
            },
        )
        touched.append(target.pk)
    if scale > SCORE_UP_TO_SCALE:
        if stdout:
            stdout.write(
                "    (duplikat contoh tidak dinilai pada skala ini: jalankan find_duplicates)\n"
            )
        return
    found, new = pairs_find_for(ikm_ids=touched)
    if stdout:
        stdout.write(f"    {new} pasangan calon duplikat\n")
