"""The downloadable report: the file as it came, with the problems of each row beside it.

Refusals and warnings stand in columns of their own, with the row's outcome before them:
a refused row was not imported; a row with warnings was imported with those fields left
empty (its IKM is "perlu dilengkapi").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext as _

from sentra.imports.models import ImportIssue, ImportJob, Severity
from sentra.imports.readers import read_table

ROW_HEADER = "baris_asal"
STATUS_HEADER = "status_impor"
ERROR_HEADER = "ditolak_karena"
WARNING_HEADER = "peringatan_impor"


def report_table(*, job: ImportJob, only_errors: bool = False) -> tuple[list[str], Iterator[list]]:
    """Header and rows of the report; re-reads the stored file (raises FileRejected)."""
    issues: dict[tuple[int, str], list[str]] = defaultdict(list)
    for row, severity, column, message in ImportIssue.objects.filter(job=job).values_list(
        "row", "severity", "column", "message"
    ):
        issues[row, severity].append(f"{column}: {message}" if column else message)
    refused, warned, clean = _("ditolak"), _("disimpan dengan peringatan"), _("bersih")
    table = read_table(Path(job.file.path), original_name=job.original_name, sheet=job.sheet_name)
    width = len(table.header)

    def rows() -> Iterator[list]:
        for row, cells in table.rows:
            errors = issues.get((row, Severity.ERROR), [])
            warnings = issues.get((row, Severity.WARNING), [])
            if only_errors and not (errors or warnings):
                continue
            status = refused if errors else warned if warnings else clean
            values = [str(c) if isinstance(c, timedelta) else c for c in cells[:width]]
            yield [*values, row, status, "; ".join(errors), "; ".join(warnings)]

    header = [*table.header, ROW_HEADER, STATUS_HEADER, ERROR_HEADER, WARNING_HEADER]
    return header, rows()
