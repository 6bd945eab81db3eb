"""The composed demo street reads like a real street's month (issue 8, item 10).

The street is built once for the module (it takes a while) with fewer cases than the
command's 150; every figure below must hold at any size.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.choices import CaseStatus
from apps.cases.models import Case
from apps.cases.statistics import case_statistics
from apps.core.models import AuditEvent
from apps.core.registry import registry
from apps.core.roles import Role
from apps.core.testing import data_for_module
from apps.demo.services import demo_build
from apps.inspections.models import Inspection
from apps.notifications.models import Notification
from apps.worktime.calendar import WorkCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with data_for_module(django_db_blocker):
        yield demo_build(case_count=60, inspection_months=2)


@pytest.fixture
def street_rows(demo):
    street = User.objects.get(username="street")
    start = demo.today - timedelta(days=70)
    return case_statistics(user=street, start=start, end=demo.today, group_by="jurisdiction", now=demo.now)


def test_every_app_builds_its_part_in_order(demo):
    keys = [builder.key for builder in registry.demo_builders()]
    assert keys.index("organization") < keys.index("accounts") < keys.index("cases") < keys.index("inspections")
    assert len(demo.communities) == 6 and demo.street is not None
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values) and len(demo.accounts) == 9
    assert set(demo.punctuality) == {c.pk for c in demo.communities}


def test_closure_takes_days_and_differs_between_communities(street_rows):
    *communities, total = street_rows
    hours = [row.avg_close_hours for row in communities if row.closed]
    assert len(hours) >= 4
    assert all(h > 0 for h in hours)
    assert len(set(hours)) > 1
    assert 12 <= total.avg_close_hours <= 4 * 24


def test_some_closures_are_late_and_some_cases_overdue_now(demo, street_rows):
    total = street_rows[-1]
    assert 0 < total.closed_on_time < total.closed
    assert 50 <= total.on_time_closure_rate <= 95
    overdue = [case for case in Case.objects.all() if case.deadline_state(demo.now) == "overdue"]
    assert overdue
    assert Case.objects.filter(rework_count__gt=0).exists()
    assert Case.objects.filter(status=CaseStatus.SUSPENDED).exists()


def test_reports_come_at_many_hours_and_days(demo):
    moments = [timezone.localtime(m) for m in Case.objects.values_list("created_at", flat=True)]
    assert len({m.hour for m in moments}) >= 6
    assert len({m.date() for m in moments}) >= 15
    assert all(m < demo.now for m in moments)


def test_each_history_is_in_order_and_agrees_with_the_case(demo):
    case_type = ContentType.objects.get_for_model(Case)
    audits = Counter()
    for moment, object_id in AuditEvent.objects.filter(content_type=case_type).values_list("occurred_at", "object_id"):
        audits[(object_id, moment)] += 1
    calendar = WorkCalendar()
    for case in Case.objects.select_related("category").prefetch_related("events"):
        events = list(case.events.all())
        moments = [event.created_at for event in sorted(events, key=lambda e: e.pk)]
        assert moments == sorted(moments), case.code
        assert moments[0] == case.created_at and moments[-1] <= demo.now
        assert case.code == f"AJ{timezone.localtime(case.created_at):%Y%m%d}{case.pk:06d}"
        assert all((str(case.pk), event.created_at) in audits for event in events if event.action != "hotline_overdue")
        if case.status == CaseStatus.CLOSED:
            closing = [e for e in events if e.action == "verify_pass"]
            assert case.closed_at == closing[-1].created_at == moments[-1]
            assert case.closed_on_time == (case.closed_at <= case.deadline_at)
        if case.deadline_at:
            clock = [e for e in events if e.action in ("dispatch", "verify_fail")][-1]
            deadline = calendar.add(clock.created_at, case.category.deadline_amount, case.category.deadline_unit)
            assert case.deadline_at == deadline
            assert clock.data["deadline"] == timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    case_type = ContentType.objects.get_for_model(Case)
    cases_by_id = Case.objects.in_bulk()
    for notification in Notification.objects.filter(target_type=case_type):
        case = cases_by_id[notification.target_id]
        if notification.kind not in ("returned", "hotline_overdue"):  # these quote a reason or a ticket
            assert case.code in notification.message
            assert case.code in notification.text  # the parameters are recoded with the message
        assert notification.title.startswith(case.code) and notification.title_text.startswith(case.code)
        assert notification.created_at >= case.created_at
        assert notification.read_at is None or notification.created_at <= notification.read_at <= demo.now


def test_people_leave_some_messages_unread(demo):
    for username in ("unit", "dongyuan", "street"):
        mine = Notification.objects.filter(recipient__username=username)
        unread = mine.filter(read_at__isnull=True).count()
        assert 0 < unread < mine.count(), username


def test_sheets_are_visits_on_working_days(demo):
    calendar = WorkCalendar()
    sheets = list(Inspection.objects.filter(submitted_at__isnull=False))
    assert sheets
    for sheet in sheets:
        started = timezone.localtime(sheet.started_at)
        assert timedelta(minutes=20) <= sheet.submitted_at - sheet.started_at <= timedelta(minutes=61)
        assert calendar.is_workday(started.date()) and 8 <= started.hour < 17
        assert sheet.inspected_on == started.date() and sheet.submitted_at < demo.now
    assert len({sheet.inspected_on for sheet in sheets}) > 5
