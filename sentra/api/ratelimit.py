"""The rate limit per token, counted in the database so that every process (gunicorn
workers, several machines behind one proxy) sees the same count.

One statement per request, `INSERT … ON CONFLICT DO UPDATE SET n = n + 1 RETURNING n`
(PostgreSQL, SQLite ≥ 3.35): two processes adding at the same moment both get their own
number, never the same one. A fixed window per period: simple, and at most twice the
rate across a window's edge, which is what a fair-use limit needs.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from sentra.api.models import ApiRate


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if token is None or not self.num_requests or not self.duration:
            return True
        now = type(self).timer()  # time.time (a plain function), replaced in tests
        slot = int(now // self.duration)
        self._left = self.duration - (now % self.duration)
        n = count(token_id=token.pk, slot=slot)
        if n == 1:
            # The first call of a period clears the token's older periods.
            ApiRate.objects.filter(token_id=token.pk, slot__lt=slot).delete()
        return n <= self.num_requests

    def wait(self) -> float | None:
        return getattr(self, "_left", None)


def count(*, token_id: int, slot: int) -> int:
    """Add one call of this token in this slot; the calls so far, this one included."""
    table = connection.ops.quote_name(ApiRate._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (token_id, slot, n) VALUES (%s, %s, 1) "
            f"ON CONFLICT (token_id, slot) DO UPDATE SET n = {table}.n + 1 RETURNING n",
            [token_id, slot],
        )
        row = cursor.fetchone()
    return int(row[0])
