"""The complaint list's search box finds what staff type: part of a tracking number, the
complainant's name, a phone number."""

from bankdesk.complaints import selectors
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.selectors import ComplaintFilter


def _found(user, term):
    return list(selectors.complaint_list(user, ComplaintFilter(search=term)).values_list("pk", flat=True))


def test_search_by_partial_tracking_number_name_and_phone(desk, registration):
    first = register_complaint(desk.agent, registration(complainant_name="王建国", phone="13800001111"))
    second = register_complaint(desk.agent, registration(complainant_name="李女士", phone="13912345678"))
    number = first.tracking_number  # TS-YYYYMMDD-NNNNNN
    date, serial = number.split("-")[1:]
    assert _found(desk.cp, number) == [first.pk]
    assert _found(desk.cp, number.lower()) == [first.pk]
    assert _found(desk.cp, f"{date}-{serial}") == [first.pk]
    assert _found(desk.cp, f"{date}{serial}") == [first.pk]
    assert first.pk in _found(desk.cp, serial) and second.pk not in _found(desk.cp, serial)
    assert _found(desk.cp, "王建国") == [first.pk]
    assert _found(desk.cp, "王建") == []  # a name is matched exactly
    assert _found(desk.cp, "138 0000 1111") == [first.pk]
