from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases import services, workflow
from apps.cases.choices import CaseSource, CaseStatus
from apps.cases.models import Case, CaseEvent, CasePhoto
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.notifications.selectors import notifications_about
from apps.worktime.calendar import WorkCalendar

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def report(org, cats, **kwargs):
    defaults = {
        "actor": org.grid,
        "category": cats["exposed_garbage"],
        "description": "楼下垃圾堆积",
        "address": "人民路1号",
        "photos": [jpeg()],
        "jurisdiction": org.grid_a1,
    }
    defaults.update(kwargs)
    return services.case_report(**defaults)


def test_the_whole_loop_with_rework(org, cats):
    case = report(org, cats)
    assert case.status == CaseStatus.REPORTED and case.code.startswith("AJ") and len(case.tracking_code) == 8
    assert case.jurisdiction == org.grid_a1
    case = services.case_register(actor=org.community, case=case)
    case = services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1)
    assert case.status == CaseStatus.DISPATCHED and case.deadline_at > timezone.now()
    assert Notification.objects.filter(recipient=org.unit_contact, kind="dispatched").exists()
    case = services.case_handle(actor=org.unit_contact, case=case, note="已清运", photos=[jpeg(color=(0, 200, 0))])
    assert case.status == CaseStatus.HANDLED and case.handled_on_time
    case = services.case_verify(actor=org.inspector, case=case, passed=False, note="仍有残留")
    assert case.status == CaseStatus.DISPATCHED and case.rework_count == 1
    case = services.case_handle(actor=org.unit_contact, case=case, note="已彻底清理", photos=[jpeg()])
    case = services.case_verify(actor=org.inspector, case=case, passed=True, note="现场核查合格")
    assert case.status == CaseStatus.CLOSED and case.closed_on_time
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["report", "register", "dispatch", "handle", "verify_fail", "handle", "verify_pass"]
    stages = sorted(CasePhoto.objects.filter(case=case).values_list("stage", flat=True))
    assert stages == ["after", "after", "before"]
    assert AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="cases.case.").count() == 7


def test_transitions_outside_the_table_are_refused(org, cats):
    case = report(org, cats)
    with pytest.raises(services.InvalidTransition, match="待核实"):
        services.case_verify(actor=org.inspector, case=case, passed=True)
    with pytest.raises(services.InvalidTransition):
        services.case_handle(actor=org.community, case=case, note="x", photos=[jpeg()])
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED


def test_roles_and_scope_are_enforced(org, cats):
    case = report(org, cats)
    with pytest.raises(PermissionDeniedForRole):
        services.case_register(actor=org.grid, case=case)
    with pytest.raises(OutsideJurisdiction):
        services.case_register(actor=org.community_b, case=case)
    case = services.case_register(actor=org.community, case=case)
    case = services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1b)
    # Another unit's contact may not report the fix of a case that is not theirs.
    with pytest.raises((PermissionDeniedForRole, OutsideJurisdiction)):
        services.case_handle(actor=org.unit_contact, case=case, note="x", photos=[jpeg()])


def test_concurrent_actions_one_wins(org, cats):
    case = report(org, cats)
    version = case.version
    services.case_register(actor=org.community, case=case, expected_version=version)
    with pytest.raises(ConcurrentEdit):
        services.case_reject(actor=org.street, case=case, reason="重复", expected_version=version)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED


def test_dispute_and_redispatch(org, cats):
    case = services.case_register(actor=org.community, case=report(org, cats))
    case = services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1)
    case = services.case_dispute(actor=org.unit_contact, case=case, reason="不在我方管理范围")
    assert case.status == CaseStatus.RETURNED
    assert Notification.objects.filter(recipient=org.community, kind="returned").exists()
    case = services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1b)
    assert case.assignee_unit == org.unit_a1b and case.status == CaseStatus.DISPATCHED


def test_suspend_void_and_reject_need_reasons(org, cats):
    case = services.case_register(actor=org.community, case=report(org, cats))
    with pytest.raises(DomainError):
        services.case_suspend(actor=org.community, case=case, plan="", review_on=timezone.localdate())
    case = services.case_suspend(
        actor=org.community, case=case, plan="待道路改造时一并处理", review_on=timezone.localdate() + timedelta(days=30)
    )
    assert case.status == CaseStatus.SUSPENDED
    case = services.case_void(actor=org.community, case=case, reason="道路已移交区城管")
    assert case.status == CaseStatus.VOIDED
    assert Case.objects.filter(pk=case.pk).exists()  # never deleted


