"""One timeline per IKM, assembled from every app that knows something about it.

An app adds its events by registering a provider in its AppConfig.ready():

    from sentra.registry import timeline
    timeline.register(my_provider)   # my_provider(ikm) -> Iterable[TimelineEvent]

Personal data in `changes` are masked for the viewer by `events_for`; a provider never
puts personal data into `title` or `detail`.

Nothing is copied into a timeline table: each provider reads its own records, so the
timeline can never disagree with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from sentra.registry.models import Ikm


@dataclass(frozen=True)
class TimelineEvent:
    when: date | datetime
    kind: str  # a short key used for the icon/colour: lifecycle, audit, coaching, ...
    title: str
    detail: str = ""
    url: str = ""
    changes: dict = field(default_factory=dict)

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.when, datetime):
            return self.when if timezone.is_aware(self.when) else timezone.make_aware(self.when)
        return timezone.make_aware(datetime(self.when.year, self.when.month, self.when.day))


Provider = Callable[["Ikm"], Iterable[TimelineEvent]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def events_for(ikm: Ikm, *, viewer) -> list[TimelineEvent]:
    """Every provider's events, newest first, as `viewer` may see them: the personal
    fields' old and new values go through the policy's mask, whichever app wrote them."""
    from dataclasses import replace

    from sentra.accounts.permissions import mask

    events = [
        replace(event, changes=mask(viewer, event.changes, kecamatan_code=ikm.kecamatan_id))
        if event.changes
        else event
        for provider in _providers
        for event in provider(ikm)
    ]
    return sorted(events, key=lambda e: e.sort_key, reverse=True)


def lifecycle_events(ikm: Ikm) -> Iterable[TimelineEvent]:
    if ikm.started_year:
        yield TimelineEvent(
            when=date(ikm.started_year, ikm.started_month or 1, 1),
            kind="lifecycle",
            title=_("Mulai beroperasi"),
            detail="" if ikm.started_month else _("bulan tidak diketahui"),
        )
    if ikm.first_recorded_on:
        yield TimelineEvent(
            when=ikm.first_recorded_on, kind="lifecycle", title=_("Pertama tercatat di dinas")
        )
    if ikm.closed_on:
        yield TimelineEvent(
            when=ikm.closed_on,
            kind="lifecycle",
            title=_("Tutup: %(reason)s") % {"reason": ikm.get_closed_reason_display()},
            detail=ikm.closed_note,
        )


def audit_events(ikm: Ikm) -> Iterable[TimelineEvent]:
    from sentra.audit.services import audit_entries_for

    labels = {
        "create": _("Data dibuat"),
        "update": _("Data diubah"),
        "close": _("Ditandai tutup"),
        "reopen": _("Dibuka kembali"),
        "merge": _("Penggabungan duplikat"),
        "merge_undo": _("Penggabungan dibatalkan"),
        "import": _("Diperbarui dari impor"),
    }
    for entry in audit_entries_for(ikm)[:200]:
        who = entry.actor.get_username() if entry.actor else _("sistem")
        yield TimelineEvent(
            when=entry.at,
            kind="audit",
            title=labels.get(entry.action, entry.action),
            detail=_("oleh %(who)s") % {"who": who}
            + (f" · {entry.source}" if entry.source else ""),
            changes=entry.changes,
        )
