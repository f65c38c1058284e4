"""Coaching activities on each IKM's timeline (registered in CoachingConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.coaching.models import Participation
from sentra.registry.timeline import TimelineEvent


def coaching_events(ikm) -> Iterable[TimelineEvent]:
    participations = (
        Participation.objects.filter(ikm=ikm)
        .select_related("activity__programme__category")
        .order_by("-activity__date")[:200]
    )
    for p in participations:
        a = p.activity
        yield TimelineEvent(
            when=a.date,
            kind="coaching",
            title=_("Pembinaan: %(kind)s – %(title)s")
            % {"kind": a.get_kind_display(), "title": a.title},
            detail=f"{a.programme.category.name} · {a.programme.name} · {a.place}",
            url=reverse("coaching:activity_detail", args=[a.pk]),
        )