def test_photo_required_and_upload_checks(org, cats):
    with pytest.raises(DomainError, match="必须拍照"):
        report(org, cats, photos=[])
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError, match="只能上传照片"):
        report(org, cats, photos=[SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")])
    assert not Case.objects.exists()  # nothing half-saved


def test_photos_are_resized_with_thumbnails_and_exif(org, cats):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0132] = "2026:11:20 08:15:00"
    case = report(org, cats, photos=[jpeg(size=(4000, 3000), exif=exif.tobytes())])
    photo = case.photos.get()
    with Image.open(photo.image.path) as image:
        assert max(image.size) == 1920
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) == 360
    assert timezone.localtime(photo.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 08:15"


def test_recurrence_is_marked(org, cats):
    first = services.case_register(actor=org.community, case=report(org, cats, lat="31.467000", lng="104.683000"))
    first = services.case_dispatch(actor=org.community, case=first, unit=org.unit_a1)
    first = services.case_handle(actor=org.unit_contact, case=first, note="清理", photos=[jpeg()])
    services.case_verify(actor=org.inspector, case=first, passed=True)
    again = report(org, cats, lat="31.467100", lng="104.683100")  # about 14 m away
    assert again.is_recurrence and again.recurrence_of == first
    elsewhere = report(org, cats, lat="31.480000", lng="104.683000")
    assert not elsewhere.is_recurrence


def test_escalation_ladder_runs_on_schedule(org, cats):
    case = services.case_register(actor=org.community, case=report(org, cats))
    case = services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1)
    calendar = WorkCalendar()
    assert services.cases_escalate(now=case.deadline_at - timedelta(minutes=1)) == {
        "reminded": 0,
        "supervised": 0,
        "listed": 0,
        "hotline_overdue": 0,
    }
    assert services.cases_escalate(now=case.deadline_at + timedelta(minutes=1))["reminded"] == 1
    assert services.cases_escalate(now=case.deadline_at + timedelta(minutes=2))["reminded"] == 0  # once only
    supervise_at = calendar.add_working_hours(case.deadline_at, 7)
    assert services.cases_escalate(now=supervise_at)["supervised"] == 1
    bulletin_at = calendar.add_working_hours(case.deadline_at, 21)
    assert services.cases_escalate(now=bulletin_at)["listed"] == 1
    case.refresh_from_db()
    assert case.escalation_level == 3 and case.listed_for_bulletin
    assert list(case.events.filter(action__in=["remind", "supervise", "list"]).values_list("action", flat=True)) == [
        "remind",
        "supervise",
        "list",
    ]
    kinds = set(notifications_about(case).values_list("kind", flat=True))
    assert {"dispatched", "remind", "supervise", "list"} <= kinds
    # The community dispatcher hears about it from the 督办 level on.
    assert notifications_about(case).filter(recipient=org.community, kind="supervise").exists()


def test_hotline_clock(org, cats):
    case = report(
        org,
        cats,
        actor=org.community,
        source=CaseSource.HOTLINE,
        photos=[],
        hotline_ticket="12345-001",
        jurisdiction=org.comm_a1,
    )
    assert case.answer_due_at is not None
    services.case_hotline_viewed(actor=org.community, case=case)
    case = services.case_hotline_answer(actor=org.community, case=case, answer="已安排清运")
    assert case.viewed_at and case.answered_at
    assert CaseEvent.objects.filter(case=case, action="hotline_answer").exists()


def test_allowed_actions_follow_the_table(org, cats):
    case = report(org, cats)
    assert workflow.allowed_actions(case, org.community) == ["register", "reject", "merge", "void"]
    assert workflow.allowed_actions(case, org.grid) == []


def test_unanswered_hotline_record_alerts_the_dispatchers_once(org, cats):
    case = report(
        org,
        cats,
        actor=org.community,
        source=CaseSource.HOTLINE,
        photos=[],
        hotline_ticket="12345-009",
        jurisdiction=org.comm_a1,
    )
    later = case.answer_due_at + timedelta(minutes=1)
    assert services.cases_escalate(now=later)["hotline_overdue"] == 1
    assert services.cases_escalate(now=later)["hotline_overdue"] == 0
    assert Notification.objects.filter(recipient=org.community, kind="hotline_overdue").count() == 1


def test_routing_follows_owner_first_for_facilities_and_territory_first_for_events(org, cats):
    from apps.cases.routing import suggest_assignees
    from apps.organization import services as org_services
    from apps.organization.models import Jurisdiction

    square = {
        "type": "Polygon",
        "coordinates": [[[104.68, 31.46], [104.69, 31.46], [104.69, 31.47], [104.68, 31.47], [104.68, 31.46]]],
    }
    Jurisdiction.objects.filter(pk__in=[org.comm_a1.pk, org.estate_a1.pk, org.grid_a1.pk]).update(boundary=square)
    zone = org_services.zone_create(
        actor=None,
        name="面馆门前三包",
        kind="frontage3",
        jurisdiction=org.comm_a1,
        boundary=square,
        holder_unit=org.unit_a1b,
        starts_on=timezone.localdate() - timedelta(days=10),
    )
    assert zone.current_holder == org.unit_a1b
    facility = report(org, cats, category=cats["bin_overflow"], lat="31.465", lng="104.685")
    event = report(org, cats, category=cats["exposed_garbage"], lat="31.465", lng="104.686")
    assert [s.unit for s in suggest_assignees(facility)] == [org.unit_a1b, org.unit_a1]
    assert [s.unit for s in suggest_assignees(event)] == [org.unit_a1, org.unit_a1b]


def test_outbound_notification_backend_is_pluggable(org, cats, settings, caplog, django_capture_on_commit_callbacks):
    settings.NOTIFY_BACKENDS = ["apps.notifications.backends.LogBackend"]
    case = services.case_register(actor=org.community, case=report(org, cats))
    import logging

    with (
        caplog.at_level(logging.INFO, logger="apps.notifications.backends"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1)
    assert any("t_unit" in record.getMessage() and "整改通知" in record.getMessage() for record in caplog.records)
