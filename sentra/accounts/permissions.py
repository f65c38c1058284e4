"""Sentra's one access policy. Every view, selector, export, PDF, timeline, the map's
JSON, the templates (through `policy_context`) and the API ask here; nothing else decides.

Roles:

- admin: everything, including the Django admin and the audit page.
- analyst: reads everything, personal data included; changes nothing.
- coordinator (certification coordinator): reads everything, personal data included
  (they invite candidates from the whole city); plans certification, accepts a
  city-wide plan, cancels trips and manages candidates of every kecamatan. Edits no IKM.
- officer: reads everything; creates, edits, closes and merges IKM, manages coaching
  participants and certification candidates only for IKM in the kecamatan assigned to
  them, and sees personal data (NIK, phone, e-mail, birth date) only there. Records
  coaching programmes and activities (office-wide work) and drafts certification plans.
- viewer: reads everything except personal data.

Each decision is a function of the user and, where it matters, the kecamatan code of
the IKM concerned. `mask` is the one place that hides personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from sentra.accounts.models import Role

if TYPE_CHECKING:
    from sentra.accounts.models import User

# Whom a decision is about: a signed-in user, the anonymous one, or nobody (a task).
type Actor = User | AnonymousUser | None

# The owner's personal data. Kept here, not in registry, so that every app (imports,
# linkage, certification, the API) masks the same fields.
PERSONAL_FIELDS: tuple[str, ...] = ("owner_nik", "owner_phone", "owner_email", "owner_birth_date")

_ALL = None  # "every kecamatan" in a scope


class _Located(Protocol):
    @property
    def kecamatan_id(self) -> str | None: ...


class _Merge(Protocol):
    """What a merge decision reads of linkage's Merge (accounts imports no app above)."""

    @property
    def undone_at(self) -> Any: ...
    @property
    def kept(self) -> _Located: ...
    @property
    def merged(self) -> _Located: ...


class _Job(Protocol):
    """What an import job decision reads of imports' ImportJob."""

    @property
    def created_by_id(self) -> int | None: ...


