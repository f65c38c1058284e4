from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from sentra.atlas import views as atlas_views

urlpatterns = [
    path("", atlas_views.home, name="home"),
    path("akun/", include("sentra.accounts.urls")),
    path("ikm/", include("sentra.registry.urls")),
    path("impor/", include("sentra.imports.urls")),
    path("duplikat/", include("sentra.linkage.urls")),
    path("atlas/", include("sentra.atlas.urls")),
    path("pembinaan/", include("sentra.coaching.urls")),
    path("sertifikasi/", include("sentra.certification.urls")),
    path("audit/", include("sentra.accounts.audit_urls")),
    path("pameran/", include("sentra.exhibitions.urls")),
    path("data/", include("sentra.opendata.urls")),
    path("api/v1/", include(("sentra.api.urls", "api"), namespace="api")),
    path("akun/token/", include("sentra.api.page_urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
