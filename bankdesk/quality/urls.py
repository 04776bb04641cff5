from django.urls import path

from bankdesk.quality import views

app_name = "quality"
urlpatterns = [
    path("stars/<id:round_id>/", views.star_round, name="star_round"),
]
