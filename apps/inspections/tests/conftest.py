import pytest

from apps.cases.categories import ensure_categories
from apps.cases.tests.conftest import jpeg
from apps.inspections import services
from apps.worktime.holidays import ensure_calendar

from .factories import make_checklist


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
    return make_checklist(
        org.office,
        "t-shops",
        "测试门店检查表",
        [
            ("A", "项目A", "10", "per_occurrence", "2", "6", True, False),
            ("B", "项目B", "5", "fixed", "3", None, False, False),
            ("C", "项目C", "5", "pass_fail", "0", None, False, True),
        ],
    )


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
