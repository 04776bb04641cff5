"""A person at the keyboard: signs in, registers a complaint on the phone, the office accepts it."""

import pytest

from bankdesk.complaints.models import Complaint, Status
from bankdesk.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")


def open_step(page, name: str) -> None:
    """The primary step stands open; any other opens from the "more actions" menu."""
    if page.locator(f"details#step-{name}[open]").count() == 0:
        page.click(".step-menu-button")
        page.click(f"#step-menu [data-step={name}]")
        page.wait_for_selector(f"details#step-{name}[open]")


def test_login_page_is_chinese(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "登录" in page.content()


def test_register_then_accept(page, live_server, desk):
    _sign_in(page, live_server, "agent1")
    page.goto(f"{live_server.url}/complaints/new/")
    page.fill("input[name=phone]", "13812340000")
    page.fill("input[name=complainant_name]", "赵先生")
    page.select_option("select[name=channel]", label="客服热线")
    page.select_option("select[name=unit]", value=str(desk.bank.outlet_a.pk))
    page.select_option("select[name=business_category]", label="排队与等候")
    page.select_option("select[name=cause]", label="服务态度")
    page.fill("textarea[name=description]", "在网点排队两个小时没有人管。")
    page.click("form button.primary")
    page.wait_for_load_state()
    complaint = Complaint.objects.get()
    assert complaint.tracking_number in page.content()

    page.context.clear_cookies()
    _sign_in(page, live_server, "cp")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.click(f"form[action='/complaints/{complaint.pk}/steps/accept/'] button")
    page.wait_for_selector("#actions")  # htmx swaps the panel without reloading the page
    page.wait_for_function("() => !document.querySelector(\"form[action$='/steps/accept/']\")")
    complaint.refresh_from_db()
    assert complaint.status == Status.ROUTED


def test_handling_steps_swap_in_place(page, live_server, desk, routed):
    """The handler notes, proposes; the page is never reloaded (a marker set in the window survives)."""
    complaint = routed()
    _sign_in(page, live_server, complaint.handler.username)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.evaluate("() => { window.notReloaded = true; }")

    open_step(page, "note")
    page.fill("#note_text", "调取监控，排队 70 分钟属实。")
    page.click("form[action$='/steps/note/'] button.primary")
    page.wait_for_selector("#actions .message.success:has-text('调查记录已添加')")
    assert "调取监控，排队 70 分钟属实。" in page.locator("#handling").inner_text()
    assert "调查处理中" in page.locator("#record").inner_text()

    open_step(page, "propose")
    page.fill("#propose_finding", "属实")
    page.fill("#propose_basis", "《营业网点服务规范》要求客流高峰增开窗口。")
    page.check("#propose_remedies_0")  # apology
    page.select_option("#propose_closure_code", label="企业责任")
    page.click("form[action$='/steps/propose/'] button.primary")
    page.wait_for_selector("#actions .message.success:has-text('处理意见已提出，待审批。')")
    assert "企业责任" in page.locator("#handling").inner_text()
    assert page.evaluate("() => window.notReloaded") is True
    complaint.refresh_from_db()
    assert complaint.status == Status.DECISION_PROPOSED
