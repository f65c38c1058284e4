"""Reference data: areas with their boundaries, KBLI 2020, creative-economy subsectors."""

from __future__ import annotations

from ninja import Router, Schema

from sentra.api.problems import with_errors
from sentra.areas.models import Area
from sentra.sectors.models import Kbli, Subsector

router = Router(tags=["Referensi"])


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    postal_code: str


class KbliOut(Schema):
    code: str
    title: str
    level: str
    parent: str | None


class SubsectorOut(Schema):
    code: str
    name: str
    name_en: str
    scheme: str


@router.get(
    "/wilayah",
    response=with_errors(401, 422, 429, _200=list[AreaOut]),
    summary="Wilayah (kode Kemendagri)",
)
def areas(request, level: str = ""):
    qs = Area.objects.all()
    if level:
        qs = qs.filter(level=level)
    return [
        {
            "code": a.code,
            "name": a.name,
            "level": a.level,
            "parent": a.parent_id,
            "postal_code": a.postal_code,
        }
        for a in qs
    ]


@router.get(
    "/wilayah.geojson",
    response=with_errors(401, 422, 429, _200=dict),
    summary="Batas wilayah (GeoJSON, EPSG:4326)",
)
def area_boundaries(request, level: str = "kecamatan") -> dict:
    qs = Area.objects.filter(level=level, geometry__isnull=False)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": a.code,
                "geometry": a.geometry,
                "properties": {
                    "code": a.code,
                    "name": a.name,
                    "level": a.level,
                    "parent": a.parent_id,
                },
            }
            for a in qs
        ],
    }


@router.get("/kbli", response=with_errors(401, 422, 429, _200=list[KbliOut]), summary="KBLI 2020")
def kbli(request, level: str = "kelompok", q: str = ""):
    qs = Kbli.objects.filter(level=level) if level else Kbli.objects.all()
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(code__startswith=q)
    return [
        {"code": k.code, "title": k.title, "level": k.level, "parent": k.parent_id}
        for k in qs.order_by("code")
    ]


@router.get(
    "/subsektor",
    response=with_errors(401, 422, 429, _200=list[SubsectorOut]),
    summary="Subsektor ekonomi kreatif",
)
def subsectors(request, scheme: str = ""):
    qs = Subsector.objects.all()
    if scheme:
        qs = qs.filter(scheme=scheme)
    return [
        {"code": s.code, "name": s.name, "name_en": s.name_en, "scheme": s.scheme}
        for s in qs.order_by("code")
    ]
