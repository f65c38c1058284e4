from django.contrib import admin

from sentra.audit.admin import AuditedAdmin
from sentra.imports.models import ImportJob, MappingProfile


@admin.register(MappingProfile)
class MappingProfileAdmin(AuditedAdmin):
    list_display = ["name", "kind", "created_by", "created_at"]
    list_filter = ["kind"]
    readonly_fields = ["signature", "created_by", "created_at"]


@admin.register(ImportJob)
class ImportJobAdmin(AuditedAdmin):
    """Read-only: jobs change only through the import services."""

    list_display = [
        "id",
        "original_name",
        "kind",
        "status",
        "rows_valid",
        "rows_invalid",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["original_name", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
