"""Exhibition pages: thin views over the policy, forms, selectors (reads) and services
(writes). The public pages (sign-up, outcome link, certificate check) need no login, are
throttled per address and show no personal data.

Split like the services: exhibitions (`events`), applications, public sign-up and
selection (`applications`), attendance, outcomes, photos and certificates (`outcomes`),
the participant list and report (`reports`), students and the youth follow-up
(`students`), and background runs' progress (`runs`); `_common` holds the PDF,
certificate and error helpers and the public pages' rates. `urls.py` reads the names
re-exported here.
"""

from sentra.exhibitions.views.applications import (
    application_add,
    application_cancel,
    application_override,
    application_verify,
    selection_run,
    signup,
)
from sentra.exhibitions.views.events import (
    exhibition_create,
    exhibition_detail,
    exhibition_edit,
    exhibition_list,
)
from sentra.exhibitions.views.outcomes import (
    application_attendance,
    certificate_pdf,
    outcome_edit,
    outcome_photo,
    outcome_photo_delete,
    outcome_photo_public,
    outcome_public,
    verify,
)
from sentra.exhibitions.views.reports import (
    participants_pdf,
    participants_xlsx,
    report_pdf,
    report_pdf_issue,
    report_xlsx,
)
from sentra.exhibitions.views.runs import run_progress
from sentra.exhibitions.views.students import (
    institution_create,
    student_certificate_pdf,
    student_create,
    student_detail,
    student_link_decide,
    student_links_find,
    student_list,
)

__all__ = [
    "application_add",
    "application_attendance",
    "application_cancel",
    "application_override",
    "application_verify",
    "certificate_pdf",
    "exhibition_create",
    "exhibition_detail",
    "exhibition_edit",
    "exhibition_list",
    "institution_create",
    "outcome_edit",
    "outcome_photo",
    "outcome_photo_delete",
    "outcome_photo_public",
    "outcome_public",
    "participants_pdf",
    "participants_xlsx",
    "report_pdf",
    "report_pdf_issue",
    "report_xlsx",
    "run_progress",
    "selection_run",
    "signup",
    "student_certificate_pdf",
    "student_create",
    "student_detail",
    "student_link_decide",
    "student_links_find",
    "student_list",
    "verify",
]
