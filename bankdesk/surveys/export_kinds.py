"""The campaign list, a campaign's call list and the questionnaires as background exports (core/exports.py): each
list page's own filters and scoped selector, under the columns the page shows (phones masked)."""

from django.utils.translation import gettext_lazy as _

from bankdesk.core import exports
from bankdesk.core.exports import Column, local
from bankdesk.core.pii import mask_phone
from bankdesk.surveys import selectors, views
from bankdesk.surveys.models import TargetState
from bankdesk.surveys.permissions import SurveyPermission as P

CAMPAIGN_COLUMNS = [
    Column(_("Name"), lambda campaign: campaign.name),
    Column(_("Kind"), lambda campaign: campaign.get_kind_display()),
    Column(_("Drawn from"), lambda campaign: campaign.get_source_display()),
    Column(_("Owning unit"), lambda campaign: campaign.unit.name),
    Column(_("Status"), lambda campaign: campaign.get_status_display()),
    Column(_("People to call"), lambda campaign: campaign.target_count),
    Column(_("Created"), lambda campaign: local(campaign.created_at)),
]
TARGET_COLUMNS = [
    Column("#", lambda target: target.pk),
    Column(_("Name"), lambda target: target.name),
    Column(_("Phone"), lambda target: mask_phone(target.phone)),
    Column(_("Source reference"), lambda target: target.source_reference),
    Column(_("State"), lambda target: target.get_state_display() + (
        f" · {target.claimed_by}" if target.claimed_by_id else "")),
    Column(_("Attempts"), lambda target: target.attempts),
    Column(_("Last outcome"), lambda target: target.get_last_outcome_display()),
    Column(_("Call from"), lambda target: local(target.due_at) if target.state == TargetState.WAITING else ""),
    Column(_("Best time to call"), lambda target: target.best_time),
]
QUESTIONNAIRE_COLUMNS = [
    Column(_("Code"), lambda questionnaire: questionnaire.code),
    Column(_("Name"), lambda questionnaire: questionnaire.name),
    Column(_("Version"), lambda questionnaire: questionnaire.current_version),
    Column(_("Created by"), lambda questionnaire: str(questionnaire.created_by)),
]

KINDS = [
    exports.list_kind("surveys.campaigns", _("Survey and outbound campaigns"), P.VIEW_SURVEYS, "campaigns",
                      views.campaign_filters, selectors.campaign_list, CAMPAIGN_COLUMNS),
    exports.list_kind("surveys.targets", _("People to call"), P.VIEW_SURVEYS, "call-list", views.target_filters,
                      lambda user, filters: selectors.target_list(**filters), TARGET_COLUMNS),
    exports.list_kind("surveys.questionnaires", _("Questionnaires"), P.VIEW_SURVEYS, "questionnaires",
                      lambda user, data: (None, None), lambda user, filters: selectors.questionnaires(user),
                      QUESTIONNAIRE_COLUMNS),
]
