from django.urls import path

from sentra.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("cakupan.xlsx", views.coverage_xlsx, name="coverage_xlsx"),
    path("kategori/", views.category_list, name="category_list"),
    path("kategori/baru/", views.category_form, name="category_create"),
    path("kategori/<int:pk>/ubah/", views.category_form, name="category_edit"),
    path("program/", views.programme_list_view, name="programme_list"),
    path("program/baru/", views.programme_form, name="programme_create"),
    path("program/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("program/<int:pk>/ubah/", views.programme_form, name="programme_edit"),
    path("program/<int:programme_pk>/kegiatan/baru/", views.activity_form, name="activity_create"),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("kegiatan/<int:pk>/ubah/", views.activity_form, name="activity_edit"),
    path("kegiatan/<int:pk>/peserta/", views.participants_add, name="participants_add"),
    path("kegiatan/<int:pk>/daftar-hadir/", views.attendance_upload, name="attendance_upload"),
    path("daftar-hadir/<int:pk>/", views.attendance_run, name="attendance_run"),
    path(
        "daftar-hadir/<int:pk>/kemajuan/",
        views.attendance_run_status,
        name="attendance_run_status",
    ),
    path(
        "kegiatan/<int:pk>/peserta/<int:ikm_id>/hapus/",
        views.participant_remove,
        name="participant_remove",
    ),
]
