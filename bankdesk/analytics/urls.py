from django.urls import path

from bankdesk.analytics import views
from bankdesk.analytics.warnings import views as warnings

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("warnings/", warnings.warning_list, name="warnings"),
    path("warnings/<id:warning_id>/", warnings.warning_detail, name="warning"),
    path("warnings/<id:warning_id>/handle/", warnings.warning_handle, name="warning_handle"),
]
