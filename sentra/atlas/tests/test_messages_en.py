"""The atlas speaks English when the user chose English: the profile's rows (page,
PDF, Excel), the map's indicator names and the coaching ranking's reasons."""

from datetime import date

import pytest
from django.utils import translation

from sentra.atlas.selectors import INDICATORS, area_profile, profile_sections
from sentra.coaching.selectors import candidate_subsectors
from sentra.registry.models import Ikm
from sentra.sectors.messages import KBLI_NOT_FOUND
from sentra.testing.factories import DENPASAR_BARAT, DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db


def test_profile_rows_indicators_and_reasons_in_english():
    IkmFactory.create_batch(3, desa_id=DESA_BARAT, subsector_id="B16-08", started_year=2019)
    with translation.override("en"):
        profile = area_profile(code=DENPASAR_BARAT)
        sections = profile_sections(profile)
        parts = {str(s.part) for s in sections}
        labels = {row[0].value for s in sections for row in s.rows}
        assert parts == {"Current state", "Potential"}, parts
        assert "Active IKM" in labels and "Workers" in labels
        assert "Detected IKM clusters (sentra)" in {s.heading for s in sections}
        assert [r.short for r in profile.condition_rows() if r.short][0] == "male"
        assert str(INDICATORS["n"]) == "Active IKM (count)"
        reasons = [r for c in candidate_subsectors(today=date(2025, 6, 30)) for r in c.reasons]
        assert "no active IKM recorded yet" in reasons
        assert str(KBLI_NOT_FOUND % {"value": "99999"}).startswith("KBLI code 99999 ")
    # And Indonesian is still the default.
    condition = profile_sections(area_profile(code=DENPASAR_BARAT))[0]
    assert (condition.heading, condition.rows[0][0].value) == ("Kondisi", "IKM aktif")
    assert Ikm.objects.count() == 3
