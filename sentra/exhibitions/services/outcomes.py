"""After the exhibition: attendance (and its certificate code), outcomes and their photos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sentra.accounts.permissions import require_manage_exhibitions
from sentra.audit.services import audit_log, diff, snapshot
from sentra.exhibitions.models import (
    Application,
    Outcome,
    OutcomePhoto,
    Status,
    new_code,
)

if TYPE_CHECKING:
    from sentra.accounts.models import User

OUTCOME_FIELDS = [
    "sales",
    "buyer_contacts",
    "orders_after",
    "branding",
    "rating",
    "photo_url",
    "notes",
]


@transaction.atomic
def attendance_record(*, actor: User, application: Application, attended: bool) -> Application:
    """Attendance of a selected participant; attending earns a certificate code."""
    require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.SELECTED:
        raise ValidationError(_("Hanya peserta terpilih yang dicatat kehadirannya."))
    before = snapshot(application, ["attended", "certificate_code"])
    application.attended = attended
    if attended and not application.certificate_code:
        application.certificate_code = new_code()
    application.save(update_fields=["attended", "certificate_code"])
    audit_log(
        actor=actor,
        obj=application,
        action="attendance",
        changes=diff(before, snapshot(application, ["attended", "certificate_code"])),
    )
    return application


@transaction.atomic
def outcome_record(
    *,
    # The officer, or the anonymous visitor of the IKM's link when `by_ikm`.
    actor: Any,
    application: Application,
    data: dict[str, Any],
    by_ikm: bool = False,
    photos: list[Any] = (),  # type: ignore[assignment]  # uploaded files, none by default
) -> Outcome:
    """Sales, buyer contacts, orders after, branding, rating, photo link, notes and
    uploaded photos, by an officer, or by the IKM itself through its link (`by_ikm`, no
    signed-in actor)."""
    if not by_ikm:
        require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.SELECTED or application.attended is False:
        raise ValidationError(_("Hasil hanya dicatat untuk peserta yang ikut pameran."))
    outcome, _created = Outcome.objects.get_or_create(application=application)
    before = snapshot(outcome, OUTCOME_FIELDS)
    for name in OUTCOME_FIELDS:
        if name in data:
            setattr(outcome, name, data[name])
    outcome.recorded_by_ikm = by_ikm
    outcome.full_clean()
    outcome.save()
    audit_log(
        actor=actor,
        obj=outcome,
        action="outcome",
        changes=diff(before, snapshot(outcome, OUTCOME_FIELDS)),
        source=_("diisi IKM lewat tautan") if by_ikm else "",
    )
    for upload in photos:
        photo = OutcomePhoto(outcome=outcome, image=upload, uploaded_by_ikm=by_ikm)
        photo.full_clean()
        photo.save()
        audit_log(
            actor=actor,
            obj=photo,
            action="upload",
            changes={"image": [None, photo.image.name], "size": [None, upload.size]},
            source=_("diisi IKM lewat tautan") if by_ikm else "",
        )
    return outcome


@transaction.atomic
def outcome_photo_delete(*, actor: User, photo: OutcomePhoto) -> None:
    require_manage_exhibitions(actor)
    photo = OutcomePhoto.objects.select_for_update().get(pk=photo.pk)
    name = photo.image.name or ""
    audit_log(actor=actor, obj=photo, action="delete", changes={"image": [name, None]})
    photo.delete()
    # The file goes once the row is gone for good (not when the transaction rolls back).
    storage = photo.image.storage
    transaction.on_commit(lambda: storage.delete(name))
