from django.urls import path

from bankdesk.complaints.web import public_pages

app_name = "track"
urlpatterns = [
    path("", public_pages.status, name="status"),
    path("new/", public_pages.complaint_form, name="new"),
    path("receipt/", public_pages.receipt, name="receipt"),
    path("letter/", public_pages.letter, name="letter"),
    path("review/", public_pages.review, name="review"),
]
