"""Personal API tokens: shown once, stored as a hash, scoped, expiring, revocable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Baca")
    WRITE = "write", _("Ubah")
    PERSONAL = "personal", _("Data pribadi")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama token"), max_length=100)
    # The first characters of the token, to find it without scanning every hash; the
    # rest is known only to its holder (SHA-256 of the whole token is kept).
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("cakupan"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def has(self, scope: str) -> bool:
        return scope in self.scopes


class ApiRate(models.Model):
    """Requests of one token in one time slot of the rate limit. A row in the database,
    not an entry in a process's memory, so every worker process counts the same calls."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    # Seconds since the epoch // the limit's period: one row per token per period.
    slot = models.BigIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "slot"], name="api_rate_slot")]

    def __str__(self) -> str:
        return f"{self.token_id}@{self.slot}: {self.n}"
