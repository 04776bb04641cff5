"""The menu by group, its badges read after the page, and the header's search."""

import pytest

from bankdesk.core import navigation
from bankdesk.core.context_processors import CLOSED_GROUPS_COOKIE
from bankdesk.core.messaging import notify
from bankdesk.orgs.models import Role


def test_every_registered_entry_names_a_registered_group():
    assert {entry.group for entry in navigation.entries()} <= {group.key for group in navigation.groups()}


def test_an_entry_without_a_group_goes_to_the_workbench():
    entry = navigation.NavEntry("x", "home")
    assert entry.group == navigation.WORKBENCH
    assert navigation.group_of(navigation.NavEntry("x", "home", group="no-such-group")) == navigation.WORKBENCH


def test_menu_is_grouped_and_shows_only_what_the_user_may_open(logged_in, bank, desk):
    page = logged_in(desk.handler_a1).get("/").content.decode()
    assert 'data-group="workbench"' in page and 'data-group="complaints"' in page
    assert 'href="/complaints/my-work/"' in page
    assert 'href="/complaints/queue/"' not in page  # the intake queue is the office's
    assert 'href="/settings/rules/"' not in page


def test_current_entry_is_the_longest_match(logged_in, desk):
    page = logged_in(desk.cp).get("/complaints/queue/").content.decode()
    assert '<a href="/complaints/queue/" class="active" aria-current="page">' in page
    assert '<a href="/complaints/" class="active"' not in page


def test_folded_groups_stay_folded_unless_they_hold_the_current_page(logged_in, desk, client):
    client = logged_in(desk.cp)
    client.cookies[CLOSED_GROUPS_COOKIE] = "admin,complaints"
    page = client.get("/complaints/queue/").content.decode()
    assert '<details class="navgroup" data-group="admin">' in page
    assert '<details class="navgroup" data-group="complaints" open>' in page


def test_badges_come_after_the_page_out_of_band(logged_in, desk, registration):
    from bankdesk.complaints.intake.registration import register_complaint

    register_complaint(desk.agent, registration())
    notify([desk.cp.pk], kind="test", text="一条消息", email=False)
    client = logged_in(desk.cp)
    assert 'hx-get="/nav-counts/"' in client.get("/").content.decode()
    body = client.get("/nav-counts/", HTTP_HX_REQUEST="true").content.decode()
    assert '<span class="navcount has-count" id="navcount-complaints-queue" hx-swap-oob="true">1</span>' in body
    assert 'id="navcount-core-inbox" hx-swap-oob="true">1</span>' in body


def test_header_search_goes_to_the_complaint_list_for_those_who_may_see_it(logged_in, desk):
    page = logged_in(desk.cp).get("/").content.decode()
    assert '<form class="global-search" role="search" method="get" action="/complaints/">' in page
    assert 'name="search"' in page
    assert "global-search" not in logged_in(desk.teller).get("/").content.decode()


def test_language_menu_names_each_language_in_itself(logged_in, agent):
    page = logged_in(agent).get("/").content.decode()
    assert 'lang="en" tabindex="-1">English</button>' in page
    assert 'lang="zh-hans" tabindex="-1">简体中文</button>' in page


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.AGENT])
def test_nav_counts_answer_every_signed_in_user(logged_in, bank, role):
    user = bank.user(f"u_{role}", role, bank.branch_a)
    assert logged_in(user).get("/nav-counts/").status_code == 200
