"""Inspection visits on the shipped checklists, follow-up actions for failed items and their chasing,
photo upload limits."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bankdesk.core import rules
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification
from bankdesk.core.services import seed_calendar_from_package
from bankdesk.orgs.models import Role
from bankdesk.quality.inspections import chasing, checklists, services
from bankdesk.quality.models import FollowUpAction, FollowUpStatus, Visit, VisitStatus
from bankdesk.scorecards.evaluations import Answer
from bankdesk.scorecards.models import Item

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def inspection(outlets):
    seed_calendar_from_package()
    outlets.inspector = outlets.bank.user("inspector_a", Role.QA_INSPECTOR, outlets.bank.branch_a)
    outlets.checklist = checklists.install(outlets.sqm, template="VIDEO-36", unit=outlets.bank.branch_a)
    outlets.version = outlets.checklist.versions.get()
    return outlets


def _visit(world, **changes):
    values = {"method": "video", "unit": world.outlet_a, "scheduled_for": timezone.localdate(),
              "version": world.version, "inspector": world.inspector}
    values.update(changes)
    return services.schedule_visit(world.sqm, **values)


def _answers(version, failing=()):
    """Every item answered yes (points items full marks), except the item codes in `failing` answered no."""
    answers = []
    for item in Item.objects.filter(section__version=version):
        answers.append(Answer(item.pk, "no" if item.code in failing else "yes", "柜员离柜未放暂停牌" if item.code in failing
                              else ""))
    return answers


def test_the_shipped_standard_has_168_items_in_weighted_sections(outlets):
    scorecard = checklists.install(outlets.sqm, template="CBA-168", unit=outlets.bank.branch_a)
    version = scorecard.versions.get()
    assert scorecard.code == "CBA-168-A" and version.status == "published"
    assert Item.objects.filter(section__version=version).count() == 168
    assert sum(section.weight for section in version.sections.all()) == Decimal(100)
    assert Item.objects.filter(section__version=version, is_fatal=True).count() == 2
    with pytest.raises(ValidationFailed):
        checklists.install(outlets.sqm, template="NOPE", unit=outlets.bank.branch_a)


def test_a_visit_is_scored_and_each_failed_item_opens_a_follow_up(inspection):
    visit = _visit(inspection)
    assert Notification.objects.filter(recipient=inspection.inspector, kind="quality.visit").exists()
    done = services.submit_visit(inspection.inspector, visit, _answers(inspection.version, failing={"5.01", "8.09"}),
                                 comment="整体良好")
    assert done.status == VisitStatus.COMPLETED and done.score < Decimal(100) and done.evaluation.status == "submitted"
    actions = list(FollowUpAction.objects.order_by("problem"))
    assert len(actions) == 2 and all(action.owner == inspection.head_a for action in actions)
    assert actions[0].due_on > timezone.localdate() and "柜员离柜未放暂停牌" in actions[0].problem
    assert Notification.objects.filter(recipient=inspection.head_a, kind="quality.follow_up").count() == 1


def test_only_the_inspector_scores_and_the_checklist_must_fit(inspection):
    visit = _visit(inspection)
    with pytest.raises(PermissionDenied):
        services.start_visit(inspection.sqm, visit)
    with pytest.raises(ValidationFailed) as failure:
        _visit(inspection, method="mystery")
    assert failure.value.field == "version"
    with pytest.raises(ValidationFailed) as failure:
        _visit(inspection, inspector=inspection.teller_a)
    assert failure.value.field == "inspector"
    with pytest.raises(NotFound):
        _visit(inspection, unit=inspection.outlet_b)


def test_a_points_item_fails_below_the_rules_share(inspection):
    from bankdesk.scorecards.models import ItemScore

    item = Item(answer_type="points", max_points=Decimal(4))
    assert services.failed(item, ItemScore(points=Decimal("2.3"), is_na=False))  # below 60 % of 4 = 2.4
    assert not services.failed(item, ItemScore(points=Decimal("2.4"), is_na=False))
    assert not services.failed(item, ItemScore(points=None, is_na=True))


def test_a_follow_up_is_reported_fixed_then_verified_or_sent_back(inspection):
    visit = services.submit_visit(inspection.inspector, _visit(inspection), _answers(inspection.version, {"5.01"}))
    action = visit.follow_ups.get()
    with pytest.raises(Conflict):
        services.verify(inspection.inspector, action, accepted=True)  # nothing reported yet
    services.report_fixed(inspection.head_a, action, "已在晨会演练起身相迎")
    with pytest.raises(ValidationFailed):
        services.verify(inspection.inspector, action, accepted=False)
    back = services.verify(inspection.inspector, action, accepted=False, note="录像复查仍未做到")
    assert back.status == FollowUpStatus.OPEN
    services.report_fixed(inspection.teller_a, action, "已整改并复查录像")
    closed = services.verify(inspection.inspector, action, accepted=True, note="复查合格")
    assert closed.status == FollowUpStatus.CLOSED and closed.closed_by == inspection.inspector
    with pytest.raises(NotFound):
        services.report_fixed(inspection.head_b, action, "x")


def test_overdue_actions_are_flagged_chased_and_escalated(inspection):
    visit = services.submit_visit(inspection.inspector, _visit(inspection), _answers(inspection.version, {"5.01"}))
    action = visit.follow_ups.get()
    FollowUpAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    assert chasing.chase() == {"flagged": 1, "chased": 1}
    assert chasing.chase() == {"flagged": 0, "chased": 0}  # chased again only after the interval
    rules.set_value(inspection.bank.admin, "quality.follow_up.escalate_after_chases", "2", "第二次催办即上报")
    later = timezone.now() + timedelta(days=rules.get("quality.follow_up.chase_interval_days"), minutes=1)
    assert chasing.chase(later)["chased"] == 1
    action.refresh_from_db()
    assert action.is_overdue and action.chase_count == 2
    chased = Notification.objects.filter(kind="quality.follow_up.chase")
    assert set(chased.values_list("recipient__username", flat=True)) == {"outlet_head_a", "sqm_a"}
    assert AuditEvent.objects.filter(action="quality.follow_up.chase").count() == 2
    services.report_fixed(inspection.head_a, action, "已整改")
    closed = services.verify(inspection.inspector, action, accepted=True)
    assert not closed.is_overdue
    assert chasing.chase(later + timedelta(days=30))["chased"] == 0  # closed: no longer chased


class TestPhotos:
    def test_jpeg_and_png_are_kept(self, inspection):
        visit = _visit(inspection)
        added = services.add_photos(inspection.inspector, visit, [SimpleUploadedFile("厅堂.png", PNG),
                                                                  SimpleUploadedFile("柜面.JPG", JPEG)], "检查现场")
        assert [photo.original_name for photo in added] == ["厅堂.png", "柜面.JPG"]
        assert visit.photos.count() == 2 and added[0].file.content_type == "image/png"

    @pytest.mark.parametrize(("name", "content"), [("report.pdf", b"%PDF-1.4"), ("fake.png", b"MZ\x90\x00"),
                                                   ("noname", PNG)])
    def test_other_types_and_disguised_files_are_refused(self, inspection, name, content):
        with pytest.raises(ValidationFailed) as failure:
            services.add_photos(inspection.inspector, _visit(inspection), [SimpleUploadedFile(name, content)])
        assert failure.value.field == "photos"

    def test_size_and_count_limits_come_from_the_rules(self, inspection):
        visit = _visit(inspection)
        rules.set_value(inspection.bank.admin, "quality.photo_max_megabytes", "1", "限制照片大小")
        big = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024))
        with pytest.raises(ValidationFailed, match="1 MB"):
            services.add_photos(inspection.inspector, visit, [big])
        rules.set_value(inspection.bank.admin, "quality.photo_max_count", "2", "限制张数")
        services.add_photos(inspection.inspector, visit, [SimpleUploadedFile("1.png", PNG)])
        with pytest.raises(ValidationFailed):
            services.add_photos(inspection.inspector, visit, [SimpleUploadedFile("2.png", PNG + b"2"),
                                                              SimpleUploadedFile("3.png", PNG + b"3")])

    def test_the_virus_scan_hook_refuses(self, inspection, settings):
        settings.ATTACHMENT_SCANNER = "bankdesk.quality.tests.test_inspections.infected"
        with pytest.raises(ValidationFailed, match="病毒"):
            services.add_photos(inspection.inspector, _visit(inspection), [SimpleUploadedFile("a.png", PNG)])


def infected(content: bytes) -> str:
    return "infected"


def test_a_cancelled_visit_voids_its_evaluation(inspection):
    visit = services.start_visit(inspection.inspector, _visit(inspection))
    cancelled = services.cancel_visit(inspection.inspector, visit, "网点装修停业")
    cancelled.evaluation.refresh_from_db()
    assert cancelled.status == VisitStatus.CANCELLED and cancelled.evaluation.status == "voided"
    with pytest.raises(Conflict):
        services.start_visit(inspection.inspector, cancelled)


class TestPages:
    def test_schedule_score_and_follow_up_through_the_pages(self, inspection, logged_in):
        client = logged_in(inspection.inspector)
        response = client.post(reverse("quality:visit_new"), {
            "method": "video", "unit": inspection.outlet_a.pk, "scheduled_for": timezone.localdate().isoformat(),
            "version": inspection.version.pk})
        visit_url = response["Location"]
        visit = Visit.objects.get()
        client.post(reverse("quality:visit_start", args=[visit.pk]))
        page = client.get(reverse("quality:visit_score", args=[visit.pk]))
        assert page.status_code == 200 and "5.01" in page.content.decode()
        answers = {f"item_{item.pk}": ("no" if item.code == "5.01" else "yes")
                   for item in Item.objects.filter(section__version=inspection.version)}
        incomplete = client.post(reverse("quality:visit_score", args=[visit.pk]),
                                 {**dict(list(answers.items())[:3]), "submit": "1"})
        assert incomplete.status_code == 200  # every item must be answered: the form stays filled
        done = client.post(reverse("quality:visit_score", args=[visit.pk]), {**answers, "comment": "良好", "submit": "1"})
        assert done.status_code == 302 and done["Location"] == visit_url
        detail = client.get(visit_url).content.decode()
        assert "5.01" in detail and "良好" in detail
        action = FollowUpAction.objects.get()
        head = logged_in(inspection.head_a)
        assert head.post(reverse("quality:follow_up_report", args=[action.pk]), {"note": "已整改"}).status_code == 302
        client = logged_in(inspection.inspector)
        assert client.post(reverse("quality:follow_up_verify", args=[action.pk]),
                           {"accepted": "yes", "note": ""}).status_code == 302
        action.refresh_from_db()
        assert action.status == FollowUpStatus.CLOSED
        assert client.get(reverse("quality:follow_ups"), {"status": "closed"}).status_code == 200
        assert client.get(reverse("quality:visits_export"), {"format": "xlsx"}).status_code == 200

    def test_photos_through_the_page_and_served_within_scope(self, inspection, logged_in):
        visit = _visit(inspection)
        client = logged_in(inspection.inspector)
        refused = client.post(reverse("quality:visit_photos", args=[visit.pk]),
                              {"photos": [SimpleUploadedFile("x.exe", b"MZ")], "caption": "门口"})
        assert refused.status_code == 200 and not visit.photos.exists()
        client.post(reverse("quality:visit_photos", args=[visit.pk]),
                    {"photos": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.jpg", JPEG)]})
        photo = visit.photos.first()
        served = logged_in(inspection.teller_a).get(reverse("quality:visit_photo", args=[visit.pk, photo.pk]))
        assert served.status_code == 200 and served["Content-Type"] == "image/png"
        assert logged_in(inspection.head_b).get(reverse("quality:visit_photo", args=[visit.pk, photo.pk])
                                                ).status_code == 404

    def test_the_checklists_page_installs_a_template(self, inspection, logged_in):
        client = logged_in(inspection.sqm)
        response = client.post(reverse("quality:checklists"), {"template": "MYSTERY-37",
                                                               "unit": inspection.bank.branch_a.pk})
        assert response.status_code == 302
        assert "MYSTERY-37-A" in client.get(reverse("quality:checklists")).content.decode()
        assert logged_in(inspection.head_a).post(reverse("quality:checklists"), {"template": "MYSTERY-37"}
                                                 ).status_code == 200  # no form for an outlet head: nothing happens
        assert logged_in(inspection.teller_a).get(reverse("quality:checklists")).status_code == 403


def test_the_api_scores_a_visit(inspection, logged_in):
    client = logged_in(inspection.inspector)
    response = client.post("/api/quality/visits", json.dumps({
        "method": "video", "unit": "A-O1", "scheduled_for": timezone.localdate().isoformat(),
        "checklist_version_id": inspection.version.pk}), content_type="application/json")
    assert response.status_code == 201, response.content
    visit_id = response.json()["id"]
    answers = [{"item_id": item.pk, "value": "no" if item.code == "8.09" else "yes"}
               for item in Item.objects.filter(section__version=inspection.version)]
    scored = client.post(f"/api/quality/visits/{visit_id}/scores", json.dumps({"answers": answers, "submit": True}),
                         content_type="application/json")
    assert scored.status_code == 200 and scored.json()["status"] == "completed"
    follow_ups = logged_in(inspection.head_a).get("/api/quality/follow-ups").json()
    assert follow_ups["total"] == 1 and follow_ups["items"][0]["owner"] == "outlet_head_a"
    bad = client.post(f"/api/quality/visits/{visit_id}/scores", json.dumps({"answers": []}),
                      content_type="application/json")
    assert bad.status_code == 409
