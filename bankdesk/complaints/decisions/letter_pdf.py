"""The decision letter (投诉处理意见告知书) sent to a bank customer, rendered as a Chinese PDF.

Plain data in, PDF bytes out: :class:`DecisionLetter` carries everything the letter shows, so the
rendering can be tested without Django models or a database. Text is set in reportlab's built-in CID
font ``STSong-Light`` (no font files are embedded; PDF readers supply a matching Song/Ming face).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_NAME = "STSong-Light"
TITLE = "投诉处理意见告知书"
SUMMARY_LIMIT = 300
NO_CONCLUSION = "我行已按上述措施处理您的投诉。"
# Every remedy open to the customer, as the regulation asks the decision letter to state.
REMEDIES_INTRO = "如您对上述处理决定有异议，可以通过以下途径维护您的权益："
REMEDY_LINES = (
    "（一）申请核查：自收到本告知书之日起 {review_days} 日内向我行申请核查，可拨打客服热线 {hotline}，"
    "或在投诉进度查询页面凭受理编号和手机号码提出；",
    "（二）申请调解：向银行业保险业消费纠纷调解组织申请调解；",
    "（三）申请仲裁：依据您与我行达成的仲裁协议，向仲裁机构申请仲裁；",
    "（四）提起诉讼：向有管辖权的人民法院提起诉讼。",
)
REGULATOR_LINE = "您也可以向监管机构反映：{regulator_contact}。"

PAGE_MARGIN_X = 25 * mm
PAGE_MARGIN_TOP = 25 * mm
PAGE_MARGIN_BOTTOM = 22 * mm
LABEL_COLUMN_WIDTH = 34 * mm
CELL_PADDING_X = 6
CELL_PADDING_Y = 5
MAX_ROW_LINES = 12  # a table value longer than this is laid out line by line so the table can break inside it

# Characters that are not allowed in PDF text / reportlab markup (C0 controls other than tab and newline).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DecisionLetter:
    bank_name: str  # the unit that answers, e.g. "示范银行东城支行"
    customer_name: str
    tracking_number: str  # e.g. "TS-20261125-000042"
    received_on: date
    summary: str  # the customer's complaint in short; cut to SUMMARY_LIMIT characters with "…"
    finding: str  # 调查核实情况: what was checked and found, free text, may contain newlines
    remedies: list[str]  # labels already in Chinese, e.g. ["赔礼道歉", "退还费用"]
    compensation_amount: Decimal | None  # yuan; shown as "人民币 1,234.50 元" when not None and > 0
    conclusion: str  # the decision in the customer's words (never the bank's closure code); empty: NO_CONCLUSION
    approved_by: str  # name of the approver
    letter_date: date
    hotline: str = "95xxx"  # customer-service hotline to call with questions
    review_note: str = ""  # optional further words to the customer, before the remedies open to them
    basis: str = ""  # 处理依据及理由: the rules or contract terms the decision rests on, and why
    fee_refund_amount: Decimal | None = None  # yuan, a fee refunded: its own row beside the compensation
    review_days: int = 30  # days from receipt of the letter to ask the bank for a review (核查)
    regulator_contact: str = ""  # the regulator the customer may turn to, with its hotline


def format_yuan(amount: Decimal) -> str:
    """``Decimal("1234.5")`` -> ``"1,234.50"``: thousands separators, two decimals, half-up rounding."""
    return f"{Decimal(amount).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def format_chinese_date(value: date) -> str:
    """``date(2026, 1, 5)`` -> ``"2026年1月5日"`` (no zero padding, as in formal letters)."""
    return f"{value.year}年{value.month}月{value.day}日"


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with "…" when something was cut."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def markup(text: str) -> str:
    """User text -> reportlab paragraph markup: escaped, control characters dropped, newlines as <br/>."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text).replace("\t", " ")
    return "<br/>".join(escape(line) for line in text.strip("\n").split("\n"))


@lru_cache(maxsize=1)
def _register_font() -> str:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT_NAME))
    return FONT_NAME


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    font = _register_font()
    base = ParagraphStyle("letter-body", fontName=font, fontSize=11, leading=18, wordWrap="CJK",
                          alignment=TA_JUSTIFY)
    return {
        "title": ParagraphStyle("letter-title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER,
                                spaceAfter=8 * mm),
        "salutation": ParagraphStyle("letter-salutation", parent=base, alignment=TA_LEFT, spaceAfter=2 * mm),
        "body": ParagraphStyle("letter-text", parent=base, firstLineIndent=22, spaceAfter=4 * mm),
        "remedy": ParagraphStyle("letter-remedy", parent=base, firstLineIndent=22, spaceAfter=1 * mm),
        "label": ParagraphStyle("letter-label", parent=base, fontSize=10.5, leading=16, alignment=TA_CENTER),
        "cell": ParagraphStyle("letter-cell", parent=base, fontSize=10.5, leading=16, alignment=TA_LEFT),
        "signature": ParagraphStyle("letter-signature", parent=base, alignment=TA_RIGHT, leading=20),
    }


def _amount_text(amount: Decimal | None) -> str:
    if amount is not None and Decimal(amount) > 0:
        return f"人民币 {format_yuan(amount)} 元"
    return "无"


def _remedies_text(remedies: list[str]) -> str:
    labels = [label.strip() for label in remedies or [] if label and label.strip()]
    return "、".join(labels) if labels else "无"


