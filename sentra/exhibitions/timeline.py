"""Exhibitions on each IKM's timeline (registered in ExhibitionsConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.exhibitions.models import Application, LinkStatus, Status, StudentIkmLink
from sentra.registry.timeline import TimelineEvent


def exhibition_events(ikm) -> Iterable[TimelineEvent]:
    apps = (
        Application.objects.filter(ikm=ikm)
        .select_related("exhibition", "outcome")
        .order_by("-exhibition__start_date")[:100]
    )
    for a in apps:
        e = a.exhibition
        url = reverse("exhibitions:detail", args=[e.pk])
        yield TimelineEvent(
            when=a.created_at,
            kind="exhibition",
            title=_("Mendaftar pameran: %(name)s") % {"name": e.name},
            detail=a.get_channel_display(),
            url=url,
        )
        if a.status == Status.SELECTED and a.attended is not False:
            outcome = getattr(a, "outcome", None)
            detail = f"{e.venue} · {a.booth_number}"
            if outcome and outcome.sales is not None:
                detail += " · " + _("penjualan Rp %(sales)s, %(contacts)s kontak pembeli") % {
                    "sales": f"{outcome.sales:,}".replace(",", "."),
                    "contacts": outcome.buyer_contacts or 0,
                }
            yield TimelineEvent(
                when=e.start_date,
                kind="exhibition",
                title=_("Ikut pameran: %(name)s") % {"name": e.name},
                detail=detail,
                url=url,
            )
        elif a.status == Status.CANCELLED:
            yield TimelineEvent(
                when=e.start_date,
                kind="exhibition",
                title=_("Batal ikut pameran: %(name)s") % {"name": e.name},
                detail=a.cancelled_reason,
                url=url,
            )
    for link in StudentIkmLink.objects.filter(ikm=ikm, status=LinkStatus.CONFIRMED).select_related(
        "student__institution"
    ):
        yield TimelineEvent(
            when=link.decided_at or link.created_at,
            kind="exhibition",
            title=_("Pemilik pernah menjadi mahasiswa/siswa pendamping pameran"),
            detail=link.student.institution.name,
            url=reverse("exhibitions:student_detail", args=[link.student_id]),
        )
