"""Admin for the reference records (LSP, schemes with their units, assessors with their
windows, TUK). Every save and delete here writes a Sentra audit entry too; window
overlaps are refused with the same message as the service."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from sentra.audit.admin import AuditedAdmin
from sentra.certification.models import (
    Assessor,
    AvailabilityWindow,
    CompetencyUnit,
    Lsp,
    Scheme,
    Tuk,
)


class UnitInline(admin.TabularInline):
    model = CompetencyUnit
    extra = 1


class WindowFormSet(forms.models.BaseInlineFormSet):
    def clean(self):
        super().clean()
        spans = sorted(
            (f.cleaned_data["start"], f.cleaned_data["end"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        )
        for s, e in spans:
            if e < s:
                raise ValidationError(
                    "Tanggal akhir jendela ketersediaan sebelum tanggal mulainya."
                )
        for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
            if s2 <= e1:
                raise ValidationError(
                    f"Jendela {s1:%d-%m-%Y} s.d. {e1:%d-%m-%Y} dan {s2:%d-%m-%Y} s.d. "
                    f"{e2:%d-%m-%Y} bertumpang tindih."
                )


class WindowInline(admin.TabularInline):
    model = AvailabilityWindow
    formset = WindowFormSet
    extra = 1


@admin.register(Lsp)
class LspAdmin(AuditedAdmin):
    list_display = ["name", "city", "licence_number"]


@admin.register(Scheme)
class SchemeAdmin(AuditedAdmin):
    list_display = ["name", "code", "role", "lsp", "validity_years", "active"]
    inlines = [UnitInline]


@admin.register(Assessor)
class AssessorAdmin(AuditedAdmin):
    list_display = ["name", "home_city", "lsp", "local", "candidates_per_day", "active"]
    list_filter = ["local", "active", "lsp"]
    filter_horizontal = ["schemes"]
    inlines = [WindowInline]


@admin.register(Tuk)
class TukAdmin(AuditedAdmin):
    list_display = ["name", "place", "city", "capacity", "active"]
