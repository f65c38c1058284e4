"""/api/v1/: the JSON API (django-ninja), OpenAPI 3.1 at /api/v1/openapi.json, docs at
/api/v1/docs. Token auth only (no session, so no CSRF), one throttle per token."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI

from sentra.api import problems
from sentra.api.auth import TokenAuth
from sentra.api.ratelimit import TokenRateThrottle
from sentra.api.routes import certification, coaching, exhibitions, ikm, imports, linkage, reference


class SentraAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return problems.problem_media_types(super().get_openapi_schema(*args, **kwargs))


api = SentraAPI(
    title="Sentra API",
    version="1",
    description=(
        "API registri IKM Sentra. Kirim token pribadi (buat di halaman Akun → Token API) di "
        "header `Authorization: Bearer snt_…`. Data pribadi (NIK, HP, e-mail, tanggal "
        "lahir) hanya untuk token bercakupan `personal` dan pengguna yang berhak. Galat "
        "berbentuk RFC 9457 (application/problem+json); bahasa Inggris dengan "
        "`Accept-Language: en`."
    ),
    auth=TokenAuth(),
    throttle=[TokenRateThrottle(getattr(settings, "SENTRA_API_RATE", "600/m"))],
    urls_namespace="api",
    docs_url="/docs",
)
problems.install(api)
api.add_router("", ikm.router)
api.add_router("", reference.router)
for module in (imports, linkage, coaching, certification, exhibitions):
    api.add_router("", module.router)


def _conditional(view):
    """ETag on every GET and 304 for If-None-Match (Django's conditional GET handling)."""
    from django.middleware.http import ConditionalGetMiddleware
    from django.utils.decorators import decorator_from_middleware

    return decorator_from_middleware(ConditionalGetMiddleware)(view)


def _public(patterns):
    # Sentra's LoginRequiredMiddleware guards pages by session; the API has its own auth.
    for pattern in patterns:
        pattern.callback = login_not_required(_conditional(pattern.callback))
    return patterns


urlpatterns = _public(api.urls[0])
app_name = api.urls[1]
