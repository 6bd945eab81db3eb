"""The office imports a standard from .xlsx (a bad row first: nothing imported), then edits an item
of a version a campaign uses and sees the new version."""

import time
from types import SimpleNamespace

import pytest

from apps.accounts.models import User
from apps.campaigns.tests.factories import make_campaign
from apps.imports.tests.helpers import workbook_bytes
from apps.organization.models import Jurisdiction
from apps.standards.models import Standard, StandardItem
from apps.standards.tests.helpers import HEADERS, good_rows, row
from tests.worker import running_worker

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def _upload(page, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    page.set_input_files("input[type=file]", str(path))
    page.click("text=上传并导入")


def test_office_imports_a_standard_and_edits_a_used_version(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = new_page()
    login(page, "cwb")
    page.click(".mainnav >> text=创建标准")
    assert page.locator("[data-code='jiangsu-town']").is_visible()
    page.click("text=国家卫生城市和国家卫生县标准（2021版）")
    assert "满意率 ≥ 90%" in page.locator("tr[data-item='1.4']").inner_text()
    shot(page, "standard-national")
    page.go_back()
    page.get_by_test_id("import").click()
    with page.expect_download() as download:
        page.get_by_test_id("template").click()
    assert download.value.suggested_filename == "template-standard_items.xlsx"

    with running_worker():
        bad = [*good_rows(), row(大项编号="1", 小项编号="1.4", 条文="坏行", 类型="计分项")]
        _upload(page, tmp_path, "bad.xlsx", workbook_bytes(HEADERS, bad))
        page.wait_for_selector("#job-progress[data-status='failed']", timeout=30000)
        assert "7\t分值\t计分项请填写分值" in page.get_by_test_id("job-errors").inner_text()
        assert "未导入任何数据" in page.get_by_test_id("job-message").inner_text()
        assert not Standard.objects.filter(code="town-2026").exists()

        page.goto("/data/standard_items/new/")
        _upload(page, tmp_path, "town.xlsx", workbook_bytes(HEADERS, good_rows()))
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            seen.append(page.locator("#job-progress").get_attribute("data-status"))
            if seen[-1] == "succeeded":
                break
            page.wait_for_timeout(150)
        assert seen[-1] == "succeeded", seen[-5:]
        assert page.locator(".progress[aria-valuenow='100']").count() == 1
        assert "已导入 4 条记录" in page.get_by_test_id("job-message").inner_text()

    page.goto("/standards/")
    page.click("text=某镇卫生镇标准（导入）")
    assert page.locator("h2[data-section='0']").inner_text().startswith("0 申报必备条件")
    assert page.locator("tr[data-item='1.2'] [data-indicator='群众满意率']").inner_text().startswith("群众满意率 ≥ 90%")
    assert page.locator("tr[data-item='1.3'] [data-testid='example-badge']").count() == 1

    # A campaign now runs against version 1: editing an item makes version 2.
    standard = Standard.objects.get(code="town-2026")
    office = User.objects.get(username="cwb")
    make_campaign(
        SimpleNamespace(office=office), standard.current_version, Jurisdiction.objects.order_by("depth", "id").first()
    )
    page.reload()
    assert page.get_by_test_id("version-note").is_visible()
    page.locator("tr[data-item='1.1'] [data-testid='edit-item']").click()
    assert "此版本已被创建项目使用，保存将生成新版本" in page.get_by_test_id("version-warning").inner_text()
    page.fill("#id_text", "成立创卫领导小组，每月召开例会")
    page.click("button[type=submit]")
    assert page.get_by_test_id("shown-version").inner_text() == "v2"
    assert "每月召开例会" in page.locator("tr[data-item='1.1']").inner_text()
    assert page.get_by_test_id("version-table").locator("tr").count() == 3  # header, v2, v1
    shot(page, "standard-detail")

    page.get_by_test_id("version-table").locator("text=v1").click()
    assert page.get_by_test_id("history-note").is_visible()
    assert "定期召开例会" in page.locator("tr[data-item='1.1']").inner_text()
    assert page.get_by_test_id("edit-item").count() == 0
    shot(page, "standard-version-history")
    assert StandardItem.objects.filter(version__standard=standard, code="1.1").count() == 2
