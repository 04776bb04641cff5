from bankdesk.core.pagination import ordering

FIELDS = {"received_at": ("received_at", "id"), "severity": ("-severity", "received_at")}


def test_ordering_follows_the_key_and_reverses_every_column():
    assert ordering("received_at", FIELDS, "-received_at") == ["received_at", "id"]
    assert ordering("-received_at", FIELDS, "-received_at") == ["-received_at", "-id"]
    assert ordering("-severity", FIELDS, "received_at") == ["severity", "-received_at"]


def test_unknown_keys_fall_back_to_the_default():
    assert ordering("password", FIELDS, "-received_at") == ["-received_at", "-id"]
    assert ordering("", FIELDS, "received_at") == ["received_at", "id"]
