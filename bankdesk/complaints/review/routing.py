"""Routing: the routing rule that matches a complaint, the lead and assisting departments, and the
handler chosen by load with recusal; by the rules at acceptance or by hand."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints import recusal, saving, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.handling import clocks, dispatch, recipients
from bankdesk.complaints.models import OPEN_STATUSES, Complaint, RoutingRule, Status
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import notify
from bankdesk.orgs.models import OrgUnit, Role, RoleAssignment, User, next_path


def route_by_rules(actor, complaint: Complaint) -> Complaint:
    rule = matching_routing_rule(complaint)
    if rule is None:
        return complaint  # stays accepted in the review queue for routing by hand
    lead, raised_from = _lead(complaint, rule.lead_department)
    return apply_route(actor, complaint, lead, list(rule.assisting_departments.all()),
                       least_loaded_handler(complaint, lead), rule=rule.name, raised_from=raised_from)


def _lead(complaint: Complaint, department: OrgUnit) -> tuple[OrgUnit, str]:
    """The lead department, one level up when the complaint is about the head of the one chosen (recusal);
    and the code of the one chosen when it was raised."""
    lead = recusal.lead_department_for(complaint, department)
    return lead, department.code if lead != department else ""


def apply_route(actor, complaint: Complaint, lead_department: OrgUnit, assisting: list[OrgUnit],
                handler: User | None, rule: str = "", raised_from: str = "") -> Complaint:
    """Route to the lead department: it must sign for the complaint (handling.dispatch) on the dispatch clock;
    the handler and each assisting department newly named are told."""
    before = saving.snapshot(complaint)
    new_handler, department_changed = handler is not None and handler.pk != complaint.handler_id, \
        lead_department.pk != complaint.lead_department_id
    already_assisting = set(complaint.assisting_departments.values_list("pk", flat=True))
    complaint.lead_department, complaint.lead_department_path = lead_department, lead_department.path
    complaint.handler, complaint.routed_at, complaint.status = handler, timezone.now(), Status.ROUTED
    extra = {"assisting": [unit.code for unit in assisting], "rule": rule}
    if raised_from:  # the complaint is about the head of the department chosen: one level up (recusal)
        extra["raised_from"] = raised_from
    dispatch.await_sign_for(complaint, department_changed)
    complaint = saving.save_change(actor, complaint, ComplaintAction.ROUTE, before, extra)
    complaint.assisting_departments.set(assisting)
    clocks.refresh_complaint(complaint)
    saving.index_for_search(complaint)
    dispatch.tell_assigned(complaint, new_handler, [unit for unit in assisting if unit.pk not in already_assisting])
    if handler is None:
        _tell_heads_no_handler(complaint, lead_department)
    return complaint


def _tell_heads_no_handler(complaint: Complaint, department: OrgUnit) -> None:
    notify(recipients.over(department, [Role.UNIT_HEAD]), kind="complaint.unassigned", obj=complaint,
           link=recipients.complaint_link(complaint),
           text=_("Complaint %(number)s was routed to %(unit)s but no handler is available: assign one.") % {
               "number": complaint.tracking_number, "unit": department.name})


@transaction.atomic
def route_complaint(actor, complaint: Complaint, *, lead_department: OrgUnit, assisting=(), handler: User | None = None,
                    expected_version: int | None = None) -> Complaint:
    """Route by hand (or re-route): the lead department, assisting ones and, optionally, the handler."""
    state_machine.require_step(actor, "route", complaint)
    complaint = saving.lock(actor, complaint, "route", expected_version)
    if lead_department is None or not lead_department.is_active:
        raise ValidationFailed(_("Choose the lead department."), field="lead_department")
    lead_department, raised_from = _lead(complaint, lead_department)
    if handler is None:
        handler = least_loaded_handler(complaint, lead_department)
    else:
        _check_handler(complaint, lead_department, handler)
    return apply_route(actor, complaint, lead_department, [u for u in assisting if u != lead_department], handler,
                       raised_from=raised_from)


def _check_handler(complaint: Complaint, department: OrgUnit, handler: User) -> None:
    if recusal.is_recused(handler, complaint):
        raise ValidationFailed(_("%(name)s is concerned by this complaint and may not handle it (recusal).")
                               % {"name": handler}, field="handler")
    if not eligible_handlers(complaint, department).filter(pk=handler.pk).exists():
        raise ValidationFailed(_("%(name)s is not a handler of %(unit)s.") % {"name": handler, "unit": department},
                               field="handler")


def _routing_rule_matches(rule: RoutingRule, complaint: Complaint) -> bool:
    if rule.business_category_id and rule.business_category_id not in (
            complaint.business_category_id, complaint.business_category.parent_id):
        return False
    if rule.unit_id and not complaint.unit_path.startswith(rule.unit.path):
        return False
    if rule.min_severity and complaint.severity < rule.min_severity:
        return False
    return not (rule.channel_id and rule.channel_id != complaint.channel_id)


def matching_routing_rule(complaint: Complaint) -> RoutingRule | None:
    rules = RoutingRule.objects.filter(is_active=True).select_related("unit", "lead_department")
    return next((rule for rule in rules if _routing_rule_matches(rule, complaint)), None)


def eligible_handlers(complaint: Complaint, department):
    """Active handlers of the department's subtree whose right reaches the complaint (their unit lies above the
    department or the complaint's unit, so they can take its steps), less those recused and, when the complaint
    is about a unit's head, less that head's staff."""
    reaching_paths = set(department.ancestor_paths()) | set(complaint.unit.ancestor_paths())
    assignments = RoleAssignment.objects.filter(
        role=Role.HANDLER, is_active=True, unit__path__gte=department.path, unit__path__lt=next_path(department.path),
        unit__path__in=reaching_paths)
    for path in recusal.subordinate_paths(complaint):
        assignments = assignments.exclude(unit__path__gte=path, unit__path__lt=next_path(path))
    return User.objects.filter(is_active=True, id__in=assignments.values("user_id")).exclude(
        id__in=recusal.recused_user_ids(complaint))


def least_loaded_handler(complaint: Complaint, department) -> User | None:
    """The eligible handler with the fewest open complaints (ties: the lowest id, for stable results)."""
    candidates = list(eligible_handlers(complaint, department).order_by("id"))
    if not candidates:
        return None
    loads = dict(Complaint.objects.filter(handler__in=candidates, status__in=OPEN_STATUSES)
                 .values_list("handler").annotate(open_count=Count("id")).order_by())
    return min(candidates, key=lambda user: (loads.get(user.id, 0), user.id))
