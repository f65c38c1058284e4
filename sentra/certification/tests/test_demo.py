import random

import pytest

from sentra.certification import demo
from sentra.certification.models import Batch, Candidate, Outcome, Result
from sentra.certification.selectors import certification_progress, plannable_candidates_q
from sentra.testing.factories import DESA_BARAT, DESA_SELATAN, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(
            Outcome.objects.order_by("certificate_number", "assessed_on").values_list(
                "result", "assessed_on", "expires_on"
            )
        ),
        Candidate.objects.count(),
    )


def test_demo_history_is_realistic_and_deterministic():
    for i in range(300):
        IkmFactory(desa_id=[DESA_BARAT, DESA_TIMUR, DESA_SELATAN][i % 3], owner_nik="")
    demo.build(rng=random.Random(3), scale=1)
    results = set(Outcome.objects.values_list("result", flat=True))
    assert results == {Result.COMPETENT, Result.NOT_YET}
    assert Batch.objects.filter(start_date__year__lt=2023).exists()
    assert certification_progress()["certified"] > 0
    assert Candidate.objects.filter(plannable_candidates_q(on=demo.HISTORY_END)).exists()
    first = _snapshot()
    for model in (Outcome, Batch, Candidate):
        model.objects.all().delete()
    from sentra.certification.models import Assessor, Lsp, Trip, Tuk

    Trip.objects.all().delete()
    Assessor.objects.all().delete()
    Tuk.objects.all().delete()
    from sentra.certification.models import Scheme

    Scheme.objects.update(lsp=None)
    Lsp.objects.all().delete()
    demo.build(rng=random.Random(3), scale=1)
    assert _snapshot() == first
