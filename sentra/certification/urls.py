from django.urls import path

from sentra.certification import views

app_name = "certification"
urlpatterns = [
    path("", views.progress, name="progress"),
    path("capaian.pdf", views.progress_pdf, name="progress_pdf"),
    path("capaian.pdf/terbitkan/", views.progress_pdf_issue, name="progress_pdf_issue"),
    path("perencana/", views.planner, name="planner"),
    path("asesi/baru/", views.candidate_create, name="candidate_create"),
    path("asesi/sinkron-pembinaan/", views.sync_coaching, name="sync_coaching"),
    path("perencana/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("perencana/<int:pk>/terima/", views.draft_accept, name="draft_accept"),
    path("perencana/<int:pk>/kemajuan/", views.draft_progress, name="draft_progress"),
    path("batch/", views.batch_list, name="batch_list"),
    path("batch/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batch/<int:pk>/undangan.pdf", views.batch_pdf, name="batch_pdf"),
    path("batch/<int:pk>/undangan.pdf/terbitkan/", views.batch_pdf_issue, name="batch_pdf_issue"),
    path("batch/<int:pk>/peserta.xlsx", views.batch_xlsx, name="batch_xlsx"),
    path("perjalanan/<int:pk>/batal/", views.trip_action, {"action": "cancel"}, name="trip_cancel"),
    path(
        "perjalanan/<int:pk>/konfirmasi/",
        views.trip_action,
        {"action": "confirm"},
        name="trip_confirm",
    ),
]
