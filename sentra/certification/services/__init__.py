"""Writes to certification records. Each service validates everything first, writes inside
one transaction and leaves an audit entry: a bad input never half-writes.

Split along the seams of the work: reference data (`reference`), candidates
(`candidates`), batches and trips (`batches`), outcomes (`outcomes`) and planning
(`planning`); the booking rules they share are `certification.booking`.
"""

from sentra.certification.services._access import can_plan, require_planner
from sentra.certification.services.batches import (
    batch_create,
    batch_errors,
    batch_set_status,
    book_assessor_days,
    trip_cancel,
    trip_confirm,
)
from sentra.certification.services.candidates import (
    CANDIDATE_FIELDS,
    candidate_create,
    candidate_set_readiness,
    candidates_merge_ikm,
    candidates_sync_coaching,
)
from sentra.certification.services.outcomes import outcome_record
from sentra.certification.services.planning import (
    plan_accept,
    plan_draft_accept,
    plan_draft_request,
    plan_draft_run,
    plan_inputs,
    plan_solve,
)
from sentra.certification.services.progress import progress_snapshot_refresh
from sentra.certification.services.reference import (
    assessor_create,
    assessor_windows_add,
    lsp_create,
    office_holiday_add,
    scheme_create,
    tuk_create,
)

__all__ = [
    "progress_snapshot_refresh",
    "CANDIDATE_FIELDS",
    "assessor_create",
    "assessor_windows_add",
    "batch_create",
    "batch_errors",
    "batch_set_status",
    "book_assessor_days",
    "can_plan",
    "candidate_create",
    "candidate_set_readiness",
    "candidates_merge_ikm",
    "candidates_sync_coaching",
    "lsp_create",
    "office_holiday_add",
    "outcome_record",
    "plan_accept",
    "plan_draft_accept",
    "plan_draft_request",
    "plan_draft_run",
    "plan_inputs",
    "plan_solve",
    "require_planner",
    "scheme_create",
    "trip_cancel",
    "trip_confirm",
    "tuk_create",
]
