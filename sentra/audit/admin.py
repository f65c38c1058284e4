from django.contrib import admin

from sentra.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "model", "object_id", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_id", "object_repr"]

    # The trail is append-only, even for admins.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
