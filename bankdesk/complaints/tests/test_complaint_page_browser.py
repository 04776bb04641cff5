"""The complaint page in a real browser, at 1440×900 and on a 390×844 phone.

Screenshots go to test-results/complaint-page/<width>/ (git-ignored): look at them.
"""

from pathlib import Path

import pytest

from bankdesk.complaints.handling import investigation
from bankdesk.complaints.models import Complaint, Status
from bankdesk.complaints.tests.conftest import routed  # noqa: F401  (a fixture)
from bankdesk.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]

SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "complaint-page"
SCREENS = {"desktop": (1440, 900), "phone": (390, 844)}


class Screen:
    def __init__(self, browser, live_server, name):
        self.name, (self.width, self.height) = name, SCREENS[name]
        self.context = browser.new_context(locale="zh-CN", viewport={"width": self.width, "height": self.height})
        self.page = self.context.new_page()
        self.url = live_server.url
        (SHOTS / name).mkdir(parents=True, exist_ok=True)

    def sign_in(self, username: str) -> None:
        self.context.clear_cookies()
        self.page.goto(f"{self.url}/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button.primary")
        self.page.wait_for_url(f"{self.url}/")

    def open(self, path: str) -> None:
        self.page.goto(f"{self.url}{path}")
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / self.name / f"{name}.png"), full_page=True)

    def fits(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth") <= self.width


@pytest.fixture(params=list(SCREENS))
def screen(browser, live_server, request):
    screen = Screen(browser, live_server, request.param)
    yield screen
    screen.context.close()


def open_step(page, label: str) -> None:
    """Open a step's form: from the action menu when it is there, else its own folded section."""
    page.locator(f"summary:has-text('{label}')").first.click()


def test_proposing_while_an_assist_request_is_unanswered_warns_first(screen, desk, routed):
    complaint = routed()
    investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                     question="请核查该客户信用卡年费扣收记录")
    screen.sign_in(complaint.handler.username)
    screen.open(f"/complaints/{complaint.pk}/")
    open_step(screen.page, "提出处理意见")
    form = screen.page.locator("form[action$='/steps/propose/']")
    assert "协办部门尚未答复：信用卡中心" in form.locator(".message.warning").inner_text()
    form.locator("textarea[name=finding]").fill("属实")
    form.locator("textarea[name=basis]").fill("《信用卡章程》第十条")
    form.locator("input[name=remedies][value=apology]").check()
    form.locator("select[name=closure_code]").select_option(label="企业责任")
    sent = []
    screen.page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    form.locator("button.primary").click()
    error = form.locator(".client-error[data-for=confirm_open_assist]")
    error.wait_for()
    assert not sent and Complaint.objects.get().status != Status.DECISION_PROPOSED
    assert screen.fits()
    screen.shot("propose-warns-while-assist-open")
    form.locator("input[name=confirm_open_assist]").check()
    form.locator("button.primary").click()
    screen.page.wait_for_selector("#actions .message.success")
    assert Complaint.objects.get().status == Status.DECISION_PROPOSED
