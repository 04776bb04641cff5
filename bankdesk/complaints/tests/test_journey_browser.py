"""The whole journey of one complaint in a real browser, from the customer's public form to closure.

Customer files at /track/new/ → tracking number shown → the consumer-protection office accepts (routing by
the rules) → the handler notes the investigation and proposes the decision → the branch head approves it
(maker-checker: another person) → the handler tells the customer and the decision letter (PDF) downloads →
the customer's tracking page shows the answer → the office calls back → closed. Each step is screenshotted
into test-results/journey/NN-step.png (git-ignored).
"""

from pathlib import Path

import pytest

from bankdesk.complaints.models import Complaint, Status
from bankdesk.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]

SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "journey"
PHONE = "13912348888"


class Journey:
    def __init__(self, page, live_server):
        self.page, self.url, self.number = page, live_server.url, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()

    def shot(self, name: str) -> None:
        self.number += 1
        self.page.screenshot(path=str(SHOTS / f"{self.number:02d}-{name}.png"), full_page=True)

    def sign_in(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto(f"{self.url}/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button.primary")
        self.page.wait_for_url(f"{self.url}/")

    def open(self, complaint: Complaint) -> None:
        self.page.goto(f"{self.url}/complaints/{complaint.pk}/")

    def step(self, name: str, done: str, fill=None) -> None:
        """Open the step's panel if it is folded, fill it, send it; htmx swaps the panel with `done`."""
        form = f"form[action$='/steps/{name}/']"
        details = self.page.locator(f"details#step-{name}")
        if details.count() and details.get_attribute("open") is None:  # not the primary step: the menu opens it
            self.page.click(".step-menu-button")
            self.page.click(f"#step-menu [data-step={name}]")
        if fill:
            fill(self.page)
        self.page.click(f"{form} button.primary")
        self.page.wait_for_selector(f"#actions .message.success:has-text('{done}')")


def test_complaint_journey_from_public_form_to_closure(page, live_server, desk):
    journey = Journey(page, live_server)

    # 1. The customer files the complaint on the public form, without a login.
    page.goto(f"{live_server.url}/track/new/")
    page.fill("input[name=complainant_name]", "周女士")
    page.fill("input[name=phone]", PHONE)
    page.select_option("select[name=unit]", value=str(desk.bank.outlet_a.pk))
    page.select_option("select[name=business_category]", label="排队与等候")
    page.fill("textarea[name=description]", "周六上午在人民路网点排队一个半小时，只开了一个窗口，大堂经理说没办法。")
    page.fill("textarea[name=demand]", "希望网点道歉并增开窗口。")
    journey.shot("public-form")
    page.click("form button.primary")
    page.wait_for_url(f"{live_server.url}/track/receipt/")
    complaint = Complaint.objects.get()
    assert complaint.tracking_number == page.locator(".receipt-number").inner_text().strip()
    assert complaint.status == Status.REGISTERED and complaint.registered_by is None
    journey.shot("tracking-number")

    # 2. The consumer-protection office classifies and accepts it; the routing rule sends it to branch A's handlers.
    journey.sign_in(desk.cp.username)
    journey.open(complaint)
    journey.shot("acceptance-review")
    page.select_option("#accept_cause", label="服务质量")  # the review classifies: "other" is not kept silently
    page.click(f"form[action='/complaints/{complaint.pk}/steps/accept/'] button")
    page.wait_for_function("() => !document.querySelector(\"form[action$='/steps/accept/']\")")
    complaint.refresh_from_db()
    assert complaint.status == Status.ROUTED and complaint.lead_department == desk.bank.branch_a
    assert complaint.handler in (desk.handler_a1, desk.handler_a2)
    journey.open(complaint)
    journey.shot("accepted-and-routed")

    # 3. The handler investigates and proposes the decision.
    handler = complaint.handler
    journey.sign_in(handler.username)
    journey.open(complaint)
    journey.step("note", "调查记录已添加", lambda p: p.fill("#note_text", "调取监控：当日 9:30–11:00 仅开一个窗口，属实。"))
    journey.shot("investigation-note")
    journey.step("propose", "处理意见已提出，待审批。", lambda p: (
        p.fill("#propose_finding", "投诉属实：周六窗口安排不足，客户等候时间过长。"),
        p.fill("#propose_basis", "《营业网点服务规范》要求客流高峰增开窗口，网点未执行。"),
        p.check("#propose_remedies_0"),
        p.select_option("#propose_closure_code", label="企业责任")))
    complaint.refresh_from_db()
    assert complaint.status == Status.DECISION_PROPOSED
    journey.shot("decision-proposed")

    # 4. Another person, the branch head, approves it (maker-checker).
    journey.sign_in(desk.head_a.username)
    journey.open(complaint)
    journey.step("approve", "处理意见已审批通过。", lambda p: p.fill("#approve_note", "同意，网点周六增开窗口。"))
    complaint.refresh_from_db()
    assert complaint.status == Status.DECISION_APPROVED
    journey.shot("decision-approved")

    # 5. The handler tells the customer; the decision letter is stored and downloads as a PDF.
    journey.sign_in(handler.username)
    journey.open(complaint)
    journey.step("communicate", "已告知客户，告知书已存档", lambda p: p.select_option("#communicate_channel", value="sms"))
    complaint.refresh_from_db()
    assert complaint.status == Status.COMMUNICATED
    journey.open(complaint)
    journey.shot("decision-communicated")
    letter = page.request.get(f"{live_server.url}/complaints/{complaint.pk}/decision-letter.pdf")
    assert letter.status == 200 and letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")

    # 6. The customer's tracking page shows the answer.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/track/?number={complaint.tracking_number}")
    page.fill("input[name=phone]", PHONE)
    page.click("form button.primary")
    page.wait_for_selector(".card .stage")
    answered = page.locator(".card.progress").inner_text()
    assert complaint.tracking_number in answered and "已答复" in answered
    assert page.locator(".decision-summary a[href='/track/letter/']").count() == 1  # the letter to download
    assert page.locator("form[action='/track/review/'] button").count() == 1  # and a review to ask for
    journey.shot("public-status-answered")

    # 7. The consumer-protection office calls back: satisfied, and the complaint is closed.
    journey.sign_in(desk.cp.username)
    journey.open(complaint)
    journey.step("callback", "回访已记录。", lambda p: (p.check("#callback_reached_0"),
                                                   p.select_option("#callback_satisfaction", index=1)))
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    journey.open(complaint)
    journey.shot("closed")
    assert journey.number == 10
