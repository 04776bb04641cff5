from django.urls import path

from bankdesk.remediation.web import accountability_pages as accountability
from bankdesk.remediation.web import payment_pages as payments
from bankdesk.remediation.web import rectification_pages as rectification

app_name = "remediation"
urlpatterns = [
    path("payments/", payments.payment_list, name="payments"),
    path("payments/export/", payments.payment_export, name="payments_export"),
    path("payments/file/", payments.payment_file_export, name="payment_file"),
    path("payments/files/<str:batch>/", payments.payment_file_download, name="payment_file_again"),
    path("payments/new/<id:complaint_id>/", payments.payment_new, name="payment_new"),
    path("payments/<id:order_id>/", payments.payment_detail, name="payment"),
    path("payments/<id:order_id>/approve/", payments.payment_approve, name="payment_approve"),
    path("payments/<id:order_id>/reject/", payments.payment_reject, name="payment_reject"),
    path("payments/<id:order_id>/cancel/", payments.payment_cancel, name="payment_cancel"),
    path("payments/<id:order_id>/paid/", payments.payment_paid, name="payment_paid"),
    path("authenticator/", payments.authenticator, name="authenticator"),
    path("rectification/", rectification.item_list, name="items"),
    path("rectification/export/", rectification.item_export, name="items_export"),
    path("rectification/report/", rectification.rectification_report, name="rectification_report"),
    path("rectification/<id:item_id>/", rectification.item_detail, name="item"),
    path("rectification/<id:item_id>/edit/", rectification.item_edit, name="item_edit"),
    path("rectification/<id:item_id>/evidence/", rectification.item_evidence, name="item_evidence"),
    path("rectification/<id:item_id>/evidence/<id:evidence_id>/", rectification.item_evidence_file,
         name="item_evidence_file"),
    path("rectification/<id:item_id>/link/", rectification.item_link, name="item_link"),
    path("rectification/<id:item_id>/report/", rectification.item_report, name="item_report"),
    path("rectification/<id:item_id>/verify/", rectification.item_verify, name="item_verify"),
    path("accountability/", accountability.record_list, name="records"),
    path("accountability/export/", accountability.record_export, name="records_export"),
    path("accountability/new/<id:complaint_id>/", accountability.record_new, name="record_new"),
    path("accountability/<id:record_id>/", accountability.record_detail, name="record"),
    path("accountability/<id:record_id>/decide/", accountability.record_decide, name="record_decide"),
    path("accountability/<id:record_id>/appeal-decision/", accountability.record_decide_appeal,
         name="record_decide_appeal"),
    path("my-accountability/", accountability.my_records, name="my_records"),
    path("my-accountability/<id:record_id>/", accountability.my_record, name="my_record"),
]
