"""What audit actions are called on screen; an unknown action shows its code."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS = {
    "org.bootstrap": _("Organisation created"),
    "org.unit.create": _("Unit created"), "org.unit.update": _("Unit changed"),
    "org.user.create": _("User created"), "org.user.update": _("User changed"),
    "org.user.password": _("Password changed"),
    "org.role.assign": _("Role assigned"), "org.role.revoke": _("Role withdrawn"),
    "org.role.grant_request": _("Role grant requested"), "org.role.grant_approve": _("Role grant approved"),
    "org.role.grant_reject": _("Role grant rejected"),
    "org.token.create": _("API token created"), "org.token.revoke": _("API token revoked"),
    "rule.change": _("Rule changed"),
    "calendar.day.set": _("Holiday entered"), "calendar.year.publish": _("Year's calendar entered"),
    "pii.reveal": _("Personal data shown in full"), "pii.key_rotate": _("Personal data moved to a new key"),
    "complaint.register": _("Complaint registered"), "complaint.accept": _("Accepted"),
    "complaint.refuse": _("Not accepted"), "complaint.merge": _("Merged into another complaint"),
    "complaint.merged_in": _("A duplicate was merged in"), "complaint.withdraw": pgettext_lazy("complaint", "Withdrawn"),
    "complaint.route": _("Routed"),
    "complaint.start": _("Handling started"), "complaint.note": _("Investigation note"),
    "complaint.contact": _("Customer contacted"), "complaint.assist_request": _("Assisting department asked"),
    "complaint.assist_answer": _("Assisting department answered"), "complaint.pause": _("Clock paused"),
    "complaint.resume": _("Clock resumed"), "complaint.extension_request": _("Extension requested"),
    "complaint.extension_approved": _("Extension approved"), "complaint.extension_refused": _("Extension refused"),
    "complaint.decision_propose": _("Decision proposed"), "complaint.decision_approve": _("Decision approved"),
    "complaint.decision_return": _("Decision returned for rework"),
    "complaint.communicate": _("Decision communicated to the customer"), "complaint.callback": _("Callback"),
    "complaint.callback_failed": _("Callback: customer not reached"),
    "complaint.close_unreachable": _("Closed: customer unreachable"), "complaint.reopen": _("Reopened"),
    "complaint.escalate": _("Escalated"), "complaint.overdue": _("Deadline missed"),
    "complaint.becomes_major": _("Became major: unresolved for a month"),
    "knowledge.article.create": _("Article created"), "knowledge.article.update": _("Article changed"),
    "knowledge.phrase.update": _("Service phrase changed"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
