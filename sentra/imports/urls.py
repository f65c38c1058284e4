from django.urls import path

from sentra.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/progres/", views.job_progress, name="job_progress"),
    path("<int:pk>/simpan/", views.job_commit, name="job_commit"),
    path("<int:pk>/ulang/", views.job_restart, name="job_restart"),
    path("<int:pk>/pemetaan/", views.job_mapping, name="job_mapping"),
    path("<int:pk>/laporan.xlsx", views.job_report, name="job_report"),
]
