"""Meetings' services: planning and invitation, holding (future refused, the series), sign-in
and the hand-computed attendance, decisions as campaign tasks or follow-ups, on-time counts, the
roll-up of the figures (a record counted once), the minutes and the scope."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from apps.campaigns.models import Task
from apps.campaigns.services.tasks import task_transition
from apps.campaigns.tests.factories import make_campaign, make_standard
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction
from apps.core.models import AuditEvent
from apps.meetings import evidence, selectors, services
from apps.meetings.minutes import minutes_docx
from apps.meetings.models import Attendee, Decision, Meeting
from apps.meetings.selectors import rate
from apps.meetings.tests.world import earlier_today, make_meeting
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def hold(o, meeting, *, minutes_ago=10, points="1、传达文件精神\n2、部署本周清理"):
    meeting.refresh_from_db()
    return services.meeting_hold(
        actor=o.community,
        meeting=meeting,
        held_at=earlier_today(minutes=minutes_ago),
        points=points,
        expected_version=meeting.version,
    )


def test_invitation_expands_groups_units_people_once(org):
    o = org
    o.group_a1.members.create(staff=o.staff_a1)
    o.staff_a1.account = o.grid
    o.staff_a1.save()
    meeting = services.meeting_create(
        actor=o.community,
        groups=[o.group_a1],
        units=[o.unit_a1],
        people=[o.grid, o.community],
        kind="regular",
        recurrence="none",
        topic="例会",
        jurisdiction=o.comm_a1,
        campaign=None,
        starts_at=timezone.now(),
        place="会议室",
        host="张",
        recorder=o.community,
        guests="区爱卫办 王主任",
    )
    names = sorted(a.name for a in meeting.attendees.all())
    # grid (person, also the group's member: once), community, the unit's contact.
    assert len(names) == 3
    assert Attendee.objects.filter(meeting=meeting, user=o.grid).count() == 1
    assert AuditEvent.objects.filter(action="meetings.meeting.created", object_id=str(meeting.pk)).exists()


def test_attendance_hand_computed(org):
    """4 invited (grid, unit contact, community, street), 3 signed → 3/4 = 75.0 %."""
    o = org
    meeting = services.meeting_create(
        actor=o.community,
        units=[o.unit_a1],
        people=[o.grid, o.community, o.street],
        kind="regular",
        recurrence="none",
        topic="例会",
        jurisdiction=o.comm_a1,
        campaign=None,
        starts_at=earlier_today(hours=1),
        place="会议室",
        host="",
        recorder=o.community,
        guests="",
    )
    services.attendee_sign_in(actor=o.grid, meeting=meeting)
    services.attendee_sign_in(actor=o.unit_contact, meeting=meeting)
    street_row = meeting.attendees.get(user=o.street)
    services.attendee_sign_in(actor=o.community, meeting=meeting, attendee=street_row)
    counts = selectors.attendance(meeting)
    assert (counts["invited"], counts["signed"], counts["rate"]) == (4, 3, Decimal("75.0"))
    street_row.refresh_from_db()
    assert street_row.method == "recorder" and street_row.signed_by == o.community
    assert meeting.attendees.get(user=o.grid).method == "self"
    with pytest.raises(DomainError):  # twice
        services.attendee_sign_in(actor=o.grid, meeting=meeting)
    with pytest.raises(DomainError):  # not invited
        services.attendee_sign_in(actor=o.inspector, meeting=meeting)


def test_rate_is_none_without_denominator_and_never_above_100():
    assert rate(0, 0) is None
    assert rate(5, 4) == Decimal("100")
    assert rate(1, 3) == Decimal("33.3")


def test_sign_in_time_never_in_future_nor_before_the_day(org):
    o = org
    meeting = make_meeting(o)
    row = meeting.attendees.get(user=o.grid)
    with pytest.raises(ValidationError):
        services.attendee_sign_in(
            actor=o.community, meeting=meeting, attendee=row, signed_at=timezone.now() + timedelta(minutes=5)
        )
    with pytest.raises(ValidationError):
        services.attendee_sign_in(
            actor=o.community, meeting=meeting, attendee=row, signed_at=timezone.now() - timedelta(days=2)
        )
    later = make_meeting(o, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(DomainError):
        services.attendee_sign_in(actor=o.grid, meeting=later)
    with pytest.raises(DomainError):  # a grid worker cannot sign others in
        services.attendee_sign_in(actor=o.grid, meeting=meeting, attendee=meeting.attendees.get(user=o.unit_contact))


def test_hold_refuses_future_and_stale_version(org):
    o = org
    meeting = make_meeting(o)
    with pytest.raises(ValidationError):
        services.meeting_hold(
            actor=o.community,
            meeting=meeting,
            held_at=timezone.now() + timedelta(hours=1),
            points="1、x",
            expected_version=meeting.version,
        )
    with pytest.raises(ConcurrentEdit):
        services.meeting_hold(
            actor=o.community,
            meeting=meeting,
            held_at=timezone.now(),
            points="1、x",
            expected_version=meeting.version + 1,
        )
    held = hold(o, meeting)
    assert held.status == "held" and held.point_list == ["传达文件精神", "部署本周清理"]
    with pytest.raises(DomainError):
        services.meeting_hold(
            actor=o.community, meeting=held, held_at=timezone.now(), points="1、x", expected_version=held.version
        )


def test_leader_and_other_community_may_not_hold(org):
    o = org
    meeting = make_meeting(o)
    with pytest.raises(DomainError):
        services.meeting_hold(
            actor=o.leader, meeting=meeting, held_at=timezone.now(), points="x", expected_version=meeting.version
        )
    with pytest.raises(OutsideJurisdiction):
        services.meeting_hold(
            actor=o.community_other,
            meeting=meeting,
            held_at=timezone.now(),
            points="x",
            expected_version=meeting.version,
        )


def test_cancel_needs_reason_and_nothing_is_deleted(org):
    o = org
    meeting = make_meeting(o)
    with pytest.raises(ValidationError):
        services.meeting_transition(actor=o.community, meeting=meeting, name="cancel", expected_version=1)
    cancelled = services.meeting_transition(
        actor=o.community, meeting=meeting, name="cancel", expected_version=meeting.version, reason="改期"
    )
    assert cancelled.status == "cancelled" and Meeting.objects.filter(pk=meeting.pk).exists()


def test_weekly_series_schedules_next_and_reviews_decisions(org):
    o = org
    first = make_meeting(o, recurrence="weekly", starts_at=timezone.now() - timedelta(days=7, minutes=-30))
    d1 = services.decision_add(
        actor=o.community,
        meeting=first,
        kind="agreed",
        text="清理死角",
        deadline=timezone.localdate(),
        owner_unit=o.unit_a1,
    )
    d2 = services.decision_add(
        actor=o.community,
        meeting=first,
        kind="stressed",
        text="更新宣传栏",
        deadline=timezone.localdate() + timedelta(days=3),
        owner_user=o.grid,
    )
    services.decision_transition(
        actor=o.unit_contact, decision=d1, name="complete", expected_version=d1.version, note="已清理"
    )
    hold(o, first, minutes_ago=7 * 24 * 60 - 40)
    second = Meeting.objects.get(previous=first)
    assert second.status == "planned" and second.starts_at == first.starts_at + timedelta(days=7)
    assert set(second.attendees.values_list("user_id", flat=True)) == set(
        first.attendees.values_list("user_id", flat=True)
    )
    last, reviewed = selectors.review_decisions(second, user=None)
    assert last == first
    assert [(d.pk, d.tracked_status) for d in reviewed] == [(d1.pk, "done"), (d2.pk, "open")]
    # The third meeting carries the still-open decision of the first forward.
    hold(o, second, minutes_ago=20)
    third = Meeting.objects.get(previous=second)
    _last, reviewed = selectors.review_decisions(third, user=None)
    assert [d.pk for d in reviewed] == [d2.pk]


def test_decision_of_a_campaign_meeting_becomes_a_task_and_reads_its_status(org):
    o = org
    campaign = make_campaign(o, make_standard(), o.street_a)
    meeting = make_meeting(o, campaign=campaign)
    decision = services.decision_add(
        actor=o.community,
        meeting=meeting,
        kind="agreed",
        text="每周五大扫除",
        deadline=timezone.localdate() + timedelta(days=5),
        owner_user=o.community,
    )
    task = Task.objects.get(pk=decision.task_id)
    assert task.origin == "meeting" and task.jurisdiction == o.comm_a1 and task.assignee == o.community
    assert "例会" in task.origin_note
    with pytest.raises(DomainError):  # a linked decision moves with its task
        services.decision_transition(
            actor=o.community, decision=decision, name="complete", expected_version=decision.version
        )
    task = task_transition(actor=o.community, task=task, name="start", expected_version=task.version)
    task = task_transition(actor=o.community, task=task, name="complete", expected_version=task.version, note="完成")
    decision = Decision.objects.get(pk=decision.pk)
    assert decision.tracked_status == "done" and decision.done_on_time is True


def test_campaign_must_cover_the_meeting(org):
    o = org
    other = make_campaign(o, make_standard(code="x"), o.street_b, title="乙街道")
    with pytest.raises(ValidationError):
        make_meeting(o, campaign=other)


def _decide(o, meeting, deadline, done_at=None):
    decision = services.decision_add(
        actor=o.community, meeting=meeting, kind="agreed", text="事项", deadline=deadline, owner_unit=o.unit_a1
    )
    if done_at is not None:
        decision = services.decision_transition(
            actor=o.community, decision=decision, name="complete", expected_version=decision.version
        )
        Decision.objects.filter(pk=decision.pk).update(done_at=done_at)
    return decision


def test_on_time_hand_computed(org):
    """Four decisions: done 2 days before its deadline (on time), done 1 day late, open and past
    its deadline, open with a deadline next week. Due = 3 (two done + one overdue), on time = 1
    → 33.3 %; the one not yet due is counted in the decisions (4) but not in the rate."""
    o = org
    today = timezone.localdate()
    now = timezone.now()
    meeting = make_meeting(o, starts_at=now - timedelta(days=10))
    _decide(o, meeting, today - timedelta(days=3), done_at=now - timedelta(days=5))
    _decide(o, meeting, today - timedelta(days=3), done_at=now - timedelta(days=2))
    _decide(o, meeting, today - timedelta(days=1))
    _decide(o, meeting, today + timedelta(days=7))
    hold(o, meeting, minutes_ago=10 * 24 * 60 - 60)
    path, start, end = o.comm_a1.path, today - timedelta(days=30), today
    assert evidence.decisions(path, start, end).value == 4
    assert evidence.decisions_done_on_time(path, start, end).value == 1
    value = evidence.decisions_on_time_rate(path, start, end)
    assert (value.value, value.numerator, value.denominator) == (Decimal("33.3"), 1, 3)


def test_roll_up_counts_each_record_once(org):
    """Street 甲 holds one meeting, 甲一社区 two (one with 3 attendees and 2 decisions), 甲二社区 one.
    甲一 = 2 held, 甲二 = 1, the street = 4 (its own + its communities' — a community meeting is
    not counted a second time for the street, however many attendees and decisions join it);
    attendance in 甲一 = 2 signed of 6 invited."""
    o = org
    today = timezone.localdate()
    a = make_meeting(o)  # 3 invited: grid, unit contact (unit), community? no: grid + unit contact
    services.attendee_sign_in(actor=o.grid, meeting=a)
    _decide(o, a, today + timedelta(days=3))
    _decide(o, a, today + timedelta(days=3))
    hold(o, a)
    b = make_meeting(o, topic="第二次")
    services.attendee_sign_in(actor=o.unit_contact, meeting=b)
    hold(o, b)
    c = services.meeting_create(
        actor=o.community_other,
        kind="regular",
        recurrence="none",
        topic="甲二例会",
        jurisdiction=o.comm_a2,
        campaign=None,
        starts_at=earlier_today(hours=1),
        place="会议室",
        host="",
        recorder=None,
        guests="",
        people=[o.community_other],
    )
    c = services.meeting_hold(
        actor=o.community_other, meeting=c, held_at=timezone.now(), points="1、x", expected_version=c.version
    )
    s = services.meeting_create(
        actor=o.street,
        kind="progress",
        recurrence="none",
        topic="街道推进会",
        jurisdiction=o.street_a,
        campaign=None,
        starts_at=earlier_today(hours=1),
        place="街道",
        host="",
        recorder=o.street,
        guests="",
        people=[o.community, o.community_other],
    )
    services.meeting_hold(actor=o.street, meeting=s, held_at=timezone.now(), points="1、x", expected_version=s.version)
    make_meeting(o, topic="计划中")  # planned: not counted
    start, end = today - timedelta(days=1), today
    assert evidence.held(o.comm_a1.path, start, end).value == 2
    assert evidence.held(o.comm_a2.path, start, end).value == 1
    assert evidence.held(o.street_a.path, start, end).value == 4
    assert evidence.held(o.district.path, start, end).value == 4
    assert evidence.decisions(o.street_a.path, start, end).value == 2
    attendance = evidence.attendance_rate(o.comm_a1.path, start, end)
    assert (attendance.numerator, attendance.denominator, attendance.value) == (2, 4, Decimal("50.0"))
    url = evidence.held(o.street_a.path, start, end).url
    assert f"jurisdiction={o.street_a.pk}" in url and "status=conducted" in url and "start=" in url


def test_figures_are_registered_with_group_and_permission():
    from apps.core.evidence import figures

    keys = {
        "meetings.held",
        "meetings.leadership_held",
        "meetings.decisions",
        "meetings.decisions_done_on_time",
        "meetings.decisions_on_time_rate",
        "meetings.attendance_rate",
    }
    found = {k: f for k, f in figures().items() if k.startswith("meetings.")}
    assert set(found) == keys
    assert all(f.group and f.permission == "meetings.meeting" and f.description for f in found.values())


def test_minutes_docx_layout(org):
    o = org
    meeting = make_meeting(o)
    services.attendee_sign_in(actor=o.grid, meeting=meeting)
    _decide(o, meeting, timezone.localdate() + timedelta(days=2))
    meeting = hold(o, meeting)
    document = Document(BytesIO(minutes_docx(meeting, user=None)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "甲一社区创卫工作会议记录" in text
    assert "1、传达文件精神" in text and "2、部署本周清理" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "社区会议室" in cells and "主持人" in cells and "事项" in cells
    assert "本人签到" in cells and "未签到" in cells


def test_unit_contact_sees_only_invited_meetings(org):
    o = org
    invited = make_meeting(o)
    not_invited = services.meeting_create(
        actor=o.community,
        kind="regular",
        recurrence="none",
        topic="内部会",
        jurisdiction=o.comm_a1,
        campaign=None,
        starts_at=timezone.now(),
        place="x",
        host="",
        recorder=None,
        guests="",
        people=[o.community],
    )
    seen = set(Meeting.objects.restrict(o.unit_contact, "view").values_list("pk", flat=True))
    assert invited.pk in seen and not_invited.pk not in seen
    assert not Meeting.objects.restrict(o.community_other, "view").filter(pk=invited.pk).exists()
    other_unit_contact = make_user("t_unit_b", "unit_contact", unit=o.unit_b1)
    assert not Meeting.objects.restrict(other_unit_contact, "view").exists()


def test_batch_equals_the_one_by_one_figures_in_a_few_queries(org, django_assert_max_num_queries):
    """The six figures share `extra["batch"]` (evidence.figure_values): for every node it gives
    what each figure computes on its own, in three queries (held, decisions, attendance), so the
    totals page's 会议 group costs a handful of queries per row, not one or more per figure."""
    from apps.core.evidence import figures
    from apps.reports.totals import compute_all

    o = org
    today = timezone.localdate()
    now = timezone.now()
    meeting = make_meeting(o, starts_at=now - timedelta(days=10))
    _decide(o, meeting, today - timedelta(days=3), done_at=now - timedelta(days=5))
    _decide(o, meeting, today - timedelta(days=3), done_at=now - timedelta(days=2))
    _decide(o, meeting, today - timedelta(days=1))
    hold(o, meeting, minutes_ago=10 * 24 * 60 - 60)
    signed = make_meeting(o, topic="第二次", kind="leadership")
    services.attendee_sign_in(actor=o.grid, meeting=signed)
    hold(o, signed)
    mine = sorted((f for f in figures().values() if f.key.startswith("meetings.")), key=lambda f: f.order)
    assert len(mine) == 6 and all(f.extra.get("batch") is evidence.figure_values for f in mine)
    start, end = today - timedelta(days=30), today
    for path in (o.comm_a1.path, o.comm_a2.path, o.street_a.path, o.district.path):
        one_by_one = {f.key: f.compute(path, start, end) for f in mine}
        with django_assert_max_num_queries(3):
            together = evidence.figure_values(path, start, end)
        assert together == one_by_one
        with django_assert_max_num_queries(5):  # the three, in one savepoint of the page
            cells = compute_all(mine, path, start, end)
        assert {cell.figure.key: cell.value for cell in cells} == one_by_one
    assert one_by_one["meetings.decisions"].value == 3
    assert one_by_one["meetings.held"].value == 2 and one_by_one["meetings.leadership_held"].value == 1
    assert "kind=leadership" in one_by_one["meetings.leadership_held"].url


