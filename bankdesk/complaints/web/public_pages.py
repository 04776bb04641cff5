"""The customer's pages, no login: file a complaint (with attachments), get a receipt with the decision's due
date, follow its progress, download the decision letter and ask for a review (核查).

Number and phone together open a complaint's progress; the session then remembers that complaint, so the
letter and the review request need neither in a URL."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankdesk.complaints import selectors
from bankdesk.complaints.decisions import customer_review
from bankdesk.complaints.intake import public_limits, registration
from bankdesk.complaints.intake.registration_input import RegistrationInput
from bankdesk.complaints.models import Cause, Channel, ChannelKind
from bankdesk.complaints.web import tracking
from bankdesk.complaints.web.forms import PublicComplaintForm, ReviewRequestForm, TrackingForm
from bankdesk.core.errors import RateLimited
from bankdesk.core.web import call_service

RECEIPT_SESSION_KEY = "bankdesk_public_receipt"
TRACKED_SESSION_KEY = "bankdesk_tracked_complaint"
PUBLIC_CAUSE = "other"  # the customer is not asked to classify; the reviewer corrects the cause
FORM_TEMPLATE, STATUS_TEMPLATE = "complaints/public_form.html", "complaints/public_status.html"


def _limited(request, action: str, template: str, context: dict, phone: str = ""):
    """Once this address (or, filing, this phone) has done `action` too often: the same page, filled in, with
    the refusal and the hotline, answered 429 with Retry-After; else None."""
    try:
        public_limits.check_rate(request, action, phone=phone)
    except RateLimited as refusal:
        response = render(request, template, {**context, "limited": refusal.message,
                                              "hotline": settings.BANKDESK_HOTLINE}, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    return None


def complaint_form(request):
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: only a bot fills in a field nobody sees
            return render(request, FORM_TEMPLATE, {"form": PublicComplaintForm(), "refused": True}, status=400)
        if form.is_valid():
            if refused := _limited(request, "file", FORM_TEMPLATE, {"form": form}, phone=form.cleaned_data["phone"]):
                return refused
            complaint = call_service(form, lambda: registration.register_complaint(
                None, _registration(form), attachments=form.cleaned_data["attachments"]))
            if complaint:
                request.session[RECEIPT_SESSION_KEY] = complaint.tracking_number
                return redirect("track:receipt")
    return render(request, FORM_TEMPLATE, {"form": form, "hotline": settings.BANKDESK_HOTLINE})


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
    complaint = selectors.by_tracking_number(tracking_number) if tracking_number else None
    if complaint is None:
        return redirect("track:new")
    return render(request, "complaints/public_receipt.html", {
        "tracking_number": tracking_number, "decision_due": tracking.decision_due(complaint)})


def _tracked(request):
    """The complaint this browser opened with number and phone, or None."""
    complaint_id = request.session.get(TRACKED_SESSION_KEY)
    return selectors.tracked_complaint(complaint_id) if complaint_id else None


def status(request):
    """Tracking number and phone together, or nothing: a miss never says which of the two was wrong."""
    form = TrackingForm(request.POST or None, initial={"tracking_number": request.GET.get("number", "")[:24]})
    complaint, not_found = (_tracked(request) if request.method == "GET" else None), False
    if request.method == "POST" and form.is_valid():
        if refused := _limited(request, "track", STATUS_TEMPLATE, {"form": form}):
            return refused
        complaint = selectors.public_status(form.cleaned_data["tracking_number"], form.cleaned_data["phone"])
        not_found = complaint is None
        request.session[TRACKED_SESSION_KEY] = complaint.pk if complaint else None
    return _status_page(request, form, complaint, not_found)


def _status_page(request, form, complaint, not_found=False, review_form=None, status_code=200):
    result = tracking.progress(complaint) if complaint else None
    if result and result.review_until and review_form is None:
        review_form = ReviewRequestForm()
    return render(request, STATUS_TEMPLATE, {
        "form": form, "result": result, "not_found": not_found, "review_form": review_form,
        "hotline": settings.BANKDESK_HOTLINE}, status=status_code)


def letter(request):
    """The decision letter as it was sent, for the complaint this browser opened."""
    complaint = _tracked(request)
    content = tracking.stored_letter(complaint) if complaint else None
    if content is None:
        raise Http404()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{complaint.tracking_number}.pdf"'
    return response


@require_POST
def review(request):
    """核查: the customer asks for a review of the answer, within the time the rules allow."""
    complaint = _tracked(request)
    if complaint is None:
        return redirect("track:status")
    review_form = ReviewRequestForm(request.POST)
    if review_form.is_valid() and call_service(review_form, lambda: customer_review.request_review(
            complaint, review_form.cleaned_data["reason"])):
        messages.success(request, _("Your request for a review is received; we will contact you."))
        return redirect("track:status")
    return _status_page(request, TrackingForm(), complaint, review_form=review_form, status_code=400)
