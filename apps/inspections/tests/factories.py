"""Inspection records for the access matrix and page tests: one of each kind, in 甲街道."""

from decimal import Decimal as D

from django.utils import timezone

from apps.cases.categories import ensure_categories
from apps.cases.tests.conftest import jpeg
from apps.inspections import services
from apps.inspections.models import ChecklistTemplate
from apps.organization.models import UnitType
from apps.worktime.holidays import ensure_calendar


def make_checklist(office, code: str, name: str, items: list[tuple]) -> ChecklistTemplate:
    """A one-section sheet for shops, property companies and restaurants, built through the services.

    `items` are (code, text, max, rule, deduction, cap, photo required, veto); the template gets
    an `items` dict by code for the tests.
    """
    template = services.checklist_create(
        actor=office,
        data={
            "code": code,
            "name": name,
            "target_kind": "unit",
            "unit_types": list(UnitType.objects.filter(code__in=["shop", "property", "catering"])),
            "is_active": True,
        },
    )
    section = services.checklist_section_add(actor=office, template=template, name="一、环境")
    saved = {}
    for item_code, text, max_score, rule, deduction, cap, photo, veto in items:
        saved[item_code] = services.checklist_item_save(
            actor=office,
            template=template,
            data={
                "section": section,
                "code": item_code,
                "text": text,
                "max_score": D(max_score),
                "rule": rule,
                "deduction": D(deduction),
                "cap": D(cap) if cap else None,
                "photo_required": photo,
                "veto": veto,
                "category": None,
            },
        )
    template.refresh_from_db()
    template.items = saved
    return template


def build_inspections(o):
    ensure_categories()
    ensure_calendar()
    services.install_starter_templates()
    o.template = make_checklist(
        o.office, "t-access", "门店检查表", [("1.1", "无暴露垃圾", "10", "per_occurrence", "2", None, True, False)]
    )
    o.item = o.template.items["1.1"]
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
