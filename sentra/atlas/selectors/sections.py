"""The sections of an area profile: every table of the page, the PDF and the Excel
sheet comes from `profile_sections`, in the active language (the profile itself is
cached for every language, so its labels are made here, when it is shown)."""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sentra.atlas.growth import TARGET_HIGH, TARGET_LOW
from sentra.atlas.selectors.profile import AreaProfile, ProfileRow
from sentra.atlas.selectors.report import Cell, Column, Kind, Section, bar_width
from sentra.lib import formats
from sentra.registry.scale import Scale

SENTRA_PAGE_LIMIT = 30
LQ_HIGH = 1.2  # marked ▲ on the page: clearly more concentrated than the city
LQ_BAR_MAX = 3  # a bar's full width

# ProfileRow.kind → (this area, the city's average) as cells write them.
_CONDITION_KINDS: dict[str, tuple[Kind, Kind]] = {
    "count": ("count", "decimal"),
    "money": ("money", "money"),
    "per_ikm": ("decimal", "decimal"),
    "rupiah": ("rupiah", "rupiah"),
}


def profile_sections(p: AreaProfile) -> list[Section]:
    """Kondisi (indicators, scale, products, KBLI, desa) then Potensi (sentra, LQ,
    coaching and certification, growth), each with its header and typed rows."""
    kondisi, potensi = _("Kondisi"), _("Potensi")
    out = [
        _condition(p, kondisi),
        _scale(p, kondisi),
        _products(p, kondisi),
        _kbli(p, kondisi),
    ]
    if p.children:
        out.append(_children(p, kondisi))
    out += [_sentra(p, potensi), _lq(p, potensi), _coaching(p, potensi), _growth(p, potensi)]
    return out


def _list_url(query: str) -> str:
    return f"{_list_path()}?{query}"


@functools.cache
def _list_path() -> str:
    # A profile links hundreds of rows to the list; the path never changes while running.
    return reverse("registry:ikm_list")


def _condition_row(p: AreaProfile, r: ProfileRow) -> list[Cell]:
    here, avg = _CONDITION_KINDS[r.kind]
    href = ""
    if r.link:
        href = _list_url(p.area_query + ("" if r.link == "-" else r.link))
    cells = [
        Cell(str(r.label), label=r.short or None, indent=bool(r.short)),
        Cell(r.value, here, href=href, testid=r.testid),
    ]
    if r.kind in ("per_ikm", "rupiah"):
        # Per IKM the city's average and its total are the same figure.
        return [*cells, Cell(r.city_avg, avg, colspan=2)]
    return [*cells, Cell(r.city_avg, avg), Cell(r.city, here)]


def _condition(p: AreaProfile, part: str) -> Section:
    average = (
        _("Rata-rata per kecamatan")
        if p.level == "kecamatan"
        else _("Rata-rata per desa/kelurahan")
    )
    return Section(
        key="condition",
        part=part,
        title="",
        columns=[
            Column(_("Indikator")),
            Column(p.area.name, numeric=True),
            Column(average, numeric=True),
            Column(_("Kota"), numeric=True),
        ],
        rows=[_condition_row(p, r) for r in p.condition_rows()],
        testid="condition",
    )


def _scale_label(code: str) -> str:
    return capfirst(str(Scale(code).label)) if code else capfirst(_("belum diketahui"))


def _scale(p: AreaProfile, part: str) -> Section:
    total = p.totals["n"]
    rows = [
        [
            Cell(_scale_label(code)),
            Cell(n, "count", href=_list_url(f"{p.area_query}&scale={code}")),
            Cell(100 * n / total if total else None, "percent", bar=bar_width(n, total)),
            Cell(city, "decimal"),
        ]
        for code, _label, n, city in p.by_scale
    ]
    return Section(
        key="scale",
        part=part,
        title=_("IKM aktif menurut skala usaha (PP 7/2021)"),
        columns=[
            Column(_("Skala")),
            Column(p.area.name, numeric=True),
            Column(_("Porsi")),
            Column(_("Rata-rata kota per wilayah"), numeric=True),
        ],
        rows=rows,
        testid="scale",
    )


