from django.urls import path

from sentra.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.ikm_list_view, name="ikm_list"),
    path("baru/", views.ikm_create_view, name="ikm_create"),
    path("<int:pk>/", views.ikm_detail_view, name="ikm_detail"),
    path("<int:pk>/ubah/", views.ikm_edit_view, name="ikm_edit"),
    path("<int:pk>/tutup/", views.ikm_close_view, name="ikm_close"),
    path("<int:pk>/buka/", views.ikm_reopen_view, name="ikm_reopen"),
    path("_desa/", views.desa_options, name="desa_options"),
    path("_kbli/", views.kbli_lookup, name="kbli_lookup"),
    path("_pilih/", views.ikm_suggest, name="ikm_suggest"),
]
