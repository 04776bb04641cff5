"""The reasons behind a rating, in words: what each stored component was computed from."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LABELS = {
    "inspection": gettext_lazy("Inspections (on site, video, journey)"),
    "mystery": gettext_lazy("Mystery shopping"),
    "complaints": gettext_lazy("Complaints per 10,000 customers"),
    "commendations": gettext_lazy("Commendations"),
    "evaluator": gettext_lazy("Customer evaluators"),
}


def _explain(code: str, figures: dict) -> str:
    if code in ("inspection", "mystery"):
        if not figures.get("count"):
            return _("No visit scored in the period: left out.")
        return _("Mean of %(count)s scores: %(mean)s.") % figures
    if code == "complaints":
        if figures.get("customers") in (None, "None"):
            return _("%(complaints)s complaints; no customer count entered for the period: left out.") % figures
        return _("%(complaints)s complaints in %(months)s months, %(customers)s customers a month: "
                 "%(rate)s per 10,000 customers a month.") % figures
    if code == "commendations":
        return _("%(commendations)s commendations in %(months)s months.") % figures
    if not figures.get("responses"):
        return _("No evaluator results entered for the period: left out.")
    return _("%(satisfied)s satisfied of %(responses)s evaluations.") % figures


def explained(components: list[dict]) -> list[dict]:
    """Each stored component with its label and the sentence saying where its score comes from."""
    return [{**component, "label": str(LABELS.get(component["code"], component["code"])),
             "explanation": _explain(component["code"], component.get("figures", {}))} for component in components]
