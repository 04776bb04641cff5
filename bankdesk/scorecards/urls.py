from django.urls import path

from bankdesk.scorecards import design_views, views

app_name = "scorecards"
urlpatterns = [
    path("", views.evaluation_list, name="evaluations"),
    path("evaluations/new/", views.evaluation_start, name="evaluation_start"),
    path("evaluations/<id:evaluation_id>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<id:evaluation_id>/score/", views.evaluation_score, name="evaluation_score"),
    path("evaluations/<id:evaluation_id>/void/", views.evaluation_void, name="evaluation_void"),
    path("calibrations/", views.calibration_list, name="calibrations"),
    path("calibrations/new/", views.calibration_create, name="calibration_create"),
    path("calibrations/<id:session_id>/", views.calibration_detail, name="calibration"),
    path("calibrations/<id:session_id>/join/", views.calibration_join, name="calibration_join"),
    path("calibrations/<id:session_id>/close/", views.calibration_close, name="calibration_close"),
    path("trends/", views.trends, name="trends"),
    path("mine/", views.my_results, name="my_results"),
    path("briefing/", views.briefing, name="briefing"),
    path("scorecards/", design_views.scorecard_list, name="scorecards"),
    path("scorecards/new/", design_views.scorecard_create, name="scorecard_create"),
    path("scorecards/<id:scorecard_id>/", design_views.scorecard_detail, name="scorecard"),
    path("scorecards/<id:scorecard_id>/edit/", design_views.scorecard_edit, name="scorecard_edit"),
    path("scorecards/<id:scorecard_id>/new-version/", design_views.draft_start, name="draft_start"),
    path("versions/<id:version_id>/", design_views.version_detail, name="version"),
    path("versions/<id:version_id>/edit/", design_views.version_edit, name="version_edit"),
    path("versions/<id:version_id>/publish/", design_views.version_publish, name="version_publish"),
    path("versions/<id:version_id>/sections/new/", design_views.section_add, name="section_add"),
    path("sections/<id:section_id>/edit/", design_views.section_edit, name="section_edit"),
    path("sections/<id:section_id>/remove/", design_views.section_remove, name="section_remove"),
    path("sections/<id:section_id>/items/new/", design_views.item_add, name="item_add"),
    path("items/<id:item_id>/edit/", design_views.item_edit, name="item_edit"),
    path("items/<id:item_id>/remove/", design_views.item_remove, name="item_remove"),
]
