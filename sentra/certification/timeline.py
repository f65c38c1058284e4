"""Certification events on the IKM timeline (registered in CertificationConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.certification.models import OPEN_STATUSES, Enrollment, Outcome, Result
from sentra.registry.timeline import TimelineEvent


def certification_events(ikm) -> Iterable[TimelineEvent]:
    today = timezone.localdate()
    for o in Outcome.objects.filter(ikm=ikm).select_related("candidate__scheme")[:100]:
        scheme = o.candidate.scheme.name
        if o.result == Result.COMPETENT:
            yield TimelineEvent(
                when=o.assessed_on,
                kind="certification",
                title=_("Kompeten: %(scheme)s") % {"scheme": scheme},
                detail=_("%(name)s · sertifikat %(no)s berlaku sampai %(until)s")
                % {
                    "name": o.candidate.name,
                    "no": o.certificate_number,
                    "until": f"{o.expires_on:%d-%m-%Y}",
                },
            )
            if o.expires_on and o.expires_on <= today:
                yield TimelineEvent(
                    when=o.expires_on,
                    kind="certification",
                    title=_("Sertifikat %(scheme)s kedaluwarsa") % {"scheme": scheme},
                    detail=o.candidate.name,
                )
        else:
            yield TimelineEvent(
                when=o.assessed_on,
                kind="certification",
                title=_("Belum kompeten: %(scheme)s") % {"scheme": scheme},
                detail=_("%(name)s · dapat diases ulang") % {"name": o.candidate.name},
            )
    enrolments = Enrollment.objects.filter(
        candidate__ikm=ikm, batch__status__in=OPEN_STATUSES
    ).select_related("batch__scheme", "candidate")
    for e in enrolments[:50]:
        yield TimelineEvent(
            when=e.batch.start_date,
            kind="certification",
            title=_("Dijadwalkan uji kompetensi %(scheme)s") % {"scheme": e.batch.scheme.name},
            detail=_("%(name)s · batch %(code)s")
            % {"name": e.candidate.name, "code": e.batch.code},
            url=reverse("certification:batch_detail", args=[e.batch_id]),
        )
