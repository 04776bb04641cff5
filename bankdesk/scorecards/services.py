"""Writes of scorecard design: scorecards, their draft versions, sections and items, publishing.

A published version is never changed: `start_draft` copies it into the next version, which is
edited and published in its turn (the old one is then marked replaced). Draft rows were never
scored, so removing a section or item from a draft deletes the row (recorded in the trail).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.permissions import require_in_scope
from bankdesk.scorecards.audit_actions import QaAction
from bankdesk.scorecards.models import (
    AnswerType, Item, Scorecard, ScorecardKind, ScorecardVersion, Section, VersionStatus)
from bankdesk.scorecards.permissions import rights_for
from bankdesk.scorecards.scoring import CENT

SCORECARD_FIELDS = ["code", "name", "kind", "unit", "description", "is_active"]
SECTION_FIELDS = ["title", "weight", "position"]
ITEM_FIELDS = ["code", "text", "guidance", "answer_type", "max_points", "is_fatal", "na_allowed", "position"]
MAX_WEIGHT = Decimal("99999.99")


def require_manage(actor, scorecard: Scorecard) -> None:
    require_in_scope(actor, rights_for(scorecard.kind).manage, scorecard.unit)


def _positive(value, field: str, message: str) -> Decimal:
    if value is None or not Decimal(0) < Decimal(value) <= MAX_WEIGHT or Decimal(value) != round(Decimal(value), 2):
        raise ValidationFailed(message, field=field)
    return Decimal(value).quantize(CENT)


def _validate_pass_mark(pass_mark) -> None:
    if pass_mark is not None and not Decimal(0) <= Decimal(pass_mark) <= Decimal(100):
        raise ValidationFailed(_("The pass mark is a score from 0 to 100."), field="pass_mark")


def _require_draft(version: ScorecardVersion) -> ScorecardVersion:
    locked = ScorecardVersion.objects.select_for_update().select_related("scorecard__unit").get(pk=version.pk)
    if not locked.is_draft:
        raise Conflict(_("A published version cannot be changed; start a new version of the scorecard."))
    return locked


def _record_draft_change(actor, version, what: str, before=None, after=None) -> None:
    audit.record(QaAction.DRAFT_UPDATE, version, actor=actor, before=before, after={"change": what, **(after or {})})


@transaction.atomic
def create_scorecard(actor, *, code: str, name: str, kind: str, unit, description: str = "",
                     pass_mark: Decimal | None = None) -> Scorecard:
    """A new scorecard with an empty draft version 1."""
    if kind not in ScorecardKind.values:
        raise ValidationFailed(_("Choose what the scorecard is for."), field="kind")
    if unit is None:
        raise ValidationFailed(_("Choose the unit the scorecard applies to."), field="unit")
    require_in_scope(actor, rights_for(kind).manage, unit)
    code, name = code.strip(), name.strip()
    if not code:
        raise ValidationFailed(_("Enter a code for the scorecard."), field="code")
    if not name:
        raise ValidationFailed(_("Enter the name of the scorecard."), field="name")
    if Scorecard.objects.filter(code=code).exists():
        raise ValidationFailed(_("Another scorecard has this code."), field="code")
    _validate_pass_mark(pass_mark)
    scorecard = Scorecard.objects.create(code=code, name=name, kind=kind, unit=unit, unit_path=unit.path,
                                         description=description.strip(), created_by=actor)
    ScorecardVersion.objects.create(scorecard=scorecard, number=1, pass_mark=pass_mark, created_by=actor)
    audit.record(QaAction.SCORECARD_CREATE, scorecard, actor=actor, after=audit.snapshot(scorecard, SCORECARD_FIELDS))
    return scorecard


@transaction.atomic
def update_scorecard(actor, scorecard: Scorecard, *, name: str, description: str = "",
                     is_active: bool = True) -> Scorecard:
    """Name, description and whether it is in use; what it scores changes only through versions."""
    require_manage(actor, scorecard)
    if not name.strip():
        raise ValidationFailed(_("Enter the name of the scorecard."), field="name")
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    before = audit.snapshot(scorecard, SCORECARD_FIELDS)
    scorecard.name, scorecard.description, scorecard.is_active = name.strip(), description.strip(), is_active
    scorecard.save()
    audit.record(QaAction.SCORECARD_UPDATE, scorecard, actor=actor, before=before,
                 after=audit.snapshot(scorecard, SCORECARD_FIELDS))
    return scorecard


@transaction.atomic
def start_draft(actor, scorecard: Scorecard) -> ScorecardVersion:
    """The scorecard's draft: the existing one, or a copy of the latest version as the next number."""
    require_manage(actor, scorecard)
    Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    existing = scorecard.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    latest = scorecard.versions.order_by("-number").first()
    draft = ScorecardVersion.objects.create(scorecard=scorecard, number=latest.number + 1,
                                            pass_mark=latest.pass_mark, created_by=actor)
    _copy_sections(latest, draft)
    audit.record(QaAction.DRAFT_START, draft, actor=actor, after={"number": draft.number, "from": latest.number})
    return draft


def _copy_sections(source: ScorecardVersion, target: ScorecardVersion) -> None:
    for section in source.sections.prefetch_related("items"):
        copy = Section.objects.create(version=target, position=section.position, title=section.title,
                                      weight=section.weight)
        Item.objects.bulk_create([
            Item(section=copy, **{field: getattr(item, field) for field in ITEM_FIELDS})
            for item in section.items.all()])


