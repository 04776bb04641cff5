"""Who may open the surveys pages and call its operations (see core/access.py)."""

from bankdesk.surveys.permissions import SurveyPermission as P

RULES = {
    **{f"surveys:{name}": P.VIEW_SURVEYS for name in (
        "campaigns", "campaign", "questionnaires", "questionnaire", "results")},
    **{f"surveys:{name}": P.MANAGE_SURVEYS for name in (
        "campaign_create", "campaign_status", "campaign_draw", "list_upload", "import", "import_errors",
        "questionnaire_create", "questionnaire_revise")},
    **{f"surveys:{name}": P.INTERVIEW for name in ("interview", "interview_record", "interview_release")},
    **{f"surveys_{name}": P.VIEW_SURVEYS for name in (
        "list_campaigns", "get_campaign", "list_questionnaires", "get_questionnaire", "results")},
    **{f"surveys_{name}": P.MANAGE_SURVEYS for name in (
        "create_campaign", "set_campaign_status", "draw_targets", "import_list", "get_import",
        "create_questionnaire", "revise_questionnaire")},
    **{f"surveys_{name}": P.INTERVIEW for name in ("claim_next", "record_call", "release_target")},
}
