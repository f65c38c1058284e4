"""Following every audited change.

A single entry is saved through the ORM and sends post_save; bulk writes (imports,
merges of many records) bypass it, so they send `bulk_audited` instead. Listeners that
follow every audited change (the atlas's summary tables) call `connect_audited`, which
connects them to both.
"""

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal

bulk_audited = Signal()  # keyword argument: count


def connect_audited(receiver: Callable[..., Any], *, dispatch_uid: str) -> None:
    """Call `receiver(**kwargs)` after every audited write, single or bulk."""
    from sentra.audit.models import AuditEntry

    post_save.connect(receiver, sender=AuditEntry, dispatch_uid=dispatch_uid)
    bulk_audited.connect(receiver, dispatch_uid=f"{dispatch_uid}-bulk")
