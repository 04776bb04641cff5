"""The parser on the real source files (bankdesk/knowledge/data/): every catalogued case with its real ID,
and a report of every trap of docs/domain-rules.md §4."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from bankdesk.knowledge.case_library import RepairRule, parse_management_cases, parse_service_cases, repair

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def rules():
    with open(DATA / "repair_rules.csv", encoding="utf-8") as handle:
        return [RepairRule(r["wrong"], r["right"], r["scope"], r["cases"], r["phrase"])
                for r in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def library(rules):
    return parse_service_cases((DATA / "service_cases_001.txt").read_text(encoding="utf-8"), rules)


@pytest.fixture(scope="module")
def cases(library):
    return {case.code: case for case in library.cases}


def _report(library, kind):
    return {issue.code for issue in library.report if issue.kind == kind}


def test_every_catalogued_case_in_its_role_group(library):
    assert len(library.cases) == 83
    assert Counter(case.role_group for case in library.cases) == {
        "01": 16, "02": 29, "03": 14, "04": 1, "05": 7, "06": 13, "07": 3}
    assert [case.code for case in library.cases][:3] == ["01001", "01002", "01003"]
    assert library.cases[-1].code == "07003"
    assert {case.role_group_name for case in library.cases if case.role_group == "01"} == {"大堂经理"}


def test_misprinted_ids_take_their_position(library, cases):
    misprinted = {f"020{n:02d}" for n in range(8, 20)}
    assert _report(library, "catalogue_id") == misprinted
    assert _report(library, "body_id") == misprinted | {"02027"}
    assert cases["02008"].catalogue_title == "多说一句话发卡数十张"
    assert cases["02019"].catalogue_title == "真诚抱歉、快速反应、合理补偿" and cases["02019"].title == "以真诚换取客户忠实"
    assert cases["02020"].title.startswith("处处留心皆商机")
    assert cases["02027"].title == "仔细学习是基础" and cases["02027"].has_body


def test_the_case_without_a_body_is_reported(library, cases):
    assert [case.code for case in library.cases if not case.has_body] == ["06007"]
    assert _report(library, "no_body") == {"06007"}
    assert "ATM" in cases["06007"].catalogue_title


def test_the_last_line_holds_22_cases_and_a_web_notice(library, cases):
    last_line = [code for code in cases if code >= "05001" and cases[code].has_body]
    assert len(last_line) == 22
    assert _report(library, "web_notice") == {"07003"}
    assert "因篇幅问题" not in cases["07003"].questions and "请点此查看" not in cases["07003"].questions
    assert cases["05002"].title == "首问责任制 用心去服务"


def test_every_body_has_its_parts(cases):
    with_body = [case for case in cases.values() if case.has_body]
    assert len(with_body) == 82
    assert all(case.intro and case.analysis for case in with_body)
    assert sum(1 for case in with_body if case.questions) >= 78
    headings = ("案例引见", "案例剖析", "案例思索", "案例背景", "案例分析", "案例思考")
    assert not any(h in case.intro + case.analysis + case.questions for case in with_body for h in headings)


def test_the_garbling_is_repaired_and_the_original_kept(cases):
    text = " ".join(case.title + case.intro + case.analysis + case.questions for case in cases.values())
    for garbled in ("效劳", "操持", "赞扬", "信誉卡", "团体"):
        assert garbled not in text
    assert "服务" in text and "办理" in text and "投诉" in text
    assert "效劳" in cases["01001"].original_parts["analysis"]
    assert cases["03007"].catalogue_title.startswith("把客户当上帝")
    assert cases["06010"].intro.startswith("今天是国债首发日")
    assert "出于安全考虑" in cases["01001"].intro


def test_loans_are_loans_only_in_the_loan_cases(cases):
    assert cases["07003"].title == "个人贷款贷后管理引发的思考"
    assert "贷款" in cases["07001"].intro and "存款" not in cases["07001"].title
    assert "存款" in cases["02027"].intro  # a real deposit: 7天通知存款


def test_source_branch_and_similar_cases(cases):
    assert cases["02022"].source_branch == "宁波分行"
    assert "〔" not in cases["02022"].questions
    assert cases["02010"].similar_codes == ["02023"] and cases["02023"].similar_codes == ["02010"]


def test_repair_scopes():
    rules = [RepairRule("效果", "问题", "everywhere"), RepairRule("存款", "贷款", "cases", cases="07001"),
             RepairRule("需求", "需要", "phrase", phrase="更需求被")]
    assert repair("效果 存款 更需求被尊重 客户需求", "07001", rules) == "问题 贷款 更需要被尊重 客户需求"
    assert repair("存款", "02001", rules) == "存款"


def test_management_cases(rules):
    parsed = parse_management_cases((DATA / "management_cases_000.txt").read_text(encoding="utf-8"), rules)
    codes = [case.code for case in parsed.cases]
    assert codes == [f"M{number:03d}" for number in range(76, 100)]
    by_code = {case.code: case for case in parsed.cases}
    assert by_code["M089"].intro and not by_code["M089"].analysis
    assert [(issue.code, issue.kind) for issue in parsed.report] == [("M089", "summary_only")]
    assert by_code["M076"].source_branch == "吉林分行" and by_code["M076"].questions.startswith("1.")
    assert "文章推荐" not in by_code["M099"].questions + by_code["M099"].analysis
    assert by_code["M084"].title.startswith("真情服务 赢得客户")
