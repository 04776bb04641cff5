"""URLs of the django-helpdesk peer: helpdesk at the root (its UI, /login/ and /api/), Django's admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
