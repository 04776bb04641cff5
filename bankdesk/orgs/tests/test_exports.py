"""The unit and user lists exported in the background (kinds orgs.units, orgs.users): the page's rows in the
user's scope under Chinese headers, filtered as the page is, the button on each page, 403 without the right."""

from django.urls import reverse

from bankdesk.orgs.models import Role
from bankdesk.tests.exports import pdf_text, request_export, run_export, table


def test_units_in_scope(bank, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(bank.admin)
    assert 'value="orgs.units"' in client.get(reverse("orgs:units")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "orgs.units", "xlsx"))
    assert header == ["名称", "代码", "类型", "上级机构", "状态"]
    assert {row[1] for row in rows} >= {bank.root.code, bank.branch_a.code, bank.outlet_b.code}
    job = run_export(client, django_capture_on_commit_callbacks, "orgs.units", "csv", f"search={bank.outlet_a.code}")
    assert [(row[1], row[3]) for row in table(client, job)[1:]] == [(bank.outlet_a.code, bank.branch_a.name)]
    teller = logged_in(bank.user("teller_x", Role.TELLER, bank.outlet_b))  # sees its own outlet only
    text = pdf_text(teller, run_export(teller, django_capture_on_commit_callbacks, "orgs.units", "pdf"))
    assert bank.outlet_b.name in text and bank.outlet_a.name not in text and bank.branch_a.name not in text


def test_users_in_scope(bank, logged_in, django_capture_on_commit_callbacks):
    teller_a, teller_b = (bank.user("teller_a", Role.TELLER, bank.outlet_a),
                          bank.user("teller_b", Role.TELLER, bank.outlet_b))
    client = logged_in(bank.admin)
    assert 'value="orgs.users"' in client.get(reverse("orgs:users")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "orgs.users", "csv",
                                             "search=teller"))
    assert header == ["用户名", "姓名", "所属机构", "工号", "状态"]
    assert [(row[0], row[2], row[4]) for row in rows] == [("teller_a", bank.outlet_a.name, "启用"),
                                                          ("teller_b", bank.outlet_b.name, "启用")]
    admin_b = logged_in(bank.user("admin_b", Role.ADMIN, bank.branch_b))
    rows = table(admin_b, run_export(admin_b, django_capture_on_commit_callbacks, "orgs.users", "xlsx"))[1:]
    assert teller_b.username in {row[0] for row in rows} and teller_a.username not in {row[0] for row in rows}
    assert request_export(logged_in(teller_a), "orgs.users").status_code == 403
