"""Notifications and calendar days move from `cases` to the shared apps without losing a row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.cases.categories import ensure_categories

BEFORE = [("cases", "0006_unit_created_index"), ("core", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_rows_are_copied_to_the_shared_apps_and_back():
    executor = _migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        # A transactional test before this one may have flushed the seeded reference rows.
        levels = old.get_model("organization", "JurisdictionLevel").objects
        level = levels.first() or levels.create(code="mig", name="迁移层级", rank=99)
        ensure_categories(old.get_model("cases", "Category"))
        place = old.get_model("organization", "Jurisdiction").objects.create(
            level=level, code="MIG1", name="迁移", path="1/"
        )
        user = old.get_model("accounts", "User").objects.create(username="mig_user", password="!")
        category = old.get_model("cases", "Category").objects.filter(parent__isnull=False).first()
        case = old.get_model("cases", "Case").objects.create(
            code="CW-MIG-1", tracking_code="MIGMIG12", category=category, jurisdiction=place
        )
        sent = timezone.now() - dt.timedelta(days=3)
        notifications = old.get_model("cases", "Notification").objects
        notifications.create(recipient=user, case=case, kind="dispatched", message="整改通知", created_at=sent)
        notifications.create(
            recipient=user, kind="appeal", message="申诉", link="/inspections/appeals/1/", read_at=sent
        )
        day = old.get_model("cases", "CalendarDay").objects.create(
            date=dt.date(2031, 1, 1), is_workday=False, note="元旦"
        )
        case_day_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="cases", model="calendarday"
        )[0]
        old.get_model("core", "AuditEvent").objects.create(
            action="cases.calendarday.saved", content_type=case_day_type, object_id=str(day.pk), object_repr="元旦"
        )
        days = old.get_model("cases", "CalendarDay").objects.count()

        _migrate(None)
        from apps.core.models import AuditEvent
        from apps.notifications.models import Notification
        from apps.worktime.models import CalendarDay

        about_case, about_appeal = Notification.objects.order_by("pk")
        assert (about_case.target_type.model, about_case.target_id, about_case.title) == ("case", case.pk, "CW-MIG-1")
        assert about_case.link == f"/cases/{case.pk}/" and about_case.created_at == sent
        assert about_appeal.target is None and about_appeal.link == "/inspections/appeals/1/"
        assert about_appeal.read_at == sent
        assert CalendarDay.objects.count() == days and CalendarDay.objects.get(pk=day.pk).note == "元旦"
        event = AuditEvent.objects.get(action="cases.calendarday.saved", object_repr="元旦")
        assert event.content_type.app_label == "worktime"
        assert Notification.objects.create(recipient_id=user.pk, kind="x", message="new").pk > about_appeal.pk

        back = _migrate(BEFORE).loader.project_state(BEFORE).apps
        assert back.get_model("cases", "Notification").objects.filter(case_id=case.pk).count() == 1
        assert back.get_model("cases", "CalendarDay").objects.filter(pk=day.pk).exists()
    finally:
        _migrate(None)
