"""The patrol–rectification loop as four people do it, and the residents' public pages."""

import io

import pytest
from PIL import Image

from apps.accounts.models import User
from apps.cases.models import Case
from apps.organization.models import Jurisdiction

from .conftest import PHONE, login, shot

pytestmark = pytest.mark.browser


def _photo(tmp_path, name, color):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _act(page, action, note="", photo=None):
    form = page.locator(f"form[data-action='{action}']")
    if note:
        form.locator("textarea[name=note]").fill(note)
    if photo:
        form.locator("input[type=file]").set_input_files(photo)
    form.get_by_test_id(f"action-{action}").click()
    page.wait_for_load_state()


def test_the_whole_loop_as_four_people(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    grid_user = User.objects.get(username="grid")
    grid = Jurisdiction.objects.get(pk=grid_user.jurisdiction_id)
    unit = User.objects.get(username="unit").unit

    # 1. The grid worker reports on a phone: photo, GPS position, category.
    phone = new_page(
        viewport=PHONE,
        geolocation={"latitude": float(grid.center_lat), "longitude": float(grid.center_lng)},
        permissions=["geolocation"],
    )
    login(phone, "grid")
    phone.goto("/cases/report/")
    phone.get_by_test_id("photos").set_input_files(_photo(tmp_path, "before.jpg", (150, 90, 40)))
    phone.select_option("#id_category", label="暴露垃圾")
    phone.click("[data-locate]")
    phone.wait_for_function("() => document.querySelector('[name=lat]').value !== ''")
    phone.fill("#id_description", "小区东门垃圾桶旁堆放生活垃圾")
    shot(phone, "case-report-phone")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/cases/*/")
    case = Case.objects.filter(reporter__username="grid").latest("id")
    assert case.jurisdiction_id == grid.pk and case.photos.count() == 1
    assert phone.get_by_test_id("case-status").inner_text() == "待核实"

    # 2. The community registers and dispatches to the property company.
    page = new_page()
    login(page, "dongyuan")
    page.goto(case.get_absolute_url())
    _act(page, "register")
    assert page.get_by_test_id("case-status").inner_text() == "已立案"
    page.locator("[data-testid=dispatch-form] #id_unit").select_option(str(unit.pk))
    page.locator("[data-testid=dispatch-form] button.btn-primary").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "处置中"
    assert unit.name in page.get_by_test_id("assignee").inner_text()
    with page.expect_download() as notice:
        page.click("text=整改通知书")
    assert notice.value.suggested_filename.endswith(".docx")

    # 3. The unit's contact rectifies with an after-photo (on a phone).
    unit_phone = new_page(viewport=PHONE)
    login(unit_phone, "unit")
    unit_phone.goto("/cases/")
    unit_phone.click(f"text={case.code}")
    _act(unit_phone, "handle", "已清运并冲洗地面", _photo(tmp_path, "after1.jpg", (60, 160, 60)))
    assert unit_phone.get_by_test_id("case-status").inner_text() == "待核查"
    assert unit_phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(unit_phone, "case-detail-phone")

    # 4. The inspector fails it once (返工), the unit fixes again, the inspector passes it.
    inspector = new_page()
    login(inspector, "inspector")
    inspector.goto(case.get_absolute_url())
    _act(inspector, "verify_fail", "地面仍有污渍")
    assert inspector.get_by_test_id("case-status").inner_text() == "处置中"
    unit_phone.goto(case.get_absolute_url())
    _act(unit_phone, "handle", "已再次清洗", _photo(tmp_path, "after2.jpg", (40, 180, 90)))
    inspector.goto(case.get_absolute_url())
    _act(inspector, "verify_pass", "现场核查合格")
    assert inspector.get_by_test_id("case-status").inner_text() == "已结案"
    timeline = inspector.get_by_test_id("case-timeline").inner_text()
    for step in ["上报", "立案", "派遣", "处置反馈", "核查不通过（返工）", "核查通过"]:
        assert step in timeline
    compare = inspector.get_by_test_id("compare")
    assert compare.locator("img").count() == 3  # one before, two after
    images_loaded = (
        "() => Array.from(document.querySelectorAll('[data-testid=compare] img')).every(i => i.naturalWidth > 0)"
    )
    inspector.wait_for_function(images_loaded)
    shot(inspector, "case-detail-desktop")
    case.refresh_from_db()
    assert case.status == "closed" and case.rework_count == 1

    # The briefing, the statistics, the map and the audit trail show it.
    page.click(".mainnav >> text=晨会")
    assert page.get_by_test_id("briefing-new").is_visible()
    shot(page, "briefing-desktop")
    page.click(".mainnav >> text=统计")
    total = page.get_by_test_id("stats-table").locator("tr[data-row=total]")
    closed_link = total.locator("td").nth(8).locator("a")
    closed_before = int(closed_link.inner_text())
    assert closed_before >= 1
    shot(page, "statistics-desktop")
    # Read from the rollups (issue 14): the page says as of when, and a row drills down.
    assert "整月数据截至" in page.get_by_test_id("stats-as-of").inner_text()
    drill = page.get_by_test_id("stats-drill").first
    child = drill.inner_text()
    drill.click()
    page.wait_for_url("**/cases/statistics/?*jurisdiction=*")
    assert child in page.locator("select[name=jurisdiction] option:checked").inner_text()
    page.go_back()
    closed_link.click()
    page.wait_for_url("**/cases/?*")
    assert case.code in page.get_by_test_id("case-table").inner_text()
    page.goto("/cases/map/")
    page.wait_for_selector("[data-testid=case-map][data-ready='1']")
    page.select_option("[data-map-filters] select[name=status]", "open")
    page.wait_for_selector("[data-testid=case-map][data-ready='1']")
    assert page.locator("[data-testid=case-map] path.leaflet-interactive").count() >= 1
    shot(page, "case-map-desktop")
    page.goto(case.get_absolute_url())
    trail = page.get_by_test_id("audit-trail").inner_text()
    assert "案件 · 核查通过" in trail or "verify_pass" in trail


def test_resident_reports_and_follows_with_the_tracking_code(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    east = demo["estates"][0]
    page = new_page(viewport=PHONE)
    page.goto("/public/report/")
    page.set_input_files("[data-testid=photos]", _photo(tmp_path, "r.jpg", (90, 90, 200)))
    page.select_option("#id_category", label="乱贴乱画/小广告")
    page.wait_for_selector("[data-picker][data-ready='1']")
    page.evaluate(
        f"(() => {{ document.querySelector('[name=lat]').value = '{east.center_lat}';"
        f" document.querySelector('[name=lng]').value = '{east.center_lng}'; }})()"
    )
    page.fill("#id_description", "单元门口贴满小广告")
    page.fill("#id_reporter_phone", "13900001111")
    page.click("button[type=submit]")
    page.wait_for_url("**/public/track/*/")
    code = page.get_by_test_id("tracking-code").inner_text()
    case = Case.objects.get(tracking_code=code)
    assert case.source == "resident" and case.jurisdiction.path.startswith(east.path)
    assert page.get_by_test_id("public-status").inner_text() == "处理中"
    assert "13900001111" not in page.content()
    shot(page, "public-track-phone")
    page.goto("/public/track/")
    page.fill("[data-testid=track-code]", code.lower())
    page.click("form.filters button")
    assert page.get_by_test_id("tracking-code").inner_text() == code
