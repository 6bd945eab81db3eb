"""报送 (issue 15 §5): submit, return, resubmit, accept, calls, the daily reminder, the receiver's
page and its roll-up (computed from the records, never from the documents)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.evidence import FigureSource, FigureValue
from apps.core.exceptions import ConcurrentEdit, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.core.registry import AppEntries, registry
from apps.core.workflow import InvalidTransition
from apps.notifications.models import Notification
from apps.organization.models import Unit
from apps.reports import submissions, totals
from apps.reports.choices import ReportKind, ReportStatus, SubmissionStatus
from apps.reports.models import ReportCall, Submission
from apps.reports.submissions import SubmissionError, accept, create_call, remind_due, return_submission, submit
from apps.reports.tasks import report_submissions_remind
from apps.reports.tests.submission_data import final_report
from tests.builders import make_user

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:submissions")
YEAR = {"kind": "year_summary", "start": "2026-01-01", "end": "2026-12-31"}


def _actions(obj):
    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return list(events.order_by("pk").values_list("action", flat=True))


def _inbox(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


# Submit ---------------------------------------------------------------------------------------


def test_submit_sends_a_final_report_of_ones_own_jurisdiction_to_the_parent(org):
    report = final_report(org)
    submission = submit(org.community, report)
    assert (submission.sender, submission.receiver) == (org.comm_a1, org.street_a)
    assert (submission.kind, submission.period_start, submission.period_end) == (
        ReportKind.YEAR_SUMMARY,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == org.community
    assert _actions(submission) == ["reports.submission.submit"]
    # The street's desk is told; the community itself, the other street and the leader are not.
    assert _inbox(org.street, "report_submitted").count() == 1
    assert not _inbox(org.community).exists()
    assert not _inbox(org.street_other).exists()
    assert not _inbox(org.leader).exists()
    assert _inbox(org.street).get().link.startswith(PAGE)


def test_only_a_final_report_is_submitted(org):
    report = final_report(org, status=ReportStatus.DRAFT, finalized_by=None, finalized_at=None)
    with pytest.raises(SubmissionError, match="定稿后"):
        submit(org.community, report)
    assert not Submission.objects.exists()


def test_only_the_reports_own_desk_submits(org):
    report = final_report(org)
    with pytest.raises(PermissionDeniedForRole):
        submit(org.street, report)  # the level above reads it, it does not send it
    with pytest.raises(PermissionDeniedForRole):
        submit(org.leader, report)  # a reading role
    with pytest.raises(OutsideJurisdiction):
        submit(org.community_other, report)  # a sibling community
    assert not Submission.objects.exists()


def test_a_submitted_period_is_not_submitted_twice(org):
    submit(org.community, final_report(org))
    with pytest.raises(SubmissionError, match="不能重复报送"):
        submit(org.community, final_report(org, title="第二稿"))
    assert Submission.objects.count() == 1


# Return, resubmit, accept ---------------------------------------------------------------------


def test_return_needs_a_reason_and_reopens_the_report(org):
    report = final_report(org)
    submission = submit(org.community, report)
    version = report.version
    with pytest.raises(ValidationError):
        return_submission(org.street, submission, "  ", submission.version)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    returned = return_submission(org.street, submission, "入户率数字与台账不符", submission.version)
    assert returned.status == SubmissionStatus.RETURNED
    assert returned.reason == "入户率数字与台账不符"
    assert returned.decided_by == org.street
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.finalized_by is None and report.finalized_at is None
    assert report.version == version + 1
    assert _actions(report) == ["reports.report.reopened"]
    assert _actions(returned) == ["reports.submission.submit", "reports.submission.return"]
    note = _inbox(org.community, "report_returned").get()
    assert "入户率数字与台账不符" in note.message
    assert not _inbox(org.community_other).exists()


def test_only_the_receivers_desk_decides(org):
    submission = submit(org.community, final_report(org))
    for outsider in (org.office, org.community):  # the district reads; the sender does not decide
        with pytest.raises(PermissionDeniedForRole):
            accept(outsider, submission, submission.version)
    with pytest.raises(PermissionDeniedForRole):
        return_submission(org.leader, submission, "不行", submission.version)
    with pytest.raises(OutsideJurisdiction):
        accept(org.street_other, submission, submission.version)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_resubmit_after_return_uses_the_same_row(org):
    report = final_report(org)
    first = submit(org.community, report)
    return_submission(org.street, first, "缺少问题部分", first.version)
    report.refresh_from_db()
    with pytest.raises(SubmissionError):  # a draft again: finalize first
        submit(org.community, report)
    report.status = ReportStatus.FINAL
    report.save()
    again = submit(org.community, report)
    assert again.pk == first.pk
    assert again.status == SubmissionStatus.SUBMITTED
    assert again.reason == "" and again.decided_by is None
    assert _actions(again)[-1] == "reports.submission.resubmit"
    event = AuditEvent.objects.filter(action="reports.submission.resubmit").get()
    assert event.data["returned_for"] == "缺少问题部分"
    assert _inbox(org.street, "report_submitted").count() == 2


def test_a_new_report_may_answer_a_return(org):
    first = submit(org.community, final_report(org))
    return_submission(org.street, first, "重写", first.version)
    second = final_report(org, title="甲一社区2026年工作总结（修改稿）")
    again = submit(org.community, second)
    assert again.pk == first.pk and again.report == second


def test_accept(org):
    submission = submit(org.community, final_report(org))
    accepted = accept(org.street, submission, submission.version)
    assert accepted.status == SubmissionStatus.ACCEPTED
    assert accepted.decided_by == org.street and accepted.decided_at is not None
    assert _actions(accepted)[-1] == "reports.submission.accept"
    assert _inbox(org.community, "report_accepted").count() == 1
    with pytest.raises(InvalidTransition):
        return_submission(org.street, accepted, "晚了", accepted.version)
    with pytest.raises(SubmissionError):
        submit(org.community, final_report(org, title="又一稿"))


def test_concurrent_decisions_end_in_one_transition(org):
    """Two people open the list at the same version: the first decision wins, the second is
    refused as stale, whichever step it is."""
    submission = submit(org.community, final_report(org))
    second_desk = make_user("t_street_2", "street", org.street_a)
    seen = submission.version
    accept(org.street, submission, seen)
    with pytest.raises(ConcurrentEdit):
        return_submission(second_desk, submission, "数字不对", seen)
    with pytest.raises(ConcurrentEdit):
        accept(second_desk, submission, seen)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert _actions(submission) == ["reports.submission.submit", "reports.submission.accept"]


# Calls and reminders --------------------------------------------------------------------------


def test_create_call_for_ones_own_senders(org):
    today = timezone.localdate()
    call = create_call(org.street, "year_summary", date(2026, 1, 1), date(2026, 12, 31), today, "年底前报送")
    assert call.receiver == org.street_a
    assert _actions(call) == ["reports.reportcall.created"]
    # Both communities of 甲街道 are told; 乙一社区 is not.
    assert _inbox(org.community, "report_call").count() == 1
    assert _inbox(org.community_other, "report_call").count() == 1
    assert not _inbox(org.community_b).exists()
    with pytest.raises(SubmissionError):
        create_call(org.street, "year_summary", date(2026, 1, 1), date(2026, 12, 31), today, "")
    with pytest.raises(ValidationError):
        create_call(org.street, "half_summary", date(2026, 7, 1), date(2026, 6, 30), today, "")
    with pytest.raises(PermissionDeniedForRole):
        create_call(org.leader, "half_summary", date(2026, 1, 1), date(2026, 6, 30), today, "")


def test_senders_are_the_children_that_write_reports(org):
    assert submissions.senders_of(org.street_a) == [org.comm_a1, org.comm_a2]
    assert submissions.senders_of(org.district) == [org.street_a, org.street_b]
    assert submissions.senders_of(org.comm_a1) == []  # 小区 and 网格 report nothing


def _call(org, deadline, **extra):
    return ReportCall.objects.create(
        receiver=org.street_a,
        kind="year_summary",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        deadline=deadline,
        created_by=org.street,
        **extra,
    )


def test_reminder_goes_once_a_day_to_the_senders_that_have_not_reported(org):
    today = date(2026, 12, 20)
    call = _call(org, today + timedelta(days=3))
    other_street = ReportCall.objects.create(
        receiver=org.street_b,
        kind="year_summary",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        deadline=today + timedelta(days=10),  # not due yet
        created_by=org.street_other,
    )
    submit(org.community, final_report(org))  # 甲一 reported; 甲二 has not
    Notification.objects.all().delete()

    assert remind_due(today=today) == {"calls": 1, "senders": 1}
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("t_comm2", "report_due")]
    call.refresh_from_db()
    assert call.reminded_on == today
    other_street.refresh_from_db()
    assert other_street.reminded_on is None

    assert remind_due(today=today) == {"calls": 0, "senders": 0}  # the same day: nothing again
    assert Notification.objects.count() == 1
    remind_due(today=today + timedelta(days=1))  # the next day: again
    assert _inbox(org.community_other, "report_due").count() == 2
    assert not _inbox(org.community, "report_due").exists()
    assert not _inbox(org.community_b).exists()


def test_a_returned_report_is_reminded_and_an_overdue_call_says_so(org):
    today = date(2027, 1, 5)
    _call(org, date(2026, 12, 31))
    first = submit(org.community, final_report(org))
    return_submission(org.street, first, "重写", first.version)
    submit(org.community_other, final_report(org, jurisdiction=org.comm_a2, created_by=org.community_other))
    Notification.objects.all().delete()
    remind_due(today=today)
    note = Notification.objects.get()
    assert note.recipient == org.community
    assert "已超过报送截止日" in note.message


def test_an_old_call_stops_reminding(org):
    _call(org, date(2026, 1, 31))
    assert remind_due(today=date(2026, 6, 1)) == {"calls": 0, "senders": 0}


def test_the_beat_task_runs_the_sweep(org, settings):
    today = timezone.localdate()
    _call(org, today)
    assert report_submissions_remind() == {"calls": 1, "senders": 2}
    assert "reports-submissions-remind" in settings.CELERY_BEAT_SCHEDULE


# Pages ----------------------------------------------------------------------------------------


def test_street_sees_each_sender_and_decides(client, org):
    submission = submit(org.community, final_report(org))
    _call(org, date(2026, 12, 25))
    client.force_login(org.street)
    response = client.get(PAGE, YEAR)
    assert response.status_code == 200
    rows = {row.sender: row for row in response.context["rows"]}
    assert list(rows) == [org.comm_a1, org.comm_a2]
    assert rows[org.comm_a1].status == "submitted"
    assert [t.name for t in rows[org.comm_a1].transitions] == ["accept", "return"]
    assert rows[org.comm_a2].status == submissions.MISSING and rows[org.comm_a2].status_label == "未报"
    assert rows[org.comm_a2].deadline == date(2026, 12, 25)
    body = response.content.decode()
    assert 'data-testid="row-accept"' in body and "未报" in body

    # A return without a reason is refused with a message; with one it goes through.
    url = reverse("reports:submission_return", args=[submission.pk])
    response = client.post(url, {"version": submission.version, "reason": ""}, follow=True)
    assert "请填写退回原因" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    client.post(url, {"version": submission.version, "reason": "缺少照片"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED

    response = client.get(PAGE, YEAR)
    row = response.context["rows"][0]
    assert row.status == "returned" and row.transitions == []
    assert "缺少照片" in response.content.decode()


def test_leader_reads_without_buttons(client, org):
    submit(org.community, final_report(org))
    client.force_login(org.leader)
    response = client.get(PAGE, YEAR)
    assert response.status_code == 200
    assert response.context["rows"][0].transitions == []
    assert response.context["call_form"] is None


def test_community_sees_its_panel_and_submits_from_it(client, org):
    report = final_report(org)
    client.force_login(org.community)
    response = client.get(PAGE, YEAR)
    assert response.context["senders"] == []
    (panel,) = response.context["panels"]
    assert panel["status"] == submissions.MISSING and panel["can_submit"]
    assert 'data-testid="submission-submit"' in response.content.decode()
    client.post(reverse("reports:submission_submit", args=[report.pk]), {"next": PAGE + "?kind=year_summary"})
    panel = submissions.submission_panel(org.community, report)
    assert panel["status"] == "submitted" and not panel["can_submit"]


def test_panel_of_a_draft_says_finalize_first(org):
    report = final_report(org, status=ReportStatus.DRAFT)
    panel = submissions.submission_panel(org.community, report)
    assert not panel["can_submit"] and "定稿" in panel["blocked"]
    assert not submissions.submission_panel(org.leader, report)["can_submit"]


def test_a_bad_period_answers_400(client, org):
    client.force_login(org.street)
    assert client.get(PAGE, {"kind": "year_summary", "start": "2026-12-31", "end": "2026-01-01"}).status_code == 400
    assert client.get(PAGE, {"kind": "nonsense", "start": "x", "end": ""}).status_code == 400
    assert client.get(PAGE, {"jurisdiction": org.street_b.pk}).status_code == 404
    assert client.get(PAGE, {"jurisdiction": "abc"}).status_code == 404


def test_the_default_period_is_the_latest_call_or_this_years_summary(client, org):
    client.force_login(org.community)
    period = client.get(PAGE).context["period"]
    assert (period.kind, period.start) == ("year_summary", date(timezone.localdate().year, 1, 1))
    ReportCall.objects.create(
        receiver=org.street_a,
        kind="half_summary",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        deadline=date(2026, 7, 10),
        created_by=org.street,
    )
    period = client.get(PAGE).context["period"]
    assert (period.kind, period.end) == ("half_summary", date(2026, 6, 30))


def test_call_form_creates_a_call(client, org):
    client.force_login(org.street)
    assert client.get(PAGE, YEAR).context["call_form"] is not None
    data = {"kind": "year_summary", "period_start": "2026-01-01", "period_end": "2026-12-31", "deadline": "2026-12-25"}
    client.post(reverse("reports:submission_call_create"), data)
    assert ReportCall.objects.filter(receiver=org.street_a, deadline=date(2026, 12, 25)).exists()
    assert client.get(PAGE, YEAR).context["call_form"] is None


# Roll-up --------------------------------------------------------------------------------------


def _units(path, start, end):
    return FigureValue(Decimal(Unit.objects.filter(jurisdiction__path__within=path).count()), url="/units/")


FAKES = [FigureSource("fake.units", "测试单位数", "个", _units, group="测试组", order=1)]


@pytest.fixture
def fakes():
    registry.apps["fake"] = AppEntries(label="fake", figures=FAKES)
    yield
    del registry.apps["fake"]


def test_rollup_is_computed_from_the_records_not_the_documents(client, org, fakes):
    """Each community's document says 999 units (its text and its stored figures); the roll-up
    shows what the records hold: 甲一 2 units, 甲二 1, the street 3."""
    for jurisdiction, user in ((org.comm_a1, org.community), (org.comm_a2, org.community_other)):
        report = final_report(org, jurisdiction=jurisdiction, created_by=user)
        report.parts.update(text="共有单位{fake.units}家。", figures={"fake.units": {"value": 999}})
        submit(user, report)
    client.force_login(org.street)
    response = client.get(PAGE, {**YEAR, "group": "fake"})
    assert response.status_code == 200
    rows = response.context["section"]["rows"]
    values = {row.node: row.cells[0].value.value for row in rows}
    assert values == {org.street_a: 3, org.comm_a1: 2, org.comm_a2: 1}
    for row in rows:
        (expected,) = totals.compute_all(FAKES, row.node.path, date(2026, 1, 1), date(2026, 12, 31))
        assert row.cells[0].value.value == expected.value.value
    assert 999 not in values.values()
    body = response.content.decode()
    assert 'data-testid="rollup"' in body and "999" not in body
    # The page itself loads each group lazily.
    page = client.get(PAGE, YEAR).content.decode()
    assert 'data-group="fake"' in page and "group=fake" in page


def test_rollup_group_unknown_or_for_a_node_without_senders_is_404(client, org, fakes):
    client.force_login(org.street)
    assert client.get(PAGE, {**YEAR, "group": "nope"}).status_code == 404
    client.force_login(org.community)
    assert client.get(PAGE, {**YEAR, "group": "fake"}).status_code == 404
