"""The policy module's decisions and its one masking function."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from sentra.accounts import permissions as policy
from sentra.accounts.models import Role
from sentra.testing.factories import DENPASAR_BARAT, DENPASAR_TIMUR, IkmFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_email_masking_hides_the_whole_mailbox():
    # mask(value, 0) used to keep value[-0:], i.e. the whole address.
    shown = policy.mask_value("owner_email", "rahasia.lama@example.id")
    assert "rahasia" not in shown and shown.endswith("@example.id")
    assert policy.mask_value("owner_email", "tanpa-at") == "•••••"
    assert policy.mask_value("owner_nik", "5171031512850007") == "••••••••••••0007"
    assert policy.mask_value("owner_phone", "0361 22") == "•••••••"  # short: nothing kept
    assert policy.mask_value("owner_birth_date", date(1985, 12, 6)) == "••••"
    assert policy.mask_value("owner_phone", "") == ""


def test_mask_takes_the_viewer_and_a_record_a_mapping_or_a_row():
    ikm = IkmFactory(owner_email="pemilik@contoh.example.id")
    viewer = UserFactory(role=Role.VIEWER)
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT])
    assert policy.mask(officer, ikm)["owner_email"] == "pemilik@contoh.example.id"
    masked = policy.mask(viewer, ikm)
    assert (
        masked["owner_nik"].endswith(ikm.owner_nik[-4:]) and "pemilik" not in masked["owner_email"]
    )
    changes = {"owner_phone": ["081211112222", "081233334444"], "name": ["A", "B"]}
    shown = policy.mask(viewer, changes, kecamatan_code=DENPASAR_BARAT)
    assert shown["name"] == ["A", "B"] and "08121111" not in str(shown)
    row = policy.mask(viewer, ["A", "5171031512850007"], kecamatan_code=None,
                      fields=["name", "owner_nik"])  # fmt: skip
    assert row == ["A", "••••••••••••0007"]


def test_roles_decide_per_kecamatan():
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT])
    coordinator = UserFactory(role=Role.COORDINATOR)
    viewer = UserFactory(role=Role.VIEWER)
    assert policy.can_manage_participant(officer, DENPASAR_BARAT)
    assert not policy.can_manage_participant(officer, DENPASAR_TIMUR)
    assert policy.can_manage_candidate(officer, DENPASAR_BARAT)
    assert not policy.can_manage_candidate(officer, DENPASAR_TIMUR)
    assert not policy.can_manage_candidate(officer, None)  # city-wide
    assert policy.can_manage_candidate(coordinator, DENPASAR_TIMUR)
    assert policy.can_accept_plan(coordinator) and not policy.can_accept_plan(officer)
    assert policy.can_cancel_trip(coordinator) and not policy.can_cancel_trip(officer)
    assert policy.can_see_personal(coordinator, DENPASAR_TIMUR)
    assert not policy.can_see_personal(viewer, DENPASAR_BARAT)
    assert not policy.can_edit_in(coordinator, DENPASAR_BARAT)
    assert policy.personal_scope(viewer) is False
    assert policy.personal_scope(officer) == frozenset({DENPASAR_BARAT})


def test_a_refusal_says_the_rule():
    with pytest.raises(PermissionDenied, match="kecamatan tugasnya"):
        policy.require(False, "participant")


def test_next_only_leads_to_this_site():
    factory = RequestFactory()
    evil = factory.post("/x/", {"next": "https://evil.example/phish"})
    assert policy.next_url(evil, "/sertifikasi/batch/") == "/sertifikasi/batch/"
    sneaky = factory.post("/x/", {"next": "//evil.example/phish"})
    assert policy.next_url(sneaky, "/sertifikasi/batch/") == "/sertifikasi/batch/"
    ours = factory.post("/x/", {"next": "/sertifikasi/batch/3/"})
    assert policy.next_url(ours, "/") == "/sertifikasi/batch/3/"


def test_templates_get_no_role_names():
    admin = UserFactory(role=Role.ADMIN)
    viewer = UserFactory(role=Role.VIEWER)
    assert policy.policy_context(admin)["can_use_admin"] is True
    assert policy.policy_context(viewer) == {
        "can_use_admin": False,
        "can_read_audit": False,
        "can_import": False,
        "can_create": False,
    }
