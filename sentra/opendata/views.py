"""Open data pages and files: public (no login), aggregates only."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sentra.lib.tabular import csv_response
from sentra.opendata import catalogue, selectors

FORMATS = ("csv", "json", "geojson")
LEVELS = ("kota", "kecamatan", "desa_kelurahan")


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _release(slug: str):
    if slug not in selectors.DATASETS:
        raise Http404
    return selectors.release(slug)


@login_not_required
@require_GET
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "datasets": selectors.DATASETS,
            "license": catalogue.license_info(),
            "min_cell": selectors.SUPPRESS_BELOW,
        },
    )


@login_not_required
@require_GET
def dictionary(request):
    return render(
        request,
        "opendata/dictionary.html",
        {
            "datasets": selectors.DATASETS,
            "columns": selectors.COLUMNS,
            "source": catalogue.SOURCE,
            "license": catalogue.license_info(),
            "min_cell": selectors.SUPPRESS_BELOW,
        },
    )


@login_not_required
@require_GET
def download(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    rel = _release(slug)
    filename = f"{slug}-{rel.period}"
    if fmt == "csv":
        header, rows = selectors.rows_as_table(rel)
        return csv_response(header, rows, filename=filename)
    if fmt == "json":
        body = {
            "dataset": slug,
            "period": rel.period,
            "as_of": rel.as_of.isoformat(),
            "license": catalogue.license_info()["name"],
            "rows": rel.rows,
        }
    else:
        level = request.GET.get("tingkat", "kecamatan")
        if level not in LEVELS:
            raise Http404
        body = selectors.geojson(rel, level=level)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    return response


@login_not_required
@require_GET
def datapackage(request):
    return JsonResponse(
        catalogue.datapackage(_site(request)), json_dumps_params={"ensure_ascii": False}
    )


@login_not_required
@require_GET
def ckan_package(request, slug: str):
    if slug not in selectors.DATASETS:
        raise Http404
    return JsonResponse(
        catalogue.ckan_package(slug, _site(request)), json_dumps_params={"ensure_ascii": False}
    )
