from bankdesk.core import caching, rules
from bankdesk.core.caching import Memo


def test_within_a_request_a_value_is_looked_up_once_and_again_after_a_change(db):
    reads = []
    memo = Memo("test:memo", lambda: reads.append(1) or len(reads))
    with caching.request_scope():
        assert [memo.get(), memo.get()] == [1, 1]
        memo.drop()
        assert [memo.get(), memo.get()] == [2, 2]
    assert memo.get() == 2 and len(reads) == 2  # outside a request: the process's copy, current by its stamp


def test_a_rule_changed_during_a_request_is_read_new_in_that_request(bank):
    with caching.request_scope():
        before = rules.get("security.login_failure_limit")
        rules.set_value(bank.admin, "security.login_failure_limit", str(before + 2), "测试")
        assert rules.get("security.login_failure_limit") == before + 2
