from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change to one object: who, when, what, each field old → new.

    Written only by services (`sentra.audit.services.audit_log`), never by views.
    The object is named by its model label and key, not a foreign key, so an entry
    outlives the object and merged or deleted records keep their history.
    """

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("oleh"),
    )
    action = models.CharField(_("tindakan"), max_length=40)
    model = models.CharField(_("jenis data"), max_length=60)
    object_id = models.CharField(_("ID data"), max_length=40)
    object_repr = models.CharField(_("data"), max_length=200, blank=True)
    # {"field": [old, new], ...} with values as display text.
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    source = models.CharField(_("sumber"), max_length=300, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "-at"])]
        verbose_name = _("entri audit")
        verbose_name_plural = _("jejak audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model}#{self.object_id}"
