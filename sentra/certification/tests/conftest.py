from datetime import date, timedelta

import pytest
from django.utils import timezone

from sentra.certification import services
from sentra.certification.models import Role, Scheme
from sentra.testing.factories import IkmFactory


def next_monday(weeks: int = 1) -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 * weeks - today.weekday())


@pytest.fixture
def schemes(db):
    return {
        "manager": Scheme.objects.get(code="pengelola-ikm"),
        "marketer": Scheme.objects.get(code="pemasaran-ikm"),
    }


@pytest.fixture
def setup(db, schemes, admin_user):
    lsp = services.lsp_create(
        actor=admin_user, name="LSP Uji", city="Surabaya", licence_number="BNSP-LSP-001"
    )
    assessor = services.assessor_create(
        actor=admin_user,
        lsp=lsp,
        name="Budi Santoso",
        home_city="Surabaya",
        schemes=[schemes["manager"]],
        candidates_per_day=5,
    )
    start = next_monday()
    services.assessor_windows_add(
        actor=admin_user, assessor=assessor, windows=[(start, start + timedelta(days=60))]
    )
    tuk = services.tuk_create(actor=admin_user, name="TUK Denpasar", place="Jl. Uji 1", capacity=10)
    return {"lsp": lsp, "assessor": assessor, "tuk": tuk, "start": start, **schemes}


def make_candidates(actor, scheme, n: int, *, ready: bool = True, desa_id=None):
    out = []
    for _ in range(n):
        ikm = IkmFactory(**({"desa_id": desa_id} if desa_id else {}))
        out.append(
            services.candidate_create(
                actor=actor,
                ikm=ikm,
                scheme=scheme,
                name=ikm.owner_name,
                role=scheme.role,
                coaching_finished_on=date(2026, 1, 5) if ready else None,
                documents_complete=ready,
            )
        )
    return out


__all__ = ["Role", "make_candidates", "next_monday"]
