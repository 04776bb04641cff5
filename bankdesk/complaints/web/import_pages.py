"""Import pages: historical complaints from a file, and the complaint e-mails awaiting completion.

Thin like every view: bulk_import and email_intake check the rights and do the work.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bankdesk.complaints.intake import bulk_import, email_intake
from bankdesk.complaints.models import BusinessCategory, Cause, Channel, ImportJob, InboundEmail, InboundEmailStatus
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.complaints.web.import_forms import CompletionForm, DismissForm, EmailFilterForm, UploadForm, entry_label
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import covers_whole_bank, has_permission, require
from bankdesk.core.web import call_service, csv_download, page_of

# --- File imports ----------------------------------------------------------------------------------------------

def _jobs(user):
    require(user, ComplaintPermission.IMPORT_COMPLAINTS)
    jobs = ImportJob.objects.select_related("created_by")
    return jobs if covers_whole_bank(user, ComplaintPermission.IMPORT_COMPLAINTS) else jobs.filter(created_by=user)


def _job(user, job_id: int) -> ImportJob:
    job = _jobs(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


@login_required
@require_GET
def job_list(request):
    return render(request, "complaints/imports/job_list.html", {
        "page": page_of(request, _jobs(request.user).defer("errors")),
        "may_review_mail": _may_review_mail(request.user)})


def _code_tables() -> dict:
    categories = (BusinessCategory.objects.filter(is_active=True).exclude(children__is_active=True)
                  .select_related("parent").order_by("parent__sort_order", "sort_order", "code"))
    return {
        "channels": [(entry.code, entry_label(entry)) for entry in Channel.objects.filter(is_active=True)],
        "categories": [(entry.code, entry_label(entry)) for entry in categories],
        "causes": [(entry.code, entry_label(entry)) for entry in Cause.objects.filter(is_active=True)],
    }


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    require(request.user, ComplaintPermission.IMPORT_COMPLAINTS)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = call_service(form, lambda: bulk_import.start_import(request.user, form.cleaned_data["file"]))
        if job is not None:
            messages.success(request, _("The file is being imported in the background."))
            return redirect("complaint_imports:job", job_id=job.pk)
    columns = [{"field": name, "title": title, "aliases": aliases, "required": name in bulk_import.REQUIRED}
               for name, (title, aliases) in bulk_import.COLUMNS.items()]
    return render(request, "complaints/imports/upload.html", {"form": form, "columns": columns, **_code_tables()})


@login_required
@require_GET
def template_csv(request):
    require(request.user, ComplaintPermission.IMPORT_COMPLAINTS)
    english = request.GET.get("names") == "en"
    return csv_download("complaint-import-template.csv", [bulk_import.template_header(english=english)])


@login_required
@require_GET
def job_detail(request, job_id):
    job = _job(request.user, job_id)
    template = "complaints/imports/_job_status.html" if request.htmx else "complaints/imports/job_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def job_errors_csv(request, job_id):
    job = _job(request.user, job_id)
    rows = [[_("Row"), _("Field"), _("Message")]]
    rows += [[error.get("row") or "", error.get("field", ""), error.get("message", "")] for error in job.errors]
    return csv_download(f"complaint-import-{job.pk}-errors.csv", rows)


# --- Complaint e-mails -----------------------------------------------------------------------------------------

def _may_review_mail(user) -> bool:
    try:
        email_intake.require_mailbox(user)
    except Exception:  # noqa: BLE001 - no right, or no unit to receive mail yet
        return False
    return True


def _inbound(user, email_id: int) -> InboundEmail:
    email_intake.require_mailbox(user)
    inbound = InboundEmail.objects.select_related("complaint", "reviewed_by").filter(pk=email_id).first()
    if inbound is None:
        raise NotFound()
    return inbound


@login_required
@require_GET
def email_list(request):
    email_intake.require_mailbox(request.user)
    form = EmailFilterForm(request.GET or None, initial={"status": InboundEmailStatus.NEEDS_REVIEW})
    status = form.cleaned_data["status"] if form.is_valid() else InboundEmailStatus.NEEDS_REVIEW
    emails = InboundEmail.objects.select_related("complaint").defer("body", "phone").order_by("-received_at", "-id")
    if status:
        emails = emails.filter(status=status)
    return render(request, "complaints/imports/email_list.html", {"form": form, "page": page_of(request, emails)})


@login_required
@require_http_methods(["GET", "POST"])
def email_detail(request, email_id):
    inbound = _inbound(request.user, email_id)
    form, dismiss_form = None, DismissForm()
    if inbound.status == InboundEmailStatus.NEEDS_REVIEW:
        action = request.POST.get("action") if request.method == "POST" else ""
        form = CompletionForm(request.POST if action == "complete" else None,
                              initial=email_intake.completion_initial(inbound))
        if action == "dismiss":
            dismiss_form = DismissForm(request.POST)
            if dismiss_form.is_valid() and call_service(
                    dismiss_form, lambda: email_intake.dismiss(request.user, inbound.pk,
                                                               dismiss_form.cleaned_data["reason"])):
                messages.success(request, _("The e-mail was dismissed."))
                return redirect("complaint_imports:emails")
        elif action == "complete" and form.is_valid():
            complaint = call_service(form, lambda: email_intake.complete(request.user, inbound.pk,
                                                                         form.registration_input()))
            if complaint is not None:
                messages.success(request, _("Complaint registered. Tracking number: %(number)s")
                                 % {"number": complaint.tracking_number})
                if has_permission(request.user, ComplaintPermission.VIEW_COMPLAINTS, complaint.unit):
                    return redirect("complaints:detail", complaint_id=complaint.pk)
                return redirect("complaint_imports:emails")
    return render(request, "complaints/imports/email_detail.html",
                  {"inbound": inbound, "form": form, "dismiss_form": dismiss_form})


@login_required
@require_GET
def email_original(request, email_id):
    inbound = _inbound(request.user, email_id)
    with inbound.raw.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="email-{inbound.pk}.eml"'
    return response
