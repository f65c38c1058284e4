import time

from django.core.management.base import BaseCommand

from sentra.linkage.services import find_duplicates


class Command(BaseCommand):
    help = "Cari calon duplikat di seluruh registri IKM dan masukkan ke antrean tinjauan."

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold", type=float, default=0.5, help="Peluang minimum (0–1), bawaan 0,5."
        )

    def handle(self, *args, threshold: float, **options):
        start = time.perf_counter()

        def progress(stage: str, pct: int) -> None:
            self.stdout.write(f"  {pct:3d}% {stage}")

        run = find_duplicates(threshold=threshold, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.records} IKM diperiksa, {run.found} pasangan calon duplikat "
                f"({run.new} baru) dalam {time.perf_counter() - start:.1f} detik."
            )
        )
