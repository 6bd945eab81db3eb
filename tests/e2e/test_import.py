"""Importing units in the browser: a bad workbook imports nothing, a good one shows progress."""

import time

import pytest

from apps.imports.tests.helpers import UNIT_HEADERS, unit_row, workbook_bytes
from apps.organization.models import Unit
from tests.worker import running_worker

from .conftest import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def _upload(page, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    page.set_input_files("input[type=file]", str(path))
    page.click("text=上传并导入")


def test_import_units_bad_then_good(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    east = demo["communities"][0]
    estate_code = demo["estates"][0].code
    before = Unit.objects.count()
    page = new_page()
    login(page, "dongyuan")
    page.click(".mainnav >> text=单位")
    page.click("text=批量导入")
    with page.expect_download() as download:
        page.get_by_test_id("template").click()
    assert download.value.suggested_filename == "template-units.xlsx"

    with running_worker():
        bad = [unit_row("正确的面馆", east.code), unit_row("错误的面馆", "999999", 联系电话="电话")]
        _upload(page, tmp_path, "bad.xlsx", workbook_bytes(UNIT_HEADERS, bad))
        page.wait_for_selector("#job-progress[data-status='failed']", timeout=30000)
        errors = page.get_by_test_id("job-errors").inner_text()
        assert "3\t所在辖区代码" in errors and "不在您的管辖范围内" in errors
        assert "3\t联系电话" in errors
        assert "未导入任何数据" in page.get_by_test_id("job-message").inner_text()
        shot(page, "import-errors")
        assert Unit.objects.count() == before

        page.goto("/data/units/new/")
        good = [unit_row(f"新导入单位{i:05d}", estate_code) for i in range(5000)]
        _upload(page, tmp_path, "good.xlsx", workbook_bytes(UNIT_HEADERS, good))
        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = page.locator("#job-progress").get_attribute("data-status")
            seen.append(status)
            if status == "succeeded":
                break
            page.wait_for_timeout(150)
        assert seen[0] in ("pending", "running"), seen[:5]
        assert seen[-1] == "succeeded", seen[-5:]
        assert page.locator(".progress[aria-valuenow='100']").count() == 1
        assert "已导入 5000 条记录" in page.get_by_test_id("job-message").inner_text()
        shot(page, "import-done")

    assert Unit.objects.count() == before + 5000
    page.click("text=查看单位")
    page.fill("input[name=q]", "新导入单位00042")
    page.click("text=筛选")
    assert page.get_by_test_id("unit-table").locator("tbody tr").nth(1).inner_text().startswith("新导入单位00042")


def test_import_page_on_a_phone(new_page, demo):
    page = new_page(viewport=PHONE)
    login(page, "dongyuan")
    page.goto("/data/units/new/")
    assert page.get_by_test_id("template").is_visible()
    shot(page, "import-phone")
