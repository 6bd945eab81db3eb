"""Writes to the working calendar; every change is audited (the action strings predate this app)."""

from datetime import date

from django.db import transaction

from apps.core.audit import audit_record
from apps.core.exceptions import PermissionDeniedForRole

from .models import CalendarDay


@transaction.atomic
def calendar_day_save(*, actor, day: date, is_workday: bool, note: str) -> CalendarDay:
    """Add or change one calendar exception (holiday or make-up working day); audited."""
    if actor is not None and not actor.can("worktime.calendarday", "change"):
        raise PermissionDeniedForRole()
    existing = CalendarDay.objects.filter(date=day).first()
    before = {"is_workday": existing.is_workday, "note": existing.note} if existing else None
    obj, _created = CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "note": note})
    audit_record(
        actor=actor,
        obj=obj,
        action="cases.calendarday.saved",
        data={
            "changes": {
                "is_workday": [before and before["is_workday"], is_workday],
                "note": [before and before["note"], note],
            }
        },
    )
    return obj


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    if actor is not None and not actor.can("worktime.calendarday", "change"):
        raise PermissionDeniedForRole()
    audit_record(
        actor=actor,
        obj=day,
        action="cases.calendarday.deleted",
        data={"before": {"date": day.date.isoformat(), "is_workday": day.is_workday, "note": day.note}},
    )
    day.delete()
