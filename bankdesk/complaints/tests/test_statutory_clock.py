"""Item 1 of issue 17: the statutory decision clock (15 / 30 / 60 days) runs from receipt (自收到消费投诉之日起), not
from acceptance, across the official calendar's holidays and make-up days; the bank may shorten the limits, never
lengthen them (the rule page and the API refuse it with the reason)."""

import pytest
import time_machine
from django.utils.dateparse import parse_datetime

from bankdesk.complaints.handling import clocks
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import Clock, ClockKind, ClockState, Complaint
from bankdesk.complaints.review import acceptance
from bankdesk.complaints.tests.conftest import local
from bankdesk.core import rules
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import RuleSetting


@pytest.fixture
def received_then_accepted(desk, registration):
    """A complaint received at one moment and accepted at another."""
    def make(received, accepted, **changes) -> Complaint:
        registrar = desk.cp if "external_deadline" in changes else desk.agent  # a regulator's transfer: the office
        with time_machine.travel(received, tick=False):
            complaint = register_complaint(registrar, registration(received_at=received, **changes))
        with time_machine.travel(accepted, tick=False):
            return acceptance.accept_complaint(desk.cp, complaint)

    return make


def clocks_of(complaint) -> dict:
    return {clock.kind: clock for clock in Clock.objects.filter(complaint=complaint)}


class TestFromReceipt:
    def test_national_day_2025(self, received_then_accepted):
        """Received Friday 26 Sep, accepted Tuesday 30 Sep: the decision is due by the end of 11 Oct (15 days from
        receipt, holidays counted), not of 15 Oct (from acceptance). The working-day clocks count the make-up days:
        the 2-day review ran 28 Sep (a Sunday worked) and 29 Sep, so accepting on the 30th was late; the internal
        5 working days from acceptance are 9, 10, 11 (a Saturday worked), 13 and 14 Oct."""
        complaint = received_then_accepted(local(2025, 9, 26, 10, 0), local(2025, 9, 30, 9, 0))
        found = clocks_of(complaint)
        decision = found[ClockKind.DECISION]
        assert decision.started_at == complaint.received_at == local(2025, 9, 26, 10, 0)
        assert decision.due_at == local(2025, 10, 12) and decision.length == "15 个自然日"
        assert found[ClockKind.ACCEPTANCE].due_at == local(2025, 9, 30) and found[ClockKind.ACCEPTANCE].met is False
        assert found[ClockKind.INTERNAL].due_at == local(2025, 10, 15)
        assert not decision.provisional and not found[ClockKind.INTERNAL].provisional

    def test_spring_festival_2026(self, received_then_accepted):
        """Received Friday 13 Feb 2026, the eve of the nine days off (15–23 Feb): the review's 2 working days are
        14 Feb (a Saturday worked) and 24 Feb, so accepting on the 24th is in time; the decision is due by the end
        of 28 Feb (15 calendar days from receipt); the internal 5 working days from acceptance are 25, 26, 27 and
        28 Feb (a Saturday worked) and 2 Mar."""
        complaint = received_then_accepted(local(2026, 2, 13, 9, 0), local(2026, 2, 24, 9, 0))
        found = clocks_of(complaint)
        assert found[ClockKind.ACCEPTANCE].due_at == local(2026, 2, 25) and found[ClockKind.ACCEPTANCE].met
        assert found[ClockKind.DECISION].due_at == local(2026, 3, 1)
        assert found[ClockKind.DECISION].started_at == local(2026, 2, 13, 9, 0)
        assert found[ClockKind.INTERNAL].due_at == local(2026, 3, 3)

    def test_the_clock_runs_while_the_complaint_awaits_acceptance(self, desk, registration):
        received = local(2025, 9, 26, 10, 0)
        with time_machine.travel(received, tick=False):
            complaint = register_complaint(desk.agent, registration(received_at=received))
        found = clocks_of(complaint)
        assert set(found) == {ClockKind.ACCEPTANCE, ClockKind.DECISION}
        assert found[ClockKind.DECISION].state == ClockState.RUNNING
        complaint.refresh_from_db()
        assert complaint.current_deadline == found[ClockKind.ACCEPTANCE].due_at  # the nearest
        acceptance.refuse_complaint(desk.cp, complaint, reason=complaint.non_acceptance_reason or _reason(),
                                    notice_channel="sms", notice_text="您的投诉不予受理。")
        assert not Clock.objects.filter(complaint=complaint).exclude(state=ClockState.STOPPED).exists()

    def test_extensions_count_from_receipt_too(self, received_then_accepted):
        complaint = received_then_accepted(local(2025, 9, 26, 10, 0), local(2025, 9, 30, 9, 0))
        complaint.extension_level = 1
        clocks.extend(complaint, [ClockKind.DECISION])
        assert clocks_of(complaint)[ClockKind.DECISION].due_at == local(2025, 10, 27)  # 30 days from 26 Sep
        complaint.extension_level = 2
        clocks.extend(complaint, [ClockKind.DECISION])
        assert clocks_of(complaint)[ClockKind.DECISION].due_at == local(2025, 11, 26)  # 60 in all

    def test_a_regulators_deadline_still_wins(self, received_then_accepted):
        from bankdesk.complaints.models import Channel

        deadline = local(2025, 10, 5, 17, 0)
        complaint = received_then_accepted(local(2025, 9, 26, 10, 0), local(2025, 9, 30, 9, 0),
                                           channel=Channel.objects.get(code="nfra"), external_reference="NFRA-7",
                                           external_deadline=deadline)
        decision = clocks_of(complaint)[ClockKind.DECISION]
        assert decision.is_external and decision.due_at == deadline
        assert decision.started_at == local(2025, 9, 26, 10, 0)

    def test_the_api_shows_the_clock_from_receipt(self, desk, client, received_then_accepted):
        complaint = received_then_accepted(local(2025, 9, 26, 10, 0), local(2025, 9, 30, 9, 0))
        client.force_login(desk.handler_a1)
        answer = client.get(f"/api/complaints/{complaint.pk}/clocks").json()
        [decision] = [clock for clock in answer if clock["kind"] == "decision"]
        assert parse_datetime(decision["started_at"]) == local(2025, 9, 26, 10, 0)
        assert parse_datetime(decision["due_at"]) == local(2025, 10, 12)

    def test_the_complaint_page_shows_the_clock_from_receipt(self, desk, client, received_then_accepted):
        complaint = received_then_accepted(local(2025, 9, 26, 10, 0), local(2025, 9, 30, 9, 0))
        client.force_login(desk.handler_a1)
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        clocks_section = page[page.index('id="clocks"'):]
        row = clocks_section[clocks_section.index("处理意见告知"):]
        assert row.index("2025-09-26 10:00") < row.index("2025-10-12 00:00") < row.index("</tr>")


