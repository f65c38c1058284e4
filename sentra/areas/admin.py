from django.contrib import admin

from sentra.areas.models import Area
from sentra.audit.admin import AuditedAdmin


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "village_kind", "parent", "postal_code", "area_km2"]
    list_filter = ["level", "village_kind", "parent"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]
