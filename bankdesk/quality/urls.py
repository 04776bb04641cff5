from django.urls import path

from bankdesk.quality import views
from bankdesk.quality.awards import views as awards
from bankdesk.quality.figures import views as figures
from bankdesk.quality.inspections import views as inspections
from bankdesk.quality.ratings import views as ratings
from bankdesk.quality.registers import views as registers


def register_pages(key: str) -> list:
    """The list, export, form, page and void of one register (registers/views.py REGISTERS)."""
    kwargs = {"register": key}
    return [
        path(f"{key}s/", registers.register_list, kwargs, name=f"{key}s"),
        path(f"{key}s/export/", registers.register_export, kwargs, name=f"{key}s_export"),
        path(f"{key}s/new/", registers.register_new, kwargs, name=f"{key}_new"),
        path(f"{key}s/<id:record_id>/", registers.register_detail, kwargs, name=key),
        path(f"{key}s/<id:record_id>/void/", registers.register_void, kwargs, name=f"{key}_void"),
    ]


app_name = "quality"
urlpatterns = [
    path("", views.outlet_list, name="outlets"),
    path("units/<id:unit_id>/", views.outlet, name="outlet"),
    path("units/<id:unit_id>/export/", views.outlet_export, name="outlet_export"),
    path("staff/<id:user_id>/", views.staff, name="staff"),
    *register_pages("commendation"),
    *register_pages("interception"),
    *register_pages("care"),
    path("cares/<id:record_id>/outcome/", registers.care_outcome, name="care_outcome"),
    path("interceptions/totals/", registers.interception_totals, name="interception_totals"),
    path("visits/", inspections.visit_list, name="visits"),
    path("visits/export/", inspections.visit_export, name="visits_export"),
    path("visits/new/", inspections.visit_new, name="visit_new"),
    path("visits/<id:visit_id>/", inspections.visit_detail, name="visit"),
    path("visits/<id:visit_id>/start/", inspections.visit_start, name="visit_start"),
    path("visits/<id:visit_id>/score/", inspections.visit_score, name="visit_score"),
    path("visits/<id:visit_id>/cancel/", inspections.visit_cancel, name="visit_cancel"),
    path("visits/<id:visit_id>/photos/", inspections.visit_photos, name="visit_photos"),
    path("visits/<id:visit_id>/photos/<id:photo_id>/", inspections.visit_photo, name="visit_photo"),
    path("follow-ups/", inspections.follow_up_list, name="follow_ups"),
    path("follow-ups/export/", inspections.follow_up_export, name="follow_ups_export"),
    path("follow-ups/<id:action_id>/", inspections.follow_up_detail, name="follow_up"),
    path("follow-ups/<id:action_id>/report/", inspections.follow_up_report, name="follow_up_report"),
    path("follow-ups/<id:action_id>/verify/", inspections.follow_up_verify, name="follow_up_verify"),
    path("follow-ups/<id:action_id>/reassign/", inspections.follow_up_reassign, name="follow_up_reassign"),
    path("checklists/", inspections.checklist_list, name="checklists"),
    path("stars/", awards.round_list, name="star_rounds"),
    path("stars/new/", awards.round_open, name="star_round_open"),
    path("stars/<id:round_id>/", awards.star_round, name="star_round"),
    path("stars/<id:round_id>/publish/", awards.round_publish, name="star_round_publish"),
    path("ratings/", ratings.ranking, name="ranking"),
    path("ratings/export/", ratings.ranking_export, name="ranking_export"),
    path("ratings/compute/", ratings.compute, name="rating_compute"),
    path("ratings/<id:rating_id>/", ratings.rating, name="rating"),
    path("figures/", figures.figures, name="figures"),
    path("figures/evaluator/", figures.figures, {"table": "evaluator"}, name="evaluator_figures"),
    path("figures/imports/", figures.import_list, name="figures_imports"),
    path("figures/imports/new/", figures.import_upload, name="figures_import_upload"),
    path("figures/imports/template.csv", figures.import_template, name="figures_import_template"),
    path("figures/imports/<id:job_id>/", figures.import_detail, name="figures_import"),
    path("figures/imports/<id:job_id>/errors.csv", figures.import_errors, name="figures_import_errors"),
]
