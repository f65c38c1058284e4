from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sentra.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _("Cadangkan basis data dan berkas unggahan (aman selagi server berjalan).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=Path(settings.SENTRA_BACKUP_DIR),
            help=_("folder cadangan (bawaan: SENTRA_BACKUP_DIR)"),
        )
        parser.add_argument("--keep", type=int, help=_("simpan hanya N cadangan terbaru"))

    def handle(self, *args, dir: Path, keep: int | None, **options):
        try:
            path = backup_create(directory=dir, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
