from typing import Any

from django.http import HttpRequest

from sentra.accounts.permissions import policy_context


def policy(request: HttpRequest) -> dict[str, Any]:
    """`may`: what the shared templates (menu, header) may offer; they ask the policy
    through it and never compare a role name."""
    return {"may": policy_context(getattr(request, "user", None))}
