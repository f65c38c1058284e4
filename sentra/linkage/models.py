"""Duplicate candidates, the reviewers' decisions, and merges that can be undone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu tinjauan")
    MERGED = "merged", _("Digabung")
    REJECTED = "rejected", _("Bukan duplikat")


class CandidatePair(models.Model):
    """Two IKM that the engine thinks may be one. Stored with the lower pk first, so a
    pair exists once; a rejected pair stays, so the next pass does not propose it again."""

    ikm_a = models.ForeignKey(
        "registry.Ikm", on_delete=models.CASCADE, related_name="+", verbose_name=_("IKM A")
    )
    ikm_b = models.ForeignKey(
        "registry.Ikm", on_delete=models.CASCADE, related_name="+", verbose_name=_("IKM B")
    )
    score = models.FloatField(_("peluang duplikat"), db_index=True)
    weight = models.FloatField(_("bobot (bit)"), default=0)
    # {field: {"level": "...", "weight": bits}} from the engine.
    evidence = models.JSONField(_("bukti"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING
    )
    found_at = models.DateTimeField(_("ditemukan"), auto_now_add=True)
    scored_at = models.DateTimeField(_("dinilai"), auto_now=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pasangan calon duplikat")
        verbose_name_plural = _("pasangan calon duplikat")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ikm_a", "ikm_b"], name="linkage_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(ikm_a__lt=models.F("ikm_b")), name="linkage_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"])]

    def __str__(self) -> str:
        return f"#{self.ikm_a_id} ~ #{self.ikm_b_id} ({self.score:.2f})"


class Merge(models.Model):
    """One merge, with everything needed to undo it exactly: both records' full rows
    before, the kept record's row after, and every related row that was moved."""

    pair = models.ForeignKey(
        CandidatePair, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    kept = models.ForeignKey(
        "registry.Ikm", on_delete=models.PROTECT, related_name="+", verbose_name=_("dipertahankan")
    )
    merged = models.ForeignKey(
        "registry.Ikm", on_delete=models.PROTECT, related_name="+", verbose_name=_("digabungkan")
    )
    # Field name -> "kept"/"merged": whose value the reviewer chose.
    choices = models.JSONField(_("pilihan nilai"), default=dict)
    kept_before = models.JSONField(default=dict)
    merged_before = models.JSONField(default=dict)
    kept_after = models.JSONField(default=dict)
    merged_after = models.JSONField(default=dict)
    # [{"model": "registry.ikmsource", "field": "ikm", "pks": [..]}, ...]
    moved = models.JSONField(default=list)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    undone_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("penggabungan")
        verbose_name_plural = _("penggabungan")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.kept_id}"


class LinkageModel(models.Model):
    """Fellegi–Sunter parameters estimated on the registry by the last full pass; an
    incoming file is scored with them (a small file alone is too few to estimate)."""

    params = models.JSONField()
    records = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"model {self.trained_at:%Y-%m-%d %H:%M} ({self.records} IKM)"


class DedupeRun(models.Model):
    """A registry-wide pass, run as a background task; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"pemeriksaan duplikat #{self.pk}"
