from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bankdesk.core import access

register = template.Library()

TABS = [("evaluations", _("Evaluations")), ("calibrations", _("Calibration")), ("trends", _("QA trends")),
        ("scorecards", _("Scorecards")), ("briefing", _("Pre-shift briefing"))]


@register.inclusion_tag("scorecards/_tabs.html", takes_context=True)
def qa_tabs(context, active: str):
    """The quality-monitoring tabs the user may open (as the pages' access declarations say)."""
    user = context["request"].user
    return {"tabs": [{"label": label, "url": reverse(f"scorecards:{name}"), "active": name == active}
                     for name, label in TABS if access.allows(user, access.rule_for(f"scorecards:{name}"))]}
