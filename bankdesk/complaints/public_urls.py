from django.urls import path

from bankdesk.complaints import public_views

app_name = "track"
urlpatterns = [
    path("", public_views.status, name="status"),
    path("new/", public_views.complaint_form, name="new"),
    path("receipt/", public_views.receipt, name="receipt"),
]
