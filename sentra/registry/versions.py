"""No lost update: an edit form carries the version and the values it was loaded from.

`edit_token(ikm)` signs (pk, version, the editable values) into one hidden field; a
submit whose version is older than the row's is refused by the service, and
`changes_since(token, ikm)` lists what the other person changed, field by field: the
value when this form was opened and the value now. Signed, so a form cannot claim a
version or values it never had; the values are the form's own, so nothing new is shown.

Other records with a `version` counter (an exhibition) use the same token with their own
`fields`; the token names its model, so one record's token never passes for another's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from sentra.audit.services import snapshot
from sentra.registry.models import EDITABLE_FIELDS, Ikm

SALT = "sentra.registry.edit-token"


@dataclass(frozen=True)
class EditBase:
    pk: int
    version: int
    values: dict[str, Any]


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: Any
    now: Any


def _plain(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    # One JSON form for both sides, so a date or a Decimal compares equal to itself.
    return json.loads(json.dumps(snapshot(obj, fields), cls=DjangoJSONEncoder))


def plain(value: Any) -> Any:
    """A form's cleaned value in the token's form (a related record as its key)."""
    if isinstance(value, models.Model):
        value = value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def edit_token(obj: models.Model, *, fields: list[str] = EDITABLE_FIELDS) -> str:
    data: dict[str, Any] = {
        "pk": obj.pk,
        "v": getattr(obj, "version"),  # noqa: B009 (any model with a version counter)
        "base": _plain(obj, fields),
    }
    if not isinstance(obj, Ikm):
        data["m"] = obj._meta.label_lower
    return signing.dumps(data, salt=SALT)


def read_token(token: str, *, pk: int, model: type[models.Model] = Ikm) -> EditBase | None:
    """The base of a submitted form, or None when missing, forged or for another record."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if data.get("pk") != pk or data.get("m", Ikm._meta.label_lower) != model._meta.label_lower:
        return None
    return EditBase(pk=pk, version=int(data["v"]), values=data["base"])


def changes_since(
    base: EditBase, obj: models.Model, *, fields: list[str] = EDITABLE_FIELDS
) -> list[FieldChange]:
    """The fields whose value differs now from when the form was opened."""
    now = _plain(obj, fields)
    return [
        FieldChange(
            name=name,
            label=str(getattr(obj._meta.get_field(name), "verbose_name", name)),
            before=base.values.get(name),
            now=now[name],
        )
        for name in fields
        if base.values.get(name) != now[name]
    ]
