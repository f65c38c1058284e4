from django.urls import path

from sentra.exhibitions import views

app_name = "exhibitions"
urlpatterns = [
    path("", views.exhibition_list, name="list"),
    path("baru/", views.exhibition_create, name="create"),
    path("<int:pk>/", views.exhibition_detail, name="detail"),
    path("<int:pk>/ubah/", views.exhibition_edit, name="edit"),
    path("<int:pk>/pendaftar/", views.application_add, name="application_add"),
    path("<int:pk>/seleksi/", views.selection_run, name="selection_run"),
    path("<int:pk>/peserta.pdf", views.participants_pdf, name="participants_pdf"),
    path("<int:pk>/peserta.xlsx", views.participants_xlsx, name="participants_xlsx"),
    path("<int:pk>/laporan.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/laporan.pdf/terbitkan/", views.report_pdf_issue, name="report_pdf_issue"),
    path("<int:pk>/laporan.xlsx", views.report_xlsx, name="report_xlsx"),
    path("pendaftaran/<int:pk>/keputusan/", views.application_override, name="override"),
    path("pendaftaran/<int:pk>/batal/", views.application_cancel, name="cancel"),
    path("pendaftaran/<int:pk>/hadir/", views.application_attendance, name="attendance"),
    path("pendaftaran/<int:pk>/verifikasi/", views.application_verify, name="verify_ikm"),
    path("pendaftaran/<int:pk>/hasil/", views.outcome_edit, name="outcome_edit"),
    path("foto/<int:pk>/", views.outcome_photo, name="outcome_photo"),
    path("foto/<int:pk>/hapus/", views.outcome_photo_delete, name="outcome_photo_delete"),
    path("proses/<int:pk>/kemajuan/", views.run_progress, name="run_progress"),
    path("pendaftaran/<int:pk>/sertifikat.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("mahasiswa/", views.student_list, name="student_list"),
    path("mahasiswa/baru/", views.student_create, name="student_create"),
    path("lembaga/baru/", views.institution_create, name="institution_create"),
    path("mahasiswa/<int:pk>/", views.student_detail, name="student_detail"),
    path("mahasiswa/cari-ikm/", views.student_links_find, name="student_links_find"),
    path("mahasiswa/tautan/<int:pk>/", views.student_link_decide, name="student_link_decide"),
    path(
        "mahasiswa/peran/<int:pk>/sertifikat.pdf",
        views.student_certificate_pdf,
        name="student_certificate_pdf",
    ),
    # Public: no login, throttled per address, no personal data.
    path("<int:pk>/daftar/", views.signup, name="signup"),
    path("hasil/<str:token>/", views.outcome_public, name="outcome_public"),
    path(
        "hasil/<str:token>/foto/<int:pk>/", views.outcome_photo_public, name="outcome_photo_public"
    ),
    path("verifikasi/", views.verify, name="verify"),
    path("verifikasi/<str:code>/", views.verify, name="verify_code"),
]
