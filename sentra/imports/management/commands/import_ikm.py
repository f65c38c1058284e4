"""Import a spreadsheet from the command line: the same two phases as the web page.

manage.py import_ikm data/sidt.csv                  # check only, print the report
manage.py import_ikm data/sidt.csv --commit --kind sidt
manage.py import_ikm survei.xlsx --commit --kind survei --as-of 2025-06-30 --user admin
manage.py import_ikm daftar.xlsx --profile "Daftar kecamatan"   # a saved column mapping

The mapping used is printed: the layout's (SIDT, Sentra), a saved profile's, or the one
guessed from the header words.
"""

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sentra.imports import services, tasks
from sentra.imports.layouts import LAYOUT_LABELS
from sentra.imports.models import ImportIssue, JobStatus, MappingProfile, Severity
from sentra.imports.readers.base import EXTENSIONS
from sentra.imports.targets import TARGETS
from sentra.registry.models import SourceKind


class Command(BaseCommand):
    help = "Periksa (dan dengan --commit simpan) berkas IKM .xlsx/.xls/.ods/.csv."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="simpan baris yang sah")
        parser.add_argument(
            "--kind",
            default="",
            choices=[v for v, _ in SourceKind.choices if v not in ("manual", "demo")],
            help="sumber data (bawaan: survei; berkas berformat SIDT selalu sidt)",
        )
        parser.add_argument(
            "--as-of", type=date.fromisoformat, help="data per tanggal (YYYY-MM-DD)"
        )
        parser.add_argument("--sheet", default="", help="nama lembar (bawaan: lembar pertama)")
        parser.add_argument("--user", default="", help="dicatat sebagai pelaku di jejak audit")
        parser.add_argument("--show", type=int, default=50, help="jumlah kesalahan yang dicetak")
        parser.add_argument("--profile", default="", help="nama profil pemetaan tersimpan")

    def handle(self, *args, **opts):
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(_("Berkas tidak ditemukan: %(path)s") % {"path": path})
        if path.suffix.lower() not in EXTENSIONS:
            raise CommandError(
                _("Jenis berkas tidak didukung. Gunakan .xlsx, .xls, .ods, atau .csv.")
            )
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(_("Pengguna %(user)s tidak ada.") % {"user": opts["user"]})
        job = services.import_job_create(
            actor=actor,
            path=path,
            kind=opts["kind"] or SourceKind.SURVEY,
            data_as_of=opts["as_of"],
            sheet_name=opts["sheet"],
        )
        if opts["profile"] and job.status == JobStatus.UPLOADED:
            profile = MappingProfile.objects.filter(name=opts["profile"]).first()
            if profile is None:
                names = ", ".join(MappingProfile.objects.values_list("name", flat=True))
                raise CommandError(
                    _("Profil %(profile)s tidak ada. Profil: %(names)s")
                    % {"profile": opts["profile"], "names": names or "-"}
                )
            job = services.import_job_use_profile(job=job, profile=profile)
        if job.status == JobStatus.UPLOADED:
            job = services.import_job_validate(job=job)
        out = self.stdout
        out.write(
            _("Impor #%(id)s: %(name)s — %(status)s")
            % {"id": job.pk, "name": job.original_name, "status": job.get_status_display()}
        )
        if job.mapping:
            out.write(
                "  "
                + _("Pemetaan: %(layout)s") % {"layout": LAYOUT_LABELS.get(job.layout, job.layout)}
            )
            for header, target in job.mapping.items():
                if target in TARGETS:
                    out.write(f"    {header} → {TARGETS[target].label}")
        for note in job.notes:
            out.write(f"  {note}")
        if job.status == JobStatus.NEEDS_MAPPING:
            raise CommandError(
                (job.error or _("Tata letak berkas tidak dikenal."))
                + " "
                + _(
                    "Petakan kolomnya sekali di halaman Impor (simpan sebagai profil), "
                    "lalu jalankan perintah ini lagi."
                )
            )
        if job.status == JobStatus.REJECTED:
            raise CommandError(job.error)
        out.write(
            "  "
            + _(
                "%(total)s baris dibaca: %(invalid)s ditolak, %(warning)s diterima dengan "
                "peringatan, %(clean)s bersih; %(created)s baru, %(updated)s memperbarui, "
                "%(unchanged)s tidak berubah."
            )
            % {
                "total": job.total,
                "invalid": job.rows_invalid,
                "warning": job.rows_warning,
                "clean": job.rows_valid - job.rows_warning,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
            }
        )
        for issue in ImportIssue.objects.filter(job=job).order_by("row", "id")[: opts["show"]]:
            column = f" [{issue.column}]" if issue.column else ""
            level = _("ditolak") if issue.severity == Severity.ERROR else _("peringatan")
            out.write(
                "  "
                + _("baris %(row)s%(column)s (%(level)s): %(message)s")
                % {"row": issue.row, "column": column, "level": level, "message": issue.message}
            )
        if not opts["commit"]:
            out.write(
                _("Belum disimpan (jalankan dengan --commit untuk menyimpan baris yang sah).")
            )
            return
        job = tasks.commit_then_queue_duplicates(job=job, actor=actor)
        if job.status != JobStatus.COMMITTED:
            raise CommandError(job.error)
        out.write(
            self.style.SUCCESS(
                _(
                    "Tersimpan: %(created)s IKM baru, %(updated)s diperbarui, "
                    "%(unchanged)s tidak berubah."
                )
                % {
                    "created": job.created_count,
                    "updated": job.updated_count,
                    "unchanged": job.unchanged_count,
                }
            )
        )
