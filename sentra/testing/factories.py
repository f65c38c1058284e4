"""factory_boy factories shared by every app's tests (Faker id_ID)."""

import random
from datetime import date

import factory
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
