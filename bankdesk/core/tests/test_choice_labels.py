from django.utils import translation

from bankdesk.complaints.models import Complaint, Status


def test_a_choice_label_is_shown_in_the_active_language_and_an_unknown_value_as_it_is():
    complaint = Complaint(status=Status.REGISTERED)
    with translation.override("zh-hans"):
        chinese = complaint.get_status_display()
    with translation.override("en"):
        english = complaint.get_status_display()
    assert chinese == str(Status.REGISTERED.label) != english
    with translation.override("en"):
        assert english == str(Status.REGISTERED.label)
    complaint.status = "no_such_status"
    assert complaint.get_status_display() == "no_such_status"
