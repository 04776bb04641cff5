from django.urls import path

from bankdesk.complaints.web import import_pages

app_name = "complaint_imports"
urlpatterns = [
    path("", import_pages.job_list, name="jobs"),
    path("new/", import_pages.upload, name="upload"),
    path("template.csv", import_pages.template_csv, name="template"),
    path("<id:job_id>/", import_pages.job_detail, name="job"),
    path("<id:job_id>/errors.csv", import_pages.job_errors_csv, name="job_errors"),
    path("emails/", import_pages.email_list, name="emails"),
    path("emails/<id:email_id>/", import_pages.email_detail, name="email"),
    path("emails/<id:email_id>/original.eml", import_pages.email_original, name="email_original"),
]