def test_attachments_read_the_status_on_the_locked_row(org):
    """The view's object may predate a cancel: the upload is refused on the row as it is now."""
    from apps.cases.tests.conftest import jpeg
    from apps.photos.services import process_upload

    o = org
    meeting = make_meeting(o)
    stale = Meeting.objects.get(pk=meeting.pk)
    services.meeting_transition(
        actor=o.community, meeting=meeting, name="cancel", expected_version=meeting.version, reason="改期"
    )
    with pytest.raises(DomainError):
        services.attachments_add(actor=o.community, meeting=stale, photos=[process_upload(jpeg())])
    assert not stale.photos.exists()


def test_meeting_update_writes_only_the_changed_fields(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    o = org
    meeting = make_meeting(o)
    with CaptureQueriesContext(connection) as queries:
        services.meeting_update(
            actor=o.community, meeting=meeting, changes={"topic": "改名的例会"}, expected_version=meeting.version
        )
    table = Meeting._meta.db_table
    updates = [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert updates and all('"status"' not in sql and '"points"' not in sql for sql in updates)
    assert any('"topic"' in sql and '"version"' in sql and '"updated_at"' in sql for sql in updates)
    meeting.refresh_from_db()
    assert meeting.topic == "改名的例会" and meeting.version == 2
