"""Demo inspections for the demo street: last month's rounds scored, ranked and published
(流动红旗 awarded), this month's rounds half done, a unit's appeal waiting for review.

Built through the real services, so scores, cases, audit rows and flags are real; last
month's sheets are then moved back to last month.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.cases.demo import demo_photo
from apps.organization.models import Jurisdiction, UnitType

from . import services
from .choices import InspectionStatus
from .models import ChecklistItem, ChecklistTemplate, Inspection

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


def build_demo_inspections(street: Jurisdiction, rng: random.Random, months: int = 2) -> int:
    services.install_starter_templates()
    if not months:
        return 0
    office_street = User.objects.get(username="street")
    inspector = User.objects.get(username="inspector")
    unit_account = User.objects.get(username="unit")
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    submitted = 0
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
        for month_start in [last_month, this_month][-months:]:
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
            for sheet in round_.inspections.order_by("id"):
                if not is_past and rng.random() < 0.4:
                    continue  # still to do: the demo inspector's task list
                _fill(sheet, inspector, rng)
                representative = rng.choice(["王经理", "李店长", "张主任", ""])
                services.inspection_submit(
                    actor=inspector,
                    inspection=sheet,
                    representative_name=representative,
                    representative_confirmed=bool(representative),
                    open_cases=not is_past,
                )
                if is_past:
                    day = month_start + timedelta(days=rng.randint(0, max(0, (period_end - month_start).days)))
                    Inspection.objects.filter(pk=sheet.pk).update(
                        inspected_on=day,
                        appeal_until=day + timedelta(days=3),
                        submitted_at=timezone.make_aware(datetime.combine(day, time(10))),
                    )
                submitted += 1
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
    return submitted


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
