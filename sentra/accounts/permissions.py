"""Who may do what. Every view and export asks here; nothing else decides access.

- admin: everything, including the Django admin.
- analyst: reads everything, personal data included; changes nothing.
- officer: reads everything; creates, edits and closes IKM only in the kecamatan
  assigned to them, and sees personal data (NIK, phone, e-mail, birth date) only there.
- viewer: reads everything except personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from sentra.accounts.models import Role

if TYPE_CHECKING:
    from sentra.accounts.models import User


def _kecamatan_codes(user: User) -> frozenset[str]:
    # Cached on the user object: a list page asks once per row.
    cached = getattr(user, "_sentra_kecamatan_codes", None)
    if cached is None:
        cached = frozenset(user.kecamatan.values_list("code", flat=True))
        user._sentra_kecamatan_codes = cached
    return cached


def can_edit_in(user: User, kecamatan_code: str | None) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OFFICER:
        return kecamatan_code is not None and kecamatan_code in _kecamatan_codes(user)
    return False


def can_create(user: User) -> bool:
    return user.is_authenticated and (
        user.role == Role.ADMIN or (user.role == Role.OFFICER and bool(_kecamatan_codes(user)))
    )


def can_see_personal(user: User, kecamatan_code: str | None) -> bool:
    if not user.is_authenticated:
        return False
    if user.role in (Role.ADMIN, Role.ANALYST):
        return True
    if user.role == Role.OFFICER:
        return kecamatan_code in _kecamatan_codes(user)
    return False


def editable_kecamatan_codes(user: User) -> frozenset[str] | None:
    """Kecamatan the user may write in; None means all of them."""
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.OFFICER:
        return _kecamatan_codes(user)
    return frozenset()


def require_edit_in(user: User, kecamatan_code: str | None) -> None:
    if not can_edit_in(user, kecamatan_code):
        raise PermissionDenied("Anda tidak berwenang mengubah IKM di kecamatan ini.")


def role_required(*roles: str) -> Callable:
    """View decorator: only these roles (admins always) get in, others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role != Role.ADMIN and request.user.role not in roles:
                raise PermissionDenied("Peran Anda tidak berwenang membuka halaman ini.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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


def require_manage_exhibitions(user: User) -> None:
    if not can_manage_exhibitions(user):
        raise PermissionDenied("Hanya admin dan petugas yang boleh mengelola pameran.")
