from django.contrib import admin
from django.db import models
from django.db.models import QuerySet

from sentra.audit.models import AuditEntry
from sentra.audit.services import _plain, audit_log


def _shown(value):
    """A form value as the audit trail keeps it: related records by key, lists sorted."""
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    if isinstance(value, models.Model):
        return value.pk
    return _plain(value)


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every add, change and delete writes a Sentra audit entry
    (who, when, each changed field old → new), like the services do. Passwords are
    recorded as changed, never their value."""

    def _changes(self, form, change: bool) -> dict:
        out = {}
        for name in form.changed_data:
            if "password" in name:
                out["password"] = [None, "diubah"]
                continue
            before = _shown(form.initial.get(name)) if change else None
            out[name] = [before, _shown(form.cleaned_data.get(name))]
        return out

    def save_related(self, request, form, formsets, change):
        # After the many-to-many fields are saved: a role's kecamatan are part of it.
        super().save_related(request, form, formsets, change)
        changes = self._changes(form, change)
        for formset in formsets:
            if formset.has_changed():
                changes[formset.prefix] = [None, "diubah"]
        if changes or not change:
            audit_log(
                actor=request.user,
                obj=form.instance,
                action="update" if change else "create",
                changes=changes,
                source="admin",
            )

    def delete_model(self, request, obj):
        audit_log(actor=request.user, obj=obj, action="delete", source="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action bypasses delete_model.
        for obj in queryset:
            audit_log(actor=request.user, obj=obj, action="delete", source="admin")
        super().delete_queryset(request, queryset)


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
