"""One small world with a record behind every URL, in Denpasar Barat and Timur, and
personal data in every field and every place that may echo them (the IKM, its audit
entries from form and import, merges, import reports, certification candidates).

The access matrix and the personal-data test both build it, so a URL that needs an
object finds one in each kecamatan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from sentra.accounts.models import Role, User
from sentra.testing.factories import (
    DENPASAR_BARAT,
    DENPASAR_TIMUR,
    DESA_BARAT,
    DESA_TIMUR,
    IkmFactory,
    UserFactory,
    valid_nik,
)

# Personal data as clerks and field surveys write them, with the forms a page could show.
BORN = {"barat": date(1985, 12, 6), "timur": date(1979, 3, 21)}
SECRETS = {
    "barat": {
        "owner_nik": valid_nik(born=BORN["barat"], serial=4242),
        "owner_phone": "081234567890",
        "owner_email": "rahasia.barat@contoh.example.id",
        "owner_birth_date": BORN["barat"],
    },
    "timur": {
        "owner_nik": valid_nik(born=BORN["timur"], female=True, serial=5151).replace(
            "517103", "517102"
        ),
        "owner_phone": "+62 857-3800-4411",
        "owner_email": "Rahasia.Timur@Contoh.Example.ID",
        "owner_birth_date": BORN["timur"],
    },
}
# The values an update replaced: the old side of the audit entries.
OLD = {
    "barat": {
        "owner_nik": valid_nik(born=BORN["barat"], serial=1717),
        "owner_phone": "0361 224 466",
        "owner_email": "lama.barat@contoh.example.id",
    },
    "timur": {
        "owner_nik": valid_nik(born=BORN["timur"], female=True, serial=2828).replace(
            "517103", "517102"
        ),
        "owner_phone": "0812-9988-7766",
        "owner_email": "lama.timur@contoh.example.id",
    },
}

MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
MONTHS_ID_LONG = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember",
]  # fmt: skip


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def phone_forms(phone: str) -> set[str]:
    """The ways a page could print a phone number: as stored, digits only, with 0 or 62,
    grouped 4-4-4 by spaces or dashes."""
    digits = _digits(phone)
    national = "0" + digits[2:] if digits.startswith("62") else digits
    forms = {phone, digits, national, "62" + national[1:], "+62" + national[1:]}
    for sep in (" ", "-", "."):
        forms.add(sep.join([national[:4], national[4:8], national[8:]]).strip(sep))
        forms.add(sep.join([national[:3], national[3:6], national[6:]]).strip(sep))
    return {f for f in forms if len(_digits(f)) >= 8}


def date_forms(day: date) -> set[str]:
    return {
        day.isoformat(),
        day.strftime("%d-%m-%Y"),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d.%m.%Y"),
        f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}",
        f"{day.day} {MONTHS_ID_LONG[day.month - 1]} {day.year}",
        f"{day.day:02d} {MONTHS_ID[day.month - 1]} {day.year}",
        day.strftime("%b. %d, %Y").replace(" 0", " "),  # English admin style
        day.strftime("%B %d, %Y").replace(" 0", " "),
        f"{day.day} {day.strftime('%b')} {day.year}",
    }


def forbidden_strings(kecamatan: str) -> set[str]:
    """Every form of this kecamatan's personal data (current and old values)."""
    out: set[str] = set()
    for values in (SECRETS[kecamatan], OLD[kecamatan]):
        out.add(values["owner_nik"])
        out |= phone_forms(values["owner_phone"])
        email = values["owner_email"]
        out |= {email, email.lower(), email.split("@")[0], email.split("@")[0].lower()}
    out |= date_forms(BORN[kecamatan])
    return out


def _import_job(actor, kec: str, desa: str):
    """A validated import of a file whose rows carry this kecamatan's personal data, one
    of them with a bad NIK (the report echoes the cell)."""
    import tempfile
    from pathlib import Path

    from sentra.imports import services as imports
    from sentra.imports.tests.samples import sentra_row, sentra_xlsx

    secret = SECRETS[kec]
    good = sentra_row(
        1, kode_desa=desa, nik_pemilik=secret["owner_nik"], kontak_hp=secret["owner_phone"],
        email=secret["owner_email"], tanggal_lahir=BORN[kec],
        jenis_kelamin="P" if kec == "timur" else "L", desa_kelurahan="", kecamatan="",
    )  # fmt: skip
    bad = sentra_row(2, kode_desa=desa, nik_pemilik=secret["owner_nik"][:-1] + "X",
                     desa_kelurahan="", kecamatan="", email=OLD[kec]["owner_email"])  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="sentra-world-"))
    path = folder / f"ikm-{kec}.xlsx"
    path.write_bytes(sentra_xlsx([good, bad]))
    job = imports.import_job_create(actor=actor, path=path, kind="lainnya")
    return imports.import_job_validate(job=job)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    objects: dict[str, dict[str, object]] = field(default_factory=dict)


