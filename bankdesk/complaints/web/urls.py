from django.urls import path

from bankdesk.complaints.web import complaint_page, list_pages, registration_page

app_name = "complaints"
urlpatterns = [
    path("", list_pages.complaint_list, name="list"),
    path("new/", registration_page.register, name="register"),
    path("queue/", list_pages.queue, name="queue"),
    path("lookup/", registration_page.lookup, name="lookup"),
    path("export.csv", list_pages.export_csv, name="export"),
    path("<id:complaint_id>/", complaint_page.detail, name="detail"),
    path("my-work/", list_pages.my_work, name="my_work"),
    path("team/", list_pages.team, name="team"),
    path("<id:complaint_id>/steps/<slug:name>/", complaint_page.step, name="step"),
    path("<id:complaint_id>/steps/<slug:name>/form/", complaint_page.step_box, name="step_box"),
    path("<id:complaint_id>/assist-answer/", complaint_page.answer_assist, name="answer_assist"),
    path("<id:complaint_id>/decision-letter.pdf", complaint_page.decision_letter, name="decision_letter"),
    path("<id:complaint_id>/refusal-notice/", complaint_page.refusal_notice, name="refusal_notice"),
    path("<id:complaint_id>/handlers/", complaint_page.handler_options, name="handler_options"),
    path("<id:complaint_id>/reveal/<str:field_name>/", complaint_page.reveal, name="reveal"),
    path("<id:complaint_id>/representatives/<id:representative_id>/reveal/", complaint_page.reveal_representative,
         name="reveal_representative"),
    path("<id:complaint_id>/attachments/<id:attachment_id>/", complaint_page.attachment, name="attachment"),
]
