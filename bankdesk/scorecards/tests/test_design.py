"""Scorecard design: drafts change, published versions never do; rights and scope."""

from decimal import Decimal

import pytest

from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.scorecards import selectors, services
from bankdesk.scorecards.models import AnswerType, ScorecardKind, VersionStatus
from bankdesk.scorecards.tests.conftest import build_scorecard


def test_a_published_version_cannot_change(qa, call_card):
    version = call_card.versions.get()
    assert version.status == VersionStatus.PUBLISHED
    section = version.sections.first()
    with pytest.raises(Conflict):
        services.add_section(qa.inspector, version, title="新", weight=Decimal(10))
    with pytest.raises(Conflict):
        services.update_item(qa.inspector, section.items.first(), text="改")
    with pytest.raises(Conflict):
        services.remove_section(qa.inspector, section)


def test_a_new_draft_copies_the_published_version_and_replaces_it_when_published(qa, call_card):
    first = call_card.versions.get()
    draft = services.start_draft(qa.inspector, call_card)
    assert draft.number == 2 and draft.is_draft
    assert services.start_draft(qa.inspector, call_card) == draft
    copied = [(s.title, s.weight, [(i.text, i.max_points, i.is_fatal) for i in s.items.all()]) for s in draft.sections.all()]
    original = [(s.title, s.weight, [(i.text, i.max_points, i.is_fatal) for i in s.items.all()]) for s in first.sections.all()]
    assert copied == original
    item = draft.sections.first().items.first()
    services.update_item(qa.inspector, item, max_points=Decimal(5))
    services.publish(qa.inspector, draft)
    first.refresh_from_db()
    assert first.status == VersionStatus.RETIRED
    assert first.sections.first().items.first().max_points == Decimal(10)
    assert AuditEvent.objects.filter(action="qa.version.publish", object_id=str(draft.pk)).exists()


def test_publishing_needs_sections_with_items(qa):
    scorecard = services.create_scorecard(qa.inspector, code="EMPTY", name="空", kind=ScorecardKind.CALL, unit=qa.cc)
    draft = scorecard.versions.get()
    with pytest.raises(ValidationFailed) as error:
        services.publish(qa.inspector, draft)
    assert error.value.field == "sections"
    services.add_section(qa.inspector, draft, title="开场", weight=Decimal(1))
    with pytest.raises(ValidationFailed):
        services.publish(qa.inspector, draft)


@pytest.mark.parametrize("changes, field", [
    ({"text": " "}, "text"),
    ({"max_points": Decimal(0)}, "max_points"),
    ({"max_points": Decimal(-1)}, "max_points"),
    ({"answer_type": AnswerType.POINTS, "is_fatal": True}, "is_fatal"),
])
def test_bad_items_are_refused_with_their_field(qa, changes, field):
    scorecard = build_scorecard(qa.inspector, qa.cc, code="D", publish=False)
    section = scorecard.versions.get().sections.first()
    values = {"text": "礼貌", "max_points": Decimal(5), **changes}
    with pytest.raises(ValidationFailed) as error:
        services.add_item(qa.inspector, section, **values)
    assert error.value.field == field


def test_a_section_weighs_more_than_nothing(qa):
    scorecard = build_scorecard(qa.inspector, qa.cc, code="W", publish=False)
    with pytest.raises(ValidationFailed) as error:
        services.add_section(qa.inspector, scorecard.versions.get(), title="零", weight=Decimal(0))
    assert error.value.field == "weight"


def test_removing_from_a_draft_is_recorded(qa):
    scorecard = build_scorecard(qa.inspector, qa.cc, code="R", publish=False)
    draft = scorecard.versions.get()
    section = draft.sections.last()
    services.remove_section(qa.inspector, section)
    assert draft.sections.count() == 1
    event = AuditEvent.objects.filter(action="qa.version.update").latest("id")
    assert event.after["change"] == "section removed"
    assert [item["text"] for item in event.before["items"]] == ["业务解答准确", "规范结束语"]


def test_rights_and_scope_of_design(qa, agent):
    with pytest.raises(PermissionDenied):
        services.create_scorecard(qa.agent, code="X", name="X", kind=ScorecardKind.CALL, unit=qa.cc)
    with pytest.raises(NotFound):  # branch B's inspector cannot make one for the call center
        services.create_scorecard(qa.inspector_b, code="X", name="X", kind=ScorecardKind.CALL, unit=qa.cc)
    with pytest.raises(NotFound):  # nor for the whole bank
        services.create_scorecard(qa.inspector, code="X", name="X", kind=ScorecardKind.CALL, unit=qa.bank.root)
    card = build_scorecard(qa.inspector, qa.cc)
    with pytest.raises(NotFound):
        services.start_draft(qa.inspector_b, card)


def test_who_sees_which_scorecards(qa, bank):
    from bankdesk.orgs.models import Role

    cc_card = build_scorecard(qa.inspector, qa.cc, code="CC-1")
    cp = bank.user("cp_root", Role.CONSUMER_PROTECTION, bank.root)
    bank_card = build_scorecard(cp, bank.root, code="BANK-1", kind=ScorecardKind.COMPLAINT)
    b_card = build_scorecard(qa.inspector_b, bank.branch_b, code="B-1")
    assert set(selectors.scorecards(qa.inspector)) == {cc_card, bank_card}
    assert set(selectors.scorecards(qa.inspector_b)) == {bank_card, b_card}
    assert set(selectors.scorecards(cp)) == {cc_card, bank_card, b_card}
    with pytest.raises(PermissionDenied):
        selectors.scorecards(qa.agent)