def build_world() -> World:
    from sentra.certification import services as cert
    from sentra.certification.models import Batch, Enrollment, PlanDraft, Scheme, Trip
    from sentra.coaching import services as coaching
    from sentra.linkage import services as linkage
    from sentra.linkage.models import CandidatePair
    from sentra.registry import services as registry

    users = {
        "viewer": UserFactory(username="pemantau", role=Role.VIEWER),
        "analyst": UserFactory(username="analis", role=Role.ANALYST),
        "officer": UserFactory(
            username="petugas_barat", role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT]
        ),
        "officer_timur": UserFactory(
            username="petugas_timur", role=Role.OFFICER, kecamatan_codes=[DENPASAR_TIMUR]
        ),
        "coordinator": UserFactory(username="koordinator", role=Role.COORDINATOR),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    admin = users["admin"]
    world = World(users=users)
    scheme = Scheme.objects.get(code="pengelola-ikm")
    lsp = cert.lsp_create(actor=admin, name="LSP Uji", city="Surabaya", licence_number="L-1")
    assessor = cert.assessor_create(
        actor=admin, lsp=lsp, name="Budi Santoso", home_city="Surabaya", schemes=[scheme],
        candidates_per_day=5,
    )  # fmt: skip
    tuk = cert.tuk_create(actor=admin, name="TUK Denpasar", place="Jl. Uji 1", capacity=10)
    from sentra.coaching.models import Category

    category = Category.objects.get(code="kuliner")
    programme = coaching.programme_create(
        actor=admin,
        data={
            "category": category,
            "year": 2026,
            "name": "Program uji",
            "organiser": "Disperindag",
            "budget": 10_000_000,
        },
    )
    activity = coaching.activity_create(
        actor=admin,
        data={"programme": programme, "kind": "pelatihan", "title": "Pelatihan uji",
              "date": date(2026, 3, 2), "place": "Aula", "facilitator": "BPOM"},
    )  # fmt: skip
    start = timezone.localdate() + timedelta(days=30)
    for kec, desa, code in (("barat", DESA_BARAT, DENPASAR_BARAT), ("timur", DESA_TIMUR, DENPASAR_TIMUR)):  # fmt: skip
        old = OLD[kec]
        # Created by form with the old values, then corrected: audit create + update.
        sex = "P" if kec == "timur" else "L"
        ikm = IkmFactory.build(desa_id=desa, **old, owner_birth_date=BORN[kec], owner_sex=sex)
        data = {
            f.name: getattr(ikm, f.attname)
            for f in ikm._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in ("kecamatan", "created_by")
        }
        data["desa_id"] = data.pop("desa", desa)
        data.pop("kbli", None)
        data.pop("subsector", None)
        data["kbli_id"] = "10710"
        ikm = registry.ikm_create(actor=admin, data=data)
        ikm = registry.ikm_update(actor=admin, ikm=ikm, data=SECRETS[kec])
        twin = IkmFactory(desa_id=desa, name=ikm.name, owner_name=ikm.owner_name)
        other = IkmFactory(desa_id=desa, name=ikm.name + " Jaya", owner_name=ikm.owner_name)
        pair = CandidatePair.objects.create(ikm_a=ikm, ikm_b=twin, score=0.9)
        merged_pair = CandidatePair.objects.create(ikm_a=ikm, ikm_b=other, score=0.8)
        # Merging takes the kept record's personal data over: the merge keeps them.
        merge = linkage.pair_merge(
            actor=admin,
            pair=merged_pair,
            keep_id=other.pk,
            choices={
                name: "merged"
                for name in (
                    "owner_nik",
                    "owner_phone",
                    "owner_email",
                    "owner_birth_date",
                    "owner_sex",
                )
            },
        )
        job = _import_job(users["officer" if kec == "barat" else "officer_timur"], kec, desa)
        coaching.activity_add_participants(actor=admin, activity=activity, ikm_ids=[ikm.pk])
        candidate = cert.candidate_create(
            actor=admin, ikm=ikm, scheme=scheme, name=ikm.owner_name, role=scheme.role,
            coaching_finished_on=date(2026, 1, 5), documents_complete=True,
        )  # fmt: skip
        # A daftar hadir of the activity matched to this IKM, uploaded by this
        # kecamatan's officer: the typed phone is this kecamatan's secret.
        from sentra.coaching.models import AttendanceRun

        typed = {"owner_name": ikm.owner_name, "name": ikm.name, "address": "",
                 "owner_phone": SECRETS[kec]["owner_phone"], "_desa": ""}  # fmt: skip
        attendance_run = AttendanceRun.objects.create(
            activity=activity, file_name=f"hadir-{kec}.xlsx", status="done", total=1, done=1,
            percent=100, rows=[{"row": 5, "typed": typed}],
            result=[{"ikm_id": ikm.pk, "probability": 0.97, "evidence": {}}],
            created_by=users["officer" if kec == "barat" else "officer_timur"],
        )  # fmt: skip
        world.objects[kec] = {
            "attendance_run": attendance_run,
            "ikm": ikm,
            "pair": pair,
            "merge": merge,
            "job": job,
            "kecamatan": code,
            "candidate": candidate,
        }
    trip = Trip.objects.create(
        assessor=assessor, start_date=start, end_date=start + timedelta(days=1)
    )
    batch = Batch.objects.create(
        code="B-UJI-1", scheme=scheme, tuk=tuk, trip=trip, start_date=start,
        end_date=start + timedelta(days=1), capacity=10,
    )  # fmt: skip
    batch.assessors.add(assessor)
    for kec in ("barat", "timur"):
        Enrollment.objects.create(batch=batch, candidate=world.objects[kec]["candidate"])
    later = start + timedelta(days=14)
    plan = {
        "status": "optimal", "total_candidates": 0, "scheduled": 0, "cost": 1_000_000,
        "trips_bound": 1, "trips_lower_bound": 1, "finish": later.isoformat(), "seconds": 0.1,
        "time_limit": 4, "messages": [],
        "trips": [{
            "assessor_id": assessor.pk, "tuk_id": tuk.pk, "start": later.isoformat(),
            "end": later.isoformat(), "cost": 1_000_000,
            "batches": [{"scheme_id": scheme.pk, "group": DENPASAR_BARAT,
                         "start": later.isoformat(), "end": later.isoformat(),
                         "capacity": 10, "candidate_ids": []}],
        }],
    }  # fmt: skip
    draft = PlanDraft.objects.create(created_by=admin, params={}, plan=plan, whatifs=[])
    shared = {"activity": activity, "programme": programme, "category": category,
              "batch": batch, "trip": trip, "draft": draft}  # fmt: skip
    for kec in ("barat", "timur"):
        world.objects[kec].update(shared)
    _exhibitions_and_tokens(world)
    return world


