"""The customer's pages, no login: file a complaint, get a receipt, follow its progress."""

from django.conf import settings
from django.shortcuts import redirect, render

from bankdesk.complaints import selectors
from bankdesk.complaints.intake import public_limits, registration
from bankdesk.complaints.intake.registration_input import RegistrationInput
from bankdesk.complaints.models import Cause, Channel, ChannelKind
from bankdesk.complaints.web.forms import PublicComplaintForm, TrackingForm
from bankdesk.complaints.web.progress import customer_stage
from bankdesk.core.errors import RateLimited
from bankdesk.core.web import call_service

RECEIPT_SESSION_KEY = "bankdesk_public_receipt"
PUBLIC_CAUSE = "other"  # the customer is not asked to classify; the reviewer corrects the cause


def _limited(request, action: str, template: str, context: dict):
    """Once this address has done `action` too often: the same page, filled in, with the refusal and the
    hotline, answered 429 with Retry-After; else None."""
    try:
        public_limits.check_rate(request, action)
    except RateLimited as refusal:
        response = render(request, template, {**context, "limited": refusal.message,
                                              "hotline": settings.BANKDESK_HOTLINE}, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    return None


def complaint_form(request):
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: only a bot fills in a field nobody sees
            return render(request, "complaints/public_form.html", {"form": PublicComplaintForm(), "refused": True},
                          status=400)
        if form.is_valid():
            if refused := _limited(request, "file", "complaints/public_form.html", {"form": form}):
                return refused
            complaint = call_service(form, lambda: registration.register_complaint(None, _registration(form)))
            if complaint:
                request.session[RECEIPT_SESSION_KEY] = complaint.tracking_number
                return redirect("track:receipt")
    return render(request, "complaints/public_form.html", {"form": form})


def _registration(form: PublicComplaintForm) -> RegistrationInput:
    channel = Channel.objects.filter(kind=ChannelKind.PUBLIC, is_active=True).order_by("sort_order").first()
    cause = Cause.objects.filter(code=PUBLIC_CAUSE, is_active=True).first() or Cause.objects.filter(
        is_active=True).first()
    data = form.cleaned_data
    return RegistrationInput(
        complainant_name=data["complainant_name"], phone=data["phone"], channel=channel, unit=data["unit"],
        business_category=data["business_category"], cause=cause, description=data["description"],
        demand=data.get("demand", ""), email=data.get("email", ""), incident_at=data.get("incident_at"),
        incident_place=data.get("incident_place", ""), postal_address=data.get("postal_address", ""))


def receipt(request):
    tracking_number = request.session.get(RECEIPT_SESSION_KEY)
    if not tracking_number:
        return redirect("track:new")
    return render(request, "complaints/public_receipt.html", {"tracking_number": tracking_number})


def status(request):
    """Tracking number and phone together, or nothing: a miss never says which of the two was wrong."""
    form = TrackingForm(request.POST or None, initial={"tracking_number": request.GET.get("number", "")[:24]})
    result, not_found = None, False
    if request.method == "POST" and form.is_valid():
        if refused := _limited(request, "track", "complaints/public_status.html", {"form": form}):
            return refused
        complaint = selectors.public_status(form.cleaned_data["tracking_number"], form.cleaned_data["phone"])
        if complaint is None:
            not_found = True
        else:
            stage, explanation = customer_stage(complaint)
            result = {"tracking_number": complaint.tracking_number, "received_at": complaint.received_at,
                      "stage": stage, "explanation": explanation}
    return render(request, "complaints/public_status.html", {"form": form, "result": result, "not_found": not_found})
