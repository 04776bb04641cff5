from django.urls import path

from bankdesk.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.calculator_page, name="calculator"),
    path("forecasts/", views.forecast_list, name="forecasts"),
    path("forecasts/new/", views.forecast_create, name="forecast_create"),
    path("forecasts/<id:run_id>/", views.forecast_detail, name="forecast"),
    path("rosters/", views.roster_list, name="rosters"),
    path("rosters/new/", views.roster_create, name="roster_create"),
    path("rosters/<id:roster_id>/", views.roster_detail, name="roster"),
    path("rosters/<id:roster_id>/publish/", views.roster_publish, name="roster_publish"),
    path("rosters/<id:roster_id>/shifts/new/", views.shift_add, name="shift_add"),
    path("shifts/<id:shift_id>/", views.shift_edit, name="shift_edit"),
    path("shifts/<id:shift_id>/cancel/", views.shift_cancel, name="shift_cancel"),
    path("absences/", views.absence_list, name="absences"),
    path("absences/new/", views.absence_edit, name="absence_create"),
    path("absences/<id:absence_id>/", views.absence_edit, name="absence_edit"),
    path("my-schedule/", views.my_schedule, name="my_schedule"),
]
