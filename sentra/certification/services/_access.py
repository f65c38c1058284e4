"""Who may change certification data; every service calls `require_planner` first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from sentra.accounts.models import Role as UserRole
from sentra.certification import messages as M

PLANNER_ROLES = (UserRole.ADMIN, UserRole.OFFICER)


def can_plan(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in PLANNER_ROLES


def require_planner(actor) -> None:
    # actor None: the system itself (demo data, management commands, background tasks
    # that checked the user when they were queued).
    if actor is not None and not can_plan(actor):
        raise PermissionDenied(str(M.NOT_PLANNER))
