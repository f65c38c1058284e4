"""The one freshness rule (sentra.lib.freshness), on a state row that is not a model:
what the atlas tables and the certification page's figures both follow."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from sentra.lib import freshness
from sentra.lib.freshness import RETRY_AFTER, building_marker, keep_current

TODAY = date(2026, 3, 2)
VERSION = "7-3"


@dataclass
class Row:
    built_version: str = ""
    built_on: date | None = None
    built_at: datetime | None = None
    pending: bool = False
    requested_at: datetime | None = None
    building: str = ""
    reloads: list[int] = field(default_factory=list)

    def refresh_from_db(self) -> None:
        self.reloads.append(1)


class Summary:
    """Records what keep_current asked for; rebuild() brings the row up to date."""

    def __init__(self, row: Row) -> None:
        self.row, self.rebuilt, self.enqueued = row, 0, 0

    def rebuild(self) -> Row:
        self.rebuilt += 1
        self.row.built_version, self.row.built_on = VERSION, TODAY
        self.row.built_at, self.row.pending = timezone.now(), False
        return self.row

    def enqueue(self) -> bool:
        self.enqueued += 1
        self.row.pending, self.row.requested_at = True, timezone.now()
        return True

    def keep(self, started=None) -> freshness.Current[Row]:
        return keep_current(
            self.row, rebuild=self.rebuild, enqueue=self.enqueue, today=TODAY, started=started
        )


@pytest.fixture(autouse=True)
def version(monkeypatch):
    monkeypatch.setattr(freshness, "data_version", lambda: VERSION)


def built(**changes) -> Row:
    fields = {"built_version": VERSION, "built_on": TODAY, "built_at": timezone.now()}
    return Row(**{**fields, **changes})


def test_a_summary_never_built_is_built_in_the_request():
    s = Summary(Row())
    kept = s.keep()
    assert not kept.stale and kept.row.built_on == TODAY
    assert (s.rebuilt, s.enqueued) == (1, 0)


def test_a_current_summary_asks_for_nothing():
    s = Summary(built())
    assert not s.keep().stale and (s.rebuilt, s.enqueued) == (0, 0)


@pytest.mark.parametrize(
    "moved", [{"built_version": "6-3"}, {"built_on": TODAY - timedelta(days=1)}]
)
def test_new_data_or_a_new_day_ask_for_a_background_rebuild_and_show_the_old_figures(moved):
    row = built(**moved)
    s = Summary(row)
    kept = s.keep()
    assert kept.stale and kept.row.built_at == row.built_at  # its time, to show
    assert (s.rebuilt, s.enqueued) == (0, 1) and row.reloads == [1]


def test_a_request_no_worker_took_for_fifteen_minutes_is_rebuilt_by_the_reader():
    asked = timezone.now() - RETRY_AFTER - timedelta(seconds=1)
    s = Summary(built(built_version="6-3", pending=True, requested_at=asked))
    assert not s.keep().stale and (s.rebuilt, s.enqueued) == (1, 0)


def test_a_recent_request_is_left_to_the_worker():
    asked = timezone.now() - RETRY_AFTER + timedelta(minutes=1)
    s = Summary(built(built_version="6-3", pending=True, requested_at=asked))
    assert s.keep().stale and s.rebuilt == 0


def test_a_rebuild_running_on_these_very_data_is_not_asked_for_again():
    running = built(built_version="6-3", building=building_marker(VERSION, TODAY))
    s = Summary(running)
    assert s.keep(started=lambda row: row.building).stale and s.enqueued == 0
    older = Summary(built(built_version="6-3", building=building_marker("6-3", TODAY)))
    assert older.keep(started=lambda row: row.building).stale and older.enqueued == 1
