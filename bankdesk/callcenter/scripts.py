"""Standard scripts (话术) per call reason: written and changed by the holders of callcenter.scripts, each save
passing the service-language check; read by everyone at the call center, and found beside the knowledge library.

Scope: a script is written for a unit and read in that unit's subtree and by the units below it; scripts
written for the head office reach every call center, a call center's own scripts stay within it."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankdesk.callcenter.audit_actions import CallcenterAction
from bankdesk.callcenter.models import CallReason, Script
from bankdesk.callcenter.permissions import CallcenterPermission as P
from bankdesk.core import audit
from bankdesk.core.errors import Conflict, NotFound, ValidationFailed
from bankdesk.core.permissions import require, require_in_scope, scope_paths, scope_q
from bankdesk.core.tree import PATH_SEGMENT_WIDTH
from bankdesk.knowledge import language, search

SEARCH_KIND = "script"
AUDITED = ["reason", "title", "body", "unit", "is_active"]


@dataclass(frozen=True)
class ScriptInput:
    reason: CallReason
    title: str
    body: str
    unit: object  # OrgUnit
    is_active: bool = True


# --- Reads -----------------------------------------------------------------------------------------------------

def _visible(user) -> Q:
    """Scripts written for a unit in the user's scope or for a unit above it (the head office's reach everyone)."""
    paths = scope_paths(user, P.VIEW)
    above = {path[:end] for path in paths for end in range(PATH_SEGMENT_WIDTH, len(path), PATH_SEGMENT_WIDTH)}
    return scope_q(user, P.VIEW, "unit_path") | Q(unit_path__in=above)


def scripts(user, *, reason: CallReason | None = None, active_only: bool = True):
    require(user, P.VIEW)
    found = Script.objects.filter(_visible(user)).select_related("reason", "unit")
    if reason is not None:
        found = found.filter(reason=reason)
    return found.filter(is_active=True) if active_only else found


def script(user, script_id: int) -> Script:
    found = list(scripts(user, active_only=False).filter(pk=script_id).select_related("updated_by"))
    if not found:
        raise NotFound()
    return found[0]


def visible_ids(user, ids) -> list[int]:
    """The scripts among `ids` the user may read (knowledge search asks, one query)."""
    return list(scripts(user).filter(pk__in=ids).values_list("pk", flat=True))


def reasons():
    return CallReason.objects.filter(is_active=True)


# --- Writes ----------------------------------------------------------------------------------------------------

def _checked(data: ScriptInput) -> ScriptInput:
    title, body = " ".join(data.title.split()), data.body.strip()
    if not title:
        raise ValidationFailed(_("Give the script a title."), field="title")
    if not body:
        raise ValidationFailed(_("Write the script."), field="body")
    if data.reason is None or not data.reason.is_active:
        raise ValidationFailed(_("Choose a call reason in use."), field="reason")
    language.require_clean(title, field="title")
    language.require_clean(body, field="body")
    return ScriptInput(data.reason, title, body, data.unit, data.is_active)


def _index(item: Script) -> None:
    search.index(search.Document(kind=SEARCH_KIND, object_id=item.pk, title=item.title, body=item.body,
                                 code=item.reason.code, group=item.reason.code, unit_path=item.unit_path))


def _apply(item: Script, data: ScriptInput, actor) -> None:
    item.reason, item.title, item.body, item.unit, item.is_active = (data.reason, data.title, data.body, data.unit,
                                                                    data.is_active)
    item.unit_path, item.updated_by = data.unit.path, actor


@transaction.atomic
def create_script(actor, data: ScriptInput) -> Script:
    require_in_scope(actor, P.MANAGE_SCRIPTS, data.unit)
    data = _checked(data)
    item = Script(created_by=actor)
    _apply(item, data, actor)
    item.save()
    _index(item)
    audit.record(CallcenterAction.SCRIPT_CREATE, item, after=audit.snapshot(item, fields=AUDITED), actor=actor)
    return item


@transaction.atomic
def update_script(actor, item: Script, data: ScriptInput, *, version: int) -> Script:
    """Change a script (or take it out of use); refused when someone changed it since `version` was read."""
    require_in_scope(actor, P.MANAGE_SCRIPTS, item.unit)
    require_in_scope(actor, P.MANAGE_SCRIPTS, data.unit)
    data = _checked(data)
    item = Script.objects.select_for_update().get(pk=item.pk)
    if item.version != version:
        raise Conflict(_("Someone else changed this script meanwhile; reload it and try again."))
    before = audit.snapshot(item, fields=AUDITED)
    _apply(item, data, actor)
    item.version += 1
    item.save()
    _index(item)
    audit.record(CallcenterAction.SCRIPT_UPDATE, item, before=before, after=audit.snapshot(item, fields=AUDITED),
                 actor=actor)
    return item


def register_search() -> None:
    """Scripts are found by the knowledge search, for whoever may read them."""
    search.register_ranked_kind(SEARCH_KIND, search.RankedKind(
        label=gettext_lazy("Script"), permission=P.VIEW, visible_ids=visible_ids,
        page=lambda hit: reverse("callcenter:script", args=[hit.id])))
