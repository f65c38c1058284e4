"""Applications: entered by an officer or signed up by the public (matched to the
registry by the linkage engine), and their verification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.permissions import require_manage_exhibitions
from sentra.audit.services import audit_log, diff, snapshot
from sentra.exhibitions import matching
from sentra.exhibitions.models import (
    Application,
    BoothType,
    Channel,
    Exhibition,
    Status,
)
from sentra.registry.models import Ikm

if TYPE_CHECKING:
    from sentra.accounts.models import User


def _application_save(*, actor: User | None, application: Application, source: str) -> Application:
    if application.status != Status.APPLIED:
        raise ValidationError(_("Pendaftaran baru selalu berstatus diajukan."))
    if Application.objects.filter(exhibition=application.exhibition, ikm=application.ikm).exists():
        raise ValidationError(_("IKM ini sudah mendaftar di pameran ini."))
    application.full_clean()
    application.save()
    audit_log(
        actor=actor,
        obj=application,
        action="create",
        changes=diff(
            {},
            snapshot(application, ["exhibition", "ikm", "booth_type", "channel", "products"]),
        ),
        source=source,
    )
    return application


@transaction.atomic
def application_create(
    *,
    actor: User,
    exhibition: Exhibition,
    ikm: Ikm,
    booth_type: BoothType,
    products: str,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
) -> Application:
    """An application entered by an officer (from a letter, a call, a visit)."""
    require_manage_exhibitions(actor)
    return _application_save(
        actor=actor,
        application=Application(
            exhibition=exhibition,
            ikm=ikm,
            booth_type=booth_type,
            channel=Channel.OFFICER,
            products=products,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            created_by=actor,
        ),
        source=_("dicatat petugas"),
    )


@transaction.atomic
def signup_submit(
    *, exhibition: Exhibition, data: dict[str, Any], registry: list[dict[str, Any]] | None = None
) -> Application:
    """A public sign-up: matched to the registry by the linkage engine; an unknown
    applicant becomes a new IKM marked "perlu diverifikasi" for an officer.

    `data` holds the form's cleaned fields: business_name, owner_name, owner_sex,
    phone, email, desa (Area), address, products, subsector (or None), nib,
    pirt_number, halal_number, booth_type, consent (True).
    """
    from sentra.registry.services import ikm_create_from_signup

    today = timezone.localdate()
    if not exhibition.is_open_on(today):
        raise ValidationError(_("Pendaftaran pameran ini tidak sedang dibuka."))
    if not data.get("consent"):
        raise ValidationError(_("Persetujuan pemrosesan data pribadi diperlukan."))
    record = {
        "name": data["business_name"],
        "owner_name": data["owner_name"],
        "owner_phone": data["phone"],
        "address": data.get("address", ""),
        "desa_id": data["desa"].code,
        "main_products": data["products"],
        "nib": data.get("nib", ""),
    }
    (found,) = matching.registry_matches(
        [record], threshold=matching.SIGNUP_THRESHOLD, registry=registry
    )
    source = _("pendaftaran publik %(name)s") % {"name": exhibition}
    if found:
        ikm = Ikm.objects.get(pk=found[0].ikm_id)
        probability, new = found[0].probability, False
    else:
        ikm = ikm_create_from_signup(
            data={
                "name": data["business_name"],
                "owner_name": data["owner_name"],
                "owner_sex": data.get("owner_sex", ""),
                "owner_phone": data["phone"],
                "owner_email": data.get("email", ""),
                "address": data.get("address", ""),
                "desa_id": data["desa"].code,
                "main_products": data["products"],
                "subsector": data.get("subsector"),
                "nib": data.get("nib", ""),
                "pirt_number": data.get("pirt_number", ""),
                "halal_number": data.get("halal_number", ""),
            },
            source_reference=_("%(source)s — perlu diverifikasi") % {"source": source},
        )
        probability, new = None, True
    return _application_save(
        actor=None,
        application=Application(
            exhibition=exhibition,
            ikm=ikm,
            booth_type=data["booth_type"],
            channel=Channel.PUBLIC,
            products=data["products"],
            contact_name=data["owner_name"],
            contact_phone=data["phone"],
            contact_email=data.get("email", ""),
            consent_at=timezone.now(),
            needs_verification=new,
            match_probability=probability,
        ),
        source=source,
    )


@transaction.atomic
def application_verify(*, actor: User, application: Application) -> Application:
    """An officer has checked the IKM a sign-up created."""
    require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.needs_verification:
        application.needs_verification = False
        application.save(update_fields=["needs_verification"])
        audit_log(
            actor=actor,
            obj=application,
            action="verify",
            changes={"needs_verification": [True, False]},
        )
    return application
