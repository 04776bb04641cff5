"""The core-banking payment file: the approved orders in the exporter's reach, one CSV line each, in the
layout docs/remediation.md documents. Exporting moves the orders to "exported" under one batch number (row
locks, so two exporters never put one order in two files) and is audited per order and for the file; the same
batch can be downloaded again (audited too) without changing anything."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.permissions import require
from bankdesk.remediation import scope
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.models import PaymentOrder, PaymentStatus
from bankdesk.remediation.permissions import RemediationPermission as P

HEADER = ["batch", "line", "order", "payee_account", "payee_name", "payee_bank", "amount", "currency", "purpose",
          "complaint"]
CURRENCY = "CNY"


def _lines(batch: str, orders) -> list[list[str]]:
    return [[batch, str(number), str(order), order.payee_account, order.payee_name, order.payee_bank,
             f"{order.amount:.2f}", CURRENCY, order.purpose, order.complaint.tracking_number]
            for number, order in enumerate(orders, start=1)]


def _batch_number(now) -> str:
    return f"PF{timezone.localtime(now):%Y%m%d%H%M%S%f}"


@transaction.atomic
def export_payment_file(actor) -> tuple[str, list[list[str]]]:
    """(batch number, rows with the header first) of every approved order in the actor's reach."""
    require(actor, P.PAY)
    orders = list(PaymentOrder.objects.select_for_update(of=("self",)).select_related("complaint")
                  .filter(scope.complaint_q(actor, P.PAY), status=PaymentStatus.APPROVED).order_by("id"))
    if not orders:
        raise ValidationFailed(_("No approved payment order is waiting for the payment file."), field=None)
    now = timezone.now()
    batch = _batch_number(now)
    PaymentOrder.objects.filter(pk__in=[order.pk for order in orders]).update(
        status=PaymentStatus.EXPORTED, export_batch=batch, exported_at=now)
    audit.save_all([audit.event_for(RemediationAction.PAYMENT_EXPORT, order, actor=actor,
                                    before={"status": PaymentStatus.APPROVED},
                                    after={"status": PaymentStatus.EXPORTED, "batch": batch}) for order in orders])
    audit.record_event(RemediationAction.PAYMENT_EXPORT, object_type="remediation.paymentfile", object_repr=batch,
                       actor=actor, after={"orders": len(orders), "total": str(sum(o.amount for o in orders))})
    return batch, [HEADER, *_lines(batch, orders)]


def download_batch(actor, batch: str) -> list[list[str]]:
    """The rows of a batch exported before, again (its orders in the actor's reach), audited."""
    require(actor, P.PAY)
    orders = list(PaymentOrder.objects.select_related("complaint")
                  .filter(scope.complaint_q(actor, P.PAY), export_batch=batch).order_by("id"))
    if not orders:
        raise NotFound(_("Not found."))
    audit.record_event(RemediationAction.PAYMENT_EXPORT, object_type="remediation.paymentfile", object_repr=batch,
                       actor=actor, after={"orders": len(orders), "again": True})
    return [HEADER, *_lines(batch, orders)]
