"""The case library and the rules and FAQ exported in the background (kinds knowledge.cases, knowledge.articles):
the page's rows under Chinese headers, filtered as the page is, the button on each page, 403 without
knowledge.view. Knowledge is the whole bank's: there is no branch to leave out."""

from datetime import date

import pytest
from django.urls import reverse

from bankdesk.knowledge import services
from bankdesk.knowledge.models import ArticleCategory, Case, CaseLibrary
from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import Role
from bankdesk.tests.exports import pdf_text, request_export, run_export, table


@pytest.fixture
def editor(bank):
    return bank.user("editor", Role.CONSUMER_PROTECTION, bank.root)


@pytest.mark.parametrize("kind,url", [("knowledge.cases", "knowledge:cases"),
                                      ("knowledge.articles", "knowledge:articles")])
def test_the_button_and_the_right(bank, editor, logged_in, kind, url):
    assert f'value="{kind}"' in logged_in(editor).get(reverse(url)).content.decode()
    nobody = org_services.create_user(bank.admin, username="no_role", display_name="no_role", password="Pass-2026-x",
                                      home_unit=bank.outlet_a)  # holds no role, so not knowledge.view
    assert request_export(logged_in(nobody), kind).status_code == 403


def test_cases_filtered(editor, logged_in, django_capture_on_commit_callbacks):
    Case.objects.bulk_create([
        Case(library=CaseLibrary.choices[0][0], code="A0101", role_group="A01", role_group_name="柜面",
             title="柜面服务案例", source_branch="东城分行"),
        Case(library=CaseLibrary.choices[0][0], code="B0201", role_group="B02", role_group_name="大堂",
             title="大堂引导案例", has_body=False)])
    client = logged_in(editor)
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "knowledge.cases", "xlsx"))
    assert header == ["案例编号", "标题", "岗位组", "来源分行"]
    assert rows == [["A0101", "柜面服务案例", "A01 柜面", "东城分行"], ["B0201", "大堂引导案例（仅有目录）", "B02 大堂", None]]
    job = run_export(client, django_capture_on_commit_callbacks, "knowledge.cases", "csv", "role_group=B02")
    assert [row[0] for row in table(client, job)[1:]] == ["B0201"]


def test_articles_filtered(editor, logged_in, django_capture_on_commit_callbacks):
    rules, faq = ArticleCategory.objects.create(name="业务规则"), ArticleCategory.objects.create(name="常见问题")
    services.create_article(editor, category=rules, title="U盾密码规则", body="连续输错6次锁定。",
                            review_date=date(2027, 6, 30))
    services.create_article(editor, category=faq, title="挂失怎么办", body="拨打热线。", review_date=date(2027, 1, 31))
    client = logged_in(editor)
    job = run_export(client, django_capture_on_commit_callbacks, "knowledge.articles", "csv", f"category={faq.pk}")
    header, *rows = table(client, job)
    assert header == ["标题", "类别", "负责人", "版本", "复审截止日期"]
    assert rows == [["挂失怎么办", "常见问题", "editor", "1", "2027-01-31"]]
    text = pdf_text(client, run_export(client, django_capture_on_commit_callbacks, "knowledge.articles", "pdf"))
    assert "制度与常见问题" in text and "U盾密码规则" in text and "挂失怎么办" in text
