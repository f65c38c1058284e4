from django.urls import path

from sentra.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.pair_list, name="pair_list"),
    path("periksa/", views.run_start, name="run_start"),
    path("_status/", views.run_status, name="run_status"),
    path("<int:pk>/", views.pair_detail, name="pair_detail"),
    path("<int:pk>/gabung/", views.pair_merge, name="pair_merge"),
    path("<int:pk>/tolak/", views.pair_reject, name="pair_reject"),
    path("gabungan/<int:pk>/", views.merge_detail, name="merge_detail"),
    path("gabungan/<int:pk>/batal/", views.merge_undo, name="merge_undo"),
]
