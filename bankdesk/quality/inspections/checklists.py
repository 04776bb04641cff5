"""The outlet checklists the bank starts from (data/outlet_checklists.json): the 168-item outlet standard
shaped like the China Banking Association's, a service-video spot check and a mystery-shopping form.
Installing one makes it a scorecard of the scorecards engine at a unit (its draft built and published),
which the bank then edits there like any scorecard, in new versions."""

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.quality.audit_actions import QualityAction
from bankdesk.scorecards import services as scorecards
from bankdesk.scorecards.models import Scorecard

DATA = Path(__file__).resolve().parent.parent / "data" / "outlet_checklists.json"


@cache
def templates() -> dict[str, dict]:
    """The shipped templates by code."""
    return {template["code"]: template for template in json.loads(DATA.read_text(encoding="utf-8"))["templates"]}


def default_code(template: str, unit) -> str:
    """The template's code at the head office, with the unit's code below it (codes are unique)."""
    return template if unit.parent_id is None else f"{template}-{unit.code}"[:32]


@transaction.atomic
def install(actor, *, template: str, unit, code: str = "") -> Scorecard:
    """The template as a published scorecard applying to `unit` and the units under it."""
    shape = templates().get(template)
    if shape is None:
        raise ValidationFailed(_("Choose one of the checklist templates."), field="template")
    scorecard = scorecards.create_scorecard(
        actor, code=code.strip() or default_code(template, unit), name=shape["name"], kind=shape["kind"], unit=unit,
        description=shape["description"], pass_mark=Decimal(shape["pass_mark"]))
    draft = scorecard.versions.get()
    for section in shape["sections"]:
        added = scorecards.add_section(actor, draft, title=section["title"], weight=Decimal(section["weight"]))
        for item in section["items"]:
            scorecards.add_item(actor, added, text=item["text"], max_points=Decimal(item["max_points"]),
                                answer_type=item["answer_type"], is_fatal=item.get("is_fatal", False),
                                na_allowed=item.get("na_allowed", False), code=item["code"],
                                guidance=item.get("guidance", ""))
    scorecards.publish(actor, draft)
    audit.record(QualityAction.CHECKLIST_INSTALL, scorecard, actor=actor,
                 after={"template": template, "items": sum(len(section["items"]) for section in shape["sections"])})
    return scorecard
