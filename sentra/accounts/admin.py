from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sentra.accounts.models import User


@admin.register(User)
class SentraUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "kecamatan"]
    fieldsets = (*UserAdmin.fieldsets, ("Sentra", {"fields": ("role", "kecamatan")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Sentra", {"fields": ("role", "kecamatan")}))
    filter_horizontal = ["kecamatan", *UserAdmin.filter_horizontal]
