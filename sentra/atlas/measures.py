"""The atlas measures, defined once.

Each measure is an aggregate over IKM rows. The analytics table `Cell` stores them per
area × subsector × scale (`CELL_COLUMNS`, built by `summary.refresh`), and the
registry-side reads (`selectors._sums`) compute the same aggregates straight from the
IKM table: the tests hold the two against each other, so both take the definitions
from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from django.db.models import Aggregate, Count, F, Q, Sum

from sentra.coaching.selectors import coached_q
from sentra.lib.text import fold

ALL_MEASURES = (
    "n",
    "workers",
    "workers_male",
    "workers_female",
    "investment",
    "production_value",
    "coached",
    "exhibited",
    "certified",
)

# The columns of the Cell table: its grouping keys, then the measures, then the
# certification roles (counted only there: the profile shows them, the map does not).
CELL_COLUMNS = [
    "desa_id",
    "kecamatan_id",
    "subsector_id",
    "scale",
    "active",
    *ALL_MEASURES,
    "manager",
    "marketer",
]


def certified_q(*, on: date | None = None) -> Q:
    """Certified IKM, by the certification app's one definition."""
    from sentra.certification.selectors import certified_ikm_q

    return certified_ikm_q(on=on)


def exhibited_q() -> Q:
    """IKM that took part in an exhibition, by the exhibitions app's one definition."""
    from sentra.exhibitions.selectors import ikm_exhibited_ids

    return Q(pk__in=ikm_exhibited_ids())


def measures(
    names: Iterable[str], *, only: Q | None = None, prefix: str = ""
) -> dict[str, Aggregate]:
    """Aggregates by name; with `only`, each is restricted to that condition (one scan
    then yields the city and an area side by side)."""

    def cond(q: Q | None) -> Q | None:
        if only is None:
            return q
        # The cheap area test first: the subquery test is then skipped for other areas.
        return only if q is None else only & q

    exprs: dict[str, Callable[[], Aggregate]] = {
        "n": lambda: Count("id", filter=cond(None)),
        "workers": lambda: Sum("workers_total", filter=cond(None)),
        "workers_male": lambda: Sum(
            F("workers_paid_male") + F("workers_unpaid_male"), filter=cond(None)
        ),
        "workers_female": lambda: Sum(
            F("workers_paid_female") + F("workers_unpaid_female"), filter=cond(None)
        ),
        "investment": lambda: Sum("investment", filter=cond(None)),
        "production_value": lambda: Sum("production_value", filter=cond(None)),
        "coached": lambda: Count("id", filter=cond(coached_q())),
        "exhibited": lambda: Count("id", filter=cond(exhibited_q())),
        "certified": lambda: Count("id", filter=cond(certified_q())),
    }
    return {f"{prefix}{name}": exprs[name]() for name in names}


_PRODUCT_SPLIT = re.compile(r"[,;/()]| dan ")


def product_key(text: str) -> str:
    """The first named product, folded: "Pie susu, pia kacang" → "pie susu"."""
    first = _PRODUCT_SPLIT.split(fold(text), maxsplit=1)[0].strip()
    return first
