"""Complaints registered before the clocks existed are put on their clocks by the migration."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from bankdesk.complaints.models import Clock

BEFORE = [("complaints", "0003_importjob_inboundemail")]


@pytest.fixture
def before_clocks(committed_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_open_complaints_get_their_clocks(before_clocks):
    apps = before_clocks
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    Complaint = apps.get_model("complaints", "Complaint")
    unit = OrgUnit.objects.create(code="X", name="网点", kind="outlet", path="0001", depth=0)
    received = timezone.now() - timedelta(days=1)
    common = dict(complainant_name="李", phone="", unit=unit, unit_path=unit.path, received_at=received,
                  channel=apps.get_model("complaints", "Channel").objects.get(code="hotline"),
                  business_category=apps.get_model("complaints", "BusinessCategory").objects.get(code="card_fees"),
                  cause=apps.get_model("complaints", "Cause").objects.get(code="pricing"), description="年费",
                  acceptance_deadline=received + timedelta(days=2))
    registered = Complaint.objects.create(tracking_number="TS-1", **common)
    routed = Complaint.objects.create(tracking_number="TS-2", status="routed", accepted_at=received, **common)
    Complaint.objects.create(tracking_number="TS-3", status="not_accepted", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    review = Clock.objects.get(complaint_id=registered.pk)
    assert review.kind == "acceptance" and review.next_check_at == review.warn_at
    decision = Clock.objects.get(complaint_id=routed.pk)
    assert decision.kind == "decision" and decision.length.startswith("15")
    assert Clock.objects.count() == 2
