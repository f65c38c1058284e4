"""Who is calling: a personal token in `Authorization: Bearer …`, and what it may do."""

from __future__ import annotations

from django.utils import translation
from ninja.errors import HttpError
from ninja.security import HttpBearer

from sentra.api.models import ApiToken, Scope
from sentra.api.services import api_token_find


def activate_language(request) -> None:
    """Indonesian unless the client asks for English first (Accept-Language)."""
    header = request.headers.get("Accept-Language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("en"):
            translation.activate("en")
            return
        if code.startswith("id") or code == "*":
            break
    translation.activate("id")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        activate_language(request)
        found = api_token_find(token)
        if found is not None:
            request.user = found.user
            request.api_token = found
        return found


def require_scope(request, scope: str) -> None:
    token: ApiToken = request.auth
    if not token.has(scope):
        from django.utils.translation import gettext as _

        raise HttpError(403, _("Token ini tidak mempunyai cakupan '%(scope)s'.") % {"scope": scope})


def may_see_personal(request) -> bool:
    """Personal fields need the token's personal scope as well as the user's right."""
    return request.auth.has(Scope.PERSONAL)


def token_source(request) -> str:
    """What the audit trail records as the source of an API write."""
    token: ApiToken = request.auth
    return f"API: token {token.name} ({token.prefix}…)"