def _reason():
    from bankdesk.complaints.models import NonAcceptanceReason

    return NonAcceptanceReason.objects.filter(is_active=True).first()


STATUTORY = [("complaint.decision_calendar_days", 15), ("complaint.extension_total_calendar_days", 30),
             ("complaint.further_extension_calendar_days", 30)]


class TestStatutoryMaxima:
    @pytest.mark.parametrize(("key", "limit"), STATUTORY)
    def test_a_longer_limit_is_refused_with_the_reason(self, bank, key, limit):
        with pytest.raises(ValidationFailed) as refused:
            rules.set_value(bank.admin, key, str(limit + 1), "想多给几天")
        assert refused.value.field == "value"
        assert "银行业保险业消费投诉处理管理办法" in refused.value.message and "缩短" in refused.value.message
        assert rules.get(key) == limit and not RuleSetting.objects.filter(key=key).exists()

    def test_a_value_stored_before_the_maximum_reads_as_the_maximum(self, db):
        RuleSetting.objects.create(key="complaint.decision_calendar_days", value=20)
        assert rules.get("complaint.decision_calendar_days") == 15

    def test_a_shorter_limit_applies(self, desk, received_then_accepted):
        rules.set_value(desk.bank.admin, "complaint.decision_calendar_days", "10", "本行从严")
        complaint = received_then_accepted(local(2025, 9, 26, 10, 0), local(2025, 9, 30, 9, 0))
        assert clocks_of(complaint)[ClockKind.DECISION].due_at == local(2025, 10, 7)

    def test_the_rule_page_refuses_and_keeps_the_value(self, bank, client):
        client.force_login(bank.admin)
        url = "/settings/rules/complaint.decision_calendar_days/"
        page = client.get(url).content.decode()
        assert "自收到投诉之日起" in page and "只能缩短" in page
        response = client.post(url, {"value": "20", "reason": "想多给几天"})
        page = response.content.decode()
        assert response.status_code == 200 and "最多 15" in page and 'value="20"' in page
        assert rules.get("complaint.decision_calendar_days") == 15
