from django.template import RequestContext, Template

from bankdesk.core.pagination import ordering

FIELDS = {"received_at": ("received_at", "id"), "severity": ("-severity", "received_at")}


def test_ordering_follows_the_key_and_reverses_every_column():
    assert ordering("received_at", FIELDS, "-received_at") == ["received_at", "id"]
    assert ordering("-received_at", FIELDS, "-received_at") == ["-received_at", "-id"]
    assert ordering("-severity", FIELDS, "received_at") == ["severity", "-received_at"]


def test_unknown_keys_fall_back_to_the_default():
    assert ordering("password", FIELDS, "-received_at") == ["-received_at", "-id"]
    assert ordering("", FIELDS, "received_at") == ["received_at", "id"]


def test_sort_headers_toggle_in_both_directions(rf):

    template = Template('{% load bankdesk %}{% sort_header key "Label" %}')

    def render(key, sort):
        return template.render(RequestContext(rf.get("/"), {"sort": sort, "key": key}))

    assert "sort=-received_at" in render("-received_at", "severity") and "▲" not in render("-received_at", "severity")
    assert "sort=received_at" in render("-received_at", "-received_at") and "▼" in render("-received_at", "-received_at")
    assert "sort=-received_at" in render("-received_at", "received_at") and "▲" in render("-received_at", "received_at")
    assert "sort=-name" in render("name", "name") and "▲" in render("name", "name")
