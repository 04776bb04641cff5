# Placeholder until the complaint pages land (helper-4 replaces this file).
from django.http import HttpResponse
from django.urls import path


def _pending(request, *args, **kwargs):
    return HttpResponse(status=501)


app_name = "complaints"
urlpatterns = [
    path("new/", _pending, name="register"),
    path("queue/", _pending, name="queue"),
    path("", _pending, name="list"),
]