def _signed_in(user: Actor) -> User | None:
    """The user when signed in: the anonymous user and the system (None) have no role."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return user


def _role(user: Actor) -> str | None:
    signed_in = _signed_in(user)
    return None if signed_in is None else signed_in.role


def _kecamatan_codes(actor: Actor) -> frozenset[str]:
    user = _signed_in(actor)
    if user is None:
        return frozenset()
    # Cached on the user object: a list page asks once per row.
    cached: frozenset[str] | None = getattr(user, "_sentra_kecamatan_codes", None)
    if cached is None:
        cached = frozenset(user.kecamatan.values_list("code", flat=True))
        user._sentra_kecamatan_codes = cached
    return cached


def _in_own_kecamatan(user: Actor, kecamatan_code: str | None) -> bool:
    return kecamatan_code is not None and kecamatan_code in _kecamatan_codes(user)


# --- reading -------------------------------------------------------------------------


def can_read(user: Actor) -> bool:
    """Every signed-in role reads every page (personal data aside)."""
    return _role(user) is not None


def can_see_personal(user: Actor, kecamatan_code: str | None) -> bool:
    role = _role(user)
    if role in (Role.ADMIN, Role.ANALYST, Role.COORDINATOR):
        return True
    if role == Role.OFFICER:
        return _in_own_kecamatan(user, kecamatan_code)
    return False


def personal_scope(user: Actor) -> frozenset[str] | None | bool:
    """Kecamatan whose personal data (and IKM points: a point is usually the owner's
    home) the user may see: None for all, a set of codes, or False for none."""
    role = _role(user)
    if role in (Role.ADMIN, Role.ANALYST, Role.COORDINATOR):
        return _ALL
    if role == Role.OFFICER:
        return _kecamatan_codes(user)
    return False


def can_read_audit(user: Actor) -> bool:
    """The audit table holds the real old and new values: admins only."""
    return _role(user) == Role.ADMIN


def can_use_admin(user: Actor) -> bool:
    return _role(user) == Role.ADMIN


# --- the registry ----------------------------------------------------------------------


def can_edit_in(user: Actor, kecamatan_code: str | None) -> bool:
    role = _role(user)
    if role == Role.ADMIN:
        return True
    if role == Role.OFFICER:
        return _in_own_kecamatan(user, kecamatan_code)
    return False


def can_create(user: Actor) -> bool:
    role = _role(user)
    return role == Role.ADMIN or (role == Role.OFFICER and bool(_kecamatan_codes(user)))


def editable_kecamatan_codes(user: Actor) -> frozenset[str] | None:
    """Kecamatan the user may write in; None means all of them."""
    role = _role(user)
    if role == Role.ADMIN:
        return None
    if role == Role.OFFICER:
        return _kecamatan_codes(user)
    return frozenset()


def can_merge(user: Actor, kecamatan_a: str | None, kecamatan_b: str | None) -> bool:
    """A merge changes both IKM: the user must be allowed to edit both."""
    return can_edit_in(user, kecamatan_a) and can_edit_in(user, kecamatan_b)


def can_undo_merge(user: Actor, merge: _Merge) -> bool:
    return merge.undone_at is None and can_merge(
        user, merge.kept.kecamatan_id, merge.merged.kecamatan_id
    )


# --- imports ---------------------------------------------------------------------------


def can_import(user: Actor) -> bool:
    return _role(user) in (Role.ADMIN, Role.OFFICER)


def can_see_import_job(user: Actor, job: _Job) -> bool:
    """An import file holds NIK and phone numbers of many kecamatan: only the one who
    uploaded it and admins open the job."""
    role = _role(user)
    if role == Role.ADMIN:
        return True
    signed_in = _signed_in(user)
    return role == Role.OFFICER and signed_in is not None and job.created_by_id == signed_in.pk


def import_jobs_scope(user: Actor) -> int | None | bool:
    """Whose import jobs the user lists: None for everyone's, a user id, or False."""
    role = _role(user)
    if role == Role.ADMIN:
        return None
    signed_in = _signed_in(user)
    if role == Role.OFFICER and signed_in is not None:
        pk: int = signed_in.pk
        return pk
    return False


# --- coaching --------------------------------------------------------------------------


def can_manage_coaching(user: Actor) -> bool:
    """Categories, programmes and activities are office-wide work."""
    return _role(user) in (Role.ADMIN, Role.OFFICER)


def can_manage_participant(user: Actor, kecamatan_code: str | None) -> bool:
    """Adding or removing an IKM as a coaching participant: officers only for their
    kecamatan."""
    role = _role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.OFFICER and _in_own_kecamatan(user, kecamatan_code)


def can_open_attendance_run(user: Actor, run: _Job) -> bool:
    """An uploaded daftar hadir holds the phone numbers of people of every kecamatan
    (and of people not in the registry): like an import file, only the one who uploaded
    it and admins open its matching."""
    role = _role(user)
    if role == Role.ADMIN:
        return True
    signed_in = _signed_in(user)
    return role == Role.OFFICER and signed_in is not None and run.created_by_id == signed_in.pk


# --- certification ---------------------------------------------------------------------


