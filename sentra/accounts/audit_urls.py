from django.urls import path

from sentra.accounts import audit_views as views

app_name = "audit"
urlpatterns = [path("", views.audit_list, name="list")]
