"""The quality-monitoring permissions, the roles that hold them, and which of them guard each
kind of scorecard (an app built on this engine names its own for its kinds)."""

from dataclasses import dataclass
from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions
from bankdesk.scorecards.models import ScorecardKind


class QaPermission(StrEnum):
    VIEW = "qa.view"
    VIEW_OWN = "qa.view_own"
    EVALUATE = "qa.evaluate"
    CALIBRATE = "qa.calibrate"
    MANAGE_SCORECARDS = "qa.manage_scorecards"
    BRIEFING = "qa.briefing"  # the pre-shift briefing of a call-center team (briefing.py)


@dataclass(frozen=True)
class KindRights:
    """The permissions that read, score and edit the scorecards and evaluations of one kind."""

    view: str
    evaluate: str
    calibrate: str
    manage: str


QA_RIGHTS = KindRights(view=QaPermission.VIEW, evaluate=QaPermission.EVALUATE, calibrate=QaPermission.CALIBRATE,
                       manage=QaPermission.MANAGE_SCORECARDS)
KIND_RIGHTS: dict[str, KindRights] = {kind: QA_RIGHTS for kind in ScorecardKind.values}


def register_kind_rights(kind: str, rights: KindRights) -> None:
    """Another app (quality for outlet inspections) guards a kind with its own permissions."""
    KIND_RIGHTS[kind] = rights


def rights_for(kind: str) -> KindRights:
    return KIND_RIGHTS[kind]


def kinds_by_permission(attribute: str) -> dict[str, list[str]]:
    """{permission: [kinds it guards]} for one of view / evaluate / calibrate / manage."""
    grouped: dict[str, list[str]] = {}
    for kind, rights in KIND_RIGHTS.items():
        grouped.setdefault(getattr(rights, attribute), []).append(kind)
    return grouped


def register() -> None:
    from bankdesk.orgs.models import Role

    register_permissions(QaPermission)
    grant([Role.QA_INSPECTOR, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT, Role.AUDITOR],
          QaPermission.VIEW)
    grant([Role.QA_INSPECTOR, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION], QaPermission.EVALUATE,
          QaPermission.CALIBRATE)
    grant([Role.QA_INSPECTOR, Role.CONSUMER_PROTECTION], QaPermission.MANAGE_SCORECARDS)
    grant([Role.AGENT, Role.HANDLER, Role.TELLER, Role.LOBBY_MANAGER], QaPermission.VIEW_OWN)
    grant([Role.AGENT, Role.UNIT_HEAD, Role.QA_INSPECTOR], QaPermission.BRIEFING)
