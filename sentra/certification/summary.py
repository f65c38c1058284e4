"""The certification page's figures, computed once per change of the data.

The progress and candidate figures are aggregates over every active IKM and candidate
(hundreds of milliseconds each at 100× today's data); the page reads them on every
visit. They are cached under a *data version* — the highest id of the audit trail
(every certification, registry and import service writes an entry), of the IKM, the
candidates, the outcomes and the enrolments (bulk demo loads write no audit entries) —
so any change makes the next read recompute. SENTRA_CERT_CACHE_SECONDS (default 600,
0 under tests) bounds how long an entry lives at all; the date is part of the key, so
certificates that expire count from the first read of the next day.

Not `atlas.cache`: the atlas reads certification, and certification must not import
the atlas back.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max


def ttl() -> int:
    default = "0" if getattr(settings, "TESTING", False) else "600"
    return int(os.environ.get("SENTRA_CERT_CACHE_SECONDS", default))


def data_version() -> str:
    from sentra.audit.models import AuditEntry
    from sentra.certification.models import Candidate, Enrollment, Outcome
    from sentra.registry.models import Ikm

    models = (AuditEntry, Ikm, Candidate, Outcome, Enrollment)
    return "-".join(str(m.objects.aggregate(m=Max("id"))["m"] or 0) for m in models)


def cached[T](name: str, build: Callable[[], T]) -> T:
    """build() once per data version (and at most every ttl() seconds)."""
    seconds = ttl()
    if seconds <= 0:
        return build()
    key = f"sentra-cert:{name}:{data_version()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value
