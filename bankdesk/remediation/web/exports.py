"""A remediation list as a file: its rows (one query, read in chunks) under its columns, streamed as CSV or
written as XLSX (?format=xlsx), every export on the audit trail with its filters."""


from django.utils import timezone

from bankdesk.core import audit
from bankdesk.core.exports import Column
from bankdesk.core.permissions import require
from bankdesk.core.web import csv_download, xlsx_download
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.permissions import RemediationPermission as P

CHUNK = 2000


KINDS_BY_NAME = {"payment-orders": "remediation.payments", "rectification-items": "remediation.items",
                 "accountability-records": "remediation.records"}


def export(request, name: str, columns: list[Column], rows, filters: dict):
    """The list at once, or, above core.export_direct_row_limit rows, as a background export (我的导出)."""
    require(request.user, P.EXPORT)
    xlsx = request.GET.get("format") == "xlsx"
    if name in KINDS_BY_NAME:
        from bankdesk.core.export_views import background_instead

        large = background_instead(request, KINDS_BY_NAME[name], "xlsx" if xlsx else "csv",
                                   dict(request.GET.lists()), rows.count())
        if large is not None:
            return large
    audit.record_event(RemediationAction.EXPORT, object_type=f"remediation.{name}", object_repr=name,
                       actor=request.user, after={"format": "xlsx" if xlsx else "csv",
                                                  "filters": {key: str(value) for key, value in filters.items()}})

    def lines():
        yield [str(column.label) for column in columns]
        for row in rows.iterator(chunk_size=CHUNK):
            yield [column.value(row) for column in columns]

    filename = f"{name}-{timezone.localdate():%Y%m%d}"
    return xlsx_download(f"{filename}.xlsx", lines()) if xlsx else csv_download(f"{filename}.csv", lines())


# --- The lists as background exports (core/exports.py) -------------------------------------------------------------

def _kind(key: str, label, name: str, form_class, filter_class, default_sort: str, selector, columns):
    from bankdesk.core import exports as core_exports

    def read_filters(user, data):
        form = form_class(data or None, user=user)
        return form, filter_class(**{"sort": default_sort, **form.values()})

    return core_exports.list_kind(key, label, P.EXPORT, name, read_filters, selector, columns, chunk=CHUNK)


def register_kinds(owner: str) -> None:
    from django.utils.translation import gettext_lazy

    from bankdesk.core import exports as core_exports
    from bankdesk.remediation import selectors
    from bankdesk.remediation.web import (
        accountability_pages,
        payment_pages,
        rectification_pages,
    )
    from bankdesk.remediation.web.forms import (
        AccountabilityFilterForm,
        PaymentFilterForm,
        RectificationFilterForm,
    )

    core_exports.register(
        _kind("remediation.payments", gettext_lazy("Payment orders"), "payment-orders", PaymentFilterForm,
              selectors.PaymentFilter, "-proposed_at", selectors.payment_orders, payment_pages.COLUMNS),
        _kind("remediation.items", gettext_lazy("Rectification"), "rectification-items",
              RectificationFilterForm, selectors.RectificationFilter, "due_on", selectors.rectification_items,
              rectification_pages.COLUMNS),
        _kind("remediation.records", gettext_lazy("Accountability"), "accountability-records",
              AccountabilityFilterForm, selectors.AccountabilityFilter, "-proposed_at",
              selectors.accountability_records, accountability_pages.COLUMNS),
        owner=owner)
