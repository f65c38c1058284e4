"""Delete uploaded import files past their retention (run daily, e.g. from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sentra.imports.services import import_files_purge


class Command(BaseCommand):
    help = "Hapus berkas impor yang sudah melewati masa simpan (berisi NIK dan nomor HP)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.SENTRA_IMPORT_RETENTION_DAYS,
            help="masa simpan dalam hari sejak pekerjaan impor selesai "
            "(bawaan: SENTRA_IMPORT_RETENTION_DAYS)",
        )

    def handle(self, *args, **opts):
        count = import_files_purge(older_than_days=opts["days"])
        self.stdout.write(f"{count} berkas impor dihapus (masa simpan {opts['days']} hari).")
