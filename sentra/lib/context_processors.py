from django.conf import settings

from sentra.accounts.permissions import policy_context
from sentra.lib import nav


def sentra(request) -> dict:
    from sentra.registry.selectors import demo_data_present

    user = getattr(request, "user", None)
    return {
        "office_name": settings.SENTRA_OFFICE_NAME,
        "demo_data": demo_data_present(),
        "nav_items": nav.items_for(user) if user is not None and user.is_authenticated else [],
        # What the menu may offer: the templates ask the policy, never a role name.
        "may": policy_context(user),
    }
