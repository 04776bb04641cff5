from django.urls import path

from bankdesk.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.register, name="register"),
    path("queue/", views.queue, name="queue"),
    path("lookup/", views.lookup, name="lookup"),
    path("export.csv", views.export_csv, name="export"),
    path("<int:complaint_id>/", views.detail, name="detail"),
    path("<int:complaint_id>/accept/", views.accept, name="accept"),
    path("<int:complaint_id>/refuse/", views.refuse, name="refuse"),
    path("<int:complaint_id>/merge/", views.merge, name="merge"),
    path("<int:complaint_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:complaint_id>/route/", views.route, name="route"),
    path("<int:complaint_id>/refusal-notice/", views.refusal_notice, name="refusal_notice"),
    path("<int:complaint_id>/handlers/", views.handler_options, name="handler_options"),
    path("<int:complaint_id>/reveal/<str:field_name>/", views.reveal, name="reveal"),
    path("<int:complaint_id>/representatives/<int:representative_id>/reveal/", views.reveal_representative,
         name="reveal_representative"),
    path("<int:complaint_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
