"""The office's outgoing letters: one Nomor per document, never repeated within a year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    CERT_INVITATION = "cert_invitation", _("Undangan uji kompetensi")
    AREA_PROFILE = "area_profile", _("Profil IKM wilayah")
    EXHIBITION_REPORT = "exhibition_report", _("Laporan pameran")
    CERT_PROGRESS = "cert_progress", _("Laporan capaian sertifikasi")


class LetterSequence(models.Model):
    """The last number given in a year; its row is locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("urutan nomor surat")
        verbose_name_plural = _("urutan nomor surat")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Letter(models.Model):
    """A numbered document. Printing the same document again (`kind` + `ref`) shows the
    number it was given the first time instead of taking a new one."""

    kind = models.CharField(_("jenis"), max_length=30, choices=LetterKind.choices)
    # What the letter is about, e.g. "batch:12" or "profile:51.71.01:2026-12-06".
    ref = models.CharField(_("dokumen"), max_length=120)
    year = models.PositiveSmallIntegerField(_("tahun"))
    seq = models.PositiveIntegerField(_("urutan"))
    number = models.CharField(_("nomor"), max_length=120)
    subject = models.CharField(_("perihal"), max_length=300)
    issued_on = models.DateField(_("tanggal"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = _("surat")
        verbose_name_plural = _("surat")
        constraints = [
            # The database itself refuses a number given twice (a second safety behind
            # the locked sequence row), and a second number for the same document.
            models.UniqueConstraint(fields=["year", "seq"], name="letter_year_seq_unique"),
            models.UniqueConstraint(fields=["kind", "ref"], name="letter_kind_ref_unique"),
        ]

    # An issued letter; `letters.selectors.DraftLetter` is the one not yet numbered.
    is_draft = False

    def __str__(self) -> str:
        return self.number
