from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "org.bootstrap": _("Organisation created"),
    "org.unit.create": _("Unit created"), "org.unit.update": _("Unit changed"),
    "org.user.create": _("User created"), "org.user.update": _("User changed"),
    "org.user.password": _("Password changed"),
    "org.role.assign": _("Role assigned"), "org.role.revoke": _("Role withdrawn"),
    "org.token.create": _("API token created"), "org.token.revoke": _("API token revoked"),
    "rule.change": _("Rule changed"),
    "calendar.day.set": _("Holiday entered"), "calendar.year.publish": _("Year's calendar entered"),
    "pii.reveal": _("Personal data shown in full"),
    "complaint.register": _("Complaint registered"), "complaint.accept": _("Accepted"),
    "complaint.refuse": _("Not accepted"), "complaint.merge": _("Merged into another complaint"),
    "complaint.merged_in": _("A duplicate was merged in"), "complaint.withdraw": _("Withdrawn"),
    "complaint.route": _("Routed"),
    "knowledge.article.create": _("Article created"), "knowledge.article.update": _("Article changed"),
    "knowledge.phrase.update": _("Service phrase changed"),
}


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@register.filter
def as_lines(data) -> list[str]:
    """A before/after dict as "key: value" lines."""
    if not isinstance(data, dict):
        return [] if data is None else [str(data)]
    return [f"{key}: {'—' if value in (None, '') else value}" for key, value in data.items()]


@register.inclusion_tag("core/_sort_link.html", takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts by `key`, and reverses the order when clicked again."""
    current = context.get("sort", "")
    if current == key:
        target, arrow = f"-{key}", "▲"
    elif current == f"-{key}":
        target, arrow = key, "▼"
    else:
        target, arrow = key, ""
    return {"request": context["request"], "target": target, "arrow": arrow, "label": label}
