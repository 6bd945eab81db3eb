"""The inspections' part of the demo street: last month's rounds scored, ranked and
published (流动红旗 awarded), this month's rounds half done, a unit's appeal waiting for review.

Built through the real services, so scores, cases, audit rows and flags are real. Each
sheet is then moved to a visit on a working day, in working hours, taking 20–60 minutes
(its audit rows, photos and the unit's notification with it), and the rectification cases
its deductions opened live on from that visit through the cases' demo (an inspection
finding becomes a case: the documented inspections → cases exception).
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import User
from apps.cases import demo as case_demo
from apps.cases.demo import demo_photo
from apps.core.audit_guard import audit_maintenance
from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.organization.models import UnitType
from apps.worktime.calendar import WorkCalendar

from . import services
from .choices import InspectionStatus
from .models import ChecklistItem, ChecklistTemplate, Inspection, InspectionPhoto

NOTES = ["现场发现{n}处问题", "已当场指出，责令整改", "与上次检查相比仍未改善", "负责人不在现场"]

# (name, template code, kind, unit type codes, sample mode, count, share)
PLANS = [
    ("小区环境卫生月度联合检查", "residential", "monthly_joint", [], "share", None, 50),
    ("餐饮单位每周两检", "catering", "twice_weekly", ["catering"], "count", 5, None),
    ("沿街商户门前三包月度检查", "frontage", "monthly_joint", ["shop"], "share", None, 40),
    ("物业服务企业月度检查", "institution", "monthly_joint", ["property"], "all", None, None),
]


def _fill(sheet: Inspection, inspector, rng: random.Random) -> None:
    """Most items pass; a few lose points (with a note, and a photo where the item wants one)."""
    items = list(ChecklistItem.objects.filter(version_id=sheet.checklist_id).order_by("id"))
    for item in rng.sample(items, k=min(len(items), rng.choice([0, 1, 1, 2, 2, 3, 4]))):
        if item.veto and rng.random() > 0.1:
            continue
        occurrences = rng.randint(1, 3)
        services.inspection_save_item(
            actor=inspector,
            inspection=sheet,
            item_id=item.pk,
            occurrences=occurrences,
            passed=False,
            note=rng.choice(NOTES).format(n=occurrences),
            stamp=1,
        )
        if item.photo_required:
            services.inspection_add_photo(
                actor=inspector, inspection=sheet, item_id=item.pk, upload=demo_photo(rng, f"i{sheet.pk}-{item.pk}")
            )


def build(demo) -> None:
    """Starter checklists, `demo.inspection_months` months of rounds over `demo.street`, the
    published rankings of last month and one pending appeal."""
    services.install_starter_templates()
    if not demo.inspection_months:
        return
    rng, street, today = demo.rng, demo.street, demo.today
    calendar = WorkCalendar()
    first_notification = case_demo.last_notification_id()
    office_street = User.objects.get(username="street")
    inspector = User.objects.get(username="inspector")
    unit_account = User.objects.get(username="unit")
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for name, code, kind, type_codes, mode, count, share in PLANS:
        plan = services.plan_create(
            actor=office_street,
            data={
                "name": name,
                "jurisdiction": street,
                "template": ChecklistTemplate.objects.get(code=code),
                "kind": kind,
                "unit_types": list(UnitType.objects.filter(code__in=type_codes)),
                "sample_mode": mode,
                "sample_count": count,
                "sample_share": share,
                "is_active": True,
                "inspectors": [inspector],
            },
        )
        for month_start in [last_month, this_month][-demo.inspection_months :]:
            period_end = min(today, (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1))
            round_ = services.round_open(
                actor=office_street,
                plan=plan,
                period_start=month_start,
                period_end=period_end if month_start == last_month else month_start + timedelta(days=27),
                deadline=period_end if month_start == last_month else month_start + timedelta(days=27),
                seed=rng.randint(1, 10**6),
            )
            is_past = month_start == last_month
            days = [d for d in _days(month_start, period_end) if calendar.is_workday(d)]
            for sheet in round_.inspections.order_by("id"):
                own = sheet.target_unit_id == unit_account.unit_id
                if not is_past and rng.random() < 0.4 and not own:
                    continue  # still to do: the demo inspector's task list
                # The demo unit's sheet of this month is recent, so its appeal window is still open.
                visit = _visit(demo, days[-2:] if own and not is_past else days)
                if visit is None:
                    continue  # no working hour of the period has passed yet
                _fill(sheet, inspector, rng)
                representative = rng.choice(["王经理", "李店长", "张主任", ""])
                services.inspection_submit(
                    actor=inspector,
                    inspection=sheet,
                    representative_name=representative,
                    representative_confirmed=bool(representative),
                    open_cases=not is_past,
                )
                _retime_sheet(sheet, *visit)
                for result in sheet.results.filter(case__isnull=False).select_related("case"):
                    case_demo.advance_case(result.case, demo, at=visit[1])
    for level_key in ("unit:catering", "level:community", "unit:property"):
        services.ranking_publish(
            actor=office_street,
            node=street,
            period_kind="month",
            day=last_month,
            level_key=level_key,
            title="",
            issuer="城关街道创卫办",
            number=f"城关创卫通〔{last_month.year}〕{last_month.month}号",
        )
    _appeal(unit_account)
    case_demo.escalate(demo)
    case_demo.read_notifications(demo, after_id=first_notification)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _visit(demo, days: list[date]) -> tuple[datetime, datetime] | None:
    """A visit on one of the working `days`, begun in working hours, taking 20–60 minutes, over by now."""
    rng = demo.rng
    for _attempt in range(20):
        if not days:
            return None
        day = rng.choice(days)
        minutes = rng.choice([rng.randint(8 * 60 + 40, 11 * 60 + 20), rng.randint(14 * 60 + 10, 16 * 60 + 50)])
        started = timezone.make_aware(datetime.combine(day, time.min) + timedelta(minutes=minutes))
        submitted = started + timedelta(minutes=rng.randint(20, 60), seconds=rng.randint(0, 59))
        if submitted < demo.now - timedelta(minutes=10):
            return started, submitted
    return None


def _retime_sheet(sheet: Inspection, started: datetime, submitted: datetime) -> None:
    """Move a sheet just submitted to its visit: times, visit day, appeal window (as long as the
    scheme gave it), audit rows, deduction photos and the unit's notification."""
    sheet = Inspection.objects.get(pk=sheet.pk)
    window = sheet.appeal_until - timezone.localdate(sheet.submitted_at)
    appeal_until = timezone.localdate(submitted) + window
    Inspection.objects.filter(pk=sheet.pk).update(
        started_at=started,
        submitted_at=submitted,
        inspected_on=timezone.localdate(started),
        appeal_until=appeal_until,
        updated_at=submitted,
    )
    audits = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Inspection), object_id=str(sheet.pk)
    )
    with audit_maintenance():  # the demo's invented history is dated after the fact
        audits.filter(action="inspections.inspection.started").update(occurred_at=started)
        audits.exclude(action="inspections.inspection.started").update(occurred_at=submitted)
    InspectionPhoto.objects.filter(result__inspection=sheet).update(created_at=started + (submitted - started) / 2)
    for notification in Notification.objects.filter(kind="inspection", link=sheet.get_absolute_url()):
        message = notification.message.replace(str(sheet.appeal_until), str(appeal_until))
        Notification.objects.filter(pk=notification.pk).update(created_at=submitted, message=message)


def _appeal(unit_account) -> None:
    """The demo unit contests one deduction of its latest sheet, if it lost points."""
    sheet = (
        Inspection.objects.filter(target_unit=unit_account.unit, status=InspectionStatus.SUBMITTED)
        .order_by("-inspected_on", "-id")
        .first()
    )
    result = sheet.results.filter(deduction__gt=0).first() if sheet else None
    if result is None:
        return
    if sheet.appeal_until < timezone.localdate():
        Inspection.objects.filter(pk=sheet.pk).update(appeal_until=timezone.localdate() + timedelta(days=2))
    services.appeal_submit(actor=unit_account, result=result, reason="检查当日该问题已整改完毕，附整改后照片，请复核。")
