from django.urls import path

from bankdesk.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<id:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<id:campaign_id>/status/", views.campaign_status, name="campaign_status"),
    path("campaigns/<id:campaign_id>/draw/", views.campaign_draw, name="campaign_draw"),
    path("campaigns/<id:campaign_id>/lists/", views.list_upload, name="list_upload"),
    path("imports/<id:job_id>/", views.import_detail, name="import"),
    path("imports/<id:job_id>/errors.csv", views.import_errors, name="import_errors"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_edit, name="questionnaire_create"),
    path("questionnaires/<id:questionnaire_id>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<id:questionnaire_id>/revise/", views.questionnaire_edit, name="questionnaire_revise"),
    path("calls/", views.interview, name="interview"),
    path("calls/<id:target_id>/record/", views.interview_record, name="interview_record"),
    path("calls/<id:target_id>/release/", views.interview_release, name="interview_release"),
    path("results/", views.results, name="results"),
]
