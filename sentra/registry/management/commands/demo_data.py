import random
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from sentra.accounts.models import Role, User
from sentra.lib import demo
from sentra.lib.seeds import reseed
from sentra.registry.demo import build_ikm
from sentra.registry.models import Ikm, SourceKind

DEMO_PASSWORD = "sentra-demo"
DEMO_USERS = [
    # username, role, kecamatan codes, description
    ("admin", Role.ADMIN, [], "admin (semua akses)"),
    ("analis", Role.ANALYST, [], "analis (baca semua, termasuk data pribadi)"),
    ("petugas_barat", Role.OFFICER, ["51.71.03"], "petugas Denpasar Barat"),
    ("petugas_timur", Role.OFFICER, ["51.71.02"], "petugas Denpasar Timur"),
    (
        "koordinator",
        Role.COORDINATOR,
        [],
        "koordinator sertifikasi (rencana sekota, batal perjalanan)",
    ),
    ("pemantau", Role.VIEWER, [], "pemantau (tanpa data pribadi)"),
]


# Apps whose rows hang off the IKM; reference data (areas, sectors) and accounts stay.
BUSINESS_APPS = ["audit", "registry", "imports", "linkage", "coaching", "certification", "atlas"]


def _wipe_demo() -> None:
    """Remove the previous demo data and everything attached to it, in one statement set.

    Refused when any IKM is not demo data: --replace must never delete real records.
    """
    real = Ikm.objects.exclude(sources__kind=SourceKind.DEMO)
    if real.exists():
        raise CommandError("Ada IKM yang bukan data contoh; --replace dibatalkan.")
    models = [
        m
        for app in BUSINESS_APPS
        if app in {c.label for c in apps.get_app_configs()}
        for m in apps.get_app_config(app).get_models()
    ]
    tables = [m._meta.db_table for m in models]
    if connection.vendor == "postgresql":
        # TRUNCATE refuses to run while deferred foreign-key checks of rows written
        # earlier in this transaction are pending: run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql)
    # The flush also emptied configuration that data migrations seed.
    reseed()


class Command(BaseCommand):
    help = "Bangun data contoh sintetis Kota Denpasar (deterministik) dan akun demo."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="kalikan jumlah IKM (benchmark)")
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--replace", action="store_true", help="hapus data contoh lama dulu")
        parser.add_argument("--if-empty", action="store_true", help="lewati jika sudah ada IKM")
        parser.add_argument("--no-users", action="store_true")

    def handle(self, *args, scale, seed, replace, if_empty, no_users, **options):
        if scale < 1:
            raise CommandError("--scale minimal 1.")
        exists = Ikm.objects.exists()
        if exists and if_empty:
            self.stdout.write("Sudah ada data IKM; data contoh tidak dibuat ulang.")
            self._users(no_users)
            return
        if exists and not replace:
            raise CommandError("Sudah ada data IKM. Pakai --replace untuk mengganti data contoh.")
        started = time.monotonic()
        with transaction.atomic():
            if replace:
                _wipe_demo()
            rng = random.Random(seed)
            self.stdout.write(f"Membuat data contoh (skala {scale})…")
            build_ikm(rng=rng, scale=scale, stdout=self.stdout)
            for name, build in demo.hooks():
                self.stdout.write(f"  {name}…")
                build(rng=random.Random(f"{seed}-{name}"), scale=scale, stdout=self.stdout)
        # Fresh planner statistics: without them both databases pick poor plans for
        # the list (PostgreSQL assumed one matching row at 400k and scanned 40k).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for _name, after in demo.after_hooks():
            after(stdout=self.stdout)
        self.stdout.write(f"Selesai dalam {time.monotonic() - started:.0f} detik.")
        self._users(no_users)

    def _users(self, no_users: bool) -> None:
        if no_users:
            return
        if not settings.SENTRA_DEMO_MODE:
            # One shared, published password must never reach a real installation.
            self.stdout.write(
                "Akun demo tidak dibuat: hanya dalam mode demo (SENTRA_DEMO=1 atau DEBUG=1)."
            )
            return
        self.stdout.write(f"\nAkun demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
        for username, role, kecamatan, description in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"role": role})
            user.role = role
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.kecamatan.set(kecamatan)  # type: ignore[arg-type]  # keys work as well
            self.stdout.write(f"  {username:14} {description}")
