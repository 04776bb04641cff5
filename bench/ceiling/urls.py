"""/json/<bytes>/: a JSON object of about that many bytes, for GET and POST alike."""

import json

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def sized_json(request, size: int):
    body = json.dumps({"padding": "x" * max(0, size - 15)})
    return HttpResponse(body, content_type="application/json", status=201 if request.method == "POST" else 200)


urlpatterns = [path("json/<int:size>/", sized_json)]
