from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bankdesk.core import calendar
from bankdesk.core import home as home_page
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.permissions import CorePermission, has_permission, require_in_scope, roles
from bankdesk.core.pii import mask_phone
from bankdesk.core.services import reveal_pii
from bankdesk.core.web import call_service, page_of
from bankdesk.orgs import selectors, services
from bankdesk.orgs.forms import RoleAssignForm, TokenForm, UnitFilterForm, UnitForm, UserCreateForm, UserFilterForm
from bankdesk.orgs.models import ApiToken, OrgUnit, Role, RoleAssignment, RoleGrantRequest, User
from bankdesk.orgs.permissions import OrgPermission

ROLE_DUTIES = {  # lazy: module-level text must follow the user's language
    Role.AGENT: gettext_lazy("Register contacts and complaints, answer consultations, resolve at first contact."),
    Role.CALLBACK_SEAT: gettext_lazy("Call customers back after the decision and record their satisfaction."),
    Role.LOBBY_MANAGER: gettext_lazy("Register complaints at the outlet; whoever is asked first owns the contact."),
    Role.TELLER: gettext_lazy("Register complaints at the counter; whoever is asked first owns the contact."),
    Role.HANDLER: gettext_lazy("Investigate complaints, propose decisions, write to customers."),
    Role.UNIT_HEAD: gettext_lazy("Approve decisions, extensions and compensation; receive escalations."),
    Role.CONSUMER_PROTECTION: gettext_lazy("Receive, validate, classify, route, chase, review and report complaints."),
    Role.QA_INSPECTOR: gettext_lazy("Score recorded calls and service visits."),
    Role.WORKFORCE_PLANNER: gettext_lazy("Forecast contact volume, staff and schedule the call center."),
    Role.MANAGEMENT: gettext_lazy("Dashboards and regulatory reports."),
    Role.AUDITOR: gettext_lazy("Read the audit trail."),
    Role.ADMIN: gettext_lazy("Organisation tree, users, roles, rule tables and holidays."),
}


@login_required
def home(request):
    """What the user must do now: the tiles and panels every app registered (core/home.py), by section."""
    user = request.user
    held = roles(user)
    context = {
        "sections": home_page.sections_for(user),
        "role_cards": [{"role": Role(role).label, "duty": ROLE_DUTIES[role]} for role in Role.values if role in held],
        "assignments": user.role_assignments.filter(is_active=True).select_related("unit"),
    }
    if has_permission(user, CorePermission.MANAGE_CALENDAR):
        context["missing_calendar_years"] = calendar.missing_years(timezone.localdate())
    return render(request, "orgs/home.html", context)


def _report(request, action, success: str) -> None:
    """Run a one-button action; its outcome, or why it was refused, is shown as a message."""
    try:
        action()
    except (ValidationFailed, Conflict) as failure:
        messages.error(request, failure.message)
    else:
        messages.success(request, success)


def unit_filters(user, data) -> tuple[UnitFilterForm, dict]:
    """The unit list's filter form and the selector's keywords for a query string's values (page and export)."""
    form = UnitFilterForm(data or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"kind": filters.get("kind", ""), "search": filters.get("search", ""),
                  "sort": filters.get("sort") or "path"}


def user_filters(user, data) -> tuple[UserFilterForm, dict]:
    form = UserFilterForm(data or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"search": filters.get("search", ""), "role": filters.get("role", ""),
                  "sort": filters.get("sort") or "username"}


@login_required
def unit_list(request):
    form, filters = unit_filters(request.user, request.GET)
    units = selectors.visible_units(request.user, **filters)
    return render(request, "orgs/unit_list.html", {
        "form": form, "page": page_of(request, units, size=50), "sort": filters["sort"],
        "can_manage": has_permission(request.user, OrgPermission.MANAGE_ORG),
    })


def _unit_form_page(request, unit: OrgUnit | None):
    parents = selectors.visible_units(request.user, OrgPermission.MANAGE_ORG)
    if unit is not None:
        parents = parents.exclude(path__startswith=unit.path)
    initial = {}
    if unit is not None:
        initial = {"code": unit.code, "name": unit.name, "name_en": unit.name_en, "kind": unit.kind,
                   "parent": unit.parent, "is_active": unit.is_active}
    form = UnitForm(request.POST or None, initial=initial, parents=parents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if unit is None:
            saved = call_service(form, lambda: services.create_unit(
                request.user, code=data["code"], name=data["name"], name_en=data["name_en"], kind=data["kind"],
                parent=data["parent"]))
        else:
            saved = call_service(form, lambda: services.update_unit(
                request.user, unit, code=data["code"], name=data["name"], name_en=data["name_en"], kind=data["kind"],
                parent=data["parent"], is_active=data["is_active"]))
        if saved:
            messages.success(request, _("The unit is saved."))
            return redirect("orgs:units")
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request):
    selectors.visible_units(request.user, OrgPermission.MANAGE_ORG)  # 403 without the right
    return _unit_form_page(request, None)


