"""Who may open the outlet-quality pages and call its operations (see core/access.py)."""

from bankdesk.quality.permissions import QualityPermission as P

REGISTERS = ("commendation", "interception", "care")

RULES = {
    **{f"quality:{name}": P.VIEW for name in (
        "outlets", "outlet", "staff", "interception_totals", "star_rounds", "star_round", "ranking", "rating",
        "figures", "evaluator_figures", "visits", "visit", "visit_photo", "follow_ups", "follow_up")},
    "quality:checklists": P.VIEW_INSPECTIONS,
    **{f"quality:{name}": P.INSPECT for name in (
        "visit_new", "visit_start", "visit_score", "visit_cancel", "visit_photos", "follow_up_verify",
        "follow_up_reassign")},
    "quality:follow_up_report": P.FOLLOW_UP,
    "quality:visits_export": P.EXPORT, "quality:follow_ups_export": P.EXPORT,
    **{f"quality:{key}{suffix}": P.VIEW for key in REGISTERS for suffix in ("s", "")},
    **{f"quality:{key}{suffix}": P.RECORD for key in REGISTERS for suffix in ("_new", "_void")},
    **{f"quality:{key}s_export": P.EXPORT for key in REGISTERS},
    "quality:care_outcome": P.RECORD,
    "quality:outlet_export": P.EXPORT, "quality:ranking_export": P.EXPORT,
    "quality:star_round_open": P.AWARD, "quality:star_round_publish": P.AWARD,
    "quality:rating_compute": P.RATE,
    **{f"quality_{name}": P.VIEW for name in (
        "list_commendations", "get_commendation", "list_interceptions", "interception_totals", "get_interception",
        "list_care_services", "get_care_service", "list_ratings", "rating_history")},
    **{f"quality_{name}": P.RECORD for name in (
        "record_commendation", "void_commendation", "record_interception", "void_interception",
        "record_care_service", "record_care_outcome", "void_care_service")},
    "quality_compute_ratings": P.RATE,
    **{f"quality_{name}": P.VIEW for name in ("list_visits", "get_visit", "list_follow_ups")},
    **{f"quality_{name}": P.INSPECT for name in ("schedule_visit", "score_visit", "verify_follow_up")},
    "quality_report_follow_up": P.FOLLOW_UP,
    **{f"quality:{name}": P.MANAGE_FIGURES for name in (
        "figures_imports", "figures_import_upload", "figures_import_template", "figures_import",
        "figures_import_errors")},
}
