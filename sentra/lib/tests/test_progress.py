"""Percentage, rows and time left of long work, and the worker-not-running notice."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from sentra.lib import progress, worker
from sentra.lib.progress import estimate


def test_time_left_is_elapsed_per_row_times_the_rows_remaining():
    p = estimate(done=250, total=1000, elapsed=10.0)
    assert (p.done, p.total, p.percent) == (250, 1000, 25)
    assert p.left == pytest.approx(30.0)  # 10 s for 250 rows → 30 s for the other 750
    assert p.left_label == "± 30 detik"
    with override("en"):
        assert estimate(done=3, total=100, elapsed=180).left_label == "± 97 minutes"
        assert estimate(done=40, total=100, elapsed=60).left_label == "± 2 minutes"
        assert estimate(done=10, total=100, elapsed=3600).left_label == "± 9 hours"


def test_no_time_left_before_a_few_percent_nor_in_the_first_seconds():
    assert estimate(done=2, total=100, elapsed=50).left is None  # 2 %: too early
    assert estimate(done=3, total=100, elapsed=50).left == pytest.approx(50 / 3 * 97)
    assert estimate(done=50, total=100, elapsed=1).left is None  # one second in
    assert estimate(done=0, total=100, elapsed=50).left is None
    assert estimate(done=100, total=100, elapsed=50).left == 0


def test_unknown_amount_of_work_is_an_indeterminate_bar():
    p = estimate(done=None, total=None, elapsed=5)
    assert p.percent is None and p.left is None and p.left_label == ""
    assert estimate(done=20, total=0, elapsed=5).percent is None
    assert estimate(done=120, total=100, elapsed=5).percent == 100  # never above 100 %


def test_the_board_keeps_the_stage_clock_and_the_rows(settings, tmp_path):
    settings.SENTRA_PROGRESS_DIR = tmp_path / "p"
    assert progress.board_read("import-1") is None
    progress.board_start("import-1", stage="commit_writing", total=400)
    progress.board_report("import-1", done=100)
    note = progress.board_read("import-1")
    assert (note["stage"], note["done"], note["total"]) == ("commit_writing", 100, 400)
    assert 0 <= progress.board_elapsed(note) < 5
    assert progress.board_elapsed(note, stage="validating") == 0  # another stage's clock
    note["started"] = time.time() - 40
    assert progress.board_elapsed(note) == pytest.approx(40, abs=1)
    progress.board_clear("import-1")
    assert progress.board_read("import-1") is None


@pytest.fixture
def task_table(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SENTRA_WORKER_STALE_SECONDS = 30


def _task(status="READY", age=0):
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="sentra.x.task",
        backend_name="default", run_after=timezone.now() - timedelta(seconds=age),
    )  # fmt: skip
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=age)
    )


@pytest.mark.django_db
def test_a_task_left_waiting_with_none_running_means_no_worker(task_table):
    assert worker.worker_state() == worker.OK
    _task(age=5)
    assert worker.worker_state() == worker.OK  # just queued: a worker takes it soon
    _task(age=120)
    assert worker.worker_state() == worker.MISSING
    _task(status="RUNNING", age=200)
    assert worker.worker_state() == worker.BUSY  # waits behind the running one


@pytest.mark.django_db
def test_the_jobs_own_queue_time_counts_too(task_table, settings):
    long_ago = timezone.now() - timedelta(minutes=5)
    assert worker.worker_state(queued_since=long_ago) == worker.MISSING
    assert worker.worker_state(queued_since=timezone.now()) == worker.OK
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert worker.worker_state() == worker.OK
    assert worker.worker_state(queued_since=long_ago) == worker.MISSING