@login_required
def unit_edit(request, unit_id):
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    require_in_scope(request.user, OrgPermission.MANAGE_ORG, unit)
    return _unit_form_page(request, unit)


@login_required
def user_list(request):
    form, filters = user_filters(request.user, request.GET)
    users = selectors.visible_users(request.user, **filters)
    return render(request, "orgs/user_list.html",
                  {"form": form, "page": page_of(request, users), "sort": filters["sort"],
                   "grant_requests": _with_refusals(request.user, selectors.grant_requests(request.user)[:50])})


def _with_refusals(user, grants) -> list[RoleGrantRequest]:
    """The requests, each knowing why the user may not decide it (None: the user may)."""
    grants = list(grants)
    for grant in grants:
        grant.refusal = services.grant_decision_refusal(user, grant)
    return grants


@login_required
def user_create(request):
    units = selectors.visible_units(request.user, OrgPermission.MANAGE_USERS)
    form = UserCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        user = call_service(form, lambda: services.create_user(request.user, **form.cleaned_data))
        if user:
            messages.success(request, _("The user is created."))
            return redirect("orgs:user_detail", user_id=user.pk)
    return render(request, "orgs/user_form.html", {"form": form})


def _user_in_scope(request, user_id) -> User:
    user = get_object_or_404(User.objects.select_related("home_unit"), pk=user_id)
    require_in_scope(request.user, OrgPermission.MANAGE_USERS, user.home_unit)
    return user


@login_required
def user_detail(request, user_id):
    target = _user_in_scope(request, user_id)
    units = selectors.visible_units(request.user, OrgPermission.MANAGE_USERS)
    form = RoleAssignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        granted = call_service(form, lambda: services.assign_role(request.user, target, form.cleaned_data["role"],
                                                                  form.cleaned_data["unit"]))
        if isinstance(granted, RoleGrantRequest):
            messages.success(request, _("This role opens customers' data: it takes effect when a second "
                                        "administrator approves it."))
            return redirect("orgs:user_detail", user_id=target.pk)
        if granted:
            messages.success(request, _("The role is assigned."))
            return redirect("orgs:user_detail", user_id=target.pk)
    return render(request, "orgs/user_detail.html", {
        "target": target, "form": form, "assignments": selectors.role_assignments_of(request.user, target),
        "grant_requests": _with_refusals(request.user,
                                         selectors.grant_requests(request.user, target, pending_only=False)[:20]),
        "masked_mobile": mask_phone(target.mobile) if target.mobile else "",
        "can_reveal": has_permission(request.user, CorePermission.REVEAL_PII, target.home_unit),
    })


@login_required
@require_POST
def user_set_active(request, user_id):
    target = _user_in_scope(request, user_id)
    _report(request, lambda: services.set_user_active(request.user, target, request.POST.get("active") == "1"),
            _("The user is saved."))
    return redirect("orgs:user_detail", user_id=target.pk)


@login_required
@require_POST
def role_revoke(request, assignment_id):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("unit"), pk=assignment_id)
    _report(request, lambda: services.revoke_role(request.user, assignment), _("The role is withdrawn."))
    return redirect("orgs:user_detail", user_id=assignment.user_id)


def _back_from_grant(request, grant: RoleGrantRequest):
    if request.POST.get("back") == "user":
        return redirect("orgs:user_detail", user_id=grant.user_id)
    return redirect("orgs:users")


@login_required
@require_POST
def grant_approve(request, grant_id):
    grant = get_object_or_404(RoleGrantRequest.objects.select_related("unit"), pk=grant_id)
    _report(request, lambda: services.approve_role_grant(request.user, grant), _("The role is granted."))
    return _back_from_grant(request, grant)


@login_required
@require_POST
def grant_reject(request, grant_id):
    grant = get_object_or_404(RoleGrantRequest.objects.select_related("unit"), pk=grant_id)
    _report(request, lambda: services.reject_role_grant(request.user, grant, request.POST.get("reason", "")),
            _("The request is rejected."))
    return _back_from_grant(request, grant)


@login_required
@require_POST
def user_reveal_mobile(request, user_id):
    """htmx: swaps the masked number for the full one; the reveal is on the audit trail."""
    target = _user_in_scope(request, user_id)
    mobile = reveal_pii(request.user, target, "mobile", target.home_unit)
    return render(request, "orgs/_revealed.html", {"value": mobile})


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        result = call_service(form, lambda: services.create_api_token(request.user, form.cleaned_data["name"]))
        if result:
            created = result[1]
            form = TokenForm()
    return render(request, "orgs/token_list.html",
                  {"form": form, "tokens": selectors.api_tokens_of(request.user), "created": created})


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(request.user, token)
    messages.success(request, _("The token is revoked."))
    return redirect("orgs:tokens")
