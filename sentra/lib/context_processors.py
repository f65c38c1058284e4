from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sentra.lib import demo, nav


def sentra(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "office_name": settings.SENTRA_OFFICE_NAME,
        # Apps register what marks demo data (lib.demo): lib never reads an app's tables.
        "demo_data": demo.present(),
        "nav_items": nav.items_for(user) if user is not None and user.is_authenticated else [],
    }
