"""Who may change certification data: the access policy decides (sentra.accounts.
permissions); every service asks it first."""

from __future__ import annotations

from sentra.accounts.permissions import Actor, can_plan, require_actor

__all__ = ["can_plan", "require_planner"]  # the views ask services.can_plan


def require_planner(actor: Actor) -> None:
    # actor None: the system itself (demo data, management commands, background tasks
    # whose user was checked when they were queued).
    require_actor(actor, can_plan, action="plan")
