"""Writes of API tokens. The raw token is returned once and never stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.api.models import ApiToken, Scope
from sentra.audit.services import audit_log

PREFIX_LENGTH = 8
MAX_DAYS = 366


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, name: str, scopes: list[str], days: int) -> tuple[ApiToken, str]:
    """A new token for `actor` itself; returns the token and its secret (shown once)."""
    if not scopes or any(s not in Scope.values for s in scopes):
        raise ValidationError(_("Pilih cakupan token: baca, ubah, data pribadi."))
    if Scope.READ not in scopes:
        scopes = [Scope.READ, *scopes]
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("Masa berlaku token 1 sampai %(max)s hari.") % {"max": MAX_DAYS})
    raw = "snt_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor,
        name=name.strip()[:100] or _("Token"),
        prefix=raw[4 : 4 + PREFIX_LENGTH],
        key_hash=token_hash(raw),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_log(
        actor=actor,
        obj=token,
        action="create",
        changes={
            "scopes": [None, token.scopes],
            "expires_at": [None, token.expires_at.isoformat()],
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise ValidationError(_("Token ini bukan milik Anda."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=actor, obj=token, action="revoke")
    return token


def api_token_find(raw: str) -> ApiToken | None:
    """The active token for a presented secret, or None (compared in constant time)."""
    if not raw.startswith("snt_"):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(prefix=raw[4 : 4 + PREFIX_LENGTH]).first()
    )
    if token is None or not secrets.compare_digest(token.key_hash, token_hash(raw)):
        return None
    if not token.active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
