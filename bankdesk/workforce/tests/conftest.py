"""The call center of callcenter's tests, with a workforce planner at it and one at branch B."""

import pytest

from bankdesk.callcenter.tests.conftest import center  # noqa: F401  (the fixture, shared)
from bankdesk.orgs.models import Role


@pytest.fixture
def planner(bank, center):  # noqa: F811
    return bank.user("wfm", Role.WORKFORCE_PLANNER, center.unit)


@pytest.fixture
def planner_b(bank, center):  # noqa: F811
    """A planner of branch B's call center: sees none of the head office's queues."""
    return bank.user("wfm_b", Role.WORKFORCE_PLANNER, center.branch_center)