def can_plan(user: Actor) -> bool:
    """Reference records, drafts and batches of the certification planner."""
    return _role(user) in (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


def can_accept_plan(user: Actor) -> bool:
    """Accepting a plan books trips for the whole city."""
    return _role(user) in (Role.ADMIN, Role.COORDINATOR)


def can_cancel_trip(user: Actor) -> bool:
    return _role(user) in (Role.ADMIN, Role.COORDINATOR)


def can_manage_candidate(user: Actor, kecamatan_code: str | None) -> bool:
    role = _role(user)
    if role in (Role.ADMIN, Role.COORDINATOR):
        return True
    return role == Role.OFFICER and _in_own_kecamatan(user, kecamatan_code)


# --- letters (sentra.letters) ----------------------------------------------------------

# Who signs for which document (the kinds of letters.models.LetterKind; accounts imports
# no app above it). A number is an official act of the office: issued only by the
# roles that answer for the document's work, never by readers.
_LETTER_ISSUERS: dict[str, tuple[str, ...]] = {
    # A batch's invitation: those who plan certification.
    "cert_invitation": (Role.ADMIN, Role.COORDINATOR, Role.OFFICER),
    # The city-wide certification report: those who answer for the city-wide plan.
    "cert_progress": (Role.ADMIN, Role.COORDINATOR),
    # An exhibition serves the whole city: its officers of any kecamatan.
    "exhibition_report": (Role.ADMIN, Role.OFFICER),
    # An area profile: an officer only for his kecamatan (and its desa); a city profile
    # is the office's own (admin).
    "area_profile": (Role.ADMIN, Role.OFFICER),
}


def can_issue_letter(user: Actor, kind: str, kecamatan_code: str | None = None) -> bool:
    """May `user` give document `kind` its Nomor? `kecamatan_code`: the area a profile
    is about (None for the city, or for documents without an area)."""
    role = _role(user)
    if role is None or role not in _LETTER_ISSUERS.get(kind, ()):
        return False
    if role == Role.OFFICER and kind == "area_profile":
        return _in_own_kecamatan(user, kecamatan_code)
    return True


# --- the rule in words, for a refused action -------------------------------------------


def rule_text(action: str) -> str:
    """The rule a refused user is shown, so the page says why."""
    texts = {
        "read": _("Silakan masuk untuk membuka halaman ini."),
        "edit": _("Hanya admin dan petugas kecamatan IKM ini yang boleh mengubahnya."),
        "create": _("Hanya admin dan petugas kecamatan yang boleh menambah IKM."),
        "merge": _("Penggabungan hanya oleh admin atau petugas kecamatan kedua IKM."),
        "import": _("Hanya admin dan petugas yang boleh mengimpor data."),
        "import_job": _(
            "Impor ini milik pengguna lain; hanya pengunggah dan admin yang membukanya."
        ),
        "coaching": _("Hanya admin dan petugas yang boleh mengubah data pembinaan."),
        "attendance_run": _(
            "Daftar hadir ini diunggah pengguna lain; hanya pengunggah dan admin yang membukanya."
        ),
        "participant": _(
            "Petugas hanya boleh menambah atau menghapus peserta dari IKM di kecamatan tugasnya."
        ),
        "plan": _(
            "Hanya admin, koordinator sertifikasi dan petugas yang boleh mengubah data sertifikasi."
        ),
        "accept_plan": _(
            "Hanya koordinator sertifikasi dan admin yang boleh menetapkan rencana sekota."
        ),
        "cancel_trip": _(
            "Hanya koordinator sertifikasi dan admin yang boleh membatalkan perjalanan."
        ),
        "candidate": _("Petugas hanya boleh mengelola asesi dari IKM di kecamatan tugasnya."),
        "letter": _(
            "Nomor surat hanya diterbitkan oleh admin dan petugas yang bertanggung jawab atas"
            " dokumen ini."
        ),
        "audit": _("Jejak audit hanya untuk admin."),
        "admin": _("Hanya admin."),
    }
    return texts[action]


def require(allowed: bool, action: str) -> None:
    """Raise 403 with the rule in words unless `allowed`."""
    if not allowed:
        raise PermissionDenied(rule_text(action))


def require_actor(actor: Actor, check: Callable[..., bool], *args: Any, action: str) -> None:
    """In a service: `actor` None is the system itself (demo data, management
    commands) and may do anything; a user must pass `check(actor, *args)`."""
    if actor is not None:
        require(check(actor, *args), action)


def require_edit_in(user: Actor, kecamatan_code: str | None) -> None:
    require(can_edit_in(user, kecamatan_code), "edit")


type View = Callable[..., HttpResponseBase]


def allowed(check: Callable[[Any], bool], action: str) -> Callable[[View], View]:
    """View decorator: one line that states who may open the view.

    @allowed(can_import, "import")
    def upload(request): ...
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require(check(request.user), action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- masking -------------------------------------------------------------------------


def mask_value(field: str, value: Any) -> Any:
    """How one personal field shows to a role that may not see it."""
    if value in (None, ""):
        return value
    if field.endswith("birth_date") or isinstance(value, date):
        return "••••"
    text = str(value)
    if field.endswith("email"):
        # The domain tells a clerk "gmail or the firm's own"; the person stays hidden.
        local, at, domain = text.partition("@")
        return "•••••" + (at + domain if at else "")
    keep = 4 if len(text) > 8 else 0
    return "•" * (len(text) - keep) + (text[-keep:] if keep else "")


def _masked_mapping(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    out = dict(data)
    for name in fields:
        if name in out:
            value = out[name]
            if isinstance(value, list | tuple):  # an audit change [old, new]
                out[name] = [mask_value(name, v) for v in value]
            else:
                out[name] = mask_value(name, value)
    return out


_UNSET: Any = object()


def mask(
    viewer: Actor,
    record: models.Model | Mapping[str, Any] | Sequence[Any],
    *,
    kecamatan_code: str | None = _UNSET,
    fields: Sequence[str] | None = None,
) -> Any:
    """What `viewer` may see of a record: personal fields masked unless allowed.

    - a model instance (an IKM, or anything with `owner_*` fields and a kecamatan):
      a dict of its personal fields, masked or real;
    - a mapping (a row, audit changes {field: [old, new]}, a merge snapshot): a copy
      with the personal keys masked;
    - a sequence (an export row): a copy, `fields` naming its columns.

    `kecamatan_code` is the IKM's kecamatan; a model instance brings its own.
    """
    if isinstance(record, models.Model):
        if kecamatan_code is _UNSET:
            kecamatan_code = getattr(record, "kecamatan_id", None)
        values = {name: getattr(record, name, None) for name in PERSONAL_FIELDS}
        if can_see_personal(viewer, kecamatan_code):
            return values
        return _masked_mapping(values, PERSONAL_FIELDS)
    if kecamatan_code is _UNSET:
        kecamatan_code = None
    see = can_see_personal(viewer, kecamatan_code)
    if isinstance(record, Mapping):
        return dict(record) if see else _masked_mapping(record, PERSONAL_FIELDS)
    row = list(record)
    if see:
        return row
    if fields is None:
        raise ValueError("mask() of a row needs the names of its columns")
    for i, name in enumerate(fields):
        if name in PERSONAL_FIELDS:
            row[i] = mask_value(name, row[i])
    return row


# --- redirects -----------------------------------------------------------------------


def next_url(request: HttpRequest, fallback: str) -> str:
    """The `next` the form sent, when it points to this site; `fallback` otherwise.
    Without this check a crafted link sends an officer on to a phishing page."""
    from django.shortcuts import resolve_url
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


# --- templates -----------------------------------------------------------------------


def policy_context(user: Actor) -> dict[str, bool]:
    """What the shared templates (menu, header) may offer this user."""
    return {
        "can_use_admin": can_use_admin(user),
        "can_read_audit": can_read_audit(user),
        "can_import": can_import(user),
        "can_create": can_create(user) if _role(user) else False,
    }


# --- exhibitions and students (sentra.exhibitions) --------------------------------------


def can_manage_exhibitions(user: User) -> bool:
    """Events, applications, selection, overrides, attendance, outcomes, students: the
    office's officers (of any kecamatan: an exhibition serves the whole city) and admins."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.OFFICER)


def can_see_applicant_personal(user: User, kecamatan_code: str | None) -> bool:
    """An applicant's contact (phone, e-mail) follows the IKM's kecamatan, like the registry."""
    return can_see_personal(user, kecamatan_code)


def can_see_student_personal(user: User) -> bool:
    """Students have no kecamatan in Sentra: admins, analysts and officers see their
    contact and birth date (given with consent for the office's programmes); viewers don't."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.ANALYST, Role.OFFICER)


def can_see_exhibition_photos(user: User) -> bool:
    """Participants' outcome photos are shown where the exhibition page is: to every
    signed-in role. The files are never public; the IKM sees its own through its link."""
    return user.is_authenticated and _role(user) is not None


def require_manage_exhibitions(user: User) -> None:
    if not can_manage_exhibitions(user):
        raise PermissionDenied("Hanya admin dan petugas yang boleh mengelola pameran.")
