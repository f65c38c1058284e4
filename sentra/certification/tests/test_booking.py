"""The booking rules as one pure function over plain state (no database)."""

from datetime import date

from sentra.certification import booking
from sentra.certification.booking import (
    AssessorState,
    BookedBatch,
    BookingState,
    CandidateState,
    Proposal,
    TukState,
)

MONDAY = date(2027, 3, 1)
TUESDAY = date(2027, 3, 2)


def _state(**extra) -> BookingState:
    values = {
        "today": date(2027, 2, 1),
        "assessors": {
            1: AssessorState(1, "Budi Santoso", frozenset({10}), ((MONDAY, date(2027, 3, 31)),), 5)
        },
        "tuks": {7: TukState(7, "TUK Denpasar", 10)},
        "schemes": {10: "Pengelola IKM", 11: "Pemasaran IKM"},
        "booked": [],
        "candidates": {
            100: CandidateState(
                100, "Ni Made Sari (UD Sari)", 10, True, date(2027, 1, 5), False, True, None, None
            ),
            101: CandidateState(
                101, "Ketut Arsa (CV Arsa)", 10, True, date(2027, 1, 5), False, True, None, None
            ),
        },  # fmt: skip
        "holidays": frozenset(),
    }
    return BookingState(**(values | extra))


def _proposal(**extra) -> Proposal:
    values = {
        "scheme_id": 10, "tuk_id": 7, "assessor_ids": (1,), "start": MONDAY, "end": TUESDAY,
        "capacity": 2, "candidate_ids": (100, 101),
    }  # fmt: skip
    return Proposal(**(values | extra))


def test_a_good_batch_has_no_problems():
    assert booking.proposal_problems(_state(), [_proposal()]) == []


def test_a_stored_batch_makes_the_assessor_busy():
    stored = BookedBatch("B20270302-01", 7, (1,), TUESDAY, TUESDAY, 5)
    problems = booking.proposal_problems(_state(booked=[stored]), [_proposal()])
    assert problems == [
        "Asesor Budi Santoso sudah bertugas di batch B20270302-01 pada tanggal itu."
    ]


def test_two_batches_of_one_plan_cannot_share_an_assessor_day():
    first = _proposal(candidate_ids=(100,), trip=(1, MONDAY))
    second = _proposal(candidate_ids=(101,), start=TUESDAY, trip=(1, MONDAY))
    problems = booking.proposal_problems(_state(), [first, second])
    assert problems == [
        "Perjalanan Budi Santoso 01-03-2027: Asesor Budi Santoso terjadwal dua kali pada "
        "02-03-2027 dalam rencana."
    ]


def test_a_holiday_is_no_working_day():
    state = _state(holidays=frozenset({MONDAY, TUESDAY}))
    problems = booking.proposal_problems(state, [_proposal()])
    assert problems == [
        "Batch harus mencakup minimal satu hari kerja (Senin–Jumat, bukan hari libur)."
    ]


def test_tuk_seats_assessor_capacity_scheme_and_readiness_are_all_reported():
    late = CandidateState(102, "Gede Putra (UD Putra)", 10, True, date(2027, 4, 1),
                          False, True, None, None)  # fmt: skip
    certified = CandidateState(103, "Luh Ayu (UD Ayu)", 10, True, None, False, True,
                               date(2029, 1, 1), "B20270101-01")  # fmt: skip
    state = _state(
        candidates=_state().candidates | {102: late, 103: certified},
        tuks={7: TukState(7, "TUK Denpasar", 3)},
    )
    problems = booking.proposal_problems(
        state, [_proposal(scheme_id=11, capacity=12, candidate_ids=(100, 102, 103))]
    )
    assert "Asesor Budi Santoso tidak memiliki skema Pemasaran IKM." in problems
    assert "Kapasitas batch (12) melebihi kemampuan asesor (10 peserta dalam 2 hari)." in problems
    assert "Batch butuh 6 kursi per hari, kapasitas TUK TUK Denpasar hanya 3." in problems
    assert "Gede Putra (UD Putra) terdaftar untuk skema lain." in problems
    assert "Luh Ayu (UD Ayu) masih memegang sertifikat yang berlaku." in problems
    assert "Luh Ayu (UD Ayu) sudah terdaftar di batch B20270101-01." in problems


def test_batch_codes_skip_the_taken_ones_and_count_per_day():
    codes = booking.batch_codes([MONDAY, MONDAY, TUESDAY], {"B20270301-01"})
    assert codes == ["B20270301-02", "B20270301-03", "B20270302-01"]
