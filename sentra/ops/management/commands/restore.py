from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sentra.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = _(
        "Pulihkan basis data dan berkas unggahan dari satu cadangan "
        "(hentikan server dan db_worker dulu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("folder cadangan sentra-…"))
        parser.add_argument(
            "--yes", action="store_true", help=_("tanpa konfirmasi: data sekarang diganti")
        )

    def handle(self, *args, path: Path, yes: bool, **options):
        if not yes:
            answer = input(
                _("Semua data sekarang diganti dengan cadangan %(path)s. Lanjut? [y/N] ")
                % {"path": path}
            )
            if answer.strip().lower() not in ("y", "ya", "yes"):
                raise CommandError(_("Dibatalkan; tidak ada yang diubah."))
        try:
            manifest = backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Dipulihkan dari cadangan %(created)s.") % {"created": manifest["created"]}
        )
