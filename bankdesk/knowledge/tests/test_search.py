import pytest

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.review import acceptance
from bankdesk.knowledge import search
from bankdesk.knowledge.search import query
from bankdesk.knowledge.search.segment import snippet, words


def test_segmentation_drops_punctuation_and_stop_words():
    assert words("我的信用卡被扣了年费！") == ["信用", "信用卡", "被扣", "年费"]



def test_snippets_come_from_the_text_as_written():
    text, matched = snippet("客户反映信用卡年费未经告知即被扣收，要求退还。", ["信用卡", "年费", "押金"])
    assert text == "客户反映\x02信用卡\x03\x02年费\x03未经告知即被扣收，要求退还。" and matched == 2
    long_text = "无关内容" * 30 + "ATM吞卡" + "其他" * 40
    text, _matched = snippet(long_text, ["atm"])
    assert text.startswith("…") and text.endswith("…") and "\x02ATM\x03" in text


@pytest.fixture
def complaints(desk, registration):
    fee = register_complaint(desk.agent, registration(description="信用卡年费未经告知即被扣收，要求退还。"))
    queue = register_complaint(desk.agent, registration(description="网点排队两个小时只开一个窗口。"))
    other_branch = register_complaint(desk.agent, registration(
        unit=desk.bank.outlet_b, description="另一家网点的信用卡年费问题。"))
    return fee, queue, other_branch


def test_complaints_are_found_by_their_words(desk, complaints):
    fee, _queue, _other = complaints
    results = search.search(desk.cp, "信用卡年费", kinds=["complaint"])
    assert results.hits[0].id == fee.pk or results.hits[0].id == _other.pk
    assert results.total == 2
    assert "<mark>" in results.hits[0].snippet


def test_search_never_shows_another_branchs_complaints(desk, complaints):
    fee, _queue, other_branch = complaints
    handler_b_ids = {hit.id for hit in search.search(desk.handler_b, "信用卡年费", kinds=["complaint"]).hits}
    assert handler_b_ids == {other_branch.pk}
    assert search.search(desk.teller, "信用卡年费", kinds=["complaint"]).total == 0


def test_routing_refreshes_the_index(desk, complaints):
    fee = acceptance.accept_complaint(desk.cp, complaints[0])
    assert fee.handler is not None
    assert fee.pk in {hit.id for hit in search.search(fee.handler, "年费", kinds=["complaint"]).hits}


def test_empty_query_finds_nothing(desk, complaints):
    assert search.search(desk.cp, "，。！").total == 0


def test_complaint_counts_stop_at_the_limit(desk, registration, logged_in, monkeypatch):
    monkeypatch.setattr(query, "COUNT_LIMIT", 2)
    for number in range(3):
        register_complaint(desk.agent, registration(phone=f"1390000000{number}",
                                                    description="网点排队两个小时"))
    results = search.search(desk.cp, "排队", kinds=["complaint"])
    assert (results.total, results.total_is_lower_bound, len(results.hits)) == (2, True, 3)
    page = logged_in(desk.cp).get("/knowledge/search/", {"q": "排队", "kind": "complaint"}).content.decode()
    assert "超过 2 条" in page


def test_snippets_mark_whole_words_never_single_characters():
    from bankdesk.knowledge.search.segment import snippet, words
    text, matched = snippet("客户的自动还款没有成功，扣款4171元，要求退还2元手续费", words("自动还款 4171元 要 2"))
    assert "\x02自动\x03\x02还款\x03" in text and "\x024171\x03" in text
    assert "\x02元" not in text and "\x02要" not in text and "\x022" not in text.replace("\x024171", "")
    assert matched == 6
