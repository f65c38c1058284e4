"""Writes for exhibitions and students. Each validates, checks the policy, saves, and
writes its audit entry.

Split along the seams of the work: exhibitions and their booth types (`events`),
applications and public sign-up matched to the registry (`applications`), selection
runs, overrides and waiting-list promotion (`selecting`; the rule itself is the pure
`exhibitions.selection`), attendance, outcomes and photos (`outcomes`), and students
with the youth follow-up (`students`); background-run helpers they share are
`_common`.
"""

from sentra.exhibitions.services.applications import (
    application_create,
    application_verify,
    signup_submit,
)
from sentra.exhibitions.services.events import (
    BOOTH_FIELDS,
    EXHIBITION_FIELDS,
    ExhibitionChanged,
    exhibition_create,
    exhibition_update,
)
from sentra.exhibitions.services.outcomes import (
    OUTCOME_FIELDS,
    attendance_record,
    outcome_photo_delete,
    outcome_record,
)
from sentra.exhibitions.services.selecting import (
    SELECTION_TIME_LIMIT,
    application_cancel,
    application_override,
    selection_request,
    selection_run,
    selection_run_background,
)
from sentra.exhibitions.services.students import (
    STUDENT_FIELDS,
    institution_create,
    student_create,
    student_link_decide,
    student_links_find,
    student_links_request,
    student_links_run_background,
    student_role_add,
)

__all__ = [
    "BOOTH_FIELDS",
    "EXHIBITION_FIELDS",
    "OUTCOME_FIELDS",
    "SELECTION_TIME_LIMIT",
    "STUDENT_FIELDS",
    "ExhibitionChanged",
    "application_cancel",
    "application_create",
    "application_override",
    "application_verify",
    "attendance_record",
    "exhibition_create",
    "exhibition_update",
    "institution_create",
    "outcome_photo_delete",
    "outcome_record",
    "selection_request",
    "selection_run",
    "selection_run_background",
    "signup_submit",
    "student_create",
    "student_link_decide",
    "student_links_find",
    "student_links_request",
    "student_links_run_background",
    "student_role_add",
]
