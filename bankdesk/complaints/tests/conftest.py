from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.review import acceptance


def local(*parts) -> datetime:
    """A moment in Beijing time, as staff read the clocks."""
    return timezone.make_aware(datetime(*parts))


@pytest.fixture
def routed(desk, registration):
    """A complaint accepted (and routed to branch A's least-loaded handler) at the moment given."""
    def make(at: datetime | None = None, **changes):
        at = at or timezone.now()
        with time_machine.travel(at, tick=False):
            complaint = register_complaint(desk.agent, registration(received_at=at, **changes))
            return acceptance.accept_complaint(desk.cp, complaint)

    return make
