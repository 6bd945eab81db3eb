"""Inspection records for the access matrix and page tests: one of each kind, in 甲街道."""

from decimal import Decimal as D

from django.utils import timezone

from apps.cases.categories import ensure_calendar, ensure_categories
from apps.cases.tests.conftest import jpeg
from apps.inspections import services
from apps.organization.models import UnitType


def build_inspections(o):
    ensure_categories()
    ensure_calendar()
    services.install_starter_templates()
    o.template = services.checklist_create(
        actor=o.office,
        data={
            "code": "t-access",
            "name": "门店检查表",
            "target_kind": "unit",
            "unit_types": list(UnitType.objects.filter(code__in=["shop", "property", "catering"])),
            "is_active": True,
        },
    )
    section = services.checklist_section_add(actor=o.office, template=o.template, name="一、环境")
    o.item = services.checklist_item_save(
        actor=o.office,
        template=o.template,
        data={
            "section": section,
            "code": "1.1",
            "text": "无暴露垃圾",
            "max_score": D(10),
            "rule": "per_occurrence",
            "deduction": D(2),
            "cap": None,
            "photo_required": True,
            "veto": False,
            "category": None,
        },
    )
    o.plan = services.plan_create(
        actor=o.street,
        data={
            "name": "甲街道月度检查",
            "jurisdiction": o.street_a,
            "template": o.template,
            "kind": "monthly_joint",
            "sample_mode": "all",
            "is_active": True,
            "inspectors": [o.inspector],
        },
    )
    today = timezone.localdate()
    o.round = services.round_open(actor=o.street, plan=o.plan, period_start=today, period_end=today, deadline=today)
    o.sheet = o.round.inspections.get(target_unit=o.unit_a1)
    services.inspection_save_item(
        actor=o.inspector, inspection=o.sheet, item_id=o.item.pk, occurrences=1, note="门口垃圾", stamp=1
    )
    services.inspection_add_photo(actor=o.inspector, inspection=o.sheet, item_id=o.item.pk, upload=jpeg())
    o.sheet = services.inspection_submit(actor=o.inspector, inspection=o.sheet, open_cases=False)
    o.result = o.sheet.results.get()
    o.sheet_photo = o.result.photos.get()
    o.appeal = services.appeal_submit(actor=o.unit_contact, result=o.result, reason="已清理")
    o.draft = o.round.inspections.get(target_unit=o.unit_a2)
    services.inspection_save_item(actor=o.inspector, inspection=o.draft, item_id=o.item.pk, occurrences=0, stamp=1)
    o.draft_photo = services.inspection_add_photo(
        actor=o.inspector, inspection=o.draft, item_id=o.item.pk, upload=jpeg()
    )
    o.published = services.ranking_publish(
        actor=o.street,
        node=o.street_a,
        period_kind="month",
        day=today,
        level_key="unit:property",
        title="",
        issuer="甲街道创卫办",
    )
    return o