@transaction.atomic
def update_draft(actor, version: ScorecardVersion, *, pass_mark: Decimal | None,
                 change_note: str = "") -> ScorecardVersion:
    require_manage(actor, version.scorecard)
    version = _require_draft(version)
    _validate_pass_mark(pass_mark)
    before = {"pass_mark": version.pass_mark, "change_note": version.change_note}
    version.pass_mark, version.change_note = pass_mark, change_note.strip()
    version.save(update_fields=["pass_mark", "change_note"])
    _record_draft_change(actor, version, "version", before=before,
                         after={"pass_mark": pass_mark, "change_note": version.change_note})
    return version


def _next_position(rows) -> int:
    return (rows.aggregate(top=Max("position"))["top"] or 0) + 1


def _validate_section(title: str, weight) -> tuple[str, Decimal]:
    if not title.strip():
        raise ValidationFailed(_("Enter the title of the section."), field="title")
    return title.strip(), _positive(weight, "weight", _("The weight of a section is a number above 0."))


@transaction.atomic
def add_section(actor, version: ScorecardVersion, *, title: str, weight: Decimal) -> Section:
    require_manage(actor, version.scorecard)
    version = _require_draft(version)
    title, weight = _validate_section(title, weight)
    section = Section.objects.create(version=version, title=title, weight=weight,
                                     position=_next_position(version.sections))
    _record_draft_change(actor, version, "section added", after=audit.snapshot(section, SECTION_FIELDS))
    return section


@transaction.atomic
def update_section(actor, section: Section, *, title: str, weight: Decimal, position: int) -> Section:
    require_manage(actor, section.version.scorecard)
    version = _require_draft(section.version)
    title, weight = _validate_section(title, weight)
    before = audit.snapshot(section, SECTION_FIELDS)
    section.title, section.weight, section.position = title, weight, position
    section.save()
    _record_draft_change(actor, version, "section changed", before=before,
                         after=audit.snapshot(section, SECTION_FIELDS))
    return section


@transaction.atomic
def remove_section(actor, section: Section) -> None:
    require_manage(actor, section.version.scorecard)
    version = _require_draft(section.version)
    before = {**audit.snapshot(section, SECTION_FIELDS),
              "items": [audit.snapshot(item, ITEM_FIELDS) for item in section.items.all()]}
    section.items.all().delete()
    section.delete()
    _record_draft_change(actor, version, "section removed", before=before)


def _validate_item(fields: dict) -> dict:
    text = (fields.get("text") or "").strip()
    if not text:
        raise ValidationFailed(_("Enter the item."), field="text")
    if fields.get("answer_type") not in AnswerType.values:
        raise ValidationFailed(_("Choose how the item is answered."), field="answer_type")
    if fields.get("is_fatal") and fields["answer_type"] != AnswerType.YES_NO:
        raise ValidationFailed(_("A fatal item is answered yes or no."), field="is_fatal")
    max_points = _positive(fields.get("max_points"), "max_points", _("The points of an item are a number above 0."))
    return {**fields, "text": text, "max_points": max_points, "code": (fields.get("code") or "").strip(),
            "guidance": (fields.get("guidance") or "").strip()}


@transaction.atomic
def add_item(actor, section: Section, *, text: str, max_points: Decimal, answer_type: str = AnswerType.YES_NO,
             is_fatal: bool = False, na_allowed: bool = False, code: str = "", guidance: str = "") -> Item:
    require_manage(actor, section.version.scorecard)
    version = _require_draft(section.version)
    fields = _validate_item({"text": text, "max_points": max_points, "answer_type": answer_type, "is_fatal": is_fatal,
                             "na_allowed": na_allowed, "code": code, "guidance": guidance})
    item = Item.objects.create(section=section, position=_next_position(section.items), **fields)
    _record_draft_change(actor, version, "item added", after=audit.snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def update_item(actor, item: Item, **fields) -> Item:
    """Change any of ITEM_FIELDS of an item of a draft; the others keep their values."""
    require_manage(actor, item.section.version.scorecard)
    version = _require_draft(item.section.version)
    before = audit.snapshot(item, ITEM_FIELDS)
    merged = _validate_item({**before, **{key: value for key, value in fields.items() if key in ITEM_FIELDS}})
    for field, value in merged.items():
        setattr(item, field, value)
    item.save()
    _record_draft_change(actor, version, "item changed", before=before, after=audit.snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def remove_item(actor, item: Item) -> None:
    require_manage(actor, item.section.version.scorecard)
    version = _require_draft(item.section.version)
    before = audit.snapshot(item, ITEM_FIELDS)
    item.delete()
    _record_draft_change(actor, version, "item removed", before=before)


def _check_complete(version: ScorecardVersion) -> None:
    sections = list(version.sections.prefetch_related("items"))
    if not sections:
        raise ValidationFailed(_("Add at least one section before publishing."), field="sections")
    for section in sections:
        if not section.items.all():
            raise ValidationFailed(_("Section “%(title)s” has no items.") % {"title": section.title},
                                   field="sections")


@transaction.atomic
def publish(actor, version: ScorecardVersion) -> ScorecardVersion:
    """The draft becomes the version scored from now on; the one before it is marked replaced."""
    require_manage(actor, version.scorecard)
    version = _require_draft(version)
    _check_complete(version)
    previous = version.scorecard.versions.filter(status=VersionStatus.PUBLISHED).first()
    if previous is not None:
        previous.status = VersionStatus.RETIRED
        previous.save(update_fields=["status"])
    version.status, version.published_by, version.published_at = VersionStatus.PUBLISHED, actor, timezone.now()
    version.save(update_fields=["status", "published_by", "published_at"])
    audit.record(QaAction.VERSION_PUBLISH, version, actor=actor,
                 after={"number": version.number, "replaces": previous.number if previous else None})
    return version
