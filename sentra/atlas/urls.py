from django.urls import path

from sentra.atlas import views

app_name = "atlas"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("peta/data.json", views.map_data, name="map_data"),
    path("peta/wilayah.geojson", views.map_geometry, name="map_geometry"),
    path("peta/titik.json", views.map_points, name="map_points"),
    path("wilayah/<str:code>/", views.area_profile, name="profile"),
    path("wilayah/<str:code>/profil.pdf", views.area_profile_pdf, name="profile_pdf"),
    path(
        "wilayah/<str:code>/profil.pdf/terbitkan/",
        views.area_profile_pdf_issue,
        name="profile_pdf_issue",
    ),
    path("wilayah/<str:code>/profil.xlsx", views.area_profile_xlsx, name="profile_xlsx"),
    path("pertumbuhan/", views.growth_page, name="growth"),
    path("metodologi/", views.methodology, name="methodology"),
]
