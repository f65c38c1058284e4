from django.contrib import admin

from sentra.audit.admin import AuditedAdmin
from sentra.sectors.models import Kbli, Subsector


@admin.register(Kbli)
class KbliAdmin(AuditedAdmin):
    list_display = ["code", "title", "level", "section"]
    list_filter = ["level", "section"]
    search_fields = ["code", "title"]
    raw_id_fields = ["parent"]


@admin.register(Subsector)
class SubsectorAdmin(AuditedAdmin):
    list_display = ["code", "name", "name_en", "scheme", "aliases"]
    list_filter = ["scheme"]
    filter_horizontal = ["counterparts"]
