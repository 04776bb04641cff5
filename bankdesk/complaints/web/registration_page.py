"""The registration page and its look-up of the caller's earlier complaints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankdesk.complaints import selectors
from bankdesk.complaints.intake import registration
from bankdesk.complaints.models import OPEN_STATUSES
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.web.forms import RegistrationForm
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.permissions import has_permission, require
from bankdesk.core.pii import normalize_phone
from bankdesk.core.web import call_service


@login_required
def register(request):
    require(request.user, ComplaintPermission.REGISTER_COMPLAINT)
    form = RegistrationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        complaint = call_service(form, lambda: _register(request, form))
        if complaint:
            messages.success(request, _("Complaint registered. Tracking number: %(number)s — give it to the "
                                        "customer.") % {"number": complaint.tracking_number})
            if has_permission(request.user, ComplaintPermission.VIEW_COMPLAINTS, complaint.unit):
                return redirect("complaints:detail", complaint_id=complaint.pk)
            return redirect("complaints:register")  # agents and tellers register and take the next call
    return render(request, "complaints/register.html", {"form": form})


def _register(request, form: RegistrationForm):
    try:
        return registration.register_complaint(request.user, form.registration_input(),
                                               attachments=form.cleaned_data["attachments"])
    except ValidationFailed as failure:
        if failure.field == "representatives":  # the form has one field per representative
            failure.field = form.first_unnamed_representative()
        raise


@login_required
@require_POST
def lookup(request):
    """htmx: the caller's earlier complaints, flagging open ones in the category chosen as possible duplicates.

    POST, so that the phone number travels in the body and never lands in an access log's query string.
    """
    require(request.user, ComplaintPermission.REGISTER_COMPLAINT)
    phone = request.POST.get("phone", "")[:30]
    history = list(selectors.customer_history(request.user, phone)) if len(normalize_phone(phone)) >= 7 else []
    category = request.POST.get("business_category", "")
    category_id = int(category) if category.isdigit() else None
    for earlier in history:
        earlier.possible_duplicate = (category_id is not None and earlier.business_category_id == category_id
                                      and earlier.status in OPEN_STATUSES)
    return render(request, "complaints/_history.html",
                  {"history": history, "phone_given": bool(phone.strip()), "category_chosen": category_id is not None})
