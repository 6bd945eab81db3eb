from decimal import Decimal as D

import pytest

from apps.cases.categories import ensure_calendar, ensure_categories
from apps.cases.tests.conftest import jpeg
from apps.inspections import services
from apps.organization.models import UnitType


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def checklist(org):
    """A 20-point sheet for shops, property companies and restaurants:
    A 10 points, 2 per finding up to 6, photo required; B 5 points, fixed 3;
    C 5 points pass/fail, 一票否决."""
    ensure_categories()
    ensure_calendar()
    template = services.checklist_create(
        actor=org.office,
        data={
            "code": "t-shops",
            "name": "测试门店检查表",
            "target_kind": "unit",
            "unit_types": list(UnitType.objects.filter(code__in=["shop", "property", "catering"])),
            "is_active": True,
        },
    )
    section = services.checklist_section_add(actor=org.office, template=template, name="一、环境")
    items = {}
    for code, max_score, rule, deduction, cap, photo, veto in [
        ("A", "10", "per_occurrence", "2", "6", True, False),
        ("B", "5", "fixed", "3", None, False, False),
        ("C", "5", "pass_fail", "0", None, False, True),
    ]:
        items[code] = services.checklist_item_save(
            actor=org.office,
            template=template,
            data={
                "section": section,
                "code": code,
                "text": f"项目{code}",
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
    template.items = items
    return template


def fill(sheet, user, findings: dict, notes=True, photos=()):
    """Enter findings {item: occurrences or False (failed)} and photos for item codes, as the phone would."""
    from apps.inspections.models import ChecklistItem

    items = {i.code: i for i in ChecklistItem.objects.filter(version=sheet.checklist)}
    for code, value in findings.items():
        passed = value is not False
        services.inspection_save_item(
            actor=user,
            inspection=sheet,
            item_id=items[code].pk,
            occurrences=0 if value is False else value,
            passed=passed,
            note=f"{code} 问题说明" if notes else "",
            stamp=1,
        )
    for code in photos:
        services.inspection_add_photo(actor=user, inspection=sheet, item_id=items[code].pk, upload=jpeg())
    sheet.refresh_from_db()
    return items
