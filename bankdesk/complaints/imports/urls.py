from django.urls import path

from bankdesk.complaints.imports import views

app_name = "complaint_imports"
urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("new/", views.upload, name="upload"),
    path("template.csv", views.template_csv, name="template"),
    path("<id:job_id>/", views.job_detail, name="job"),
    path("<id:job_id>/errors.csv", views.job_errors_csv, name="job_errors"),
    path("emails/", views.email_list, name="emails"),
    path("emails/<id:email_id>/", views.email_detail, name="email"),
    path("emails/<id:email_id>/original.eml", views.email_original, name="email_original"),
]
