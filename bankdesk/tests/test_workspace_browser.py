"""The workspace in a real browser, at 1440×900 and on a 390×844 phone: each role's home page, the audit trail,
every staff page of the menu, the drawer and account menus by keyboard, and the form helpers.

Each page is screenshotted at both widths into test-results/workspace/<width>/ (git-ignored): look at them.
"""

import re

import pytest

from bankdesk.complaints.decisions import approval
from bankdesk.complaints.handling import sweeper
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import ClockKind, ClosureCode, Complaint
from bankdesk.complaints.tests.conftest import routed  # noqa: F401  (a fixture)
from bankdesk.core import rules
from bankdesk.core.messaging import notify
from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import Role, UnitKind
from bankdesk.tests.screens import SCREENS, Screen, screen_at

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


@pytest.fixture
def work(desk, routed, registration):
    """Something on every desk: an overdue complaint, a decision awaiting approval, one awaiting acceptance review,
    an unread message; and a bank auditor."""
    overdue = routed()
    sweeper.sweep(overdue.clocks.get(kind=ClockKind.RESOLUTION).due_at)
    proposed = routed(phone="13700000077")
    approval.propose_decision(proposed.handler, proposed, finding="属实", basis="依据服务规范。", remedies=["apology"],
                               closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    register_complaint(desk.agent, registration(phone="13700000088"))
    notify([desk.cp.pk, desk.head_a.pk], kind="test", text="请关注超时投诉", link=f"/complaints/{overdue.pk}/",
           email=False)
    desk.auditor = desk.bank.user("auditor", Role.AUDITOR, desk.bank.root)
    desk.overdue = overdue
    return desk


@pytest.fixture(params=list(SCREENS))
def screen(browser, live_server, request):
    yield from screen_at(browser, live_server, request.param, "workspace")


def tile_counts(page) -> dict[str, int]:
    return {tile.get_attribute("data-tile"): int(tile.locator(".tile-count").inner_text())
            for tile in page.locator("a.tile").all()}


HOMES = {  # user -> the tiles that must be on their home page, with their counts
    "agent1": {"core.unread_messages": 0},
    "handler_a1": {"complaints.my_open": None, "complaints.my_overdue": None, "complaints.assist_requests": 0},
    "head_a": {"complaints.awaiting_approval": 1, "complaints.team_overdue": 1, "core.unread_messages": None},
    "cp": {"complaints.intake_queue": 1, "complaints.team_open": 2, "complaints.callbacks_due": 0,
           "core.unread_messages": None},
    "auditor": {"core.unread_messages": 0},
    "root_admin": {"orgs.grants_awaiting": 0},
}


@pytest.mark.parametrize("username", list(HOMES))
def test_home_page_of_each_role(screen, work, username):
    screen.sign_in(username)
    counts = tile_counts(screen.page)
    for tile, count in HOMES[username].items():
        assert tile in counts and (count is None or counts[tile] == count), (tile, counts)
    if username != "cp":  # the callback belongs to the complaint post, never to the handler
        assert "complaints.callbacks_due" not in counts
    if username == "auditor":
        assert screen.page.locator(".home-panel .event").count() > 0  # the latest changes
    if username in ("head_a", "cp"):
        screen.page.wait_for_selector("#sidenav .navcount.has-count", state="attached")  # the menu's badges came
    assert screen.fits()
    screen.shot(f"home-{username}")


def test_a_tile_opens_its_list(screen, work):
    screen.sign_in(work.overdue.handler.username)
    screen.page.click("a[data-tile='complaints.my_overdue']")
    screen.page.wait_for_url(re.compile(r"/complaints/my-work/\?state=2$"))
    assert work.overdue.tracking_number in screen.page.content()


def test_audit_trail_by_tracking_number(screen, work):
    for number in range(20):  # a full page of events
        org_services.create_unit(work.bank.admin, code=f"X{number}", name=f"新网点{number}", kind=UnitKind.OUTLET,
                                 parent=work.bank.branch_a)
    screen.sign_in("auditor")
    screen.open("/audit/")
    assert screen.fits()
    shown = screen.page.locator("li.event").count()
    height = screen.page.evaluate("document.documentElement.scrollHeight")
    assert shown == 50 and height < (110 if screen.name == "desktop" else 220) * shown, height  # compact lines
    screen.shot("audit-trail")
    screen.page.fill("input[name=object_name]", work.overdue.tracking_number.lower())
    screen.page.click("form.filters button.primary")
    screen.page.wait_for_load_state("networkidle")
    sentences = screen.page.locator(".event-sentence").all_inner_texts()
    assert sentences and all(work.overdue.tracking_number in sentence for sentence in sentences)
    assert "状态 已登记，待受理审核 → 已受理" in " ".join(screen.page.locator(".event-changes").all_inner_texts())
    screen.page.locator("details.raw summary").first.click()
    screen.page.wait_for_selector(".raw-record pre")  # the stored record, asked for on opening
    assert screen.fits()
    screen.shot("audit-trail-one-complaint")


STAFF = ("root_admin", "cp", "head_a", "handler_a1", "auditor", "agent1")


def test_every_staff_page_fits_the_phone(browser, live_server, work):
    """Every page of every menu, at both widths: nothing wider than the screen; and a complaint's own page as its
    handler sees it (with its actions, not the page refusing a user without access)."""
    seen, too_wide = set(), []
    complaint_page = f"/complaints/{work.overdue.pk}/"
    for name in SCREENS:
        screen = Screen(browser, live_server, name, "workspace")
        for username in STAFF:
            screen.sign_in(username)
            links = screen.page.eval_on_selector_all("#sidenav a", "links => links.map(a => a.getAttribute('href'))")
            for path in links:
                if (name, path) in seen or (path.startswith("/complaints/") and username == "agent1"):
                    continue
                seen.add((name, path))
                screen.open(path)
                if not screen.fits():
                    too_wide.append((name, path))
                screen.shot("page" + re.sub(r"[^\w-]+", "_", path))
        screen.sign_in(work.overdue.handler.username)
        screen.open(complaint_page)
        primary = screen.page.locator("#case-header .case-actions .primary")
        assert work.overdue.tracking_number in screen.page.locator("#case-header h1").inner_text()
        assert primary.count() == 1 and primary.is_visible() and primary.bounding_box()["y"] < screen.height
        if not screen.fits():
            too_wide.append((name, complaint_page))
        screen.shot("page_complaint")
        screen.context.close()
    assert not too_wide
    assert len(seen) > 20


def test_the_complaint_page_on_a_phone_puts_its_actions_first(browser, live_server, work):
    """On a phone the page is one column: the actions panel comes right under the header, above the long record,
    so a step opened from the header's menu appears in the first screen; at a desk it stays in the side column."""
    for name in SCREENS:
        screen = Screen(browser, live_server, name, "complaint-page")
        screen.sign_in(work.overdue.handler.username)
        screen.open(f"/complaints/{work.overdue.pk}/")
        actions, record = (screen.page.locator(selector).bounding_box() for selector in ("#actions", "#record"))
        assert screen.fits()
        screen.shot("complaint-page")
        if name == "phone":
            assert actions["y"] < record["y"] and actions["x"] == record["x"]
            screen.page.click(".step-menu-button")
            screen.page.click("#step-menu [data-step=note]")
            screen.page.wait_for_selector("details#step-note[open] #note_text")
            top = screen.page.evaluate("document.getElementById('step-note').getBoundingClientRect().top"
                                       " + window.scrollY")
            assert top < screen.height, top  # opened in the first screen, not below the record
            assert screen.fits()
            screen.shot("complaint-page-step-open")
        else:
            assert actions["x"] > record["x"] + record["width"]  # the side column
        screen.context.close()


def test_drawer_menu_on_the_phone(browser, live_server, work):
    screen = Screen(browser, live_server, "phone", "workspace")
    screen.sign_in("cp")
    menu = screen.page.locator("#sidenav")
    assert not menu.is_visible()
    screen.page.click("[data-nav-toggle]")
    screen.page.wait_for_function("() => document.querySelector('#sidenav').getBoundingClientRect().left >= 0")
    assert screen.page.get_attribute("[data-nav-toggle]", "aria-expanded") == "true"
    screen.shot("menu-drawer-open")
    screen.page.keyboard.press("Escape")
    screen.page.wait_for_function("() => !document.body.classList.contains('nav-open')")
    screen.page.click("[data-nav-toggle]")
    screen.page.click("#sidenav a[href='/complaints/queue/']")
    screen.page.wait_for_url(re.compile("/complaints/queue/$"))
    screen.context.close()


def test_account_menu_by_keyboard_and_languages_by_their_own_names(screen, work):
    screen.sign_in("cp")
    button = screen.page.locator(".menu-button")
    button.focus()
    screen.page.keyboard.press("Enter")
    items = screen.page.locator("#user-menu [role^=menuitem]")
    assert screen.page.evaluate("document.activeElement.textContent.trim()") == items.first.inner_text().strip()
    assert items.all_inner_texts()[:2] == ["简体中文", "English"]
    screen.page.keyboard.press("ArrowDown")
    assert screen.page.evaluate("document.activeElement.textContent.trim()") == "English"
    screen.shot("account-menu")
    screen.page.keyboard.press("Escape")
    assert not screen.page.locator("#user-menu").is_visible()
    assert screen.page.evaluate("document.activeElement.classList.contains('menu-button')")
    screen.page.keyboard.press("ArrowDown")
    screen.page.keyboard.press("ArrowDown")
    screen.page.keyboard.press("Enter")  # English
    screen.page.wait_for_load_state("networkidle")
    assert "What I must do now" in screen.page.content()


def test_a_form_shows_every_problem_at_once_without_sending(screen, work):
    screen.sign_in("root_admin")
    screen.open("/org/units/new/")
    sent = []
    screen.page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    screen.page.click("form button.primary")
    screen.page.wait_for_selector(".error-summary")
    assert screen.page.locator(".error-summary li").count() >= 2  # code and name at once
    assert screen.page.locator(".client-error").count() >= 2 and not sent
    screen.shot("form-all-problems")
    screen.page.fill("input[name=name]", "网" * 95)
    assert screen.page.locator("input[name=name] + .char-counter").inner_text() == "95 / 100"


def test_a_too_large_attachment_is_refused_before_sending(screen, work):
    rules.set_value(work.bank.admin, "complaint.attachment_max_megabytes", 1, "测试")
    screen.sign_in("cp")
    screen.open("/complaints/new/")
    screen.page.set_input_files("input[name=attachments]", files=[
        {"name": "录音.mp3", "mimeType": "audio/mpeg", "buffer": b"\0" * (1024 * 1024 + 1)}])
    error = screen.page.locator(".client-error")
    error.wait_for()
    assert "录音.mp3" in error.inner_text() and "1 MB" in error.inner_text()
    screen.page.fill("textarea[name=description]", "客户说" * 10)
    assert screen.page.locator("textarea[name=description] + .char-counter").inner_text() == "30 / 10000"
    count = Complaint.objects.count()
    screen.page.click("form button.primary")
    screen.page.wait_for_selector(".error-summary")
    assert Complaint.objects.count() == count
    screen.shot("form-upload-too-large")

