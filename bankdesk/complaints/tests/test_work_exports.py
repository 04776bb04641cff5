"""The intake queue and the work lists exported in the background (kinds complaints.queue, complaints.my_work,
complaints.team): the file holds the page's rows in the user's scope under Chinese headers, the button is on the
page, and a user without the list's right is refused (403)."""

from django.urls import reverse

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.tests.exports import pdf_text, request_export, run_export, table


def test_the_intake_queue(desk, registration, logged_in, django_capture_on_commit_callbacks):
    ours = register_complaint(desk.agent, registration())
    theirs = register_complaint(desk.agent, registration(unit=desk.bank.outlet_b, phone="13700002222"))
    client = logged_in(desk.cp)
    assert 'value="complaints.queue"' in client.get(reverse("complaints:queue")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "complaints.queue", "xlsx"))
    assert header[0] == "受理编号" and "被投诉机构" in header
    assert sorted(row[0] for row in rows) == sorted([ours.tracking_number, theirs.tracking_number])

    branch_b = logged_in(desk.cp_b)
    job = run_export(branch_b, django_capture_on_commit_callbacks, "complaints.queue", "csv")
    assert [row[0] for row in table(branch_b, job)[1:]] == [theirs.tracking_number]
    assert request_export(logged_in(desk.teller), "complaints.queue").status_code == 403
    assert request_export(logged_in(desk.handler_a1), "complaints.queue").status_code == 403  # no review right


def test_my_work(desk, routed, logged_in, django_capture_on_commit_callbacks):
    mine, other = routed(), routed(unit=desk.bank.outlet_b, phone="13700002222")
    client = logged_in(mine.handler)
    assert 'value="complaints.my_work"' in client.get(reverse("complaints:my_work")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "complaints.my_work"))
    assert header[0] == "受理编号" and header[-2:] == ["最近到期时间", "时限"]
    assert [row[0] for row in rows] == [mine.tracking_number] and other.tracking_number != mine.tracking_number
    filtered = run_export(client, django_capture_on_commit_callbacks, "complaints.my_work", "csv", "state=2")
    assert table(client, filtered)[1:] == []
    assert request_export(logged_in(desk.teller), "complaints.my_work").status_code == 403


def test_the_teams_open_complaints(desk, routed, logged_in, django_capture_on_commit_callbacks):
    ours, theirs = routed(), routed(unit=desk.bank.outlet_b, phone="13700002222")
    client = logged_in(desk.head_a)
    assert 'value="complaints.team"' in client.get(reverse("complaints:team")).content.decode()
    text = pdf_text(client, run_export(client, django_capture_on_commit_callbacks, "complaints.team", "pdf"))
    assert "团队在办投诉" in text and "经办人" in text
    assert ours.tracking_number in text and theirs.tracking_number not in text
    assert request_export(logged_in(desk.handler_a1), "complaints.team").status_code == 403
