"""What the planner takes (assessors, TUK, candidates, busy days, PlanInput) and what it
gives back (Plan of trips and batches, serialised to JSON for a PlanDraft).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

# Receives {"phase", "trips" (best so far), "bound" (proven), "scheduled", "total",
# "elapsed", "limit"}; may be called from the solver's threads, so it only stores.
Progress = Callable[[dict[str, Any]], None]

# A plan's trips as the solvers count them:
# {(assessor, block): (TUK, {(class, priority): candidates}, {class: days})}
type TripCounts = dict[tuple[int, int], tuple[int, dict[tuple[int, int], int], dict[int, int]]]

MAX_DAYS_PER_TRIP = 5


@dataclass(frozen=True)
class AssessorSpec:
    id: int
    name: str
    schemes: frozenset[int]
    per_day: int
    windows: tuple[tuple[date, date], ...]
    trip_cost: int
    local: bool = False


@dataclass(frozen=True)
class TukSpec:
    id: int
    name: str
    capacity: int


@dataclass(frozen=True)
class CandidateSpec:
    id: int
    scheme_id: int
    area: str  # desa code, e.g. 51.71.03.1005
    ready_on: date
    priority: bool = False


@dataclass(frozen=True)
class Busy:
    """A kept (planned/confirmed) batch: its assessors and seats are taken on these days."""

    assessor_ids: tuple[int, ...]
    tuk_id: int
    start: date
    end: date
    seats_per_day: int


@dataclass(frozen=True)
class PlanInput:
    candidates: tuple[CandidateSpec, ...]
    assessors: tuple[AssessorSpec, ...]
    tuks: tuple[TukSpec, ...]
    days_per_trip: int
    start: date
    horizon_end: date
    deadline: date | None = None
    group_level: str = "kecamatan"  # kecamatan | desa | kota
    busy: tuple[Busy, ...] = ()
    time_limit: float = 10.0
    workers: int = 4
    holidays: frozenset[date] = frozenset()  # public holidays, cuti bersama, office days


@dataclass
class PlannedBatch:
    scheme_id: int
    group: str
    start: date
    end: date
    capacity: int
    candidate_ids: list[int]


@dataclass
class PlannedTrip:
    assessor_id: int
    tuk_id: int
    start: date
    end: date
    cost: int
    batches: list[PlannedBatch] = field(default_factory=list)


@dataclass
class Plan:
    status: str  # optimal | feasible | infeasible | empty
    trips: list[PlannedTrip]
    total_candidates: int
    scheduled: int
    cost: int
    trips_bound: int  # proven lower bound on the number of trips
    trips_lower_bound: int
    finish: date | None
    seconds: float
    time_limit: float
    messages: list[str] = field(default_factory=list)
    seconds_to_trips: float = 0.0  # until the trip count was final (phase 0 + 1)

    @property
    def n_trips(self) -> int:
        return len(self.trips)

    @property
    def gap(self) -> float:
        """Proven relative optimality gap of the number of trips (0 = proven optimal)."""
        if self.n_trips <= 0:
            return 0.0
        return max(0.0, (self.n_trips - self.trips_bound) / self.n_trips)

    @property
    def unscheduled(self) -> int:
        return self.total_candidates - self.scheduled

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "total_candidates": self.total_candidates,
            "scheduled": self.scheduled,
            "cost": self.cost,
            "trips_bound": self.trips_bound,
            "trips_lower_bound": self.trips_lower_bound,
            "finish": self.finish.isoformat() if self.finish else None,
            "seconds": round(self.seconds, 2),
            "time_limit": self.time_limit,
            "messages": self.messages,
            "trips": [
                {
                    "assessor_id": t.assessor_id,
                    "tuk_id": t.tuk_id,
                    "start": t.start.isoformat(),
                    "end": t.end.isoformat(),
                    "cost": t.cost,
                    "batches": [
                        {
                            "scheme_id": b.scheme_id,
                            "group": b.group,
                            "start": b.start.isoformat(),
                            "end": b.end.isoformat(),
                            "capacity": b.capacity,
                            "candidate_ids": b.candidate_ids,
                        }
                        for b in t.batches
                    ],
                }
                for t in self.trips
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        d = date.fromisoformat
        trips = [
            PlannedTrip(
                assessor_id=t["assessor_id"],
                tuk_id=t["tuk_id"],
                start=d(t["start"]),
                end=d(t["end"]),
                cost=t["cost"],
                batches=[
                    PlannedBatch(
                        scheme_id=b["scheme_id"],
                        group=b["group"],
                        start=d(b["start"]),
                        end=d(b["end"]),
                        capacity=b["capacity"],
                        candidate_ids=list(b["candidate_ids"]),
                    )
                    for b in t["batches"]
                ],
            )
            for t in data["trips"]
        ]
        return cls(
            status=data["status"],
            trips=trips,
            total_candidates=data["total_candidates"],
            scheduled=data["scheduled"],
            cost=data["cost"],
            trips_bound=data["trips_bound"],
            trips_lower_bound=data["trips_lower_bound"],
            finish=d(data["finish"]) if data["finish"] else None,
            seconds=data["seconds"],
            time_limit=data["time_limit"],
            messages=list(data["messages"]),
        )


def with_changes(inp: PlanInput, **changes: Any) -> PlanInput:
    return replace(inp, **changes)
