from datetime import UTC, datetime

import pytest

from bankdesk.core.messaging import notify
from bankdesk.core.models import Notification
from bankdesk.core.services import mark_notifications_read
from bankdesk.orgs.models import Role


@pytest.fixture
def colleague(bank):
    return bank.user("colleague", Role.AGENT, bank.outlet_b)


@pytest.fixture
def mine(agent):
    notify([agent.pk], kind="complaint.assigned", text="投诉 T-1 已分派给您", link="/complaints/1/", email=False)
    return Notification.objects.get(recipient=agent)


@pytest.fixture
def theirs(colleague):
    notify([colleague.pk], kind="complaint.assigned", text="别人的消息", email=False)
    return Notification.objects.get(recipient=colleague)


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get("/inbox/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_lists_only_own_notifications_with_link_and_count(logged_in, agent, mine, theirs):
    page = logged_in(agent).get("/inbox/").content.decode()
    assert "投诉 T-1 已分派给您" in page and f'href="/inbox/{mine.pk}/open/"' in page
    assert "别人的消息" not in page
    assert '<span id="inbox-unread" class="unread">1</span>' in page


def test_unread_by_default_all_on_request(logged_in, agent, mine):
    mark_notifications_read(agent)
    client = logged_in(agent)
    assert "投诉 T-1 已分派给您" not in client.get("/inbox/").content.decode()
    assert "投诉 T-1 已分派给您" in client.get("/inbox/?show=all").content.decode()


def test_mark_read_with_htmx_swaps_the_row_and_the_badge(logged_in, agent, mine):
    response = logged_in(agent).post(f"/inbox/{mine.pk}/read/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith(f'<tr id="notification-{mine.pk}" class="read">')
    assert '<span id="inbox-unread" class="unread" hx-swap-oob="true"></span>' in body
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_read_without_htmx_redirects_back(logged_in, agent, mine):
    response = logged_in(agent).post(f"/inbox/{mine.pk}/read/?show=all&page=1")
    assert response.status_code == 302 and response.url == "/inbox/?show=all&page=1"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_user_cannot_mark_anothers_notification(logged_in, agent, theirs):
    client = logged_in(agent)
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/inbox/{theirs.pk}/read/", HTTP_HX_REQUEST="true").status_code == 404
    assert mark_notifications_read(agent, [theirs.pk]) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_own(logged_in, agent, mine, theirs):
    response = logged_in(agent).post("/inbox/read/")
    assert response.status_code == 302 and response.url == "/inbox/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_read_needs_post(logged_in, agent, mine):
    assert logged_in(agent).get(f"/inbox/{mine.pk}/read/").status_code == 405


def test_badge_on_every_page_counts_unread(logged_in, agent, mine):
    notify([agent.pk], kind="k", text="第二条", email=False)
    page = logged_in(agent).get("/").content.decode()
    assert 'href="/inbox/"' in page and '<span id="inbox-unread" class="unread">2</span>' in page


def test_newest_first_with_time_in_shanghai(logged_in, agent):
    notify([agent.pk], kind="k", text="较早的消息", email=False)
    notify([agent.pk], kind="k", text="较新的消息", email=False)
    earlier = Notification.objects.filter(text="较早的消息")
    earlier.update(created_at=datetime(2026, 3, 1, 1, 30, tzinfo=UTC))
    page = logged_in(agent).get("/inbox/").content.decode()
    assert page.index("较新的消息") < page.index("较早的消息")
    assert "2026-03-01 09:30" in page


def test_a_page_of_fifty_is_a_fixed_handful_of_queries(logged_in, agent, django_assert_max_num_queries):
    """Session, user, role assignments, the badge's COUNT, the page's COUNT and the page itself (once the
    first request has read the rule settings and stamped the session)."""
    client = logged_in(agent)
    client.get("/inbox/")
    for number in range(61):
        notify([agent.pk], kind="k", text=f"消息 {number}", email=False)
    with django_assert_max_num_queries(6):
        page = client.get("/inbox/").content.decode()
    assert page.count('<tr id="notification-') == 50 and "61" in page


def test_opening_a_message_marks_it_read_and_follows_its_link(logged_in, agent, mine):
    response = logged_in(agent).get(f"/inbox/{mine.pk}/open/")
    assert response.status_code == 302 and response.url == "/complaints/1/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_link_leaving_bankdesk_is_not_followed(logged_in, agent):
    notify([agent.pk], kind="test", text="外部链接", link="https://example.com/x", email=False)
    notification = Notification.objects.get(recipient=agent)
    assert logged_in(agent).get(f"/inbox/{notification.pk}/open/").url == "/inbox/"


def test_nobody_opens_anothers_message(logged_in, agent, theirs):
    assert logged_in(agent).get(f"/inbox/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