def _products(p: AreaProfile, part: str) -> Section:
    return Section(
        key="products",
        part=part,
        title=_("Produk utama terbanyak"),
        columns=[Column(_("Produk")), Column(_("IKM"), numeric=True)],
        rows=[
            [
                Cell(name, href=_list_url(f"{p.area_query}&q={quote(name)}")),
                Cell(n, "count"),
            ]
            for name, n in p.top_products
        ],
        layout="half-start",
        testid="products",
    )


def _kbli(p: AreaProfile, part: str) -> Section:
    return Section(
        key="kbli",
        part=part,
        title=_("Golongan KBLI terbanyak"),
        columns=[Column(_("Golongan KBLI")), Column(_("IKM"), numeric=True)],
        rows=[[Cell(f"{code} {title}".strip()), Cell(n, "count")] for code, title, n in p.top_kbli],
        layout="half-end",
        testid="kbli",
    )


def _children(p: AreaProfile, part: str) -> Section:
    return Section(
        key="children",
        part=part,
        title=_("Desa/kelurahan"),
        columns=[
            Column(_("Desa/kelurahan")),
            Column(_("IKM aktif"), numeric=True),
            Column(_("Tenaga kerja"), numeric=True),
        ],
        rows=[
            [
                Cell(c["name"], href=reverse("atlas:profile", args=[c["code"]])),
                Cell(
                    c["n"],
                    "count",
                    href=_list_url(f"kecamatan={p.area.code}&desa={c['code']}"),
                ),
                Cell(c["workers"], "count"),
            ]
            for c in p.children
        ],
        testid="children",
    )


def _sentra(p: AreaProfile, part: str) -> Section:
    # A district has hundreds of sentra; only the page's rows link (Excel has no links).
    rows = [
        [
            Cell(
                s.product,
                href=_list_url(
                    f"kecamatan={s.desa_code[:8]}&desa={s.desa_code}&q={quote(s.product)}"
                )
                if n < SENTRA_PAGE_LIMIT
                else "",
            ),
            Cell(f"{s.kbli_group} {s.kbli_title}".strip()),
            Cell(s.desa_name),
            Cell(s.n, "count"),
            Cell(s.workers, "count"),
        ]
        for n, s in enumerate(p.sentra)
    ]
    overflow = ""
    if len(rows) > SENTRA_PAGE_LIMIT:
        overflow = _(
            "%(shown)s terbesar dari %(n)s sentra terdeteksi; daftar lengkap ada di unduhan Excel."
        ) % {"shown": SENTRA_PAGE_LIMIT, "n": formats.number(len(rows))}
    return Section(
        key="sentra",
        part=part,
        title=_("Sentra IKM terdeteksi"),
        intro=[
            _(
                "Sesuai PP 29/2018: paling sedikit 5 unit usaha aktif dengan produk sejenis "
                "di satu desa/kelurahan, dikelompokkan menurut golongan KBLI (3 digit) dan "
                "produk utama yang dinormalkan."
            )
        ],
        columns=[
            Column(_("Produk")),
            Column(_("Golongan KBLI")),
            Column(_("Desa/kelurahan")),
            Column(_("Unit"), numeric=True),
            Column(_("Tenaga kerja"), numeric=True),
        ],
        rows=rows,
        empty=_("Belum ada kelompok yang memenuhi syarat sentra."),
        page_limit=SENTRA_PAGE_LIMIT,
        overflow=overflow,
        testid="sentra",
    )


