"""Who is calling: a personal token in `Authorization: Bearer …`, and what it may do."""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from ninja.errors import HttpError
from ninja.security import HttpBearer

from sentra.api.models import ApiToken, Scope
from sentra.api.services import api_token_find
from sentra.audit.services import audit_source


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


def personal_viewer(request):
    """Whom the app's own masking (`permissions.mask`, selectors taking `user`) should
    mask for: the caller, or nobody's rights when the token lacks the personal scope."""
    return request.user if may_see_personal(request) else AnonymousUser()


def token_write(request) -> AbstractContextManager[None]:
    """A write route's first line: the write scope, and every audit entry made inside
    names the token (`with token_write(request): services.…`)."""
    require_scope(request, Scope.WRITE)
    return audit_source(token_source(request))
