"""Business scale: the one rule Sentra uses, documented here and on the methodology page.

Scale (``Ikm.scale``) follows **PP 7/2021 Pasal 35** on *modal usaha* excluding land and
buildings (Sentra's ``investment`` field):

    mikro     ≤ Rp 1 miliar
    kecil     > Rp 1 miliar  s.d. Rp 5 miliar
    menengah  > Rp 5 miliar  s.d. Rp 10 miliar
    besar     > Rp 10 miliar

When the investment is not known (empty), PP 7/2021 Pasal 35 ayat (5) lets annual
turnover decide: mikro ≤ Rp 2 miliar, kecil ≤ Rp 15 miliar, menengah ≤ Rp 50 miliar,
besar above. With neither, the scale is left empty ("belum diketahui").

The industry class (``industry_class``) follows **Permenperin 64/2016**, which decides
whether a firm is an IKM at all: *industri kecil* has at most 19 workers and an
investment below Rp 1 miliar excluding land and buildings; *industri menengah* has at
most 19 workers and an investment of at least Rp 1 miliar, or at least 20 workers and
an investment of at most Rp 15 miliar; anything else is *industri besar*.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

MILIAR = 1_000_000_000


class Scale(models.TextChoices):
    MIKRO = "mikro", _("Mikro")
    KECIL = "kecil", _("Kecil")
    MENENGAH = "menengah", _("Menengah")
    BESAR = "besar", _("Besar")


class IndustryClass(models.TextChoices):
    KECIL = "kecil", _("Industri kecil")
    MENENGAH = "menengah", _("Industri menengah")
    BESAR = "besar", _("Industri besar")


def business_scale(*, investment: int | None, annual_turnover: int | None) -> str:
    if investment is not None:
        bands = (
            (1 * MILIAR, Scale.MIKRO),
            (5 * MILIAR, Scale.KECIL),
            (10 * MILIAR, Scale.MENENGAH),
        )
        amount = investment
    elif annual_turnover is not None:
        bands = (
            (2 * MILIAR, Scale.MIKRO),
            (15 * MILIAR, Scale.KECIL),
            (50 * MILIAR, Scale.MENENGAH),
        )
        amount = annual_turnover
    else:
        return ""
    for ceiling, scale in bands:
        if amount <= ceiling:
            return scale
    return Scale.BESAR


def industry_class(*, workers: int, investment: int | None) -> str:
    if investment is None:
        return ""
    if workers <= 19:
        return IndustryClass.KECIL if investment < 1 * MILIAR else IndustryClass.MENENGAH
    if investment <= 15 * MILIAR:
        return IndustryClass.MENENGAH
    return IndustryClass.BESAR
