from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sentra.accounts.models import User
from sentra.audit.admin import AuditedAdmin
from sentra.audit.services import audit_log


@admin.register(User)
class SentraUserAdmin(AuditedAdmin, UserAdmin):
    """Every change of a user, their role and kecamatan is audited (AuditedAdmin)."""

    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "kecamatan"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Sentra", {"fields": ("role", "kecamatan")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Sentra", {"fields": ("role", "kecamatan")}))
    filter_horizontal = ["kecamatan", *UserAdmin.filter_horizontal]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit_log(
                actor=request.user,
                obj=user,
                action="password",
                changes={"password": [None, "diubah"]},
                source="admin",
            )
        return response
