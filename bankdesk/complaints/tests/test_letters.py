"""The decision letter PDF (bankdesk.complaints.decisions.letter_pdf): plain data in, PDF bytes out; no database.

Text checks read the PDF back with poppler's pdftotext / pdfinfo (Debian package poppler-utils) and are
skipped, with the reason, where those are not installed.
"""

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from bankdesk.complaints.decisions.letter_pdf import (
    NO_CONCLUSION,
    DecisionLetter,
    format_chinese_date,
    format_yuan,
    render_decision_letter,
    shorten,
)

NO_POPPLER = "pdftotext (poppler-utils) is not installed"


def make_letter(**changes) -> DecisionLetter:
    letter = DecisionLetter(
        bank_name="示范银行东城支行",
        customer_name="王小明",
        tracking_number="TS-20261125-000042",
        received_on=date(2026, 11, 25),
        summary="客户反映在柜台办理跨行转账时被收取未事先告知的手续费，要求退还并道歉。",
        finding="经调阅监控录像，柜员未告知收费标准。\n已对当事柜员批评教育。",
        remedies=["赔礼道歉", "退还费用", "补偿"],
        compensation_amount=Decimal("1234.5"),
        conclusion="经核实，您反映的问题属实，我行对此深表歉意。",
        approved_by="李四",
        letter_date=date(2026, 12, 3),
        hotline="95588",
        basis="依据《示范银行收费管理办法》第五条，办理业务前须告知收费标准；柜员未告知，收费应予退还。",
        fee_refund_amount=Decimal("25"),
        review_days=45,
        regulator_contact="国家金融监督管理总局北京监管局，投诉热线 12378",
    )
    return replace(letter, **changes)


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip(NO_POPPLER)
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def squeezed(text: str) -> str:
    """pdftotext breaks wrapped lines; compare without any whitespace."""
    return re.sub(r"\s+", "", text)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_renders_a_pdf():
    pdf = render_decision_letter(make_letter())
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1


def test_text_shows_the_letter(tmp_path):
    text = pdf_text(render_decision_letter(make_letter()), tmp_path)
    flat = squeezed(text)
    assert "投诉处理意见告知书" in text
    assert "尊敬的王小明客户：" in flat
    assert "TS-20261125-000042" in text
    assert "您于2026年11月25日向我行提出的投诉（受理编号：TS-20261125-000042）已办理完毕" in flat
    assert "经调阅监控录像，柜员未告知收费标准。" in text
    assert "已对当事柜员批评教育。" in text
    assert "赔礼道歉、退还费用、补偿" in text
    assert "审批人：李四" in text
    assert "示范银行东城支行" in text
    assert "2026年12月3日" in text
    assert flat.index("投诉事项") < flat.index("调查核实情况") < flat.index("处理依据及理由") \
        < flat.index("处理措施") < flat.index("退还费用人民币") < flat.index("补偿金额") < flat.index("处理决定") \
        < flat.index("如您对上述处理决定有异议") < flat.index("审批人")


def test_what_was_checked_the_basis_and_the_decision_in_the_customers_words(tmp_path):
    flat = squeezed(pdf_text(render_decision_letter(make_letter()), tmp_path))
    assert "调查核实情况" in flat and "经调阅监控录像" in flat
    assert "处理依据及理由" in flat
    assert "依据《示范银行收费管理办法》第五条，办理业务前须告知收费标准；柜员未告知，收费应予退还。" in flat
    assert "处理决定经核实，您反映的问题属实，我行对此深表歉意。" in flat
    assert "企业责任" not in flat  # the bank's closure code never reaches the customer


def test_fee_refund_and_compensation_each_under_its_own_name(tmp_path):
    flat = squeezed(pdf_text(render_decision_letter(make_letter()), tmp_path))
    assert "退还费用人民币25.00元" in flat
    assert "补偿金额人民币1,234.50元" in flat
    refund_only = squeezed(pdf_text(render_decision_letter(make_letter(compensation_amount=None)), tmp_path))
    assert "退还费用人民币25.00元" in refund_only and "补偿金额无" in refund_only


