from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from sentra.accounts.permissions import can_issue_letter, require
from sentra.areas.models import Area
from sentra.atlas import charts, freshness, selectors, summary
from sentra.atlas.forms import GrowthFilterForm
from sentra.atlas.growth import (
    DEFAULT_FIT_YEARS,
    TARGET_HIGH,
    TARGET_LOW,
    band,
)
from sentra.coaching.selectors import (
    active_categories,
    upcoming_activities,
)
from sentra.letters.models import LetterKind
from sentra.letters.printing import issue_context, letter_pdf
from sentra.letters.services import letter_issue
from sentra.lib.cache import cached
from sentra.lib.tabular import xlsx_lines_response
from sentra.registry.scale import Scale
from sentra.sectors.models import Subsector

DATA_SOURCE = "Registri IKM Sentra"


def _map_filters(request) -> selectors.MapFilters:
    level = request.GET.get("level", "desa")
    scale = request.GET.get("scale", "")
    subsector = request.GET.get("subsector", "")
    valid_sub = subsector == "none" or Subsector.objects.filter(code=subsector).exists()
    return selectors.MapFilters(
        level=level if level in selectors.LEVELS else "desa",
        subsector=subsector if subsector and valid_sub else "",
        scale=scale if scale in Scale.values else "",
    )


def _subsector_choices():
    return Subsector.objects.filter(scheme="bekraf_16").values_list("code", "name")


def home(request):
    """The office's numbers at a glance; each one links to the records behind it."""
    today = timezone.localdate()
    fresh = freshness.current(today=today)
    figures = cached(
        f"dashboard:{today}",
        lambda: selectors.dashboard_figures(today=today),
        version=fresh.stamp,
    )
    return render(
        request,
        "atlas/home.html",
        {
            **figures,
            "charts": charts.dashboard_charts(figures),
            "fresh": fresh,
            "target_low": TARGET_LOW * 100,
            "target_high": TARGET_HIGH * 100,
            "categories": list(active_categories()),
            "upcoming": upcoming_activities(today=today),
        },
    )


def map_page(request):
    return render(
        request,
        "atlas/map.html",
        {
            "indicators": selectors.INDICATORS,
            "subsectors": _subsector_choices(),
            "scales": Scale.choices,
            "show_points": selectors.points_scope(request.user) is not False,
            "tile_url": getattr(settings, "SENTRA_MAP_TILE_URL", ""),
            "tile_attribution": getattr(settings, "SENTRA_MAP_TILE_ATTRIBUTION", ""),
        },
    )


def map_data(request):
    filters = _map_filters(request)
    indicator = request.GET.get("indicator", "n")
    indicator = indicator if indicator in selectors.INDICATORS else "n"
    key = f"map:{filters.level}:{filters.subsector}:{filters.scale}:{indicator}"
    fresh = freshness.current()
    data = cached(
        key,
        lambda: selectors.map_data(filters=filters, indicator=indicator),
        version=fresh.stamp,
    )
    return JsonResponse({**data, **_as_of(fresh)})


def _as_of(fresh: summary.Freshness) -> dict:
    """When the map's figures were built, for the status line under the map."""
    if not fresh.built_at:
        return {"as_of": "", "as_of_label": "", "stale": fresh.stale}
    built = timezone.localtime(fresh.built_at)
    label = gettext("angka per %(t)s") % {"t": date_format(built, "j F Y H:i")}
    if fresh.stale:
        label += " · " + gettext("ada perubahan data sesudahnya; angka sedang diperbarui")
    return {"as_of": built.isoformat(), "as_of_label": label, "stale": fresh.stale}


@cache_control(private=True, max_age=3600)
def map_geometry(request):
    level = request.GET.get("level", "desa")
    if level not in selectors.LEVELS:
        raise Http404
    return JsonResponse(selectors.area_geometries(level=level))


def map_points(request):
    try:
        bbox = tuple(float(x) for x in request.GET.get("bbox", "").split(","))
        zoom = int(request.GET.get("zoom", "13"))
    except ValueError:
        return JsonResponse({"error": "bbox/zoom tidak sah"}, status=400)
    if len(bbox) != 4:
        return JsonResponse({"error": "bbox harus berisi 4 angka"}, status=400)
    data = selectors.map_points(
        user=request.user, bbox=bbox, zoom=zoom, filters=_map_filters(request)
    )
    if data["mode"] == "none":
        return JsonResponse(data, status=403)
    return JsonResponse(data)


def _project_to(request) -> int:
    return GrowthFilterForm(request.GET).values()["project_to"]


def _profile(request, code: str) -> tuple[selectors.AreaProfile, summary.Freshness]:
    project_to, today = _project_to(request), timezone.localdate()
    if not Area.objects.filter(code=code, level__in=["kecamatan", "desa_kelurahan"]).exists():
        raise Http404
    fresh = freshness.current(today=today)
    profile = cached(
        f"profile:{code}:{project_to}:{today}",
        lambda: selectors.area_profile(
            code=code,
            project_to=project_to,
            today=today,
            city_figures_=cached(
                f"city:{today}",
                lambda: selectors.city_figures(today=today),
                version=fresh.stamp,
            ),
        ),
        version=fresh.stamp,
    )
    return profile, fresh


