from django.urls import path

from bankdesk.core import export_views, views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit"),
    path("audit/<id:event_id>/", views.audit_event, name="audit_event"),
    path("nav-counts/", views.nav_counts, name="nav_counts"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_all_read, name="inbox_read_all"),
    path("inbox/<id:notification_id>/read/", views.inbox_mark_read, name="inbox_read"),
    path("inbox/<id:notification_id>/open/", views.inbox_open, name="inbox_open"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/request/", export_views.export_request, name="export_request"),
    path("exports/<id:job_id>/download/", export_views.export_download, name="export_download"),
    path("settings/rules/", views.rule_list, name="rules"),
    path("settings/rules/<str:key>/", views.rule_edit, name="rule_edit"),
    path("settings/calendar/", views.calendar_page, name="calendar"),
    path("settings/tables/<slug:slug>/", views.config_table_list, name="config_table"),
    path("settings/tables/<slug:slug>/new/", views.config_table_edit, name="config_table_create"),
    path("settings/tables/<slug:slug>/<id:entry_id>/", views.config_table_edit, name="config_table_edit"),
]
