from django.urls import path

from bankdesk.complaints import views, work_views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.register, name="register"),
    path("queue/", views.queue, name="queue"),
    path("lookup/", views.lookup, name="lookup"),
    path("export.csv", views.export_csv, name="export"),
    path("<id:complaint_id>/", views.detail, name="detail"),
    path("my-work/", work_views.my_work, name="my_work"),
    path("team/", work_views.team, name="team"),
    path("<id:complaint_id>/steps/<slug:name>/", views.step, name="step"),
    path("<id:complaint_id>/assist-answer/", views.answer_assist, name="answer_assist"),
    path("<id:complaint_id>/decision-letter.pdf", views.decision_letter, name="decision_letter"),
    path("<id:complaint_id>/refusal-notice/", views.refusal_notice, name="refusal_notice"),
    path("<id:complaint_id>/handlers/", views.handler_options, name="handler_options"),
    path("<id:complaint_id>/reveal/<str:field_name>/", views.reveal, name="reveal"),
    path("<id:complaint_id>/representatives/<id:representative_id>/reveal/", views.reveal_representative,
         name="reveal_representative"),
    path("<id:complaint_id>/attachments/<id:attachment_id>/", views.attachment, name="attachment"),
]
