"""The downloadable report: the file as it came, with the problems of each row beside it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from sentra.imports.models import ImportIssue, ImportJob
from sentra.imports.readers import read_table

ERROR_HEADER = "kesalahan_impor"
ROW_HEADER = "baris_asal"


def report_table(*, job: ImportJob, only_errors: bool = False) -> tuple[list[str], Iterator[list]]:
    """Header and rows of the report; re-reads the stored file (raises FileRejected)."""
    issues: dict[int, list[str]] = defaultdict(list)
    for row, column, message in ImportIssue.objects.filter(job=job).values_list(
        "row", "column", "message"
    ):
        issues[row].append(f"{column}: {message}" if column else message)
    table = read_table(Path(job.file.path), original_name=job.original_name, sheet=job.sheet_name)
    width = len(table.header)

    def rows() -> Iterator[list]:
        for row, cells in table.rows:
            problems = issues.get(row)
            if only_errors and not problems:
                continue
            values = [str(c) if isinstance(c, timedelta) else c for c in cells[:width]]
            yield [*values, row, "; ".join(problems or [])]

    return [*table.header, ROW_HEADER, ERROR_HEADER], rows()
