"""An administrator adjusts the reference lists behind the dropdowns."""

import pytest

from apps.organization.models import UnitType

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_admin_adds_and_deactivates_a_unit_type(new_page, demo):
    page = new_page()
    login(page, "admin")
    page.click(".mainnav >> text=基础数据")
    assert page.get_by_test_id("levels").locator("tr").count() == 8  # header + 7 default levels
    page.click("text=新增单位类型")
    page.fill("#id_code", "laundry")
    page.fill("#id_name", "洗涤企业")
    page.fill("#id_sort", "30")
    page.click("button[type=submit]")
    page.wait_for_url("**/org/reference/")
    assert "洗涤企业" in page.get_by_test_id("unit-types").inner_text()
    shot(page, "reference-desktop")
    page.get_by_test_id("unit-types").locator("tr", has_text="洗涤企业").locator("text=编辑").click()
    page.uncheck("#id_is_active")
    page.click("button[type=submit]")
    page.wait_for_url("**/org/reference/")
    assert not UnitType.objects.get(code="laundry").is_active
    page.goto("/org/units/new/")
    assert "洗涤企业" not in page.locator("#id_unit_type").inner_text()


def test_street_admin_sees_lists_read_only(new_page, demo):
    page = new_page()
    login(page, "street")
    page.click(".mainnav >> text=基础数据")
    assert page.locator("text=新增单位类型").count() == 0
    assert page.goto("/org/reference/unit-types/new/").status == 403
