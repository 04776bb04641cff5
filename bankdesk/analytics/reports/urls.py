from django.urls import path

from bankdesk.analytics.reports import views

app_name = "analytics_reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("request/", views.report_request, name="request"),
    path("<id:report_id>/", views.report_detail, name="detail"),
    path("<id:report_id>/recompute/", views.report_recompute, name="recompute"),
    path("<id:report_id>/freeze/", views.report_freeze, name="freeze"),
    path("<id:report_id>/differences/", views.report_differences, name="differences"),
    path("<id:report_id>/export.csv", views.export_csv, name="export_csv"),
    path("<id:report_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
