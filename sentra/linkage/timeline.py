"""Merges and their undoing on each IKM's timeline."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.registry.timeline import TimelineEvent


def merge_events(ikm) -> Iterable[TimelineEvent]:
    from sentra.linkage.selectors import merges_for

    for merge in merges_for(ikm_id=ikm.pk)[:50]:
        who = merge.actor.get_username() if merge.actor else _("sistem")
        if merge.kept_id == ikm.pk:
            title = _("Digabung dengan duplikat IKM #%(pk)s") % {"pk": merge.merged_id}
        else:
            title = _("Digabung ke IKM #%(pk)s (duplikat)") % {"pk": merge.kept_id}
        url = reverse("linkage:merge_detail", args=[merge.pk])
        yield TimelineEvent(
            when=merge.at,
            kind="merge",
            title=title,
            detail=_("oleh %(who)s") % {"who": who},
            url=url,
        )
        if merge.undone_at:
            who = merge.undone_by.get_username() if merge.undone_by else _("sistem")
            yield TimelineEvent(
                when=merge.undone_at,
                kind="merge",
                title=_("Penggabungan #%(pk)s dibatalkan") % {"pk": merge.pk},
                detail=_("oleh %(who)s") % {"who": who},
                url=url,
            )
