"""Reads for the atlas: map indicators per area, area profiles, points for the map.

Every figure is a SQL aggregate over the analytics tables (sentra.atlas.models, rebuilt
from the registry by sentra.atlas.summary): a sum over a few thousand pre-grouped rows,
never a scan of every IKM. Python only combines the few grouped rows. The profile page,
its PDF and its Excel file read one `AreaProfile`. The points of the map are single IKM
and are read from the registry.

The seams: common (indicators, levels, sums), maps, profile, sections (the profile's
tables, typed by report), dashboard, growth_page.
Callers import the names below from `sentra.atlas.selectors`.
"""

from sentra.atlas.selectors.common import (
    INDICATORS,
    LEVELS,
    certification_progress,
    certified_definition,
)
from sentra.atlas.selectors.dashboard import dashboard_figures
from sentra.atlas.selectors.growth_page import GrowthPage, growth_page
from sentra.atlas.selectors.maps import (
    POINTS_DETAIL_ZOOM,
    POINTS_LIMIT,
    MapFilters,
    area_geometries,
    area_values,
    class_breaks,
    class_of,
    map_data,
    map_points,
    points_scope,
)
from sentra.atlas.selectors.profile import (
    SENTRA_MIN_UNITS,
    AreaProfile,
    ProfileRow,
    Sentra,
    area_profile,
    city_figures,
    detect_sentra,
)
from sentra.atlas.selectors.report import Cell, Column, Section, excel_lines
from sentra.atlas.selectors.sections import profile_sections

__all__ = [
    "INDICATORS",
    "LEVELS",
    "POINTS_DETAIL_ZOOM",
    "POINTS_LIMIT",
    "SENTRA_MIN_UNITS",
    "AreaProfile",
    "Cell",
    "Column",
    "GrowthPage",
    "MapFilters",
    "ProfileRow",
    "Section",
    "Sentra",
    "area_geometries",
    "area_profile",
    "area_values",
    "certification_progress",
    "certified_definition",
    "city_figures",
    "class_breaks",
    "class_of",
    "dashboard_figures",
    "detect_sentra",
    "excel_lines",
    "growth_page",
    "map_data",
    "map_points",
    "points_scope",
    "profile_sections",
]
