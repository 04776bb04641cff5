"""Who may open the quality-monitoring pages and call its operations (see core/access.py)."""

from bankdesk.scorecards.permissions import QaPermission as P

READ_EVALUATIONS = (P.VIEW, P.VIEW_OWN, P.EVALUATE)
READ_SCORECARDS = (P.VIEW, P.EVALUATE, P.MANAGE_SCORECARDS)
READ_CALIBRATIONS = (P.VIEW, P.EVALUATE, P.CALIBRATE)
READ_TRENDS = (P.VIEW, P.VIEW_OWN)


def _each(names, rule, prefix="scorecards:") -> dict:
    return {f"{prefix}{name}": rule for name in names}


RULES = {
    **_each(["evaluations", "evaluation"], READ_EVALUATIONS),
    **_each(["evaluation_start", "evaluation_score", "evaluation_void", "calibration_join"], P.EVALUATE),
    **_each(["calibrations", "calibration"], READ_CALIBRATIONS),
    **_each(["calibration_create", "calibration_close"], P.CALIBRATE),
    "scorecards:trends": READ_TRENDS,
    "scorecards:my_results": P.VIEW_OWN,
    "scorecards:briefing": P.BRIEFING,
    **_each(["scorecards", "scorecard", "version"], READ_SCORECARDS),
    **_each(["scorecard_create", "scorecard_edit", "draft_start", "version_edit", "version_publish", "section_add",
             "section_edit", "section_remove", "item_add", "item_edit", "item_remove"], P.MANAGE_SCORECARDS),
    # API operations
    **_each(["list_evaluations", "get_evaluation"], READ_EVALUATIONS, "scorecards_"),
    **_each(["start_evaluation", "save_scores", "submit_evaluation", "void_evaluation", "join_calibration"],
            P.EVALUATE, "scorecards_"),
    **_each(["list_calibrations", "get_calibration"], READ_CALIBRATIONS, "scorecards_"),
    **_each(["create_calibration", "close_calibration"], P.CALIBRATE, "scorecards_"),
    "scorecards_qa_trend": READ_TRENDS,
    **_each(["list_scorecards", "get_scorecard", "get_version"], READ_SCORECARDS, "scorecards_"),
    **_each(["create_scorecard", "change_scorecard", "start_draft", "change_draft", "publish_version", "add_section",
             "change_section", "remove_section", "add_item", "change_item", "remove_item"], P.MANAGE_SCORECARDS,
            "scorecards_"),
}
