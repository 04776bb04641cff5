from django.urls import path

from bankdesk.callcenter import views

app_name = "callcenter"
urlpatterns = [
    path("", views.wallboard, name="wallboard"),
    path("kpis/", views.kpi_report, name="kpis"),
    path("imports/", views.import_list, name="imports"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/template.csv", views.import_template, name="import_template"),
    path("imports/<id:job_id>/", views.import_detail, name="import"),
    path("imports/<id:job_id>/errors.csv", views.import_errors, name="import_errors"),
]
