"""factory_boy factories shared by every app's tests (Faker id_ID)."""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from sentra.accounts.models import Role, User
from sentra.registry.models import Ikm

DENPASAR_BARAT = "51.71.03"
DENPASAR_TIMUR = "51.71.02"
DENPASAR_SELATAN = "51.71.01"
DENPASAR_UTARA = "51.71.04"
# One desa/kelurahan of each kecamatan (real Kemendagri codes).
DESA_BARAT = "51.71.03.1005"  # Dauh Puri
DESA_TIMUR = "51.71.02.1010"  # Dangin Puri
DESA_SELATAN = "51.71.01.1001"  # Serangan


def valid_nik(*, born: date = date(1985, 4, 12), female: bool = False, serial: int = 1) -> str:
    day = born.day + (40 if female else 0)
    return f"517103{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@dinas.example.id")
    role = Role.VIEWER
    password = factory.PostGenerationMethodCall("set_password", "sandi-uji-123")

    @factory.post_generation
    def kecamatan_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.kecamatan.set(extracted)
        if create:
            self.save()


class IkmFactory(DjangoModelFactory):
    class Meta:
        model = Ikm

    name = factory.Faker("company", locale="id_ID")
    owner_name = factory.Faker("name", locale="id_ID")
    owner_sex = "L"
    owner_nik = factory.Sequence(lambda n: valid_nik(serial=n % 9999 + 1))
    owner_birth_date = date(1985, 4, 12)
    owner_phone = factory.Sequence(lambda n: f"0812{n:08d}")
    owner_email = factory.Sequence(lambda n: f"pemilik.{n}@contoh.example.id")
    main_products = factory.Iterator(["pie susu", "kain endek", "patung kayu", "kopi bubuk"])
    desa_id = DESA_BARAT
    kbli_id = "10710"
    workers_paid_male = factory.LazyFunction(lambda: random.randint(0, 5))
    workers_paid_female = factory.LazyFunction(lambda: random.randint(0, 5))
    workers_unpaid_female = 1
    investment = factory.LazyFunction(lambda: random.randint(5, 500) * 1_000_000)
    started_year = factory.LazyFunction(lambda: random.randint(1990, 2024))
    first_recorded_on = date(2024, 1, 15)


def certify(ikm: Ikm, role: str, *, expires: date, assessed_on: date | None = None):
    """A competent outcome of the seeded scheme for `role`, valid until `expires`."""
    from datetime import timedelta

    from sentra.certification.models import Candidate, Outcome, Scheme

    scheme = Scheme.objects.get(role=role)
    candidate = Candidate.objects.create(ikm=ikm, scheme=scheme, name="A", role=role)
    return Outcome.objects.create(
        candidate=candidate,
        ikm=ikm,
        role=role,
        result="kompeten",
        assessed_on=assessed_on or expires - timedelta(days=400),
        expires_on=expires,
    )


# --- exhibitions ------------------------------------------------------------------------


class ExhibitionFactory(DjangoModelFactory):
    """An exhibition whose sign-up is open today and which starts in a month."""

    class Meta:
        model = "exhibitions.Exhibition"

    name = factory.Sequence(lambda n: f"Pameran IKM Kreatif {n}")
    organiser = "kota"
    organiser_name = "Dinas Perdagangan dan Perindustrian Kota Denpasar"
    venue = "Taman Budaya Art Centre, Denpasar"
    theme = "Kriya dan kuliner Bali"
    applications_open = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    applications_close = factory.LazyFunction(lambda: date.today() + timedelta(days=10))
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=33))
    other_costs = 5_000_000


class BoothTypeFactory(DjangoModelFactory):
    class Meta:
        model = "exhibitions.BoothType"

    exhibition = factory.SubFactory(ExhibitionFactory)
    code = "A"
    name = "Stan standar 3×3"
    count = 3
    size_m2 = Decimal("9.00")
    power_watt = 900
    water = False
    fee = 2_500_000
    subsidy = 2_000_000


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = "exhibitions.Application"

    booth_type = factory.SubFactory(BoothTypeFactory)
    exhibition = factory.SelfAttribute("booth_type.exhibition")
    ikm = factory.SubFactory(IkmFactory)
    channel = "petugas"
    products = factory.Iterator(["pie susu", "kain endek", "patung kayu", "kopi bubuk"])
    contact_name = factory.Faker("name", locale="id_ID")
    contact_phone = factory.Sequence(lambda n: f"0813{n:08d}")
    contact_email = factory.Sequence(lambda n: f"kontak{n}@contoh.id")


def photo_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A small real image (Pillow), the way a phone's photo arrives, only smaller."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = "exhibitions.Outcome"

    application = factory.SubFactory(ApplicationFactory, status="terpilih", attended=True)
    sales = factory.Iterator([1_500_000, 4_250_000, 0])
    buyer_contacts = factory.Iterator([3, 12, 0])
    orders_after = factory.Iterator([0, 2_000_000, 500_000])
    branding = "foto produk, video pendek"
    rating = 4
    notes = "ramai pada hari kedua"


class OutcomePhotoFactory(DjangoModelFactory):
    class Meta:
        model = "exhibitions.OutcomePhoto"

    outcome = factory.SubFactory(OutcomeFactory)
    image = factory.LazyFunction(lambda: ContentFile(photo_bytes(), name="IMG_20250712_101500.png"))
    caption = "stan pada hari pertama"


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = "exhibitions.Institution"

    name = factory.Sequence(lambda n: f"SMK Negeri {n} Denpasar")
    kind = "smk"
    city = "Denpasar"


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = "exhibitions.Student"

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Faker("name", locale="id_ID")
    programme = "Desain Komunikasi Visual"
    entry_year = 2019
    birth_date = date(2002, 6, 1)
    nik = ""
    phone = factory.Sequence(lambda n: f"0857{n:08d}")
    email = factory.Sequence(lambda n: f"siswa{n}@contoh.id")
    consent_at = factory.LazyFunction(lambda: datetime(2020, 1, 6, 9, 0, tzinfo=UTC))