def _exhibitions_and_tokens(world: World) -> None:
    """Per kecamatan: an application of its IKM to one exhibition, with a certificate
    code and an outcome link; a student with a proposed link to that IKM; an API token."""
    from sentra.api.services import api_token_create
    from sentra.exhibitions.models import BackgroundRun, StudentIkmLink, StudentRole
    from sentra.testing.factories import (
        ApplicationFactory,
        BoothTypeFactory,
        OutcomePhotoFactory,
        StudentFactory,
    )

    booth = BoothTypeFactory()
    admin = world.users["admin"]
    token, _raw = api_token_create(actor=admin, name="uji", scopes=["read"], days=30)
    run = BackgroundRun.objects.create(
        kind="seleksi", exhibition=booth.exhibition, status="selesai", created_by=admin
    )
    for kec in ("barat", "timur"):
        objects = world.objects[kec]
        application = ApplicationFactory(
            booth_type=booth, ikm=objects["ikm"], certificate_code=f"UJI{kec[:1].upper()}2345"
        )
        student = StudentFactory()
        role = StudentRole.objects.create(
            student=student, exhibition=booth.exhibition, role="stan", hours=8
        )
        link = StudentIkmLink.objects.create(student=student, ikm=objects["ikm"], probability=0.95)
        photo = OutcomePhotoFactory(outcome__application=application)
        objects.update(
            exhibition=booth.exhibition, application=application, student=student,
            student_role=role, student_link=link, api_token=token, photo=photo, run=run,
        )  # fmt: skip