def _profile_context(request, profile, fresh: summary.Freshness | None = None) -> dict:
    return {
        "p": profile,
        # Made here, in the reader's language (the profile is cached for every one).
        "sections": selectors.profile_sections(profile),
        "charts": charts.profile_charts(profile),
        "fresh": fresh or freshness.current(),
        "source": DATA_SOURCE,
        "office_name": settings.SENTRA_OFFICE_NAME,
        "generated": timezone.localtime(),
    }


def _profile_letter(profile) -> dict[str, Any]:
    """Which document the day's profile of an area is, for its letter; its kecamatan
    decides which officer may issue its number."""
    area = profile.area
    return {
        "kind": LetterKind.AREA_PROFILE,
        "ref": f"profile:{area.code}:{timezone.localdate().isoformat()}",
        "subject": gettext("Profil IKM %(kind)s %(area)s")
        % {"kind": area.kind_label, "area": area.name},
        "kecamatan_code": area.code if area.level == "kecamatan" else area.parent_id,
    }


def area_profile(request, code: str):
    profile, fresh = _profile(request, code)
    letter = _profile_letter(profile)
    return render(
        request,
        "atlas/profile.html",
        {
            **_profile_context(request, profile, fresh),
            **issue_context(
                request.user,
                kind=letter["kind"],
                ref=letter["ref"],
                kecamatan_code=letter["kecamatan_code"],
                issue_url=reverse("atlas:profile_pdf_issue", args=[profile.area.code]),
            ),
        },
    )


@require_safe
def area_profile_pdf(request, code: str):
    """The profile as a letter: its issued Nomor, or the draft mark (printing never
    issues one: `area_profile_pdf_issue` does)."""
    profile, fresh = _profile(request, code)
    letter = _profile_letter(profile)
    return letter_pdf(
        request,
        kind=letter["kind"],
        ref=letter["ref"],
        subject=letter["subject"],
        template="atlas/profile_pdf.html",
        context=_profile_context(request, profile, fresh),
        filename=f"profil-{profile.area.code}-{timezone.localdate():%Y%m%d}.pdf",
    )


@require_POST
def area_profile_pdf_issue(request, code: str):
    """Give the day's profile its Nomor (audited by the service), then print it."""
    profile, _fresh = _profile(request, code)
    letter = _profile_letter(profile)
    require(can_issue_letter(request.user, letter["kind"], letter["kecamatan_code"]), "letter")
    letter_issue(
        actor=request.user,
        kind=letter["kind"],
        ref=letter["ref"],
        subject=letter["subject"],
        kecamatan_code=letter["kecamatan_code"],
    )
    return redirect("atlas:profile_pdf", code=profile.area.code)


def area_profile_xlsx(request, code: str):
    profile, _fresh = _profile(request, code)
    title = [
        gettext("Profil IKM %(kind)s %(area)s")
        % {
            "kind": profile.area.kind_label,
            "area": profile.area.name,
        },
        gettext("data per %(date)s") % {"date": date_format(profile.as_of, "j F Y")},
    ]
    return xlsx_lines_response(
        selectors.excel_lines(selectors.profile_sections(profile), title=title),
        filename=f"profil-{profile.area.code}-{timezone.localdate():%Y%m%d}",
        widths=[34, 40, 16, 16, 16, 16],
    )


def growth_page(request):
    today = timezone.localdate()
    form = GrowthFilterForm(request.GET)
    values = form.values()
    page = selectors.growth_page(**values, today=today)
    series = page.series
    complete = series.complete_rows
    return render(
        request,
        "atlas/growth.html",
        {
            "series": series,
            "growth_chart": charts.growth_chart(
                series, rows=[r for r in series.rows if r.year >= today.year - 15]
            ),
            "fresh": page.fresh,
            "rows": [r for r in series.rows if r.year >= today.year - 15],
            "last": series.last_complete,
            "mean3": series.mean_rate(3),
            "mean3_band": band(series.mean_rate(3)),
            "max_stock": max((r.stock for r in series.rows), default=0) or 1,
            "max_rate": max([abs(r.rate or 0) for r in complete] + [TARGET_HIGH]),
            **values,
            "target_low": TARGET_LOW * 100,
            "target_high": TARGET_HIGH * 100,
            "by_kecamatan": page.by_kecamatan,
            "by_subsector": page.by_subsector,
            "kecamatan_choices": Area.objects.kecamatan().values_list("code", "name"),
            "desa_choices": Area.objects.villages().order_by("name").values_list("code", "name"),
            "subsectors": _subsector_choices(),
            "scales": Scale.choices,
            "year": today.year,
        },
    )


def methodology(request):
    return render(
        request,
        "atlas/methodology.html",
        {
            "target_low": TARGET_LOW * 100,
            "target_high": TARGET_HIGH * 100,
            "fit_years": DEFAULT_FIT_YEARS,
            "sentra_min": selectors.SENTRA_MIN_UNITS,
            "certified_definition": selectors.certified_definition(),
            "indicators": selectors.INDICATORS,
            "today": date.today(),
        },
    )
