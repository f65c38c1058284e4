"""A release of an open-data table: the rows published for one build of the summary
tables, so that every download of that version is the same and is computed once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    dataset = models.CharField(_("dataset"), max_length=60)
    stamp = models.CharField(_("versi tabel ringkasan"), max_length=80)
    period = models.IntegerField(_("tahun data"))
    as_of = models.DateTimeField(_("angka per"))
    hidden = models.IntegerField(_("sel disembunyikan"))
    rows = models.JSONField(_("baris"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "stamp"], name="opendata_release_once")
        ]
        verbose_name = _("rilis data terbuka")
        verbose_name_plural = _("rilis data terbuka")

    def __str__(self) -> str:
        return f"{self.dataset} @ {self.stamp}"