def test_every_remedy_open_to_the_customer_with_the_regulators_contact(tmp_path):
    flat = squeezed(pdf_text(render_decision_letter(make_letter()), tmp_path))
    assert "自收到本告知书之日起45日内向我行申请核查，可拨打客服热线95588" in flat
    assert "申请调解：向银行业保险业消费纠纷调解组织申请调解" in flat
    assert "申请仲裁" in flat and "向仲裁机构申请仲裁" in flat
    assert "提起诉讼：向有管辖权的人民法院提起诉讼" in flat
    assert "您也可以向监管机构反映：国家金融监督管理总局北京监管局，投诉热线12378。" in flat
    assert flat.index("申请核查") < flat.index("申请调解") < flat.index("申请仲裁") < flat.index("提起诉讼")


def test_empty_remedies_and_no_amounts_show_none(tmp_path):
    for amount in (None, Decimal("0")):
        letter = make_letter(remedies=[], compensation_amount=amount, fee_refund_amount=amount, conclusion="")
        flat = squeezed(pdf_text(render_decision_letter(letter), tmp_path))
        assert "处理措施无" in flat
        assert "退还费用无" in flat and "补偿金额无" in flat
        assert "人民币" not in flat
        assert "处理决定" + squeezed(NO_CONCLUSION) in flat


def test_review_note_comes_before_the_remedies_it_never_replaces(tmp_path):
    flat = squeezed(pdf_text(render_decision_letter(make_letter(review_note="如有疑问请致电支行营业室。")),
                             tmp_path))
    assert flat.index("如有疑问请致电支行营业室。") < flat.index("如您对上述处理决定有异议") < flat.index("提起诉讼")


def test_metadata_names_the_letter_and_the_bank(tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_decision_letter(make_letter()))
    info = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"^Title:\s+投诉处理意见告知书 TS-20261125-000042$", info, re.M)
    assert re.search(r"^Author:\s+示范银行东城支行$", info, re.M)


def test_a_5000_character_finding_runs_over_several_pages(tmp_path):
    finding = "甲乙丙丁" * 1250
    pdf = render_decision_letter(make_letter(finding=finding))
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) >= 2
    text = pdf_text(pdf, tmp_path)
    assert text.count("甲") == 1250  # no line of the finding is lost at the page breaks
    assert "审批人：李四" in text


def test_long_finding_with_many_paragraphs_keeps_them(tmp_path):
    finding = "\n".join(f"第{number}段：经核实，网点已按规定处理。" for number in range(1, 301))
    pdf = render_decision_letter(make_letter(finding=finding))
    assert page_count(pdf) >= 2
    text = pdf_text(pdf, tmp_path)
    assert "第1段：经核实，网点已按规定处理。" in text
    assert "第300段：经核实，网点已按规定处理。" in text


def test_markup_characters_in_customer_text_do_not_break_rendering(tmp_path):
    letter = make_letter(customer_name="<b>&王", summary="金额<5000 & >100，<br/>字样 <font size=40>",
                         finding="a<b>&amp;c\n</para>", conclusion="<i>企业责任", approved_by="李&四",
                         basis="第<5>条 & </font>")
    pdf = render_decision_letter(letter)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "尊敬的<b>&王客户：" in squeezed(text)
    assert "a<b>&amp;c" in text
    assert "</para>" in text
    assert "<i>企业责任" in text
    assert "第<5>条 & </font>" in text
    assert "审批人：李&四" in text


def test_long_summary_is_cut_with_an_ellipsis():
    assert shorten("投" * 500) == "投" * 299 + "…"
    assert shorten("短摘要") == "短摘要"
    assert len(shorten("投" * 301)) == 300


def test_format_yuan():
    assert format_yuan(Decimal("1234.5")) == "1,234.50"
    assert format_yuan(Decimal("0")) == "0.00"
    assert format_yuan(Decimal("1234567.891")) == "1,234,567.89"
    assert format_yuan(Decimal("0.005")) == "0.01"
    assert format_yuan(Decimal("88")) == "88.00"


def test_format_chinese_date_has_no_zero_padding():
    assert format_chinese_date(date(2026, 1, 5)) == "2026年1月5日"
