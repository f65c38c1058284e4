"""Merging two IKM that are both candidates in one scheme (issue #12.6): the merge keeps
the better outcome instead of failing on the one-candidate-per-scheme constraint, and
undoing it puts every row back."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sentra.certification.models import Candidate, Outcome, Result, Role, Scheme
from sentra.linkage import services as linkage
from sentra.linkage.models import CandidatePair
from sentra.testing.factories import DESA_BARAT, IkmFactory, certify

pytestmark = pytest.mark.django_db


def _twins():
    a = IkmFactory(name="UD Pie Susu Dewata", owner_name="I Wayan Sukarta", desa_id=DESA_BARAT)
    b = IkmFactory(name="Pie Susu Dewata", owner_name="Wayan Sukarta", desa_id=DESA_BARAT)
    a, b = sorted([a, b], key=lambda i: i.pk)
    pair = CandidatePair.objects.create(
        ikm_a=a, ikm_b=b, score=0.97, weight=12.0, evidence={"name": {"level": "mirip"}}
    )
    return a, b, pair


def _merge(admin_user, pair, keep):
    return linkage.pair_merge(actor=admin_user, pair=pair, keep_id=keep.pk, choices={})


def test_the_merged_away_ikms_valid_certificate_is_kept(admin_user):
    kept, other, pair = _twins()
    scheme = Scheme.objects.get(role=Role.MANAGER, code="pengelola-ikm")
    # The kept IKM's manager failed; the other IKM's manager holds a valid certificate.
    mine = Candidate.objects.create(ikm=kept, scheme=scheme, name="Wayan", role=Role.MANAGER)
    Outcome.objects.create(
        candidate=mine, ikm=kept, role=Role.MANAGER, result=Result.NOT_YET,
        assessed_on=date(2025, 3, 4),
    )  # fmt: skip
    valid = certify(other, Role.MANAGER, expires=timezone.localdate() + timedelta(days=300))
    # A marketer only on the merged-away IKM simply moves.
    marketer = certify(other, Role.MARKETER, expires=timezone.localdate() + timedelta(days=30))

    merge = _merge(admin_user, pair, kept)

    valid.refresh_from_db()
    assert (valid.ikm_id, valid.candidate_id) == (kept.pk, mine.pk)
    assert Candidate.objects.get(pk=marketer.candidate_id).ikm_id == kept.pk
    assert Candidate.objects.filter(ikm=kept).count() == 2
    # The merged-away candidate stays on the closed record; nothing is deleted.
    assert Candidate.objects.filter(ikm=other).count() == 1
    assert Outcome.objects.count() == 3

    linkage.merge_undo(actor=admin_user, merge=merge)
    valid.refresh_from_db()
    marketer.refresh_from_db()
    assert valid.ikm_id == other.pk and valid.candidate.ikm_id == other.pk
    assert marketer.ikm_id == other.pk and marketer.candidate.ikm_id == other.pk
    assert Candidate.objects.filter(ikm=kept).count() == 1


def test_the_kept_ikms_better_outcome_stays_and_the_other_stays_behind(admin_user):
    kept, other, pair = _twins()
    ours = certify(kept, Role.MANAGER, expires=timezone.localdate() + timedelta(days=500))
    theirs = certify(other, Role.MANAGER, expires=timezone.localdate() - timedelta(days=10))

    _merge(admin_user, pair, kept)

    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.ikm_id == kept.pk
    # The expired one stays with its candidate on the closed record.
    assert theirs.ikm_id == other.pk and theirs.candidate.ikm_id == other.pk
    other.refresh_from_db()
    assert other.closed_on is not None
