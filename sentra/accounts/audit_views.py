"""The admins' audit page: the trail with its real values, filtered by who, what, when.

Here, not in sentra.audit: every app (accounts too, for its admin) writes to the audit
app, so the audit app imports none of them; the page that asks the policy lives with it."""

from django.core.paginator import Paginator
from django.shortcuts import render

from sentra.accounts.permissions import allowed, can_read_audit
from sentra.audit.forms import AuditFilterForm
from sentra.audit.selectors import audit_entry_list

PAGE_SIZE = 100


@allowed(can_read_audit, "audit")
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    qs = audit_entry_list(filters=form.to_filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/audit_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )
