"""The import into the database, and search relevance on the real library: a query in the words a
customer or an agent would use must bring the case that is about it first."""

import pytest
from django.core.management import call_command

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import BusinessCategory
from bankdesk.knowledge import search
from bankdesk.knowledge.models import Case, ImportRun, RepairRule
from bankdesk.knowledge.tasks import start_case_import
from bankdesk.orgs.models import Role


@pytest.fixture
def loaded(bank):
    call_command("load_knowledge", owner="root_admin", stdout=open("/dev/null", "w"))
    return bank


def test_both_libraries_and_the_articles_are_loaded(loaded):
    assert Case.objects.filter(library="service").count() == 83
    assert Case.objects.filter(library="management").count() == 24
    assert Case.objects.get(code="06007").has_body is False
    assert set(Case.objects.get(code="02010").similar.values_list("code", flat=True)) == {"02023"}
    runs = {run.library: run for run in ImportRun.objects.all()}
    assert runs["service"].cases_imported == 83 and runs["service"].status == "succeeded"
    assert {"code": "06007", "kind": "no_body", "message": "目录中有此案例，正文中没有"} in runs["service"].report
    assert RepairRule.objects.count() > 20


def test_loading_again_changes_nothing(loaded):
    runs = ImportRun.objects.count()
    call_command("load_knowledge", owner="root_admin", stdout=open("/dev/null", "w"))
    assert ImportRun.objects.count() == runs


def test_an_edited_repair_rule_applies_at_the_next_import(loaded, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    RepairRule.objects.filter(wrong="大事情").update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_case_import(loaded.admin, "service")
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert Case.objects.get(code="03008").title.startswith("从一件大事情")


RELEVANCE = [
    ("客户的借记卡被ATM吞了，还吐出假币", "06007"),
    ("自动还款为什么没有扣款成功", "02005"),
    ("客户拿了四千多元硬币来存", "01003"),
    ("VIP客户到不是开户行的网点办业务", "01001"),
    ("逾期贷款产生不良记录后银行怎么办", "07001"),
    ("贷后管理没有通知客户加息", "07003"),
    ("客户要求销户", "01002"),
    ("理财型进口代付", "04001"),
    ("叫号机", "06009"),
    ("停电", "M091"),
    ("农民工兑换零钞", "M085"),
]


@pytest.mark.parametrize("query, expected", RELEVANCE)
def test_the_case_about_the_query_comes_first(loaded, query, expected):
    agent = loaded.user("agent", Role.AGENT, loaded.outlet_a)
    hits = search.search(agent, query, kinds=["case"]).hits
    assert hits and hits[0].code == expected, [hit.code for hit in hits[:5]]


def test_filter_by_role_group(loaded):
    agent = loaded.user("agent", Role.AGENT, loaded.outlet_a)
    hits = search.search(agent, "客户", kinds=["case"], group="05").hits
    assert hits and all(hit.code.startswith("05") for hit in hits)


def test_import_page_queues_the_import(loaded, logged_in):
    client = logged_in(loaded.admin)
    assert client.get("/knowledge/imports/").status_code == 200
    response = client.post("/knowledge/imports/", {"library": "management"})
    assert response.status_code == 302
    run = ImportRun.objects.latest("id")
    assert run.status == "queued" and run.started_by == loaded.admin
    assert "hx-trigger" in client.get(response["Location"]).content.decode()  # the page polls until it ends


def test_import_page_is_refused_to_others(loaded, logged_in):
    agent = loaded.user("agent", Role.AGENT, loaded.outlet_a)
    assert logged_in(agent).get("/knowledge/imports/").status_code == 403
    assert logged_in(agent).post("/knowledge/imports/", {"library": "service"}).status_code == 403


def test_case_pages(loaded, logged_in):
    agent = loaded.user("agent", Role.AGENT, loaded.outlet_a)
    client = logged_in(agent)
    page = client.get("/knowledge/cases/02010/").content.decode()
    assert "02023" in page and "效劳" in page  # the original text is shown beside the repaired one
    assert client.get("/knowledge/cases/", {"role_group": "07"}).context["page"].total == 3
    assert client.get("/knowledge/cases/99999/").status_code == 404


def test_similar_cases_are_suggested_while_registering_and_handling(loaded, logged_in, desk, registration):
    complaint = register_complaint(desk.agent, registration(
        description="客户的自动还款没有成功，产生了逾期", business_category=BusinessCategory.objects.get(code="card_bill")))
    client = logged_in(desk.cp)
    detail = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "/knowledge/suggestions/?description=" in detail
    suggested = client.get("/knowledge/suggestions/", {"description": complaint.description,
                                                       "business_category": complaint.business_category_id})
    assert "02005" in suggested.content.decode()
    assert 'hx-get="/knowledge/suggestions/"' in client.get("/complaints/new/").content.decode()


def test_search_page_filters_by_role_group(loaded, logged_in):
    agent = loaded.user("agent", Role.AGENT, loaded.outlet_a)
    page = logged_in(agent).get("/knowledge/search/", {"q": "客户", "kind": "case", "group": "07"})
    codes = [hit.code for hit in page.context["results"].hits]
    assert codes and all(code.startswith("07") for code in codes)
    assert '<option value="07" selected>' in page.content.decode()


def test_import_run_page_lists_the_suspect_words_left(loaded, logged_in):
    run = ImportRun.objects.get(library="service")
    rows = {row["word"]: row for row in run.suspects}
    assert rows["效劳"]["before"] == 361 and rows["效劳"]["after"] == 0
    assert sum(row["left"] for row in run.suspects) == 0
    assert rows["存款"]["after"] == rows["存款"]["reviewed"] > 0
    assert ImportRun.objects.get(library="management").suspects == []
    page = logged_in(loaded.admin).get(f"/knowledge/imports/{run.pk}/").content.decode()
    assert "<td>效劳</td><td>服务</td>" in page and "<td>存款</td>" in page


def test_case_page_shows_the_repaired_text_and_the_original_on_request(loaded, logged_in):
    agent = loaded.user("agent", Role.AGENT, loaded.outlet_a)
    page = logged_in(agent).get("/knowledge/cases/07003/").content.decode()
    body, fold = page.split('<details class="original-text">')
    assert "中午休息时" in body and "半夜" not in body and "部门领导" in body
    assert "<del>半夜</del><ins>中午</ins>" in fold and "<del>指导</del><ins>领导</ins>" in fold


def test_similar_cases_are_ranked_on_the_repaired_text(loaded):
    agent = loaded.user("agent", Role.AGENT, loaded.outlet_a)
    assert search.search(agent, "小额质押贷款", kinds=["case"]).hits[0].code == "01008"
    assert not [hit for hit in search.search(agent, "效劳 操持", kinds=["case"]).hits]
