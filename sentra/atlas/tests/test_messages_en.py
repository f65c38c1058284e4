"""The atlas speaks English when the user chose English: the profile's rows (page,
PDF, Excel), the map's indicator names and the coaching ranking's reasons."""

from datetime import date

import pytest
from django.utils import translation

from sentra.atlas.selectors import INDICATORS, area_profile
from sentra.coaching.selectors import candidate_subsectors
from sentra.registry.models import Ikm
from sentra.sectors.messages import KBLI_NOT_FOUND
from sentra.testing.factories import DENPASAR_BARAT, DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db


def test_profile_rows_indicators_and_reasons_in_english():
    IkmFactory.create_batch(3, desa_id=DESA_BARAT, subsector_id="B16-08", started_year=2019)
    with translation.override("en"):
        profile = area_profile(code=DENPASAR_BARAT)
        rows = profile.rows()
        sections = {section for section, *_ in rows}
        labels = {label for _, label, *_ in rows}
        assert {"Current state", "Potential"} <= sections, sections
        assert "Active IKM" in labels and "Workers" in labels
        assert any(label.startswith("Stock at the end of ") for label in labels), labels
        assert [r.short for r in profile.condition_rows() if r.short][0] == "male"
        assert str(INDICATORS["n"]) == "Active IKM (count)"
        reasons = [r for c in candidate_subsectors(today=date(2025, 6, 30)) for r in c.reasons]
        assert "no active IKM recorded yet" in reasons
        assert str(KBLI_NOT_FOUND % {"value": "99999"}).startswith("KBLI code 99999 ")
    # And Indonesian is still the default.
    assert area_profile(code=DENPASAR_BARAT).rows()[0][:2] == ("Kondisi", "IKM aktif")
    assert Ikm.objects.count() == 3