def _visual_lines(paragraph: Paragraph, width: float) -> list[str] | None:
    """The plain text of each line ``paragraph`` breaks into at ``width`` (reportlab's own CJK line breaking).

    Only for paragraphs of plain escaped text and <br/> (what :func:`markup` makes); None when reportlab's
    line data is not in a shape we know, and the caller then keeps the paragraph whole.
    """
    paragraph.wrap(width, 1e9)
    lines = getattr(getattr(paragraph, "blPara", None), "lines", None)
    if not lines:
        return None
    texts = []
    for line in lines:
        if hasattr(line, "words"):  # FragLine: words are fragments with .text
            texts.append("".join(getattr(fragment, "text", "") for fragment in line.words))
        elif isinstance(line, tuple) and len(line) == 2:  # simple line: (extra space, [words])
            texts.append(" ".join(line[1]))
        else:
            return None
    return texts


def _line_rows(paragraph: Paragraph, width: float, style: ParagraphStyle) -> list:
    """``paragraph`` as one flowable per text line, so a table can break between any two of its lines.

    (reportlab's own in-row table splitting loses the grid and its one-line Paragraph.split parts fail to
    draw when wrapped again inside a table, hence this.)
    """
    texts = _visual_lines(paragraph, width)
    if texts is None:
        return [paragraph]
    return [Paragraph(escape(text), style) if text.strip() else Spacer(1, style.leading) for text in texts]


def _details_table(letter: DecisionLetter, width: float) -> Table:
    """The five-row table of the decision.

    A table row cannot break across pages, so a value longer than ``MAX_ROW_LINES`` lines is laid out as
    one table row per text line, drawn without inner rules so it reads as one cell; the table can then
    break between any two of those lines.
    """
    styles = _styles()
    cell_style = styles["cell"]
    value_width = width - LABEL_COLUMN_WIDTH
    text_width = value_width - 2 * CELL_PADDING_X
    rows = [
        ("投诉事项", shorten(letter.summary)),
        ("调查核实情况", letter.finding),
        ("处理依据及理由", letter.basis),
        ("处理措施", _remedies_text(letter.remedies)),
        ("退还费用", _amount_text(letter.fee_refund_amount)),
        ("补偿金额", _amount_text(letter.compensation_amount)),
        ("处理决定", letter.conclusion.strip() or NO_CONCLUSION),
    ]
    rule = colors.HexColor("#555555")
    commands = [
        ("BOX", (0, 0), (-1, -1), 0.6, rule),
        ("LINEAFTER", (0, 0), (0, -1), 0.6, rule),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F0F0F0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    data = []
    for label, value in rows:
        paragraph = Paragraph(markup(value) or "无", cell_style)
        _, height = paragraph.wrap(text_width, 1e9)
        if height <= cell_style.leading * MAX_ROW_LINES:
            chunks = [paragraph]
            commands.append(("VALIGN", (0, len(data)), (0, len(data)), "MIDDLE"))
        else:
            chunks = _line_rows(paragraph, text_width, cell_style)
        first, last = len(data), len(data) + len(chunks) - 1
        for index, chunk in enumerate(chunks):
            data.append([Paragraph(label, styles["label"]) if index == 0 else "", chunk])
        commands += [
            ("TOPPADDING", (0, first), (-1, first), CELL_PADDING_Y),
            ("BOTTOMPADDING", (0, last), (-1, last), CELL_PADDING_Y + 1),
            ("LINEBELOW", (0, last), (-1, last), 0.6, rule),
        ]
    table = Table(data, colWidths=[LABEL_COLUMN_WIDTH, value_width], hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def remedy_paragraphs(letter: DecisionLetter) -> list[str]:
    """The ways open to a customer who disagrees: review by the bank, mediation, arbitration, litigation, the regulator."""
    values = {"review_days": letter.review_days, "hotline": letter.hotline,
              "regulator_contact": letter.regulator_contact.strip()}
    lines = [REMEDIES_INTRO, *(line.format(**values) for line in REMEDY_LINES)]
    if values["regulator_contact"]:
        lines.append(REGULATOR_LINE.format(**values))
    return lines


def _footer(tracking_number: str):
    text = f"受理编号：{tracking_number}    第 {{page}} 页"

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(_register_font(), 8.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawCentredString(doc.leftMargin + doc.width / 2, PAGE_MARGIN_BOTTOM / 2,
                                 text.replace("{page}", str(doc.page)))
        canvas.restoreState()

    return draw


def render_decision_letter(letter: DecisionLetter) -> bytes:
    """Render ``letter`` as an A4 PDF and return its bytes."""
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4,
        leftMargin=PAGE_MARGIN_X, rightMargin=PAGE_MARGIN_X,
        topMargin=PAGE_MARGIN_TOP, bottomMargin=PAGE_MARGIN_BOTTOM,
        title=f"{TITLE} {letter.tracking_number}", author=letter.bank_name,
        subject=TITLE, creator="BankDesk",
    )
    review_note = (letter.review_note or "").strip()
    closing = [Paragraph(markup(review_note), styles["body"])] if review_note else []
    closing += [Paragraph(markup(line), styles["remedy"]) for line in remedy_paragraphs(letter)]
    story = [
        Paragraph(TITLE, styles["title"]),
        Paragraph(f"尊敬的{markup(letter.customer_name)}客户：", styles["salutation"]),
        Paragraph(
            f"您于{format_chinese_date(letter.received_on)}向我行提出的投诉（受理编号："
            f"{markup(letter.tracking_number)}）已办理完毕，现将处理意见告知如下：",
            styles["body"]),
        _details_table(letter, doc.width),
        Spacer(1, 6 * mm),
        KeepTogether([
            *closing,
            Spacer(1, 10 * mm),
            Paragraph(markup(letter.bank_name), styles["signature"]),
            Paragraph(f"审批人：{markup(letter.approved_by)}", styles["signature"]),
            Paragraph(format_chinese_date(letter.letter_date), styles["signature"]),
        ]),
    ]
    footer = _footer(letter.tracking_number)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
