"""The complaint page in a real browser, at 1440×900 and on a 390×844 phone.

Screenshots go to test-results/complaint-page/<width>/ (git-ignored): look at them.
"""

import pytest

from bankdesk.complaints.handling import investigation
from bankdesk.complaints.models import Complaint, Status
from bankdesk.complaints.tests.conftest import routed  # noqa: F401  (a fixture)
from bankdesk.tests.screens import SCREENS, screen_at

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


@pytest.fixture(params=list(SCREENS))
def screen(browser, live_server, request):
    yield from screen_at(browser, live_server, request.param, "complaint-page")


def open_step(page, name: str) -> None:
    """The primary step stands open; any other opens from the "more actions" menu."""
    if page.locator(f"details#step-{name}[open]").count() == 0:
        page.click(".step-menu-button")
        page.click(f"#step-menu [data-step={name}]")
        page.wait_for_selector(f"details#step-{name}[open]")


def test_proposing_while_an_assist_request_is_unanswered_warns_first(screen, desk, routed):
    complaint = routed()
    investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                     question="请核查该客户信用卡年费扣收记录")
    screen.sign_in(complaint.handler.username)
    screen.open(f"/complaints/{complaint.pk}/")
    open_step(screen.page, "propose")
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


LONG = "客户称：" + "我在网点排队两个小时，窗口只开了一个，大堂经理态度冷淡，没有人解释原因。" * 8


def test_header_primary_action_and_the_menu_by_keyboard(screen, desk, routed):
    complaint = routed(description=LONG)
    screen.sign_in(complaint.handler.username)
    screen.open(f"/complaints/{complaint.pk}/")
    header = screen.page.locator("#case-header")
    assert complaint.tracking_number in header.locator("h1").inner_text()
    assert "已分派至主办部门" in header.locator(".badge.status").inner_text()
    assert "剩余" in header.locator(".case-deadline .time-left").inner_text()
    assert header.locator(".primary").count() == 1  # one primary action: the step the complaint waits for
    assert header.locator(".primary").inner_text().strip() == "签收"
    # the customer's long text is folded with "show all"
    words = screen.page.locator("details.long-text")
    assert not words.locator("> div.words").is_visible()
    assert screen.fits()
    screen.shot("header-and-primary-action")
    words.locator("summary").click()
    assert words.locator("> div.words").is_visible()

    # the primary button is a step without fields: one click signs for the complaint, the header follows
    header.locator("button.primary").click()
    screen.page.wait_for_selector("#actions .message.success:has-text('已签收')")
    complaint.refresh_from_db()
    assert complaint.signed_for_at is not None
    assert screen.page.locator("#case-header .primary").inner_text().strip() != "签收"
    assert screen.fits()
    screen.shot("after-sign-for")

    # the menu by keyboard: arrows move, Escape closes and gives the focus back, Enter opens the step in place
    button = screen.page.locator(".step-menu-button")
    button.focus()
    screen.page.keyboard.press("ArrowDown")
    items = screen.page.locator("#step-menu [role=menuitem]")
    assert screen.page.evaluate("document.activeElement.getAttribute('role')") == "menuitem"
    assert screen.page.evaluate("document.activeElement.textContent.trim()") == items.first.inner_text().strip()
    screen.page.keyboard.press("Escape")
    assert not screen.page.locator("#step-menu").is_visible()
    assert screen.page.evaluate("document.activeElement.classList.contains('step-menu-button')")
    screen.page.keyboard.press("ArrowDown")
    while screen.page.evaluate("document.activeElement.dataset.step") != "note":
        screen.page.keyboard.press("ArrowDown")
    screen.shot("more-actions-menu")
    screen.page.keyboard.press("Enter")
    screen.page.wait_for_selector("details#step-note[open] #note_text")  # the form comes when opened
    screen.page.wait_for_function("() => document.activeElement.id === 'note_text'")  # the cursor in its first field
    screen.page.keyboard.type("电话联系客户，约定周五回访。")
    screen.page.click("form[action$='/steps/note/'] button.primary")
    screen.page.wait_for_selector("#actions .message.success")


def test_the_proposer_sees_no_approve_button_the_approver_has_it_first(screen, desk, routed):
    from bankdesk.complaints.decisions import approval
    from bankdesk.complaints.models import ClosureCode

    complaint = routed()
    approval.propose_decision(complaint.handler, complaint, finding="属实", basis="依据服务规范。", remedies=["apology"],
                              closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    screen.sign_in(complaint.handler.username)
    screen.open(f"/complaints/{complaint.pk}/")
    assert screen.page.locator("[data-step=approve], #step-approve, #case-header .primary:has-text('审批')").count() == 0
    screen.sign_in(desk.head_a.username)
    screen.open(f"/complaints/{complaint.pk}/")
    primary = screen.page.locator("#case-header .primary")
    assert primary.count() == 1 and "审批" in primary.inner_text()
    assert screen.page.locator("details#step-approve[open]").count() == 1
    assert screen.fits()
    screen.shot("approver-view")
