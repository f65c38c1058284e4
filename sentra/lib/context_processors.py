from django.conf import settings

from sentra.lib import nav


def sentra(request) -> dict:
    from sentra.registry.selectors import demo_data_present

    user = getattr(request, "user", None)
    return {
        "office_name": settings.SENTRA_OFFICE_NAME,
        # Optional street basemap for every map (empty: polygons only, works offline).
        "map_tile_url": settings.SENTRA_MAP_TILE_URL,
        "map_tile_attribution": settings.SENTRA_MAP_TILE_ATTRIBUTION,
        "demo_data": demo_data_present(),
        "nav_items": nav.items_for(user) if user is not None and user.is_authenticated else [],
    }
