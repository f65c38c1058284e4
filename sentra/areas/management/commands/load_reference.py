from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from sentra.areas.models import Area
from sentra.areas.reference import load_areas
from sentra.lib.reference import REFERENCE_DIR
from sentra.sectors.models import Kbli, Subsector
from sentra.sectors.reference import load_kbli, load_subsectors


class Command(BaseCommand):
    help = "Muat atau perbarui data rujukan (wilayah, KBLI, subsektor ekraf) dari berkas."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=REFERENCE_DIR)

    @transaction.atomic
    def handle(self, *args, dir: Path, **options):
        self.stdout.write(f"wilayah: {load_areas(Area, dir)}")
        self.stdout.write(f"KBLI: {load_kbli(Kbli, dir)}")
        self.stdout.write(f"subsektor: {load_subsectors(Subsector, dir)}")