def _lq(p: AreaProfile, part: str) -> Section:
    rows = [
        [
            Cell(r["name"]),
            Cell(r["n"], "count", href=_list_url(f"{p.area_query}&subsector={r['code']}")),
            Cell(
                r["lq"],
                "decimal2",
                bar=bar_width(r["lq"], LQ_BAR_MAX),
                suffix=" ▲" if r["lq"] and r["lq"] >= LQ_HIGH else "",
            ),
        ]
        for r in p.lq
        if r["n"] or r["city_n"]
    ]
    return Section(
        key="lq",
        part=part,
        title=_("Location quotient (LQ) subsektor ekraf terhadap kota"),
        intro=[
            _(
                "LQ = (IKM subsektor di wilayah ÷ seluruh IKM wilayah) ÷ (IKM subsektor di "
                "kota ÷ seluruh IKM kota). LQ > 1: subsektor lebih terpusat di wilayah ini "
                "daripada rata-rata kota (garis pembanding = 1)."
            )
        ],
        columns=[Column(_("Subsektor")), Column(_("IKM"), numeric=True), Column("LQ")],
        rows=rows,
        testid="lq",
    )


def _coaching(p: AreaProfile, part: str) -> Section:
    rows = [
        [
            Cell(label),
            Cell(p.totals.get(key) or 0, "count"),
            Cell(p.share(key), "percent"),
            Cell(p.city.get(key) or 0, "count"),
            Cell(p.city_share(key), "percent"),
        ]
        for key, label in (
            ("coached", _("IKM aktif pernah dibina")),
            ("certified", _("IKM aktif bersertifikat")),
        )
    ]
    return Section(
        key="coaching",
        part=part,
        title=_("Pembinaan dan sertifikasi"),
        columns=[
            Column(_("Indikator")),
            Column(p.area.name, numeric=True),
            Column(_("% IKM aktif"), numeric=True),
            Column(_("Kota"), numeric=True),
            Column(_("% IKM aktif kota"), numeric=True),
        ],
        rows=rows,
        testid="coaching",
    )


def _growth(p: AreaProfile, part: str) -> Section:
    rows = []
    for r in p.growth_rows:
        city = p.city_growth.get(r.year)
        rows.append(
            [
                Cell(r.year, "year"),
                Cell(r.founded, "count"),
                Cell(r.closed, "count"),
                Cell(r.stock, "count"),
                Cell(r.rate, "rate", css=f"band-{r.band}"),
                Cell(city.rate if city else None, "rate"),
            ]
        )
    rows.append(
        [
            Cell(_("Rata-rata 3 tahun")),
            Cell(None, "count"),
            Cell(None, "count"),
            Cell(None, "count"),
            Cell(p.growth_mean, "rate"),
            Cell(p.city_growth_mean, "rate"),
        ]
    )
    notes = [
        _("Target %(low)s–%(high)s %% per tahun: ✓ dalam target, ▼ di bawah, ▲ di atas.")
        % {"low": formats.number(TARGET_LOW * 100), "high": formats.number(TARGET_HIGH * 100)}
    ]
    projection = p.projection
    if projection is not None and projection.rows:
        year, value, low, high = projection.rows[-1][:4]
        notes.append(
            _(
                "Proyeksi %(year)s: %(value)s IKM (selang 95 %%: %(low)s–%(high)s), laju "
                "%(rate)s/tahun."
            )
            % {
                "year": year,
                "value": formats.number(value),
                "low": formats.number(low),
                "high": formats.number(high),
                "rate": _rate(projection.annual_rate),
            }
        )
    return Section(
        key="growth",
        part=part,
        title=_("Tren pertumbuhan"),
        columns=[
            Column(_("Tahun")),
            Column(_("Berdiri"), numeric=True),
            Column(_("Tutup"), numeric=True),
            Column(_("Stok akhir tahun"), numeric=True),
            Column(_("Pertumbuhan"), numeric=True),
            Column(_("Kota"), numeric=True),
        ],
        rows=rows,
        notes=notes,
        testid="growth-trend",
    )


def _rate(value: float | None) -> str:
    return Cell(value, "rate").text
