"""Import writes: create a job, validate its file, commit it.

Two phases. `import_job_validate` reads the whole file, checks every row and stores a
report (`ImportIssue`) plus the valid rows; it writes nothing to the registry.
`import_job_commit` writes all valid rows in one transaction — every row or none — and
is idempotent: the same file twice changes nothing, and a record already in Sentra is
updated only when the incoming data are newer (`data_as_of`, SIDT's `updated_at`).

The seams: jobs (upload, mapping), validation (phase 1), staging (the valid rows kept
between the phases), planning (matching rows with the registry), commit (phase 2,
through `registry.services.ikm_bulk_write`), retention (deleting old files). Queuing
the background work lives beside the tasks (`imports.tasks`): services never import
tasks.
"""

from sentra.imports.services.commit import (
    import_job_commit,
    import_job_find_duplicates,
    import_job_mark_committing,
)
from sentra.imports.services.errors import CommitAborted
from sentra.imports.services.jobs import (
    import_job_create,
    import_job_reset_stale,
    import_job_set_mapping,
    import_job_use_profile,
)
from sentra.imports.services.planning import Plan, plan_rows
from sentra.imports.services.retention import FINISHED, import_files_purge
from sentra.imports.services.validation import import_job_validate

__all__ = [
    "FINISHED",
    "CommitAborted",
    "Plan",
    "import_files_purge",
    "import_job_commit",
    "import_job_create",
    "import_job_find_duplicates",
    "import_job_mark_committing",
    "import_job_reset_stale",
    "import_job_set_mapping",
    "import_job_use_profile",
    "import_job_validate",
    "plan_rows",
]
