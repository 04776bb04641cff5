from django.urls import path

from bankdesk.callcenter import desk_views, views

app_name = "callcenter"
urlpatterns = [
    path("", views.wallboard, name="wallboard"),
    path("kpis/", views.kpi_report, name="kpis"),
    path("imports/", views.import_list, name="imports"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/template.csv", views.import_template, name="import_template"),
    path("imports/<id:job_id>/", views.import_detail, name="import"),
    path("imports/<id:job_id>/errors.csv", views.import_errors, name="import_errors"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_edit, name="team_create"),
    path("teams/<id:team_id>/", views.team_edit, name="team_edit"),
    path("agents/", views.agent_list, name="agents"),
    path("agents/new/", views.agent_edit, name="agent_create"),
    path("agents/<id:agent_id>/", views.agent_edit, name="agent_edit"),
    path("skills/", views.skill_list, name="skills"),
    path("skills/new/", views.skill_edit, name="skill_create"),
    path("skills/<id:skill_id>/", views.skill_edit, name="skill_edit"),
    path("desk/", desk_views.desk, name="desk"),
    path("desk/complaints/<id:complaint_id>/", desk_views.desk_complaint, name="desk_complaint"),
    path("desk/complaints/<id:complaint_id>/calls/", desk_views.desk_call, name="desk_call"),
    path("scripts/", desk_views.script_list, name="scripts"),
    path("scripts/new/", desk_views.script_edit, name="script_create"),
    path("scripts/<id:script_id>/", desk_views.script_detail, name="script"),
    path("scripts/<id:script_id>/edit/", desk_views.script_edit, name="script_edit"),
]
