from django.urls import path

from sentra.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("kamus/", views.dictionary, name="dictionary"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("ckan/<slug:slug>.json", views.ckan_package, name="ckan"),
    path("<slug:slug>.<str:fmt>", views.download, name="download"),
]
